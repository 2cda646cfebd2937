"""The extract, de-duplicate and store pipelines, fed the pages the spider yields (saved responses)."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from ccme_crawler.items import ArticleRecord, CategoryLabel, ListingEntry, PageFailure
from ccme_crawler.pipelines import (
    DeduplicateArticlePipeline,
    ExtractArticlePipeline,
    StoreArticlePipeline,
)
from ccme_crawler.run import Run
from ccme_crawler.storage import Storage
from tests.helpers import rows
from tests.records.helpers import EMPTY_POST, PNG, article_html, crawled_page
from tests.storage.records import MEDIAS, URL, make_record


@pytest.fixture
def crawler() -> Crawler:
    return get_crawler(settings_dict={"CCME_EXTRACT_WORKERS": 0})


def _extract(crawler: Crawler, item: object) -> object:
    pipeline = ExtractArticlePipeline.from_crawler(crawler)
    try:
        return asyncio.run(pipeline.process_item(item))
    finally:
        pipeline.pool.close()


def _stat(crawler: Crawler, name: str) -> object:
    assert crawler.stats is not None
    return crawler.stats.get_value(name)


def test_extract_turns_an_article_page_into_a_record(crawler: Crawler) -> None:
    item = _extract(crawler, crawled_page(article_html()))
    assert isinstance(item, ArticleRecord)


def test_extract_counts_the_article(crawler: Crawler) -> None:
    _extract(crawler, crawled_page(article_html()))
    assert _stat(crawler, "ccme/extraction/articles") == 1


def test_extract_counts_the_extraction_method(crawler: Crawler) -> None:
    _extract(crawler, crawled_page(article_html()))
    assert _stat(crawler, "ccme/extraction/method/template") == 1


def test_extract_turns_an_image_into_a_not_html_failure(crawler: Crawler) -> None:
    item = _extract(crawler, crawled_page(PNG, "image/png"))
    assert isinstance(item, PageFailure) and item.reason == "not_html"


def test_extract_counts_a_failure_by_reason(crawler: Crawler) -> None:
    _extract(crawler, crawled_page(EMPTY_POST))
    assert (_stat(crawler, "ccme/failures"), _stat(crawler, "ccme/failures/no_content")) == (1, 1)


def test_extract_counts_no_extraction_for_a_failure(crawler: Crawler) -> None:
    _extract(crawler, crawled_page(EMPTY_POST))
    assert _stat(crawler, "ccme/extraction/articles") is None


def test_extract_passes_other_items_through(crawler: Crawler) -> None:
    entry = ListingEntry("https://www.ccme.org.ma/a/", "/category/x/", "u", 0, "t")
    assert _extract(crawler, entry) is entry


def _record(crawler: Crawler) -> ArticleRecord:
    item = _extract(crawler, crawled_page(article_html()))
    assert isinstance(item, ArticleRecord)
    return item


def test_deduplicate_keeps_the_first_record(crawler: Crawler) -> None:
    record = _record(crawler)
    assert DeduplicateArticlePipeline.from_crawler(crawler).process_item(record) is record


def test_deduplicate_drops_a_second_record_of_the_article_with_a_reason(crawler: Crawler) -> None:
    pipeline = DeduplicateArticlePipeline.from_crawler(crawler)
    pipeline.process_item(_record(crawler))
    with pytest.raises(DropItem, match=r"duplicate of https://www\.ccme\.org\.ma/le-maroc"):
        pipeline.process_item(_record(crawler))


def test_deduplicate_counts_the_duplicate(crawler: Crawler) -> None:
    pipeline = DeduplicateArticlePipeline.from_crawler(crawler)
    pipeline.process_item(_record(crawler))
    with pytest.raises(DropItem):
        pipeline.process_item(_record(crawler))
    assert _stat(crawler, "ccme/duplicates") == 1


@pytest.fixture
def store_crawler(tmp_path: Path) -> Iterator[Crawler]:
    """A crawler whose run writes to a real SQLite file (the run ends with the test)."""
    db = tmp_path / "ccme.sqlite"
    crawler = get_crawler(settings_dict={"CCME_DB_PATH": str(db), "CCME_LOCK_HELD": True})
    yield crawler
    run = Run.existing(crawler)
    if run is not None:
        run.storage.close()


def _store(crawler: Crawler, item: object) -> object:
    # The store pipeline is a coroutine (it waits out a held write lock without blocking).
    return asyncio.run(StoreArticlePipeline.from_crawler(crawler).process_item(item))


def _db(crawler: Crawler) -> Path:
    return Path(crawler.settings["CCME_DB_PATH"])


def test_store_writes_a_new_article(store_crawler: Crawler) -> None:
    _store(store_crawler, make_record())
    assert [r["url"] for r in rows(_db(store_crawler), "SELECT url FROM articles")] == [URL]


def test_store_counts_a_new_article(store_crawler: Crawler) -> None:
    _store(store_crawler, make_record())
    assert _stat(store_crawler, "ccme/articles/new") == 1


def test_store_counts_an_unchanged_article(store_crawler: Crawler) -> None:
    pipeline = StoreArticlePipeline.from_crawler(store_crawler)
    asyncio.run(pipeline.process_item(make_record()))
    asyncio.run(pipeline.process_item(make_record()))
    assert _stat(store_crawler, "ccme/articles/unchanged") == 1


def test_store_passes_the_item_on(store_crawler: Crawler) -> None:
    record = make_record()
    assert _store(store_crawler, record) is record


def test_store_records_a_failure_with_its_run(store_crawler: Crawler) -> None:
    failure = PageFailure(URL, "http_500", "HTTP 500", 500, "article", "2026-01-01T00:00:00+00:00")
    _store(store_crawler, failure)
    run = Run.of(store_crawler)
    assert [r["run_id"] for r in rows(_db(store_crawler), "SELECT run_id FROM page_failures")] == [
        run.run_id
    ]


def test_store_records_a_listing_entry(store_crawler: Crawler) -> None:
    entry = ListingEntry(
        URL, MEDIAS, "https://www.ccme.org.ma" + MEDIAS, 0, "2026-01-01T00:00:00+00:00"
    )
    _store(store_crawler, entry)
    assert len(rows(_db(store_crawler), "SELECT * FROM listing_entries")) == 1


def test_store_records_a_category_label(store_crawler: Crawler) -> None:
    _store(store_crawler, CategoryLabel(MEDIAS, "Médias et migration"))
    labels = rows(_db(store_crawler), "SELECT label FROM categories WHERE path = ?", (MEDIAS,))
    assert [r["label"] for r in labels] == ["Médias et migration"]


def _refuse_writes(crawler: Crawler) -> None:
    # A read-only connection: SQLite refuses the write as it would on a full disk.
    Run.of(crawler).storage.conn.execute("PRAGMA query_only = ON")


def test_store_drops_an_item_it_cannot_write_with_a_reason(store_crawler: Crawler) -> None:
    pipeline = StoreArticlePipeline.from_crawler(store_crawler)
    _refuse_writes(store_crawler)
    with pytest.raises(DropItem, match="the database cannot be written"):
        asyncio.run(pipeline.process_item(make_record()))


def test_store_notes_the_storage_error_in_the_stats(store_crawler: Crawler) -> None:
    pipeline = StoreArticlePipeline.from_crawler(store_crawler)
    _refuse_writes(store_crawler)
    with pytest.raises(DropItem):
        asyncio.run(pipeline.process_item(make_record()))
    assert "readonly" in str(_stat(store_crawler, "ccme/storage_error"))


def test_store_drops_every_item_after_a_storage_error(store_crawler: Crawler) -> None:
    pipeline = StoreArticlePipeline.from_crawler(store_crawler)
    _refuse_writes(store_crawler)
    with pytest.raises(DropItem):
        asyncio.run(pipeline.process_item(make_record()))
    Run.of(store_crawler).storage.conn.execute("PRAGMA query_only = OFF")
    with pytest.raises(DropItem, match="not stored"):
        asyncio.run(pipeline.process_item(make_record()))


def _another(url: str) -> ArticleRecord:
    record = make_record()
    return dataclasses.replace(record, article=dataclasses.replace(record.article, url=url))


TWO = [make_record(), _another("https://www.ccme.org.ma/un-autre-article/")]


def _store_together(crawler: Crawler, items: list[object], before_commit=None) -> list[object]:  # type: ignore[no-untyped-def]
    # Items in flight at once, as in a crawl: they share one group transaction.
    pipeline = StoreArticlePipeline.from_crawler(crawler)

    async def scenario() -> list[object]:
        tasks = [asyncio.ensure_future(pipeline.process_item(item)) for item in items]
        await asyncio.sleep(0)  # each has written its record into the open group
        if before_commit is not None:
            before_commit(Run.of(crawler).storage)
        return list(await asyncio.gather(*tasks, return_exceptions=True))

    return asyncio.run(scenario())


def _break_the_commit(storage: Storage) -> None:
    # A constraint checked at COMMIT only: SQLite refuses the group's commit itself.
    storage.conn.execute("PRAGMA defer_foreign_keys = ON")
    with storage.group_write():
        storage.conn.execute("INSERT INTO article_categories VALUES (?, 999999, 'post')", (URL,))


def test_store_passes_an_item_on_only_once_it_is_committed(store_crawler: Crawler) -> None:
    _store(store_crawler, make_record())
    with sqlite3.connect(_db(store_crawler)) as other:  # another process's view
        assert other.execute("SELECT url FROM articles").fetchall() == [(URL,)]


def test_store_commits_items_in_flight_together(store_crawler: Crawler) -> None:
    seen: list[int] = []
    _store_together(
        store_crawler,
        TWO,
        lambda storage: seen.append(len(rows(_db(store_crawler), "SELECT url FROM articles"))),
    )
    assert (seen, len(rows(_db(store_crawler), "SELECT url FROM articles"))) == ([0], 2)


def test_store_counts_items_committed_together(store_crawler: Crawler) -> None:
    _store_together(store_crawler, TWO)
    assert _stat(store_crawler, "ccme/articles/new") == 2


def test_store_commits_a_full_group_at_once(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    settings = {"CCME_DB_PATH": str(db), "CCME_LOCK_HELD": True, "CCME_STORE_GROUP": 1}
    crawler = get_crawler(settings_dict=settings)
    seen: list[int] = []
    try:
        _store_together(
            crawler, TWO, lambda storage: seen.append(len(rows(db, "SELECT url FROM articles")))
        )
    finally:
        Run.of(crawler).storage.close()
    assert seen == [2]


def test_store_drops_every_item_of_a_refused_commit(store_crawler: Crawler) -> None:
    results = _store_together(store_crawler, TWO, _break_the_commit)
    assert [type(result) for result in results] == [DropItem, DropItem]


def test_store_counts_no_item_of_a_refused_commit(store_crawler: Crawler) -> None:
    _store_together(store_crawler, TWO, _break_the_commit)
    assert (
        _stat(store_crawler, "ccme/articles/new"),
        rows(_db(store_crawler), "SELECT url FROM articles"),
    ) == (None, [])


def test_store_notes_a_refused_commit_as_a_storage_error(store_crawler: Crawler) -> None:
    _store_together(store_crawler, TWO, _break_the_commit)
    assert "FOREIGN KEY" in str(_stat(store_crawler, "ccme/storage_error"))
