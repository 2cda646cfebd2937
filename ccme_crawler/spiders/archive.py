"""The archive spider: walks category listings and yields every article page it links to.

Navigation only: it decides which listing and article pages to fetch and yields ``RawPage``,
``ListingEntry`` and ``PageFailure`` items; extraction and storage happen in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ccme_crawler.clock import utc_now
from ccme_crawler.extensions import CrawlState, crawl_state
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import CategoryLabel, ListingEntry, NotModified, PageFailure, RawPage
from ccme_crawler.middlewares import FetchFailed
from ccme_crawler.urls import (
    DEFAULT_CATEGORIES,
    canonical_article_url,
    category_path,
    is_site_url,
    listing_page_url,
    normalize_base_url,
    to_crawl_url,
)

# Consecutive listing pages that bring nothing not already seen in this run before a walk is
# taken to be endless pagination.
_ENDLESS_PAGES = 3


def failure_reason(failure: Failure) -> tuple[str, int | None, str]:
    """A short reason, the HTTP status if any, and a detail line for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        detail = f"HTTP {status}"
        retry_after = exc.response.headers.get(b"Retry-After")
        if retry_after:
            detail += f" (Retry-After: {retry_after.decode('latin-1')[:100]})"
        return f"http_{status}", status, detail
    if isinstance(exc, FetchFailed):
        return exc.reason, None, exc.detail[:500]
    name = type(exc).__name__
    detail = str(exc)[:500] or name
    cause = str(exc.__cause__) if exc.__cause__ is not None else ""
    if cause and cause not in detail:
        detail = f"{detail}: {cause}"[:500]
    mapping = {
        "TimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DownloadTimeoutError": "timeout",
        "ConnectionRefusedError": "connection_refused",
        "DownloadConnectionRefusedError": "connection_refused",
        "ConnectionLost": "connection_lost",
        "ConnectionDone": "connection_lost",
        "ResponseNeverReceived": "no_response",
        "ResponseFailed": "response_failed",
        "DownloadFailedError": "response_failed",
        "PotentialDataLoss": "truncated",
        "ResponseDataLossError": "truncated",
        "DNSLookupError": "dns",
        "CannotResolveHostError": "dns",
        "IgnoreRequest": "ignored",
        "CancelledError": "cancelled",
        "DownloadCancelledError": "cancelled",
    }
    reason = mapping.get(name, name.lower())
    lowered = detail.lower()
    if reason == "response_failed" and "connectionlost" in lowered:
        reason = "connection_lost"  # reset by the peer, or closed before the answer
    if name == "DownloadCancelledError" and detail == name:
        # Scrapy's HTTP handler cancels a body download, without a message, only when the body
        # grows past DOWNLOAD_MAXSIZE (the size was not announced in Content-Length).
        reason, detail = "too_large", "body larger than DOWNLOAD_MAXSIZE: download cancelled"
    elif "robots.txt" in lowered:
        reason = "robots_disallowed"
    elif "maxsize" in lowered or "max size" in lowered:
        reason = "too_large"
    elif "max redirections" in lowered:
        reason = "too_many_redirects"
    return reason, None, detail


class _Walk:
    """Progress of one category's walk through its listing pages."""

    def __init__(self, category: str, mode: str) -> None:
        self.category = category
        self.mode = mode  # "refresh", "complete" (skip stored articles) or "full"
        self.pages_done = 0
        self.pending: set[int] = set()
        self.stale_pages = 0  # consecutive pages with nothing new
        self.repeat_pages = 0  # consecutive pages with nothing unseen in this run
        self.reached_end = False
        self.stopped = False
        self.done_walking = False  # no more listing pages to fetch, and the walk did its job
        self.articles_pending = 0  # article requests found by this walk and not answered yet
        self.completed = False
        self.scheduled_up_to = 1


