"""The crawl's stats collector."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class PlainStatsCollector(MemoryStatsCollector):
    """Scrapy's in-memory stats without the check it wraps around every attribute access.

    Scrapy 2.13's ``StatsCollector.__getattribute__`` wraps the stats methods to warn about the
    deprecated ``spider`` argument and, for every other attribute (``_stats`` inside each
    ``inc_value``), raises and catches an AttributeError first: a crawl increments stats about
    twenty times a page. Nothing here passes ``spider``; the methods still accept it.
    """

    __getattribute__ = object.__getattribute__
