"""The run counters, read from a crawl's stats, and the clock every timestamp comes from."""

from __future__ import annotations

from datetime import datetime, timedelta

from ccme_crawler.clock import utc_now
from ccme_crawler.counters import RUN_COUNTERS, run_counts


def test_run_counts_reads_each_counter_from_its_stat() -> None:
    stats = {"downloader/response_count": 7, "ccme/articles/new": 5, "ccme/failures": 2}
    counts = run_counts(stats)
    assert (counts["pages_fetched"], counts["articles_new"], counts["failures"]) == (7, 5, 2)


def test_run_counts_gives_zero_for_a_stat_never_set() -> None:
    assert run_counts({}) == dict.fromkeys(RUN_COUNTERS, 0)


def test_utc_now_is_iso_8601_in_utc_to_the_second() -> None:
    now = datetime.fromisoformat(utc_now())
    assert (now.utcoffset(), now.microsecond) == (timedelta(0), 0)
