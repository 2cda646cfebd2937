"""The crawl run: its lock, its database handle and its row in ``crawl_runs``.

The spider, the pipelines and this extension share one ``CrawlState`` per crawler, created on
first use, so that ``scrapy crawl archive`` and ``ccme-crawler crawl`` behave the same.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from ccme_crawler import __version__
from ccme_crawler.counters import run_counts
from ccme_crawler.locking import RunLock
from ccme_crawler.storage import Storage

logger = logging.getLogger(__name__)

# Settings recorded with every run: the ones that change what a crawl fetches or how politely.
RECORDED_SETTINGS = (
    "CCME_BASE_URL",
    "CCME_CATEGORIES",
    "CCME_MODE",
    "CCME_SINCE",
    "CCME_PAGINATION",
    "CCME_REFRESH_LOOKAHEAD",
    "CCME_MAX_LISTING_PAGES",
    "CCME_WARC_DIR",
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

# Scrapy close reason → crawl_runs.status
_STATUS_BY_REASON = {"finished": "completed", "shutdown": "interrupted"}


@dataclass
class CrawlState:
    storage: Storage
    run_id: int
    lock: RunLock | None
    resumed_run_ids: list[int] = field(default_factory=list)
    walks_open: set[str] = field(default_factory=set)
    walks_done: dict[str, tuple[int, bool]] = field(default_factory=dict)

    def walk_started(self, category: str, mode: str) -> None:
        self.walks_open.add(category)
        self.storage.start_category_walk(self.run_id, category, mode)

    def walk_completed(self, category: str, pages: int, reached_end: bool) -> None:
        self.walks_open.discard(category)
        self.walks_done[category] = (pages, reached_end)

    def commit_walks(self) -> None:
        """Record the completed walks, once the run has stored everything it fetched.

        Written at the end of the run, after the pipelines are drained, never earlier: a run
        killed before then leaves its walks incomplete and the next run walks them again.
        """
        for category, (pages, reached_end) in self.walks_done.items():
            self.storage.complete_category_walk(self.run_id, category, pages, reached_end)


def crawl_state(crawler: Crawler) -> CrawlState:
    """The run state of this crawler, opening the database and starting the run on first use."""
    state: CrawlState | None = getattr(crawler, "_ccme_state", None)
    if state is not None:
        return state
    settings = crawler.settings
    db_path = settings.get("CCME_DB_PATH")
    lock = None
    if not settings.getbool("CCME_LOCK_HELD"):
        lock = RunLock(db_path).acquire()
    storage = Storage.open(db_path)
    resumed = []
    for run in storage.abandoned_runs():
        storage.mark_run_interrupted(run["id"], "process died before the run ended")
        logger.warning("Run %s never ended (process killed?): resuming its work", run["id"])
        resumed.append(int(run["id"]))
    run_id = storage.start_run(
        mode=settings.get("CCME_MODE", "auto"),
        base_url=settings.get("CCME_BASE_URL"),
        categories=settings.getlist("CCME_CATEGORIES"),
        settings={name: settings.get(name) for name in RECORDED_SETTINGS},
        software_version=__version__,
        resumed_run_id=resumed[-1] if resumed else None,
    )
    state = CrawlState(storage=storage, run_id=run_id, lock=lock, resumed_run_ids=resumed)
    crawler._ccme_state = state  # type: ignore[attr-defined]
    return state


class CrawlRunExtension:
    """Opens the run when the spider opens, closes it with its status and counts at the end,
    and shows progress on a terminal."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        progress = crawler.settings.get("CCME_PROGRESS", "auto")
        self.show_progress = progress == "on" or (progress == "auto" and sys.stderr.isatty())
        self._loop: task.LoopingCall | None = None
        self._started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        return cls(crawler)

    def spider_opened(self) -> None:
        crawl_state(self.crawler)
        if self.show_progress:
            self._loop = task.LoopingCall(self._print_progress)
            self._loop.start(1.0, now=False)

    def _print_progress(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        counts = run_counts(stats)
        elapsed = time.monotonic() - self._started
        rate = counts["pages_fetched"] / elapsed if elapsed else 0.0
        line = (
            f"\r[ccme] {counts['pages_fetched']} pages ({rate:.1f}/s), "
            f"{counts['listing_pages']} listings, {counts['articles_new']} new, "
            f"{counts['articles_updated']} updated, {counts['failures']} failures  "
        )
        sys.stderr.write(line)
        sys.stderr.flush()

    def spider_closed(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
            sys.stderr.write("\n")
        state: CrawlState | None = getattr(self.crawler, "_ccme_state", None)
        if state is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        status = _STATUS_BY_REASON.get(reason, "failed")
        if status == "completed" and state.walks_open:
            # A walk that did not reach its end (a listing page failed): the archive is not
            # complete, and the next run walks those categories again.
            status = "incomplete"
        state.commit_walks()
        state.storage.finish_run(state.run_id, status, run_counts(stats), reason)
        state.storage.close()
        if state.lock is not None:
            state.lock.release()