class ArchiveSpider(scrapy.Spider):
    name = "archive"

    def __init__(
        self,
        categories: str | list[str] | None = None,
        base_url: str | None = None,
        mode: str | None = None,
        since: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._arg_categories = categories
        self._arg_base_url = base_url
        self._arg_mode = mode
        self._arg_since = since

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider: ArchiveSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        raw = spider._arg_categories or settings.getlist("CCME_CATEGORIES") or DEFAULT_CATEGORIES
        if isinstance(raw, str):
            raw = [part for part in raw.split(",") if part.strip()]
        spider.categories = [category_path(c) for c in raw]
        spider.origin = normalize_base_url(spider._arg_base_url or settings.get("CCME_BASE_URL"))
        spider.mode = spider._arg_mode or settings.get("CCME_MODE", "auto")
        spider.since = spider._arg_since or settings.get("CCME_SINCE") or None
        spider.recheck = settings.getbool("CCME_RECHECK")
        spider.recheck_since = settings.get("CCME_RECHECK_SINCE") or None
        spider.pagination = settings.get("CCME_PAGINATION", "sequential")
        spider.lookahead = max(1, settings.getint("CCME_REFRESH_LOOKAHEAD", 1))
        spider.max_pages = settings.getint("CCME_MAX_LISTING_PAGES", 5000)
        spider.allowed_domains = []
        # hash() of each canonical URL rather than the URL: these sets hold every article of the
        # archive, and 64-bit hashes take a fifth of the memory (a collision among a few hundred
        # thousand is not a practical concern).
        spider.scheduled: set[int] = set()
        spider.walks: dict[str, _Walk] = {}
        return spider

    @property
    def state(self) -> CrawlState:
        return crawl_state(self.crawler)

    # --- start ---

    async def start(self) -> AsyncIterator[Any]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        storage = self.state.storage
        self.known = {hash(url) for url in storage.iter_article_urls()}
        if self.recheck:
            for row in storage.articles_for_recheck(self.recheck_since):
                yield self._recheck_request(row)
        # Articles that failed in an earlier run are fetched again before anything else.
        for url in storage.unresolved_failures("article"):
            if url.startswith("https://www.ccme.org.ma/") and hash(url) not in self.scheduled:
                yield self._article_request(url, None, None)
        for category in self.categories:
            if self.mode == "full":
                mode = "full"
            elif storage.has_complete_full_walk(category):
                mode = "refresh"
            else:
                mode = "complete"
            walk = self.walks[category] = _Walk(category, mode)
            self.state.walk_started(category, mode)
            yield self._listing_request(walk, 1)

    # --- listings ---

    def _listing_request(self, walk: _Walk, page: int) -> scrapy.Request:
        walk.pending.add(page)
        return scrapy.Request(
            listing_page_url(self.origin, walk.category, page),
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"category": walk.category, "page": page},
            meta={"ccme_kind": "listing"},
            # Listing pages change between runs; never let the dupefilter drop a page 1.
            dont_filter=True,
        )

    def parse_listing(self, response: Response, category: str, page: int) -> Iterator[Any]:
        walk = self.walks[category]
        walk.pending.discard(page)
        walk.pages_done += 1
        self.crawler.stats.inc_value("ccme/listing_pages")
        listing = extract_listing(response.text, response.url)
        if page == 1 and listing.category_label:
            yield CategoryLabel(category, listing.category_label)
        new_here = 0
        unseen_here = 0
        older_than_since = False
        for position, item in enumerate(listing.items):
            if not is_site_url(item.url, self.origin):
                continue
            url = canonical_article_url(item.url)
            yield ListingEntry(
                url=url,
                listing_category=category,
                listing_url=response.url,
                position=position,
                seen_at=utc_now(),
            )
            if hash(url) in self.scheduled:
                continue
            unseen_here += 1
            if self.since and item.published_at and item.published_at[:10] < self.since:
                older_than_since = True
                continue
            if hash(url) in self.known and walk.mode != "full":
                continue
            new_here += 1
            yield self._article_request(url, category, response.url)

        walk.stale_pages = 0 if new_here else walk.stale_pages + 1
        walk.repeat_pages = 0 if unseen_here else walk.repeat_pages + 1
        if not listing.items or listing.next_url is None:
            walk.reached_end = True
        stop_reason = None
        if walk.mode == "refresh" and walk.stale_pages >= self.lookahead:
            stop_reason = "nothing new"
        elif older_than_since:
            stop_reason = f"older than {self.since}"
        elif walk.repeat_pages >= _ENDLESS_PAGES:
            stop_reason = "listing pages repeat (endless pagination?)"
            self.crawler.stats.inc_value("ccme/endless_pagination")
        elif page >= self.max_pages:
            stop_reason = f"page cap {self.max_pages}"
            self.crawler.stats.inc_value("ccme/page_cap")
        if stop_reason and not walk.reached_end:
            self.logger.info("Stopping walk of %s at page %s: %s", category, page, stop_reason)
            walk.stopped = True
        if not walk.stopped and not walk.reached_end:
            yield from self._next_listing_requests(walk, page, listing.last_page)
        # A refresh that found nothing new, or a walk that reached --since, has done its job;
        # any other early stop leaves the walk incomplete so that the next run walks it again.
        done = older_than_since or (walk.mode == "refresh" and stop_reason is not None)
        walk.done_walking = walk.done_walking or done or walk.reached_end
        self._maybe_complete(walk)

    def _next_listing_requests(
        self, walk: _Walk, page: int, last_page: int | None
    ) -> Iterator[scrapy.Request]:
        parallel = self.pagination == "parallel" and walk.mode != "refresh" and not self.since
        if not parallel:
            yield self._listing_request(walk, page + 1)
        elif page == 1 and last_page and last_page > 1:
            # Every page at once, numbered from the pagination's last page link.
            walk.scheduled_up_to = min(last_page, self.max_pages)
            for number in range(2, walk.scheduled_up_to + 1):
                yield self._listing_request(walk, number)
        elif page >= walk.scheduled_up_to:
            # The archive grew past the last page announced on page 1.
            walk.scheduled_up_to = page + 1
            yield self._listing_request(walk, page + 1)

    def _maybe_complete(self, walk: _Walk) -> None:
        # Complete only once every listing page is read and every article it found is answered:
        # a run killed before that walks the category again (see CrawlState.commit_walks).
        if walk.completed or walk.pending or walk.articles_pending or not walk.done_walking:
            return
        walk.completed = True
        self.state.walk_completed(walk.category, walk.pages_done, walk.reached_end)

    def _article_answered(self, category: str | None) -> None:
        walk = self.walks.get(category) if category else None
        if walk is not None:
            walk.articles_pending -= 1
            self._maybe_complete(walk)

    def listing_failed(self, failure: Failure) -> Iterator[PageFailure]:
        request = failure.request  # type: ignore[attr-defined]
        category = request.cb_kwargs["category"]
        page = request.cb_kwargs["page"]
        walk = self.walks[category]
        walk.pending.discard(page)
        reason, status, detail = failure_reason(failure)
        if status == 404 and page > 1:
            # WordPress answers 404 past the last page: the walk is over.
            walk.reached_end = walk.done_walking = True
            self._maybe_complete(walk)
            return
        walk.stopped = True
        self.crawler.stats.inc_value("ccme/failures")
        self.crawler.stats.inc_value(f"ccme/failures/{reason}")
        yield PageFailure(request.url, reason, detail, status, "listing", utc_now())

    # --- articles ---

    def _article_request(
        self, url: str, category: str | None, listing_url: str | None
    ) -> scrapy.Request:
        self.scheduled.add(hash(url))
        if category in self.walks:
            self.walks[category].articles_pending += 1
        return scrapy.Request(
            to_crawl_url(url, self.origin),
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"url": url, "category": category, "listing_url": listing_url},
            meta={"ccme_kind": "article"},
            # Articles before further listing pages: the queue of discovered articles stays
            # short, so memory does not grow with the size of the archive.
            priority=10,
            # `self.scheduled` already guarantees one request per article; Scrapy's dupefilter
            # would only keep a second set of fingerprints in memory.
            dont_filter=True,
        )

    def _recheck_request(self, row: dict[str, Any]) -> scrapy.Request:
        url = row["url"]
        self.scheduled.add(hash(url))
        headers = {}
        if row.get("etag"):
            headers["If-None-Match"] = row["etag"]
        if row.get("last_modified"):
            headers["If-Modified-Since"] = row["last_modified"]
        return scrapy.Request(
            to_crawl_url(url, self.origin),
            callback=self.parse_article,
            errback=self.article_failed,
            headers=headers,
            cb_kwargs={"url": url, "category": None, "listing_url": None},
            meta={"ccme_kind": "article", "handle_httpstatus_list": [304], "ccme_recheck": True},
            dont_filter=True,
        )

    def parse_article(
        self, response: Response, url: str, category: str | None, listing_url: str | None
    ) -> Iterator[Any]:
        self._article_answered(category)
        if response.status == 304:
            self.crawler.stats.inc_value("ccme/articles/not_modified")
            yield NotModified(url, utc_now())
            return
        redirects = response.meta.get("redirect_urls") or []
        yield RawPage(
            url=url,
            fetched_url=redirects[0] if redirects else response.url,
            final_url=response.url,
            status=response.status,
            headers={
                key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
                for key, values in response.headers.items()
            },
            body=response.body,
            encoding=getattr(response, "encoding", None),
            fetched_at=response.meta.get("ccme_fetched_at") or utc_now(),
            listing_category=category,
            listing_url=listing_url,
            warc=response.meta.get("ccme_warc"),
        )

    def article_failed(self, failure: Failure) -> Iterator[PageFailure]:
        request = failure.request  # type: ignore[attr-defined]
        self._article_answered(request.cb_kwargs["category"])
        reason, status, detail = failure_reason(failure)
        self.crawler.stats.inc_value("ccme/failures")
        self.crawler.stats.inc_value(f"ccme/failures/{reason}")
        yield PageFailure(request.cb_kwargs["url"], reason, detail, status, "article", utc_now())
