"""The archive spider: walks category listings and yields every article page it links to.

Navigation only: it decides which listing and article pages to fetch and yields ``RawPage``,
``ListingEntry`` and ``PageFailure`` items (built by :mod:`ccme_crawler.records`); extraction
and storage happen in the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ccme_crawler.clock import utc_now
from ccme_crawler.items import CategoryLabel, NotModified, PageFailure
from ccme_crawler.middlewares import FetchFailed
from ccme_crawler.records import listing_entries, listing_from_response, page_from_response
from ccme_crawler.run import Run, SpiderView
from ccme_crawler.spiders.rules import (
    ListingFacts,
    WalkLimits,
    WalkProgress,
    after_listing_page,
    article_verdict,
    listing_failure_ends_walk,
    next_listing_pages,
    walk_is_complete,
    walk_mode,
)
from ccme_crawler.urls import (
    DEFAULT_CATEGORIES,
    category_path,
    listing_page_url,
    normalize_base_url,
    to_crawl_url,
)


def failure_reason(failure: Failure) -> tuple[str, int | None, str]:
    """A short reason, the HTTP status if any, and a detail line for a failed request."""
    exc = failure.value
    assert exc is not None  # an errback's Failure always holds the exception
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
    # Set in from_crawler, from the spider's arguments or the settings.
    categories: list[str]
    origin: str
    mode: str
    since: str | None
    recheck: bool
    recheck_since: str | None
    pagination: str
    lookahead: int
    max_pages: int
    allowed_domains: list[str]
    scheduled: set[int]
    walks: dict[str, _Walk]
    known: set[int]  # set in start(), from the run

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
        spider.scheduled = set()
        spider.walks = {}
        return spider

    @property
    def state(self) -> SpiderView:
        """The run, as far as navigation needs it (stored URLs, earlier failures, walks)."""
        return Run.of(self.crawler)

    # --- start ---

    async def start(self) -> AsyncIterator[Any]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        state = self.state
        self.known = state.stored_url_hashes()
        if self.recheck:
            for row in state.articles_for_recheck(self.recheck_since):
                yield self._recheck_request(row)
        # Articles that failed in an earlier run are fetched again before anything else.
        for url in state.unresolved_failures("article"):
            if url.startswith("https://www.ccme.org.ma/") and hash(url) not in self.scheduled:
                yield self._article_request(url, None, None)
        for category in self.categories:
            mode = walk_mode(self.mode, state.has_complete_full_walk(category))
            walk = self.walks[category] = _Walk(category, mode)
            state.walk_started(category, mode)
            yield self._listing_request(walk, 1)

    # --- listings ---

    def _listing_request(self, walk: _Walk, page: int) -> scrapy.Request:
        walk.pending.add(page)
        return scrapy.Request(
            listing_page_url(self.origin, walk.category, page),
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"category": walk.category, "page": page},
            # Listing pages change between runs; never let the dupefilter drop a page 1.
            dont_filter=True,
        )

    def parse_listing(self, response: Response, category: str, page: int) -> Iterator[Any]:
        walk = self.walks[category]
        walk.pending.discard(page)
        walk.pages_done += 1
        self.crawler.stats.inc_value("ccme/listing_pages")
        listing = listing_from_response(response, utc_now())
        if isinstance(listing, PageFailure):
            # Not a listing page at all: the walk stays incomplete and is walked again next run.
            walk.stopped = True
            self.crawler.stats.inc_value("ccme/failures")
            self.crawler.stats.inc_value(f"ccme/failures/{listing.reason}")
            yield listing
            return
        if page == 1 and listing.category_label:
            yield CategoryLabel(category, listing.category_label)
        new_here = 0
        unseen_here = 0
        older_than_since = False
        links = listing_entries(listing, response.url, category, utc_now(), origin=self.origin)
        for skipped in links.skipped:
            self.logger.debug(
                "Skipped link %r on %s: %s", skipped.url, response.url, skipped.reason
            )
        for entry in links.entries:
            yield entry
            url = entry.url
            verdict = article_verdict(
                scheduled=hash(url) in self.scheduled,
                published_at=listing.items[entry.position].published_at,
                since=self.since,
                stored=hash(url) in self.known,
                walk_mode=walk.mode,
            )
            if verdict != "scheduled":
                unseen_here += 1
            if verdict == "older":
                older_than_since = True
            if verdict != "fetch":
                continue
            new_here += 1
            yield self._article_request(url, category, response.url)

        facts = ListingFacts(
            page=page,
            has_items=bool(listing.items),
            has_next=listing.next_url is not None,
            new_articles=new_here,
            unseen_articles=unseen_here,
            older_than_since=older_than_since,
        )
        decision = after_listing_page(self._progress(walk), facts, self._limits())
        walk.stale_pages = decision.stale_pages
        walk.repeat_pages = decision.repeat_pages
        walk.reached_end = decision.reached_end
        if decision.stop_stat:
            self.crawler.stats.inc_value(decision.stop_stat)
        if decision.stop_reason and not decision.reached_end:
            self.logger.info(
                "Stopping walk of %s at page %s: %s", category, page, decision.stop_reason
            )
        walk.stopped = decision.stopped
        if decision.fetch_next:
            yield from self._next_listing_requests(walk, page, listing.last_page)
        walk.done_walking = decision.done_walking
        self._maybe_complete(walk)

    @staticmethod
    def _progress(walk: _Walk) -> WalkProgress:
        return WalkProgress(
            mode=walk.mode,
            stale_pages=walk.stale_pages,
            repeat_pages=walk.repeat_pages,
            reached_end=walk.reached_end,
            stopped=walk.stopped,
            done_walking=walk.done_walking,
        )

    def _limits(self) -> WalkLimits:
        return WalkLimits(lookahead=self.lookahead, since=self.since, max_pages=self.max_pages)

    def _next_listing_requests(
        self, walk: _Walk, page: int, last_page: int | None
    ) -> Iterator[scrapy.Request]:
        parallel = self.pagination == "parallel" and walk.mode != "refresh" and not self.since
        numbers, walk.scheduled_up_to = next_listing_pages(
            parallel=parallel,
            page=page,
            last_page=last_page,
            scheduled_up_to=walk.scheduled_up_to,
            max_pages=self.max_pages,
        )
        for number in numbers:
            yield self._listing_request(walk, number)

    def _maybe_complete(self, walk: _Walk) -> None:
        # See Run.commit_walks: the walk is recorded at the end of the run only.
        if not walk_is_complete(
            completed=walk.completed,
            pages_pending=len(walk.pending),
            articles_pending=walk.articles_pending,
            done_walking=walk.done_walking,
        ):
            return
        walk.completed = True
        self.state.walk_completed(walk.category, walk.pages_done, walk.reached_end)

    def _article_answered(self, category: str | None) -> None:
        walk = self.walks.get(category) if category else None
        if walk is not None:
            walk.articles_pending -= 1
            self._maybe_complete(walk)

    def listing_failed(self, failure: Failure) -> Iterator[PageFailure]:
        # Scrapy sets .request on the Failure it hands to an errback; Twisted's type lacks it.
        request = failure.request  # type: ignore[attr-defined]
        category = request.cb_kwargs["category"]
        page = request.cb_kwargs["page"]
        walk = self.walks[category]
        walk.pending.discard(page)
        reason, status, detail = failure_reason(failure)
        if listing_failure_ends_walk(status, page):
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
            meta={"handle_httpstatus_list": [304]},
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
        yield page_from_response(response, url, category, listing_url)

    def article_failed(self, failure: Failure) -> Iterator[PageFailure]:
        # Scrapy sets .request on the Failure it hands to an errback; Twisted's type lacks it.
        request = failure.request  # type: ignore[attr-defined]
        self._article_answered(request.cb_kwargs["category"])
        reason, status, detail = failure_reason(failure)
        self.crawler.stats.inc_value("ccme/failures")
        self.crawler.stats.inc_value(f"ccme/failures/{reason}")
        yield PageFailure(request.cb_kwargs["url"], reason, detail, status, "article", utc_now())
