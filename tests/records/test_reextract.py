"""reextract compares the whole stored record, not only its content hash (issue 12, item 16).

A row written by an older extractor (or before a source alias was fixed) has the content hash of
today's but other columns that differ: reextract corrects them in place, without a new version.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ccme_crawler.reextract import ReextractSummary, reextract
from ccme_crawler.warc import WarcWriter
from tests.helpers import rows

from .helpers import ARTICLE_URL, EMPTY_POST, HTML, article_html

EMPTY_URL = "https://www.ccme.org.ma/empty-post/"


@pytest.fixture
def warc_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "warc"
    directory.mkdir()
    with WarcWriter(directory) as writer:
        for url, body in ((ARTICLE_URL, article_html()), (EMPTY_URL, EMPTY_POST)):
            writer.write_exchange(
                target_uri=url,
                request_method="GET",
                request_headers=[],
                request_body=b"",
                protocol="HTTP/1.1",
                status=200,
                reason="OK",
                response_headers=[("Content-Type", HTML)],
                payload=body,
                fetched_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            )
    return directory


def _article(db: Path) -> dict[str, Any]:
    (row,) = rows(db, "SELECT * FROM articles WHERE url = ?", (ARTICLE_URL,))
    return row


def _stale(db: Path, assignments: str) -> None:
    """Make the stored row look as an older extractor wrote it (same content hash)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(f"UPDATE articles SET {assignments} WHERE url = ?", (ARTICLE_URL,))
    conn.close()


def _reextract_stale(warc_dir: Path, db: Path, assignments: str) -> ReextractSummary:
    reextract(warc_dir, db)
    _stale(db, assignments)
    return reextract(warc_dir, db)


def test_stale_word_count_is_corrected(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    reextract(warc_dir, db)
    fresh = _article(db)["word_count"]
    _reextract_stale(warc_dir, db, "word_count = 1")
    assert (fresh > 1, _article(db)["word_count"]) == (True, fresh)


def test_stale_post_id_is_corrected(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    reextract(warc_dir, db)
    fresh = _article(db)["post_id"]
    _reextract_stale(warc_dir, db, "post_id = NULL")
    assert (fresh is not None, _article(db)["post_id"]) == (True, fresh)


def test_stale_source_id_is_corrected(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    reextract(warc_dir, db)
    fresh = _article(db)["source_id"]
    _reextract_stale(warc_dir, db, "source_id = NULL")
    assert (fresh is not None, _article(db)["source_id"]) == (True, fresh)


def test_stale_flags_and_breadcrumb_are_corrected(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    reextract(warc_dir, db)
    fresh = _article(db)
    _reextract_stale(warc_dir, db, "flags = '[\"old\"]', breadcrumb = '[]', language = 'en'")
    assert _article(db) == fresh


def test_correction_is_reported(warc_dir: Path, tmp_path: Path) -> None:
    summary = _reextract_stale(warc_dir, tmp_path / "ccme.sqlite", "word_count = 1")
    assert summary.outcomes == {"corrected": 1}


def test_correction_makes_no_new_version(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    _reextract_stale(warc_dir, db, "word_count = 1")
    versions = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    assert (_article(db)["version"], versions) == (1, 0)


def test_correction_keeps_the_provenance_of_the_row(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    _reextract_stale(warc_dir, db, "word_count = 1, fetched_at = 'first capture'")
    assert _article(db)["fetched_at"] == "first capture"


def test_correction_counts_as_an_update_of_the_run(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    summary = _reextract_stale(warc_dir, db, "word_count = 1")
    run = rows(db, "SELECT articles_updated FROM crawl_runs WHERE id = ?", (summary.run_id,))
    assert run == [{"articles_updated": 1}]


def test_row_already_right_is_unchanged(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    reextract(warc_dir, db)
    before = _article(db)
    summary = reextract(warc_dir, db)
    assert (summary.outcomes, _article(db)) == ({"unchanged": 1}, before)


def test_page_without_content_is_refused_as_the_crawl_refuses_it(
    warc_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccme.sqlite"
    summary = reextract(warc_dir, db)
    stored = [r["url"] for r in rows(db, "SELECT url FROM articles")]
    assert (summary.failures, stored) == ({"no_content": 1}, [ARTICLE_URL])


def test_page_refused_is_recorded_with_its_url_and_reason(warc_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    summary = reextract(warc_dir, db)
    failures = rows(db, "SELECT run_id, url, kind, reason FROM page_failures")
    assert failures == [
        {"run_id": summary.run_id, "url": EMPTY_URL, "kind": "article", "reason": "no_content"}
    ]
