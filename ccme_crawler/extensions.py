"""The run extension: opens the run (:class:`ccme_crawler.run.Run`) when the spider opens, ends
it with its status and counts when the spider closes, and shows progress on a terminal."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from ccme_crawler.counters import run_counts
from ccme_crawler.run import Run


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
        Run.of(self.crawler)
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
        run = Run.existing(self.crawler)
        if run is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        run.finish(reason, run_counts(stats))
