"""The crawl run as one object: its database handle, its row in ``crawl_runs``, its lock, the
walks it is making, and how it ends (close reason → run status → exit status, one table).

One :class:`Run` per crawler, opened on first use by :meth:`Run.of` (the run extension does so
when the spider opens, so ``scrapy crawl archive`` and ``ccme-crawler crawl`` behave the same)
and kept in one attribute of the crawler, set in :meth:`Run.of` only. The pipelines and
middlewares write through ``run.storage``; the spider sees the run through :class:`SpiderView`,
the few reads and walk calls navigation needs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.defer import Deferred

from ccme_crawler import __version__
from ccme_crawler.discovery import NOTHING_DISCOVERED
from ccme_crawler.items import DiscoveryCache, PageFailure, SitemapEntry
from ccme_crawler.locking import RunLock
from ccme_crawler.storage import Storage, StorageError

logger = logging.getLogger(__name__)

# Exit statuses, documented in docs/cli.md.
EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_SITE_DOWN = 3
EXIT_RATE_LIMITED = 4
EXIT_NOTHING_DISCOVERED = 6  # no listing found: the site changed (the message says what answered)
EXIT_SITE_CHANGED = 7  # the pages stopped looking like the site (site_health.py)
EXIT_STORAGE_ERROR = 74  # sysexits EX_IOERR: the database could not be written (disk full, I/O)
EXIT_LOCKED = 75
EXIT_INTERRUPTED = 130

# Close reasons ccme-crawler gives (besides Scrapy's "finished" and "shutdown").
SITE_DOWN = "site_down"
RATE_LIMITED = "rate_limited"
# robots.txt answered 5xx or not at all (RFC 9309: fetch nothing).
ROBOTS_UNAVAILABLE = "robots_unavailable"
STORAGE_ERROR = "storage_error"
# The spider finished, but what the pages yielded says the site changed (site_health.py):
# what was found is stored, and the run says so instead of exiting 0.
SITE_CHANGED = "site_changed"


class CloseOutcome(NamedTuple):
    status: str  # crawl_runs.status
    exit_status: int


# Close reason → how the run is recorded and the command's exit status. A "finished" run can
# still be "incomplete" or exit 1 when too many pages failed: see ``exit_status``.
CLOSE_REASONS: dict[str, CloseOutcome] = {
    "finished": CloseOutcome("completed", EXIT_OK),
    "shutdown": CloseOutcome("interrupted", EXIT_INTERRUPTED),
    SITE_DOWN: CloseOutcome("failed", EXIT_SITE_DOWN),
    ROBOTS_UNAVAILABLE: CloseOutcome("failed", EXIT_SITE_DOWN),
    RATE_LIMITED: CloseOutcome("failed", EXIT_RATE_LIMITED),
    STORAGE_ERROR: CloseOutcome("failed", EXIT_STORAGE_ERROR),
    NOTHING_DISCOVERED: CloseOutcome("failed", EXIT_NOTHING_DISCOVERED),
    SITE_CHANGED: CloseOutcome("completed", EXIT_SITE_CHANGED),
}
# Any other reason (a Scrapy CloseSpider limit, an error): the run failed.
OTHER_CLOSE_REASON = CloseOutcome("failed", EXIT_FAILURES)

# Settings recorded with every run: the ones that change what a crawl fetches or how politely.
RECORDED_SETTINGS = (
    "CCME_BASE_URL",
    "CCME_CATEGORIES",
    "CCME_LISTINGS",
    "CCME_SCOPE",
    "CCME_SITEMAP_BACKFILL",
    "CCME_MODE",
    "CCME_SINCE",
    "CCME_PAGINATION",
    "CCME_REFRESH_LOOKAHEAD",
    "CCME_MAX_LISTING_PAGES",
    "CCME_WARC_DIR",
    "CCME_REQUISITES",
    "CCME_REQUISITES_MAX",
    "CCME_REQUISITES_MAX_AGE_DAYS",
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "RETRY_TIMES",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
)

# The one attribute a run is kept in on its crawler (set in Run.of only).
_CRAWLER_ATTRIBUTE = "ccme_run"


def run_status(reason: str, walks_open: bool) -> str:
    """The ``crawl_runs`` status of a run the spider closed with ``reason``.

    A finished run with a walk that did not reach its end (a listing page failed) is
    "incomplete": the archive is not complete, and the next run walks those categories again.
    """
    status = CLOSE_REASONS.get(reason, OTHER_CLOSE_REASON).status
    return "incomplete" if status == "completed" and walks_open else status


def exit_status(status: str, reason: str, counts: dict[str, int], threshold: float) -> int:
    """The command's exit status for a run that ended with ``status`` and ``reason``.

    The close reason decides when it names a fault (site down, rate limited, disk); otherwise
    the status does, and a completed run with more failed pages than ``threshold`` (a share of
    the pages fetched) exits 1.
    """
    outcome = CLOSE_REASONS.get(reason)
    if outcome is not None and outcome.exit_status not in (EXIT_OK, EXIT_INTERRUPTED):
        return outcome.exit_status
    if status == "interrupted":
        return EXIT_INTERRUPTED
    if status in ("failed", "incomplete"):
        return EXIT_FAILURES
    failures = counts.get("failures", 0)
    pages = max(counts.get("pages_fetched", 0), 1)
    if failures and failures / pages > threshold:
        return EXIT_FAILURES
    return EXIT_OK


class SpiderView(Protocol):
    """What the spider may know of the run: stored URLs, earlier failures, walk state."""

    def stored_url_hashes(self) -> set[int]:
        """``hash()`` of every stored article URL (a fifth of the memory of the URLs)."""
        ...

    def listings_with_posts(self) -> set[str]:
        """The listing paths on which an earlier run saw a post (empty before a first crawl)."""
        ...

    def stored_post_ids(self) -> set[int]:
        """The post id of every stored article: a listing linking a ``?p=ID`` shortlink names
        a post stored under its permalink."""
        ...

    def has_complete_full_walk(self, category: str) -> bool: ...

    def unresolved_failures(self, kind: str) -> list[str]: ...

    def articles_for_recheck(self, since: str | None) -> Iterable[dict[str, Any]]: ...

    def walk_started(self, category: str, mode: str) -> None: ...

    def walk_completed(self, category: str, pages: int, reached_end: bool) -> None: ...

    def walk_abandoned(self, category: str) -> None: ...

    def discovery_cache(self) -> DiscoveryCache: ...

    def stale_articles(self, entries: list[SitemapEntry]) -> list[dict[str, Any]]: ...

    def sitemap_verdicts(self, urls: list[str]) -> dict[str, tuple[bool, str | None, str]]: ...


@dataclass
class Run:
    """One crawl run; implements :class:`SpiderView`."""

    storage: Storage
    run_id: int
    lock: RunLock | None
    resumed_run_ids: list[int] = field(default_factory=list)
    walks_open: set[str] = field(default_factory=set)
    walks_done: dict[str, tuple[int, bool]] = field(default_factory=dict)
    close_reason: str | None = None
    # Pages whose write could not happen (the database stayed locked): recorded at the end of
    # the run, and their walks stay incomplete.
    unwritten: list[PageFailure] = field(default_factory=list)
    walks_failed: set[str] = field(default_factory=set)
    # What made the run say the site changed (site_health.SiteHealthExtension, at the end).
    site_changed: list[str] = field(default_factory=list)
    # The engine's closing task, kept so that it is not garbage-collected while it runs.
    _closing: Deferred[None] | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> Run:
        """The run of this crawler, opening the database and starting the run on first use."""
        run = cls.existing(crawler)
        if run is None:
            run = cls.start(crawler)
            setattr(crawler, _CRAWLER_ATTRIBUTE, run)
        return run

    @staticmethod
    def existing(crawler: Crawler) -> Run | None:
        """The run of this crawler if one was started, without starting one."""
        run = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
        return run if isinstance(run, Run) else None

    @classmethod
    def start(cls, crawler: Crawler) -> Run:
        """Take the lock (unless the caller holds it), open the database, mark runs that never
        ended as interrupted and start a new row in ``crawl_runs``."""
        settings = crawler.settings
        db_path = settings.get("CCME_DB_PATH")
        lock = None
        if not settings.getbool("CCME_LOCK_HELD"):
            lock = RunLock(db_path).acquire()
        storage = Storage.open(db_path)
        resumed = storage.close_abandoned_runs("process died before the run ended")
        for row_id in resumed:
            logger.warning("Run %s never ended (process killed?): resuming its work", row_id)
        run_id = storage.start_run(
            mode=settings.get("CCME_MODE", "auto"),
            base_url=settings.get("CCME_BASE_URL"),
            categories=settings.getlist("CCME_CATEGORIES"),
            settings={name: settings.get(name) for name in RECORDED_SETTINGS},
            software_version=__version__,
            resumed_run_id=resumed[-1] if resumed else None,
        )
        return cls(storage=storage, run_id=run_id, lock=lock, resumed_run_ids=resumed)

    # --- what the spider reads (SpiderView) ---

    def stored_url_hashes(self) -> set[int]:
        return {hash(url) for url in self.storage.iter_article_urls()}

    def stored_post_ids(self) -> set[int]:
        return set(self.storage.iter_article_post_ids())

    def listings_with_posts(self) -> set[str]:
        return self.storage.listings_with_posts()

    def has_complete_full_walk(self, category: str) -> bool:
        return self.storage.has_complete_full_walk(category)

    def unresolved_failures(self, kind: str) -> list[str]:
        return self.storage.unresolved_failures(kind)

    def articles_for_recheck(self, since: str | None) -> Iterable[dict[str, Any]]:
        return self.storage.articles_for_recheck(since)

    def discovery_cache(self) -> DiscoveryCache:
        return self.storage.discovery.cache()

    def stale_articles(self, entries: list[SitemapEntry]) -> list[dict[str, Any]]:
        return self.storage.discovery.stale_articles(entries)

    def sitemap_verdicts(self, urls: list[str]) -> dict[str, tuple[bool, str | None, str]]:
        return self.storage.discovery.verdicts(urls)

    # --- walks ---

    def walk_started(self, category: str, mode: str) -> None:
        self.walks_open.add(category)
        self.storage.start_category_walk(self.run_id, category, mode)

    def walk_abandoned(self, category: str) -> None:
        """The listing is gone (the site changed): its walk no longer keeps the run open."""
        self.walks_open.discard(category)

    def walk_completed(self, category: str, pages: int, reached_end: bool) -> None:
        self.walks_open.discard(category)
        self.walks_done[category] = (pages, reached_end)

    def not_written(self, failure: PageFailure, category: str | None) -> None:
        self.unwritten.append(failure)
        if category:
            self.walks_failed.add(category)

    def record_unwritten(self) -> None:
        """Write the failures kept in memory (the lock that refused them may be gone)."""
        try:
            for failure in self.unwritten:
                self.storage.record_failure(failure, self.run_id)
        except StorageError as exc:
            logger.error(
                "Could not record %s page failures (%s): the next run fetches them again",
                len(self.unwritten),
                exc,
            )

    def commit_walks(self) -> None:
        """Record the completed walks, once the run has stored everything it fetched.

        Written at the end of the run, after the pipelines are drained, never earlier: a run
        killed before then leaves its walks incomplete and the next run walks them again.
        """
        for category, (pages, reached_end) in self.walks_done.items():
            if category in self.walks_failed:
                continue
            self.storage.complete_category_walk(self.run_id, category, pages, reached_end)

    # --- the end ---

    def finish(self, reason: str, counts: dict[str, int]) -> str:
        """Record the walks, the status for ``reason`` and the counts; close the database and
        release the lock. Returns the status. A finished run that saw the site changed ends
        with the close reason ``site_changed``."""
        if self.site_changed and reason == "finished":
            reason = SITE_CHANGED
        status = run_status(reason, bool(self.walks_open or self.unwritten))
        self.record_unwritten()
        self.commit_walks()
        self.storage.finish_run(self.run_id, status, counts, reason, self.site_changed)
        self.storage.close()
        if self.lock is not None:
            self.lock.release()
        return status


def close_spider(crawler: Crawler, reason: str) -> None:
    """Ask the engine to close the spider with ``reason`` (once; later calls are no-ops)."""
    if not crawler.crawling:
        return  # no crawl to stop (a crawler built for a test, or one already stopped)
    engine = crawler.engine
    if engine.spider is None:
        return
    run = Run.of(crawler)
    if run.close_reason is not None:
        return
    run.close_reason = reason
    closing = deferred_from_coro(engine.close_spider_async(reason=reason))
    closing.addErrback(lambda failure: logger.error("Closing the spider failed: %s", failure))
    run._closing = closing
