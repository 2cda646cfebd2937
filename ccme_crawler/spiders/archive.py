"""The archive spider: finds the site's listings, walks them and yields every article page they
link to, then the posts only a sitemap lists.

Navigation only: it decides which pages to fetch and yields ``RawPage``, ``ListingEntry``,
``PageFailure`` and discovery items; extraction and storage happen in the pipelines. A run goes
through three phases (docs/discovery.md): discovery (skipped when the listings are given or a
recent discovery is cached), the walks, and the post sitemaps (once everything else is done).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ccme_crawler.clock import utc_now
from ccme_crawler.discovery import (
    ARCHIVE_LABEL,
    NOTHING_DISCOVERED,
    SCOPES,
    Findings,
    answered_at_all,
    discovery_summary,
    normalize_lastmod,
    nothing_found_message,
    parse_sitemap,
    plan_walks,
    post_in_scope,
    read_answer,
    rediscovery_reason,
    sitemap_body,
    sitemap_role,
)
from ccme_crawler.items import (
    CategoryLabel,
    DiscoveredListing,
    DiscoveredSitemap,
    DiscoveryFetch,
    DiscoveryReport,
    DiscoveryResult,
    ListingPage,
    ListingStatus,
    NotModified,
    PageFailure,
    RawPage,
    SitemapEntries,
    SitemapEntry,
    WalkPlan,
)
from ccme_crawler.middlewares import FetchFailed
from ccme_crawler.records import (
    listing_entries,
    listing_from_page,
    page_from_listing_response,
    page_from_response,
)
from ccme_crawler.run import SITE_DOWN, Run, SpiderView, close_spider
from ccme_crawler.site_health import STAT_EMPTY_AS_BEFORE
from ccme_crawler.spiders.listing_health import (
    announced_last_page,
    listing_404_fault,
    listing_fault,
)
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
    LANGUAGES,
    canonical_article_url,
    canonical_path,
    category_path,
    is_post_url,
    is_site_url,
    listing_kind,
    listing_language,
    listing_page_url,
    listing_path,
    normalize_base_url,
    shortlink_post_id,
    to_crawl_url,
)
from ccme_crawler.workers import ExtractionPool


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
        # Consecutive pages listing nothing this walk's earlier pages did not: a site that serves
        # the same page again and again. (Per walk: in scope site an author archive lists posts
        # the category walks scheduled first, and must still be walked to its end.)
        self.repeat_pages = 0
        self.seen: set[int] = set()  # hash() of the post URLs its pages listed
        self.reached_end = False
        self.stopped = False
        self.done_walking = False  # no more listing pages to fetch, and the walk did its job
        self.articles_pending = 0  # article requests found by this walk and not answered yet
        self.completed = False
        self.scheduled_up_to = 1
        self.announced_last: int | None = None  # the highest page number a page linked to
        self.failed = False  # a listing page failed: the walk is not complete, whatever follows


def _split(raw: str | Iterable[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return [part for part in raw if part.strip()]


def user_listings(categories: Iterable[str], listings: Iterable[str]) -> list[str]:
    """The listings given with ``--category`` (categories only) and ``--listing`` (any archive
    listing), normalized, once each, in order. Raises ValueError for a bad one."""
    paths = [category_path(c) for c in categories] + [listing_path(x) for x in listings]
    return list(dict.fromkeys(paths))


class ArchiveSpider(scrapy.Spider):
    name = "archive"
    # Set in from_crawler, from the spider's arguments or the settings.
    user_listings: list[str]
    scope: str
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
    known_posts: set[int]  # post ids of the stored articles, set in start()
    listings_with_posts: set[str]  # listings on which earlier runs saw posts, set in start()
    rediscover: bool
    discovery_max_age: float
    sitemap_backfill: bool
    archive_labels: list[str]
    languages: list[str]
    max_size: int
    # Discovery: the pass under way (if any), its answers still awaited, and how many passes this
    # run made (a run rediscovers at most once, when a cached listing is gone).
    findings: Findings | None
    discovery_pending: int
    discovery_reason: str
    discovery_passes: int
    probe_pages: dict[str, Response]  # listing path → its page 1, fetched
    plan: WalkPlan | None
    listing_source: dict[str, str]  # path → "discovered", "cache", "user-given"
    gone_failures: list[PageFailure]  # cached listings answering 404, held
    # Post sitemaps, read once the walks are done ("off", "pending", "started").
    sitemap_phase: str
    sitemap_sources: list[str]
    sitemaps_requested: set[str]

    def __init__(
        self,
        categories: str | list[str] | None = None,
        base_url: str | None = None,
        mode: str | None = None,
        since: str | None = None,
        *args: Any,
        listings: str | list[str] | None = None,
        scope: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._arg_categories = categories
        self._arg_base_url = base_url
        self._arg_mode = mode
        self._arg_since = since
        self._arg_listings = listings
        self._arg_scope = scope

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider: ArchiveSpider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.user_listings = user_listings(
            _split(spider._arg_categories or settings.getlist("CCME_CATEGORIES")),
            _split(spider._arg_listings or settings.getlist("CCME_LISTINGS")),
        )
        spider.scope = spider._arg_scope or settings.get("CCME_SCOPE", "archive")
        if spider.scope not in SCOPES:
            raise ValueError(f"CCME_SCOPE {spider.scope!r}: expected one of {', '.join(SCOPES)}")
        spider.origin = normalize_base_url(spider._arg_base_url or settings.get("CCME_BASE_URL"))
        spider.mode = spider._arg_mode or settings.get("CCME_MODE", "auto")
        spider.since = spider._arg_since or settings.get("CCME_SINCE") or None
        spider.recheck = settings.getbool("CCME_RECHECK")
        spider.recheck_since = settings.get("CCME_RECHECK_SINCE") or None
        spider.pagination = settings.get("CCME_PAGINATION", "sequential")
        spider.lookahead = max(1, settings.getint("CCME_REFRESH_LOOKAHEAD", 1))
        spider.max_pages = settings.getint("CCME_MAX_LISTING_PAGES", 5000)
        spider.rediscover = settings.getbool("CCME_REDISCOVER")
        spider.discovery_max_age = settings.getfloat("CCME_DISCOVERY_MAX_AGE_DAYS", 30.0)
        spider.sitemap_backfill = settings.getbool("CCME_SITEMAP_BACKFILL", True)
        spider.archive_labels = settings.getlist("CCME_ARCHIVE_MENU_LABELS") or [ARCHIVE_LABEL]
        spider.languages = settings.getlist("CCME_LANGUAGES") or list(LANGUAGES)
        spider.max_size = settings.getint("DOWNLOAD_MAXSIZE")
        spider.allowed_domains = []
        # hash() of each canonical URL rather than the URL: these sets hold every article of the
        # archive, and 64-bit hashes take a fifth of the memory (a collision among a few hundred
        # thousand is not a practical concern).
        spider.scheduled = set()
        spider.known_posts = set()
        spider.listings_with_posts = set()
        spider.walks = {}
        spider.findings = None
        spider.discovery_pending = 0
        spider.discovery_reason = ""
        spider.discovery_passes = 0
        spider.probe_pages = {}
        spider.plan = None
        spider.listing_source = {}
        spider.gone_failures = []
        spider.sitemap_phase = "off"
        spider.sitemap_sources = []
        spider.sitemaps_requested = set()
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    @property
    def state(self) -> SpiderView:
        """The run, as far as navigation needs it (stored URLs, earlier failures, walks)."""
        return Run.of(self.crawler)

    # --- start ---

    async def start(self) -> AsyncIterator[Any]:
        for request_or_item in self._start_requests():
            yield request_or_item

    def _start_requests(self) -> Iterator[Any]:
        state = self.state
        self.known = state.stored_url_hashes()
        self.known_posts = state.stored_post_ids()
        self.listings_with_posts = state.listings_with_posts()
        if self.recheck:
            for row in state.articles_for_recheck(self.recheck_since):
                yield self._recheck_request(row)
        # Articles that failed in an earlier run are fetched again before anything else.
        for url in state.unresolved_failures("article"):
            if url.startswith("https://www.ccme.org.ma/") and hash(url) not in self.scheduled:
                yield self._article_request(url, None, None)
        if self.user_listings:
            found = [
                DiscoveredListing(p, listing_kind(p), listing_language(p), None, "user-given", None)
                for p in self.user_listings
            ]
            plan = WalkPlan(self.scope, list(self.user_listings), [], [], [])
            yield self._report("user-given", "listings given", DiscoveryResult(found, [], []), plan)
            self.plan = plan
            yield from self._start_walks(plan.listings, "user-given")
            return
        cache = state.discovery_cache()
        reason = rediscovery_reason(
            cache,
            now=datetime.now(UTC),
            max_age_days=self.discovery_max_age,
            force=self.rediscover,
            scope=self.scope,
            languages=self.languages,
        )
        if reason is not None:
            yield from self._start_discovery(reason)
            return
        plan = plan_walks(cache.listings, self.scope, self.languages)
        result = DiscoveryResult(cache.listings, cache.sitemaps, [])
        yield self._report("cache", f"discovered on {cache.discovered_at}", result, plan)
        self._adopt(plan, cache.sitemaps, cached=True)
        yield from self._start_walks(plan.listings, "cache")

    def _start_walks(self, paths: Iterable[str], source: str) -> Iterator[Any]:
        state = self.state
        # First pages discovery already fetched are read again rather than fetched again.
        probed, self.probe_pages = self.probe_pages, {}
        for path in paths:
            if path in self.walks:
                continue
            mode = walk_mode(self.mode, state.has_complete_full_walk(path))
            self.listing_source[path] = source
            walk = self.walks[path] = _Walk(path, mode)
            state.walk_started(path, mode)
            if path in probed:
                walk.pending.add(1)
                # Read here, not in the pool: one page a walk, and this generator cannot await.
                page_one = page_from_listing_response(probed[path], utc_now())
                yield from self._follow_listing(probed[path], path, 1, listing_from_page(page_one))
            else:
                yield self._listing_request(walk, 1)

    # --- discovery ---

    def _report(
        self,
        source: str,
        reason: str,
        result: DiscoveryResult,
        plan: WalkPlan,
        message: str | None = None,
    ) -> DiscoveryReport:
        report = DiscoveryReport(source, reason, result, plan, utc_now(), message)
        report.summary = discovery_summary(report)
        self.crawler.stats.set_value("ccme/discovery", report.summary)
        walked = report.summary["walked_by_language"]
        self.logger.info(
            "Listings (%s, %s): %d to walk (%s), found by %s",
            source,
            reason,
            len(plan.listings),
            ", ".join(f"{lang} {n}" for lang, n in walked.items()) or "none",
            report.summary["found_by"],
        )
        if plan.missing_languages and plan.listings:
            # INFO, not WARNING: the run summary carries it as a warning (stderr stays quiet).
            self.logger.info(
                "No listing found in %s (scope %s)", ", ".join(plan.missing_languages), plan.scope
            )
        return report

    def _start_discovery(self, reason: str) -> Iterator[scrapy.Request]:
        self.logger.info("Discovering the site's listings: %s", reason)
        self.discovery_passes += 1
        self.discovery_reason = reason
        self.findings = Findings(
            self.origin, archive_labels=self.archive_labels, languages=self.languages
        )
        yield from self._discovery_requests(self.findings.start())

    def _discovery_requests(self, fetches: Iterable[DiscoveryFetch]) -> Iterator[scrapy.Request]:
        for fetch in fetches:
            self.discovery_pending += 1
            yield scrapy.Request(
                self.origin + fetch.url,
                callback=self.parse_discovery,
                errback=self.discovery_failed,
                cb_kwargs={"fetch": fetch},
                meta={"ccme_kind": "discovery"},
                # Before any walk: the walks start when every discovery answer is in.
                priority=20,
                dont_filter=True,
            )

    def _read_discovery(self, response: Response, fetch: DiscoveryFetch) -> list[DiscoveryFetch]:
        assert self.findings is not None
        if (
            fetch.step in ("listing", "author")
            and isinstance(response, TextResponse)
            and response.url == self.origin + fetch.url  # not redirected: the walk's first page
        ):
            self.probe_pages[fetch.url] = response
        return read_answer(self.findings, response, fetch, self.max_size)

    def parse_discovery(self, response: Response, fetch: DiscoveryFetch) -> Iterator[Any]:
        self.discovery_pending -= 1
        self.crawler.stats.inc_value("ccme/discovery/pages")
        try:
            fetches = self._read_discovery(response, fetch)
        except Exception as exc:  # one unreadable page must not stop discovery: recorded
            self.logger.exception("Discovery could not read %s", response.url)
            self.crawler.stats.inc_value("ccme/discovery/unreadable")
            assert self.findings is not None
            fetches = self.findings.failed(
                fetch.url, fetch.step, response.status, f"unreadable ({type(exc).__name__})"
            )
        yield from self._discovery_requests(fetches)
        yield from self._discovery_progress()

    def discovery_failed(self, failure: Failure) -> Iterator[Any]:
        fetch: DiscoveryFetch = failure.request.cb_kwargs["fetch"]  # type: ignore[attr-defined]
        self.discovery_pending -= 1
        reason, status, _ = failure_reason(failure)
        assert self.findings is not None
        fetches = self.findings.failed(
            fetch.url, fetch.step, status, "" if status else reason, fetch.found_by
        )
        yield from self._discovery_requests(fetches)
        yield from self._discovery_progress()

    def _discovery_progress(self) -> Iterator[Any]:
        if self.discovery_pending or self.findings is None:
            return
        # Author archives come last: they are looked for in every language found by then.
        fetches = self.findings.author_fetches()
        if fetches:
            yield from self._discovery_requests(fetches)
            return
        yield from self._finish_discovery()

    def _finish_discovery(self) -> Iterator[Any]:
        assert self.findings is not None
        result = self.findings.result()
        self.findings = None
        plan = plan_walks(result.listings, self.scope, self.languages)
        message = None if plan.listings else nothing_found_message(result)
        yield self._report("discovered", self.discovery_reason, result, plan, message)
        held, self.gone_failures = self.gone_failures, []
        if message is not None:
            self.logger.error("%s", message)
            if held:
                # Rediscovery after a cached listing went away found nothing: those failures
                # stand, and the walks already under way go on.
                yield from held
                return
            # Nothing but server errors or silence: the site is down rather than changed.
            close_spider(self.crawler, NOTHING_DISCOVERED if answered_at_all(result) else SITE_DOWN)
            return
        self._adopt(plan, result.sitemaps, cached=False)
        yield from self._start_walks(plan.listings, "discovered")

    def _adopt(self, plan: WalkPlan, sitemaps: list[DiscoveredSitemap], cached: bool) -> None:
        """Make ``plan`` the run's plan and line up the post sitemaps to read after the walks."""
        if self.plan is None:
            self.plan = plan
        else:  # rediscovered during the run: the walks of both plans make up the run
            self.plan = WalkPlan(
                plan.scope,
                list(dict.fromkeys([*self.plan.listings, *plan.listings])),
                list(dict.fromkeys([*self.plan.archive_paths, *plan.archive_paths])),
                list(dict.fromkeys([*self.plan.author_languages, *plan.author_languages])),
                plan.missing_languages,
            )
        if not self.sitemap_backfill or self.since or self.sitemap_phase == "started":
            return
        if cached:
            # The index is read again each run: it names the post sitemaps as the site grows.
            sources = [
                s.url
                for s in sitemaps
                if s.role == "index" or (s.role == "posts" and s.found_by != "index")
            ]
        else:
            sources = [s.url for s in sitemaps if s.role == "posts"]
        self.sitemap_sources = sources
        self.sitemap_phase = "pending" if sources else "off"

    # --- post sitemaps, once the walks are done ---

    def spider_idle(self) -> None:
        """Everything else answered: read the post sitemaps, for the posts no walk reached and
        the stored posts whose ``lastmod`` moved."""
        if self.sitemap_phase != "pending" or Run.of(self.crawler).close_reason:
            return
        self.sitemap_phase = "started"
        requests = [r for path in self.sitemap_sources if (r := self._sitemap_request(path))]
        self.logger.info("Walks done: reading %d post sitemap(s)", len(requests))
        assert self.crawler.engine is not None
        for request in requests:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def _sitemap_request(self, path: str) -> scrapy.Request | None:
        if path in self.sitemaps_requested:
            return None
        self.sitemaps_requested.add(path)
        return scrapy.Request(
            self.origin + path,
            callback=self.parse_post_sitemap,
            errback=self.post_sitemap_failed,
            cb_kwargs={"sitemap": path},
            meta={"ccme_kind": "sitemap"},
            dont_filter=True,
        )

    def parse_post_sitemap(self, response: Response, sitemap: str) -> Iterator[Any]:
        body = sitemap_body(response, self.max_size)
        kind, entries = parse_sitemap(body) if body is not None else ("invalid", [])
        if kind == "sitemapindex":
            for entry in entries:
                loc = entry["loc"]
                if is_site_url(loc, self.origin):
                    child = canonical_path(loc).split("?", 1)[0]
                    if sitemap_role(child) == "posts" and (request := self._sitemap_request(child)):
                        yield request
            return
        if kind != "urlset":
            self.logger.warning(
                "%s is not a sitemap any more: posts it listed are not read", sitemap
            )
            self.crawler.stats.inc_value("ccme/sitemap/unreadable")
            return
        posts: dict[str, SitemapEntry] = {}
        for entry in entries:
            lastmod = normalize_lastmod(entry.get("lastmod"))
            for loc in (entry["loc"], *entry.get("alternate", ())):
                # Yoast's first post sitemap opens with the home page: not a post.
                if is_site_url(loc, self.origin) and is_post_url(loc):
                    url = canonical_article_url(loc)
                    posts.setdefault(
                        url, SitemapEntry(url, lastmod if loc == entry["loc"] else None)
                    )
        listed = list(posts.values())
        self.crawler.stats.inc_value("ccme/sitemap/posts_listed", len(listed))
        yield SitemapEntries(sitemap, listed, utc_now())
        yield from self._sitemap_requests(listed)

    def _sitemap_requests(self, listed: list[SitemapEntry]) -> Iterator[scrapy.Request]:
        assert self.plan is not None
        state = self.state
        stored = [
            e for e in listed if hash(e.url) in self.known and hash(e.url) not in self.scheduled
        ]
        for row in state.stale_articles(stored) if stored else ():
            self.crawler.stats.inc_value("ccme/sitemap/lastmod_moved")
            yield self._recheck_request(row)
        unstored = [
            e for e in listed if hash(e.url) not in self.known and hash(e.url) not in self.scheduled
        ]
        verdicts = state.sitemap_verdicts([e.url for e in unstored]) if unstored else {}
        for entry in unstored:
            verdict = verdicts.get(entry.url)
            if verdict is not None and not verdict[0]:
                _, category, checked_at = verdict
                moved = entry.lastmod is not None and entry.lastmod > checked_at
                if not moved and not post_in_scope(entry.url, category, self.plan):
                    self.crawler.stats.inc_value("ccme/sitemap/out_of_scope_known")
                    continue
            yield self._article_request(entry.url, None, None, callback=self.parse_backfill)

    def post_sitemap_failed(self, failure: Failure) -> None:
        sitemap = failure.request.cb_kwargs["sitemap"]  # type: ignore[attr-defined]
        _, _, detail = failure_reason(failure)
        self.logger.warning("Post sitemap %s could not be read (%s)", sitemap, detail)
        self.crawler.stats.inc_value("ccme/sitemap/failed")

    def parse_backfill(
        self, response: Response, url: str, category: str | None, listing_url: str | None
    ) -> Iterator[Any]:
        """A post only a sitemap listed: whether it belongs to the scope is decided once the page
        is read (SitemapScopePipeline), so the page carries the plan that decides."""
        for item in self.parse_article(response, url, category, listing_url):
            if isinstance(item, RawPage):
                item.sitemap_plan = self.plan
            yield item

    # --- listings ---

    def _listing_request(self, walk: _Walk, page: int) -> scrapy.Request:
        walk.pending.add(page)
        return scrapy.Request(
            listing_page_url(self.origin, walk.category, page),
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"category": walk.category, "page": page},
            # Read by RedirectGuardMiddleware: a page of the walk never leaves the site.
            meta={"ccme_kind": "listing"},
            # Listing pages change between runs; never let the dupefilter drop a page 1.
            dont_filter=True,
        )

    async def parse_listing(
        self, response: Response, category: str, page: int
    ) -> AsyncIterator[Any]:
        """A listing page of a walk, read in the crawl's extraction pool (so that its parse is
        off the reactor's thread), then followed (:meth:`_follow_listing`)."""
        pool = ExtractionPool.of(self.crawler)
        listing = await pool.listing(page_from_listing_response(response, utc_now()))
        for item in self._follow_listing(response, category, page, listing):
            yield item

    def _follow_listing(
        self, response: Response, category: str, page: int, listing: ListingPage | PageFailure
    ) -> Iterator[Any]:
        """What a read listing page of the walk of ``category`` gives: its entries, the
        requests of its articles and of the next page, or the failure that stops the walk."""
        walk = self.walks[category]
        walk.pending.discard(page)
        walk.pages_done += 1
        self.crawler.stats.inc_value("ccme/listing_pages")
        if not isinstance(listing, PageFailure):
            walk.announced_last = announced_last_page(walk.announced_last, listing)
            fault = listing_fault(listing, page, walk.announced_last)
            if fault is not None:
                listing = PageFailure(
                    response.url, fault.reason, fault.detail, response.status, "listing", utc_now()
                )
        if isinstance(listing, PageFailure):
            # Not a page of the walk: the walk stays incomplete and is walked again next run.
            yield self._listing_failure(walk, listing)
            return
        if page == 1:
            yield ListingStatus(category, response.status, utc_now())
        if page == 1 and listing.category_label:
            yield CategoryLabel(category, listing.category_label)
        if page == 1 and not listing.items and self._empty_as_before(category):
            self.crawler.stats.inc_value(STAT_EMPTY_AS_BEFORE)
        new_here = 0
        unseen_here = 0
        older_than_since = False
        links = listing_entries(listing, response.url, category, utc_now(), origin=self.origin)
        for skipped in links.skipped:
            self.logger.debug(
                "Skipped link %r on %s: %s", skipped.url, response.url, skipped.reason
            )
            if skipped.reason == "malformed_url":
                # An article linked that cannot be fetched: recorded; the rest of the page and
                # the walk go on.
                self._count_failure("malformed_link")
                yield PageFailure(
                    response.url,
                    "malformed_link",
                    f"link {skipped.url[:500]!r}: {skipped.detail}",
                    response.status,
                    "listing",
                    utc_now(),
                )
        for entry in links.entries:
            yield entry
            url = entry.url
            verdict = article_verdict(
                scheduled=hash(url) in self.scheduled,
                published_at=listing.items[entry.position].published_at,
                since=self.since,
                stored=self._is_stored(url),
                walk_mode=walk.mode,
            )
            if hash(url) not in walk.seen:
                walk.seen.add(hash(url))
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

    def _empty_as_before(self, category: str) -> bool:
        """An empty category (WordPress lists a category with no posts, with 200) that earlier
        runs of this archive also found empty: not a sign that the site changed. Before a
        first crawl nothing is known, and an empty page 1 counts."""
        return bool(self.listings_with_posts) and category not in self.listings_with_posts

    def _is_stored(self, url: str) -> bool:
        if hash(url) in self.known:
            return True
        post_id = shortlink_post_id(url)  # stored under its permalink
        return post_id is not None and post_id in self.known_posts

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
        if (
            not walk_is_complete(
                completed=walk.completed,
                pages_pending=len(walk.pending),
                articles_pending=walk.articles_pending,
                done_walking=walk.done_walking,
            )
            or walk.failed
        ):
            return
        walk.completed = True
        self.state.walk_completed(walk.category, walk.pages_done, walk.reached_end)

    def _article_answered(self, category: str | None) -> None:
        walk = self.walks.get(category) if category else None
        if walk is not None:
            walk.articles_pending -= 1
            self._maybe_complete(walk)

    def listing_failed(self, failure: Failure) -> Iterator[Any]:
        # Scrapy sets .request on the Failure it hands to an errback; Twisted's type lacks it.
        request = failure.request  # type: ignore[attr-defined]
        category = request.cb_kwargs["category"]
        page = request.cb_kwargs["page"]
        walk = self.walks[category]
        walk.pending.discard(page)
        reason, status, detail = failure_reason(failure)
        if listing_failure_ends_walk(status, page):
            fault = listing_404_fault(page, walk.announced_last)
            if fault is None:
                # WordPress answers 404 past the last page: the walk is over.
                walk.reached_end = walk.done_walking = True
                self._maybe_complete(walk)
                return
            reason, detail = fault.reason, fault.detail
        if page == 1 and status in (404, 410):
            yield ListingStatus(category, status, utc_now())
            if self.listing_source.get(category) == "cache" and self.discovery_passes == 0:
                yield from self._listing_gone(
                    walk, PageFailure(request.url, reason, detail, status, "listing", utc_now())
                )
                return
            if self.findings is not None and self.listing_source.get(category) == "cache":
                # Another cached listing gone while rediscovery is under way: it decides.
                walk.stopped = True
                self.state.walk_abandoned(category)
                self.gone_failures.append(
                    PageFailure(request.url, reason, detail, status, "listing", utc_now())
                )
                return
        yield self._listing_failure(
            walk, PageFailure(request.url, reason, detail, status, "listing", utc_now())
        )

    def _listing_failure(self, walk: _Walk, failure: PageFailure) -> PageFailure:
        """A listing page of the walk failed: the walk stops here and stays incomplete."""
        walk.stopped = walk.failed = True
        self._count_failure(failure.reason)
        return failure

    def _count_failure(self, reason: str) -> None:
        self.crawler.stats.inc_value("ccme/failures")
        self.crawler.stats.inc_value(f"ccme/failures/{reason}")

    def _listing_gone(self, walk: _Walk, failure: PageFailure) -> Iterator[Any]:
        """A cached listing answers 404: the site changed. Its failure is held while the
        listings are discovered again; the walks of what is found start when that is done."""
        self.logger.warning(
            "%s answers %s: the site's listings changed; discovering them again",
            walk.category,
            failure.status,
        )
        self.crawler.stats.inc_value("ccme/discovery/gone")
        walk.stopped = True
        self.state.walk_abandoned(walk.category)
        self.gone_failures.append(failure)
        yield from self._start_discovery(f"{walk.category} answered {failure.status}")

    # --- articles ---

    def _article_request(
        self,
        url: str,
        category: str | None,
        listing_url: str | None,
        callback: Any = None,
    ) -> scrapy.Request:
        self.scheduled.add(hash(url))
        if category in self.walks:
            self.walks[category].articles_pending += 1
        return scrapy.Request(
            to_crawl_url(url, self.origin),
            callback=callback or self.parse_article,
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
            meta={"ccme_kind": "article", "handle_httpstatus_list": [304]},
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
