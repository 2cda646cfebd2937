"""Records to store in storage tests."""

from __future__ import annotations

import dataclasses
from typing import Any

from ccme_crawler.items import ArticleRecord, ExtractedArticle

URL = "https://www.ccme.org.ma/un-article/"
MEDIAS = "/category/archives-du-ccme/medias-et-migration/"
ACTIVITES = "/category/archives-du-ccme/activites/"


def make_record(body: str = "Premier paragraphe.\n\nSecond.", **changes: Any) -> ArticleRecord:
    """An article of ``Médias et migration``, found on that category's listing."""
    article = ExtractedArticle(
        url=URL,
        title="Un article",
        published_at="2014-02-19T09:00:00+00:00",
        language="fr",
        category="Médias et migration",
        category_url="https://www.ccme.org.ma" + MEDIAS,
        breadcrumb=["Home", "Archives du CCME", "Médias et migration"],
        body=body,
        source="M.A.P",
        source_date="2014-02-18",
        word_count=len(body.split()),
    )
    record = ArticleRecord(
        article=article,
        content_hash=f"hash-{body}",
        source_canonical="MAP",
        listing_category=MEDIAS,
        fetched_url=URL,
        final_url=URL,
        http_status=200,
        etag='"abc"',
        last_modified=None,
        fetched_at="2026-11-29T00:00:00+00:00",
        category_path=MEDIAS,
    )
    return dataclasses.replace(record, **changes)
