"""The crawl's stats collector: Scrapy's in-memory stats, counted the same."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from ccme_crawler import settings as project_settings
from ccme_crawler.stats import PlainStatsCollector


def test_values_are_counted_as_scrapys_collector_counts_them() -> None:
    stats = PlainStatsCollector(get_crawler())
    stats.inc_value("ccme/pages")
    stats.inc_value("ccme/pages", 2)
    stats.max_value("ccme/largest", 5)
    stats.max_value("ccme/largest", 3)
    assert stats.get_stats() == {"ccme/pages": 3, "ccme/largest": 5}


def test_the_crawl_uses_it() -> None:
    crawler = get_crawler(settings_dict={"STATS_CLASS": project_settings.STATS_CLASS})
    assert type(crawler.stats) is PlainStatsCollector
