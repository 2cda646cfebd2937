"""A record carries its post's category path normalized: storage files it as given."""

from __future__ import annotations

from ccme_crawler.items import ArticleRecord, RawPage
from ccme_crawler.pipelines import article_record_from_page, post_category_path
from tests.conftest import REFERENCE_SITE

URL = "https://www.ccme.org.ma/un-article/"


def test_a_category_url_becomes_its_path() -> None:
    assert post_category_path("https://www.ccme.org.ma/category/actualites/page/2/") == (
        "/category/actualites/"
    )


def test_a_link_that_is_not_a_category_has_no_path() -> None:
    assert post_category_path("https://www.ccme.org.ma/un-article/") is None


def test_no_link_has_no_path() -> None:
    assert post_category_path(None) is None


def test_a_record_built_from_a_page_carries_the_post_category_path() -> None:
    page = RawPage(
        url=URL,
        fetched_url=URL,
        final_url=URL,
        status=200,
        headers={},
        body=(REFERENCE_SITE / "article-fr.html").read_bytes(),
        encoding="utf-8",
        fetched_at="2026-01-01T00:00:00+00:00",
    )
    record = article_record_from_page(page)
    assert isinstance(record, ArticleRecord)
    assert record.category_path == "/category/archives-du-ccme/medias-et-migration/"
