"""Item pipelines, one job each: extract and count → sitemap scope → de-duplicate → store.

``RawPage`` items become ``ArticleRecord`` (or a ``PageFailure`` when the page is not an article)
through :func:`ccme_crawler.records.record_from_page`, which holds every content rule;
``ListingEntry``, ``CategoryLabel``, ``NotModified`` and ``PageFailure`` items pass through to
storage untouched.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import sleep

from ccme_crawler.clock import utc_now
from ccme_crawler.discovery import post_in_scope
from ccme_crawler.items import (
    ArticleRecord,
    CategoryLabel,
    ListingEntry,
    NotModified,
    PageFailure,
    RawPage,
    SitemapVerdict,
)
from ccme_crawler.run import STORAGE_ERROR, Run, close_spider
from ccme_crawler.storage import DISCOVERY_ITEMS, StorageBusyError, StorageWriteError
from ccme_crawler.workers import ExtractionPool

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
    (not 200, not HTML, a soft 404, no title and no text), and counts what extraction found.

    The extraction runs in the crawl's ``CCME_EXTRACT_WORKERS`` worker processes
    (:meth:`ccme_crawler.workers.ExtractionPool.of`; 0: in the crawl's process), so that
    downloading goes on meanwhile.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # The crawl's one pool: the spider reads its listing pages in it too.
        self.pool = ExtractionPool.of(crawler)
        self.stats.set_value("ccme/extraction/workers", self.pool.workers)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPage):
            return item
        result = await self.pool.extract(item)
        if isinstance(result, PageFailure):
            self.stats.inc_value("ccme/failures")
            self.stats.inc_value(f"ccme/failures/{result.reason}")
            return result
        self.stats.inc_value("ccme/extraction/articles")
        self.stats.inc_value(f"ccme/extraction/method/{result.article.extraction_method}")
        if result.article.extraction_method != "template":
            self.stats.inc_value("ccme/extraction/fallback")
        for flag in result.article.flags:
            if flag != "fallback":  # counted just above, from the method
                self.stats.inc_value(f"ccme/extraction/{flag}")
        return result


class SitemapScopePipeline(_CrawlerPipeline):
    """Decides whether a post only a sitemap listed belongs to the crawl, now that it is read:
    in scope ``archive`` its own category decides. A post outside is not stored; its verdict
    is, so that later runs do not fetch it again until its ``lastmod`` moves."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord) or item.sitemap_plan is None:
            return item
        if post_in_scope(item.article.url, item.category_path, item.sitemap_plan):
            self.stats.inc_value("ccme/articles/from_sitemap")
            return item
        self.stats.inc_value("ccme/sitemap/out_of_scope")
        return SitemapVerdict(item.article.url, False, item.category_path, utc_now())


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
    """Writes records, listing entries and failures to SQLite, a few records a transaction.

    Each record is written whole or not at all (a savepoint of its own) into the open group
    transaction, which is committed once it holds ``CCME_STORE_GROUP`` records or is
    ``CCME_STORE_GROUP_MS`` milliseconds old (1 record: one transaction each). An item leaves
    the pipeline, and is counted, only once its group is committed: a process killed meanwhile
    loses whole records that the next run fetches again.

    A write SQLite refuses (disk full, I/O error), or a commit it refuses, stops the run with
    close reason ``storage_error`` (exit status 74): the failed transaction was rolled back, so
    the file holds whole records only; the records it held are not counted as stored, and the
    next run fetches what was not stored.

    A write lock held by another process does not block the reactor: a group begins without
    waiting for it, and is tried again after a pause (the downloads go on meanwhile) for at
    most ``CCME_WRITE_WAIT`` seconds. A write that cannot happen in that time is a failure of
    that page (``storage_busy``), kept in memory and recorded at the end of the run; its walk
    stays incomplete and the next run fetches the page again.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.broken: str | None = None
        self.write_wait = crawler.settings.getfloat("CCME_WRITE_WAIT", 60.0)
        self.gone_after = crawler.settings.getint("CCME_GONE_AFTER", 3)
        self.group_records = max(1, crawler.settings.getint("CCME_STORE_GROUP", 64))
        self.group_seconds = crawler.settings.getfloat("CCME_STORE_GROUP_MS", 200.0) / 1000

    def close_spider(self) -> None:
        run = Run.existing(self.crawler)
        if run is not None and self.broken is None:
            try:
                run.storage.commit_group()  # none open once every item has left; to be sure
            except StorageWriteError as exc:
                self._broken(run, exc)

    async def process_item(self, item: Any) -> Any:
        if self.broken is not None:
            raise self._dropped()
        state = Run.of(self.crawler)
        storage = state.storage
        waited, pause = 0.0, _FIRST_PAUSE
        while True:
            counts: list[tuple[str, int]] = []  # applied once the record is committed
            try:
                with storage.group_write() as group:
                    self._write(state, item, counts)
                if group.records >= self.group_records:
                    storage.commit_group()
                break
            except StorageBusyError as exc:
                if waited >= self.write_wait:
                    self._not_written(state, item, str(exc), waited)
                    raise DropItem(
                        f"not stored: the database stayed locked for {waited:.0f} s"
                    ) from exc
                self.stats.inc_value("ccme/storage_busy_waits")
                await sleep(pause)
                waited += pause
                pause = min(pause * 2, _LONGEST_PAUSE)
            except StorageWriteError as exc:
                self._broken(state, exc)
                raise self._dropped() from exc
        while not group.done:
            # Every record of the group waits for its deadline; the first one awake commits.
            await sleep(max(0.0, group.opened_at + self.group_seconds - time.monotonic()))
            if not group.done:
                try:
                    storage.commit_group()
                except StorageWriteError as exc:
                    self._broken(state, exc)
        if group.error is not None:
            self._broken(state, group.error)
            raise self._dropped() from group.error
        for key, value in counts:
            self.stats.inc_value(key, value)
        return item

    def _broken(self, state: Run, exc: Exception) -> None:
        if self.broken is not None:
            return  # logged once; the items still in flight are dropped quietly
        self.broken = str(exc)
        self.stats.set_value("ccme/storage_error", self.broken)
        logger.error(
            "Cannot write to the database %s (%s): stopping the run", state.storage.path, exc
        )
        close_spider(self.crawler, STORAGE_ERROR)

    def _dropped(self) -> DropItem:
        # The next run fetches it again.
        return DropItem(
            f"not stored: the database cannot be written ({self.broken})", log_level="DEBUG"
        )

    def _write(self, state: Run, item: Any, counts: list[tuple[str, int]]) -> None:
        if isinstance(item, ArticleRecord):
            result = state.storage.upsert_article(item, state.run_id)
            counts.append((f"ccme/articles/{result.outcome}", 1))
        elif isinstance(item, ListingEntry):
            state.storage.record_listing_entry(item)
        elif isinstance(item, PageFailure):
            self._write_failure(state, item, counts)
        elif isinstance(item, NotModified):
            state.storage.record_not_modified(item.url, item.checked_at)
        elif isinstance(item, CategoryLabel):
            state.storage.record_category_label(item.path, item.label, None)
        elif isinstance(item, DISCOVERY_ITEMS):
            state.storage.discovery.record(item, state.run_id)

    def _write_failure(
        self, state: Run, failure: PageFailure, counts: list[tuple[str, int]]
    ) -> None:
        """Record a failure; an article that answered 404 on ``CCME_GONE_AFTER`` visits is gone
        for good (``gone_pages``): its 404 is no longer a failure of the run."""
        not_found = failure.kind == "article" and failure.status == 404 and self.gone_after > 0
        storage = state.storage
        if not_found and storage.is_gone(failure.url):
            storage.mark_gone(failure.url, 404, 1)
            counts += _uncounted(failure)
            return
        storage.record_failure(failure, state.run_id)
        if not_found and (visits := storage.not_found_visits(failure.url)) >= self.gone_after:
            logger.info("Gone for good after %s visits answering 404: %s", visits, failure.url)
            storage.mark_gone(failure.url, 404, visits)
            counts += _uncounted(failure)

    def _not_written(self, state: Run, item: Any, error: str, waited: float) -> None:
        detail = f"database locked by another process for {waited:.0f} s ({error})"
        now = utc_now()
        if isinstance(item, PageFailure):
            # Counted where it was made; a failed listing page already keeps its walk open.
            state.not_written(item, None)
            return
        if isinstance(item, ArticleRecord):
            failure = PageFailure(
                item.article.url, "storage_busy", detail, item.http_status, "article", now
            )
            category = item.listing_category
        elif isinstance(item, ListingEntry):
            failure = PageFailure(item.listing_url, "storage_busy", detail, None, "listing", now)
            category = item.listing_category
        elif isinstance(item, NotModified):
            failure = PageFailure(item.url, "storage_busy", detail, 304, "article", now)
            category = None
        elif isinstance(item, CategoryLabel):
            failure = PageFailure(item.path, "storage_busy", detail, None, "listing", now)
            category = item.path
        else:  # a discovery record: the next run discovers again
            logger.warning("Discovery record not stored, the database stayed locked")
            return
        logger.warning("Not stored, the database stayed locked: %s", failure.url)
        self.stats.inc_value("ccme/failures")
        self.stats.inc_value("ccme/failures/storage_busy")
        state.not_written(failure, category)


def _uncounted(failure: PageFailure) -> list[tuple[str, int]]:
    # Counted as a failure where the 404 was met (the spider); a gone page is not one.
    return [
        ("ccme/failures", -1),
        (f"ccme/failures/{failure.reason}", -1),
        ("ccme/articles/gone", 1),
    ]


# Pauses between tries of a write the lock refused: short at first, then every two seconds.
_FIRST_PAUSE = 0.1
_LONGEST_PAUSE = 2.0
