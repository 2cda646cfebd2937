"""Does a crawl still see the site it was built for? (docs/doctor.md, "In a crawl")

A redesign does not make pages fail: they answer 200 and extraction reads chrome. What shows is
a change in what the pages yield: listing pages with no items, articles read by the fallback
extractor, titles or dates missing. :func:`assess` compares a run's counts with the thresholds
(settings ``CCME_CHANGE_*``) and says what crossed them; :class:`SiteHealthExtension` counts
during the crawl and hands the verdict to the run (``Run.site_changed``, stat
``ccme/site_changed``), which records it in ``crawl_runs.site_changed`` and ends with the close
reason ``site_changed`` (exit status 7, ``run.CLOSE_REASONS``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from ccme_crawler.items import ArticleRecord, ListingEntry, PageFailure
from ccme_crawler.run import Run

logger = logging.getLogger(__name__)

STAT_EMPTY_LISTINGS = "ccme/health/listing_pages_empty"
# Page 1 of a listing empty in every earlier run too (an empty category): not counted as empty.
STAT_EMPTY_AS_BEFORE = "ccme/health/listing_pages_empty_as_before"
STAT_NO_TITLE = "ccme/health/articles_without_title"
STAT_SITE_CHANGED = "ccme/site_changed"
_READ_WITHOUT_ITEMS = ("listing_empty", "listing_not_a_listing")


@dataclass(frozen=True)
class ChangeThresholds:
    """Shares above which a run says the site changed (``CCME_CHANGE_*`` settings)."""

    empty_listings: float = 0.2  # listing pages with no items, of the listing pages read
    fallback: float = 0.2  # articles read by the fallback extractor, of the articles read
    missing_titles: float = 0.05
    missing_dates: float = 0.05
    min_articles: int = 5  # below this many articles the shares say nothing

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ChangeThresholds:
        return cls(
            empty_listings=settings.getfloat("CCME_CHANGE_EMPTY_LISTINGS", cls.empty_listings),
            fallback=settings.getfloat("CCME_CHANGE_FALLBACK", cls.fallback),
            missing_titles=settings.getfloat("CCME_CHANGE_MISSING_TITLES", cls.missing_titles),
            missing_dates=settings.getfloat("CCME_CHANGE_MISSING_DATES", cls.missing_dates),
            min_articles=settings.getint("CCME_CHANGE_MIN_ARTICLES", cls.min_articles),
        )


@dataclass(frozen=True)
class HealthCounts:
    listing_pages: int = 0
    empty_listing_pages: int = 0
    articles: int = 0  # pages read as articles (stored or refused for having no content)
    fallback: int = 0
    without_title: int = 0
    without_date: int = 0

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any]) -> HealthCounts:
        no_content = int(stats.get("ccme/failures/no_content", 0))
        return cls(
            listing_pages=int(stats.get("ccme/listing_pages", 0)),
            empty_listing_pages=int(stats.get(STAT_EMPTY_LISTINGS, 0)),
            articles=int(stats.get("ccme/extraction/articles", 0)),
            fallback=int(stats.get("ccme/extraction/fallback", 0)),
            without_title=int(stats.get(STAT_NO_TITLE, 0)) + no_content,
            without_date=int(stats.get("ccme/extraction/no_date", 0))
            + int(stats.get("ccme/extraction/date_unreadable", 0)),
        )


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.0%})"


def assess(counts: HealthCounts, thresholds: ChangeThresholds) -> list[str]:
    """What in a run's counts says the site changed, one message a signal (empty: healthy)."""
    messages = []
    if counts.listing_pages and (
        counts.empty_listing_pages / counts.listing_pages > thresholds.empty_listings
    ):
        messages.append(
            f"listing pages with no items: {_share(counts.empty_listing_pages, counts.listing_pages)}"
            f" > CCME_CHANGE_EMPTY_LISTINGS={thresholds.empty_listings:g}"
        )
    if counts.articles >= thresholds.min_articles:
        for count, limit, name, what in (
            (counts.fallback, thresholds.fallback, "FALLBACK", "articles read by the fallback"),
            (counts.without_title, thresholds.missing_titles, "MISSING_TITLES", "without title"),
            (counts.without_date, thresholds.missing_dates, "MISSING_DATES", "without date"),
        ):
            if count / counts.articles > limit:
                messages.append(
                    f"{what}: {_share(count, counts.articles)} > CCME_CHANGE_{name}={limit:g}"
                )
    return messages


class SiteHealthExtension:
    """Counts what the pages yield and, at the end of the run, tells the run whether the site
    looks changed (before ``CrawlRunExtension`` closes the run: its priority comes first)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.thresholds = ChangeThresholds.from_settings(crawler.settings)
        self.listings_with_items: set[str] = set()
        # Listing pages that could not be read at all (an image, a binary file): failures, not
        # a redesign. A page read with no items ("listing_empty", "listing_not_a_listing") is
        # what a redesign looks like, and counts as empty.
        self.listings_failed: set[str] = set()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteHealthExtension:
        return cls(crawler)

    def item_scraped(self, item: Any) -> None:
        assert self.crawler.stats is not None
        if isinstance(item, ListingEntry):
            self.listings_with_items.add(item.listing_url)
        elif (
            isinstance(item, PageFailure)
            and item.kind == "listing"
            and item.reason not in _READ_WITHOUT_ITEMS
        ):
            self.listings_failed.add(item.url)
        elif isinstance(item, ArticleRecord) and not item.article.title:
            self.crawler.stats.inc_value(STAT_NO_TITLE)

    def spider_closed(self, reason: str) -> None:
        stats = self.crawler.stats
        run = Run.existing(self.crawler)
        if stats is None or run is None:
            return
        listing_pages = int(stats.get_value("ccme/listing_pages", 0))
        failed = self.listings_failed - self.listings_with_items
        as_before = int(stats.get_value(STAT_EMPTY_AS_BEFORE, 0))
        empty = listing_pages - len(self.listings_with_items) - len(failed) - as_before
        stats.set_value(STAT_EMPTY_LISTINGS, max(0, empty))
        messages = assess(HealthCounts.from_stats(stats.get_stats()), self.thresholds)
        if messages:
            stats.set_value(STAT_SITE_CHANGED, "; ".join(messages))
            logger.warning("The site looks changed: %s", "; ".join(messages))
        run.site_changed = messages
