"""Item pipelines, one job each: extract → validate → de-duplicate → store.

``RawPage`` items become ``ArticleRecord`` (or a ``PageFailure`` when the page is not an article);
``ListingEntry``, ``CategoryLabel``, ``NotModified`` and ``PageFailure`` items pass through to
storage untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from ccme_crawler.extensions import crawl_state
from ccme_crawler.extraction import content_hash, extract_article, normalize_source
from ccme_crawler.items import (
    ArticleRecord,
    CategoryLabel,
    ListingEntry,
    NotModified,
    PageFailure,
    RawPage,
)
from ccme_crawler.middlewares import close_spider
from ccme_crawler.storage import StorageWriteError
from ccme_crawler.urls import category_path

logger = logging.getLogger(__name__)


def post_category_path(category_url: str | None) -> str | None:
    """The normalized path of a post's own category link; None when it is not a category."""
    if not category_url:
        return None
    try:
        return category_path(category_url)
    except ValueError:
        return None


def article_record_from_page(page: RawPage) -> ArticleRecord | PageFailure:
    """Extract one fetched page into the record storage writes, or say why it is not one.

    The crawl and ``reextract`` both go through here, so that re-extracting a WARC gives the
    same rows as the crawl that wrote it.
    """
    if page.status != 200:
        return PageFailure(
            page.url, f"http_{page.status}", "", page.status, "article", page.fetched_at
        )
    article = extract_article(page.body, page.url, encoding=page.encoding)
    if "soft_404" in article.flags:
        return PageFailure(
            page.url,
            "soft_404",
            f"{page.final_url} answered 200 with a 'not found' page",
            page.status,
            "article",
            page.fetched_at,
        )
    return ArticleRecord(
        article=article,
        content_hash=content_hash(article),
        source_canonical=normalize_source(article.source),
        listing_category=page.listing_category,
        fetched_url=page.fetched_url,
        final_url=page.final_url,
        http_status=page.status,
        etag=page.headers.get("etag"),
        last_modified=page.headers.get("last-modified"),
        fetched_at=page.fetched_at,
        warc=page.warc,
        category_path=post_category_path(article.category_url),
    )


class _CrawlerPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)


class ExtractArticlePipeline(_CrawlerPipeline):
    """Turns a fetched page into an article record with the pure extraction functions."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPage):
            return item
        result = article_record_from_page(item)
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


class ValidateArticlePipeline(_CrawlerPipeline):
    """Refuses records that are not articles: no title and no text means nothing was found."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        article = item.article
        if not article.title and not article.body:
            self.stats.inc_value("ccme/failures")
            self.stats.inc_value("ccme/failures/no_content")
            return PageFailure(
                article.url,
                "no_content",
                "no title and no text found on the page",
                item.http_status,
                "article",
                item.fetched_at,
            )
        return item


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
