"""Item pipelines, one job each: extract and count → de-duplicate → store.

``RawPage`` items become ``ArticleRecord`` (or a ``PageFailure`` when the page is not an article)
through :func:`ccme_crawler.records.record_from_page`, which holds every content rule;
``ListingEntry``, ``CategoryLabel``, ``NotModified`` and ``PageFailure`` items pass through to
storage untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from ccme_crawler.extensions import crawl_state
from ccme_crawler.items import (
    ArticleRecord,
    CategoryLabel,
    ListingEntry,
    NotModified,
    PageFailure,
    RawPage,
)
from ccme_crawler.middlewares import close_spider
from ccme_crawler.records import record_from_page
from ccme_crawler.storage import StorageWriteError

logger = logging.getLogger(__name__)


class _CrawlerPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)


class ExtractArticlePipeline(_CrawlerPipeline):
    """Turns a fetched page into an article record, or the failure that says why it is none
    (not 200, not HTML, a soft 404, no title and no text), and counts what extraction found."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPage):
            return item
        result = record_from_page(item)
        if isinstance(result, PageFailure):
            self.stats.inc_value("ccme/failures")
            self.stats.inc_value(f"ccme/failures/{result.reason}")
            return result
        self.stats.inc_value("ccme/extraction/articles")
        self.stats.inc_value(f"ccme/extraction/method/{result.article.extraction_method}")
        if result.article.extraction_method != "template":
            self.stats.inc_value("ccme/extraction/fallback")
        for flag in result.article.flags:
            self.stats.inc_value(f"ccme/extraction/{flag}")
        return result


class DeduplicateArticlePipeline(_CrawlerPipeline):
    """Drops a second record of the same article in one run (two links redirecting to one page)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # hash() of each URL rather than the URL: a fifth of the memory on a large archive, and a
        # collision among a few hundred thousand 64-bit hashes is not a practical concern.
        self.seen: set[int] = set()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        key = hash(item.article.url)
        if key in self.seen:
            self.stats.inc_value("ccme/duplicates")
            raise DropItem(f"duplicate of {item.article.url} already stored in this run")
        self.seen.add(key)
        return item


class StoreArticlePipeline(_CrawlerPipeline):
    """Writes records, listing entries and failures to SQLite, one transaction each.

    A write SQLite refuses (disk full, I/O error) stops the run with close reason
    ``storage_error`` (exit status 74): the failed transaction was rolled back, so the file
    holds whole records only, and the next run fetches what was not stored.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.broken: str | None = None

    def process_item(self, item: Any) -> Any:
        if self.broken is not None:
            # Logged once below; the items still in flight are dropped quietly (the next run
            # fetches them again).
            raise DropItem(
                f"not stored: the database cannot be written ({self.broken})", log_level="DEBUG"
            )
        state = crawl_state(self.crawler)
        try:
            if isinstance(item, ArticleRecord):
                result = state.storage.upsert_article(item, state.run_id)
                self.stats.inc_value(f"ccme/articles/{result.outcome}")
            elif isinstance(item, ListingEntry):
                state.storage.record_listing_entry(item)
            elif isinstance(item, PageFailure):
                state.storage.record_failure(item, state.run_id)
            elif isinstance(item, NotModified):
                state.storage.record_not_modified(item.url, item.checked_at)
            elif isinstance(item, CategoryLabel):
                state.storage.record_category_label(item.path, item.label, None)
        except StorageWriteError as exc:
            # Not StorageBusyError: lock timeouts are not expected (WAL, long busy timeout) but
            # are not disk faults either, and go up as errors of the item.
            self.broken = str(exc)
            self.stats.set_value("ccme/storage_error", self.broken)
            logger.error(
                "Cannot write to the database %s (%s): stopping the run",
                state.storage.path,
                exc,
            )
            close_spider(self.crawler, "storage_error")
            raise DropItem(
                f"not stored: the database cannot be written ({exc})", log_level="DEBUG"
            ) from exc
        return item
