"""Descriptions of the archive for people and tools: Datasette's metadata and export manifests.

Both use Datasette's metadata vocabulary (``title``, ``description``, ``license``,
``license_url``, ``source``, ``source_url``), so an export's manifest and the database served by
Datasette cite the same things.

Datasette reads ``metadata.json`` by itself only in configuration-directory mode
(``datasette data/``); with a database file name it needs ``-m data/metadata.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ccme_crawler import __version__
from ccme_crawler.fsutil import atomic_write_text

METADATA_FILENAME = "metadata.json"

# Who the data belongs to, cited in every manifest and in Datasette. The texts are the CCME's
# and the outlets' it quotes; ccme-crawler grants no licence on them.
CITATION: dict[str, str] = {
    "title": "CCME archive",
    "description": (
        "Press reviews and activity reports published by the Conseil de la communauté "
        "marocaine à l'étranger (CCME) since 2008, in French, Arabic and English, "
        "archived by ccme-crawler."
    ),
    "license": "Texts © CCME and the cited outlets; not openly licensed",
    "license_url": "https://www.ccme.org.ma/",
    "source": "Conseil de la communauté marocaine à l'étranger (CCME)",
    "source_url": "https://www.ccme.org.ma/",
}

ARTICLE_COLUMNS: dict[str, str] = {
    "url": "Canonical article URL on https://www.ccme.org.ma (the record key)",
    "title": "Title as published",
    "published_at": "Publication date and time (ISO 8601), from the page",
    "published_raw": "The text the publication date was read from",
    "modified_at": "Last modification time the page declares",
    "language": "Language of the article: fr, ar or en",
    "category": "Label of the post's own category",
    "category_url": "URL of the post's own category",
    "breadcrumb": "Breadcrumb trail of the page (JSON list)",
    "body": "Article text, paragraphs separated by blank lines",
    "source": "Outlet named by the closing 'Source :' line, as written",
    "source_id": "Canonical outlet (sources table)",
    "source_date": "Date of the closing date line (the outlet's publication date)",
    "source_date_raw": "The text the source date was read from",
    "post_id": "WordPress post id",
    "author": "Author, when the page names one",
    "word_count": "Words in the body",
    "canonical_url": "link rel=canonical of the page, as written",
    "extraction_method": "template, or fallback:<library> when the page's markup was unusual",
    "flags": "Extraction warnings (JSON list), e.g. empty_body, date_unreadable",
    "content_hash": "SHA-256 of the normalized title, body and source: changes mean new versions",
    "version": "1 for the first capture; +1 each time the content changed",
    "fetched_url": "URL actually fetched (a mirror's, for instance)",
    "final_url": "URL after redirects",
    "http_status": "HTTP status of the fetch",
    "fetched_at": "When the page was fetched (UTC)",
    "first_stored_at": "When the article was first stored (UTC)",
    "changed_at": "When its content last changed in the archive (UTC)",
    "run_id": "Crawl run that last wrote the row (crawl_runs)",
    "warc_filename": "WARC file holding the HTTP exchange",
    "warc_offset": "Offset of the response record in the WARC file",
    "warc_length": "Length of the response record",
    "warc_record_id": "WARC-Record-ID of the response",
    "warc_payload_digest": "WARC-Payload-Digest of the response",
}

VIEW_COLUMNS: dict[str, str] = {
    "article_rowid": "Row id of the article (the key of the full-text index)",
    "url": ARTICLE_COLUMNS["url"],
    "title": ARTICLE_COLUMNS["title"],
    "published_at": ARTICLE_COLUMNS["published_at"],
    "year": "Year of publication",
    "language": ARTICLE_COLUMNS["language"],
    "category": ARTICLE_COLUMNS["category"],
    "source": "Canonical outlet name",
    "source_as_written": ARTICLE_COLUMNS["source"],
    "source_date": ARTICLE_COLUMNS["source_date"],
    "author": ARTICLE_COLUMNS["author"],
    "word_count": ARTICLE_COLUMNS["word_count"],
    "body": ARTICLE_COLUMNS["body"],
}


def datasette_metadata() -> dict[str, Any]:
    """The per-database part of Datasette's metadata for a ccme-crawler database."""
    return {
        "description": CITATION["description"],
        "tables": {
            "articles_view": {
                "title": "Articles",
                "description": (
                    "One row per article with its year and canonical source: search titles "
                    "and bodies (accents folded), facet by category, language, source, year."
                ),
                "columns": VIEW_COLUMNS,
                "facets": ["category", "language", "source", "year"],
                "fts_table": "articles_fts",
                "fts_pk": "article_rowid",
                "sort_desc": "published_at",
            },
            "articles": {
                "description": "Articles with their full provenance (fetch, WARC record, run).",
                "columns": ARTICLE_COLUMNS,
                "facets": ["category", "language", "source_id"],
                "fts_table": "articles_fts",
                "sort_desc": "published_at",
                "label_column": "title",
            },
            "sources": {"description": "Canonical outlet names cited by articles."},
            "source_aliases": {"description": "Outlet names as written, and their canonical form."},
            "categories": {"description": "WordPress categories (path, label, language)."},
            "article_categories": {
                "description": (
                    "Categories of each article: 'post' (the post's own category) or "
                    "'listing' (a category listing that linked it)."
                )
            },
            "article_versions": {"description": "Earlier versions of articles whose text changed."},
            "crawl_runs": {"description": "Every crawl: mode, status, times, counts, version."},
            "page_failures": {"description": "Pages that could not be fetched or read, and why."},
        },
    }


def write_datasette_metadata(db_path: Path) -> Path:
    """(Re)write ``metadata.json`` beside the database for Datasette; return its path.

    Entries for other databases in an existing file are kept, so several archives can share a
    folder; ours is keyed by the database's name as Datasette names it (the file's stem).
    """
    db_path = Path(db_path)
    target = db_path.parent / METADATA_FILENAME
    data: dict[str, Any] = {}
    if target.exists():
        try:
            loaded = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            loaded = None
        if isinstance(loaded, dict) and isinstance(loaded.get("databases"), dict):
            data = loaded
    data.update({**CITATION, "about": "ccme-crawler " + __version__})
    data.setdefault("databases", {})[db_path.stem] = datasette_metadata()
    atomic_write_text(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return target
