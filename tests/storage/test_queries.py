"""The reads behind stats, exports and search, and the copy behind SQLite exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccme_crawler.items import ListingEntry, PageFailure, WarcPointer
from ccme_crawler.storage import Storage
from ccme_crawler.storage.queries import fts_match_expression
from tests.storage.records import ACTIVITES, MEDIAS, URL, make_record

OTHER = URL + "autre/"


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("maroc belgique", '"maroc" AND "belgique"'),
        ('"accord culturel"', '"accord culturel"'),
        ("coop*", '"coop"*'),
        ("japon OR belgique", '("japon" OR "belgique")'),
        ('NEAR(a b) "x" -y', '"NEAR(a" AND "b)" AND "x" AND "-y"'),
        ('say "hi', '"say" AND "hi"'),
        ("a\x00b", '"a" AND "b"'),
    ],
)
def test_a_query_becomes_a_quoted_fts_expression(query: str, expression: str) -> None:
    assert fts_match_expression(query) == expression


@pytest.mark.parametrize("query", ["", "   ", "* - ()", "OR", '""'])
def test_a_query_with_nothing_searchable_is_none(query: str) -> None:
    assert fts_match_expression(query) is None


def test_article_count(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert store.article_count() == 1


def test_stats_count_articles_by_listing_category(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    store.record_listing_entry(ListingEntry(URL, ACTIVITES, "x", 0, "2026-01-01"))
    by_category = {row["path"]: row["articles"] for row in store.stats()["by_category"]}
    assert by_category == {MEDIAS: 1, ACTIVITES: 1}


def test_stats_count_articles_by_year_and_language(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    stats = store.stats()
    assert (stats["articles"], stats["by_year"], stats["by_language"]) == (
        1,
        [{"year": "2014", "articles": 1}],
        [{"language": "fr", "articles": 1}],
    )


def test_stats_count_each_failed_url_once(store: Storage) -> None:
    store.record_failure(PageFailure(OTHER, "timeout"), run_id=None)
    store.record_failure(PageFailure(OTHER, "http_503"), run_id=None)
    assert store.stats()["unresolved_failures"] == 1


def test_iter_articles_lists_the_categories_of_each_article(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    store.record_listing_entry(ListingEntry(URL, ACTIVITES, "x", 0, "2026-01-01"))
    (row,) = store.iter_articles()
    assert (json.loads(row["categories"]), row["source_name"]) == ([ACTIVITES, MEDIAS], "MAP")


def test_iter_articles_filters_by_language(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    english = make_record()
    english.article.url, english.article.language = OTHER, "en"
    store.upsert_article(english, run_id=None)
    assert [row["url"] for row in store.iter_articles(languages=["en"])] == [OTHER]


def test_iter_articles_filters_by_source_as_written(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert [row["url"] for row in store.iter_articles(sources=["m.a.p"])] == [URL]


def test_iter_articles_until_is_inclusive(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert [row["url"] for row in store.iter_articles(until="2014-02-19")] == [URL]


def test_captured_articles_are_those_with_a_warc_record(store: Storage) -> None:
    warc = WarcPointer("a.warc.gz", 0, 10, "<urn:uuid:1>", None)
    store.upsert_article(make_record(warc=warc), run_id=None)
    uncaptured = make_record()
    uncaptured.article.url = OTHER
    store.upsert_article(uncaptured, run_id=None)
    assert [row["url"] for row in store.captured_articles()] == [URL]


def test_article_columns_are_in_table_order(store: Storage) -> None:
    assert store.article_columns()[:2] == [("url", "TEXT"), ("title", "TEXT")]


def test_copy_takes_the_matching_articles_and_their_runs(tmp_path: Path, store: Storage) -> None:
    run_id = store.start_run(
        mode="full", base_url="x", categories=[], settings={}, software_version="1"
    )
    store.upsert_article(make_record(), run_id=run_id)
    english = make_record()
    english.article.url, english.article.language = OTHER, "en"
    store.upsert_article(english, run_id=None)
    with Storage.open(tmp_path / "copy.sqlite") as copy:
        copied = copy.copy_articles_from(store.path, languages=["fr"])
        runs = [r["id"] for r in copy.db.query("SELECT id FROM crawl_runs")]
        sources = [r["name"] for r in copy.db.query("SELECT name FROM sources")]
    assert (copied, runs, sources) == (1, [run_id], ["MAP"])


def test_a_copy_is_searchable(tmp_path: Path, store: Storage) -> None:
    store.upsert_article(make_record(body="La coopération bilatérale."), run_id=None)
    with Storage.open(tmp_path / "copy.sqlite") as copy:
        copy.copy_articles_from(store.path)
        total, _ = copy.search("cooperation")
    assert total == 1
