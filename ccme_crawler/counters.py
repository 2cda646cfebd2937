"""The counters a run records, defined once.

The crawl counts them in Scrapy stats, ``crawl_runs`` keeps them one column each; the names here
are those columns, the values the stats they are read from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

RUN_COUNTERS: dict[str, str] = {
    "pages_fetched": "downloader/response_count",
    "listing_pages": "ccme/listing_pages",
    "articles_new": "ccme/articles/new",
    "articles_updated": "ccme/articles/updated",
    "articles_unchanged": "ccme/articles/unchanged",
    "articles_not_modified": "ccme/articles/not_modified",
    "failures": "ccme/failures",
    "fallback_extractions": "ccme/extraction/fallback",
    "dates_unreadable": "ccme/extraction/date_unreadable",
    "empty_bodies": "ccme/extraction/empty_body",
    "articles_from_sitemap": "ccme/articles/from_sitemap",
}


def run_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Every run counter, read from a crawl's stats (0 when a stat was never set)."""
    counts = {name: int(stats.get(stat, 0)) for name, stat in RUN_COUNTERS.items()}
    # Page requisites (stylesheets, images… captured with the pages) are counted apart.
    counts["pages_fetched"] -= int(stats.get("ccme/requisites/responses", 0))
    return counts
