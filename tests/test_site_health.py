"""A crawl notices when the site's pages stop looking like the site (site_health.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccme_crawler.site_health import ChangeThresholds, HealthCounts, assess
from ccme_crawler.storage import Storage
from ccme_mirror import MirrorServer, generate_site, sample_site
from tests.helpers import crawl, rows

DEFAULT = ChangeThresholds()


def test_healthy_counts_say_nothing() -> None:
    counts = HealthCounts(listing_pages=12, empty_listing_pages=0, articles=100, fallback=2)
    assert assess(counts, DEFAULT) == []


def test_listing_pages_without_items_say_the_site_changed() -> None:
    counts = HealthCounts(listing_pages=3, empty_listing_pages=3)
    assert assess(counts, DEFAULT) == [
        "listing pages with no items: 3 of 3 (100%) > CCME_CHANGE_EMPTY_LISTINGS=0.2"
    ]


def test_fallback_share_over_the_threshold() -> None:
    counts = HealthCounts(listing_pages=2, articles=20, fallback=5)
    assert assess(counts, DEFAULT) == [
        "articles read by the fallback: 5 of 20 (25%) > CCME_CHANGE_FALLBACK=0.2"
    ]


def test_missing_titles_and_dates_over_the_threshold() -> None:
    counts = HealthCounts(listing_pages=2, articles=10, without_title=1, without_date=2)
    assert assess(counts, DEFAULT) == [
        "without title: 1 of 10 (10%) > CCME_CHANGE_MISSING_TITLES=0.05",
        "without date: 2 of 10 (20%) > CCME_CHANGE_MISSING_DATES=0.05",
    ]


def test_too_few_articles_say_nothing() -> None:
    counts = HealthCounts(listing_pages=1, articles=4, fallback=4, without_date=4)
    assert assess(counts, DEFAULT) == []


def test_thresholds_come_from_settings() -> None:
    from scrapy.settings import Settings

    settings = Settings({"CCME_CHANGE_FALLBACK": "0.5", "CCME_CHANGE_MIN_ARTICLES": "2"})
    thresholds = ChangeThresholds.from_settings(settings)
    assert (thresholds.fallback, thresholds.min_articles, thresholds.empty_listings) == (
        0.5,
        2,
        0.2,
    )


def test_counts_read_from_stats() -> None:
    stats = {
        "ccme/listing_pages": 4,
        "ccme/health/listing_pages_empty": 1,
        "ccme/extraction/articles": 9,
        "ccme/extraction/fallback": 3,
        "ccme/health/articles_without_title": 1,
        "ccme/failures/no_content": 2,
        "ccme/extraction/no_date": 1,
        "ccme/extraction/date_unreadable": 1,
    }
    assert HealthCounts.from_stats(stats) == HealthCounts(4, 1, 9, 3, 3, 2)


def test_migration_adds_the_column(tmp_path: Path) -> None:
    with Storage.open(tmp_path / "ccme.sqlite") as store:
        columns = {c.name for c in store.db["crawl_runs"].columns}
    assert "site_changed" in columns


# -- in a crawl -----------------------------------------------------------------------------


def crawl_variant(tmp_path: Path, variant: str, *extra: str) -> tuple[dict, list[dict]]:  # type: ignore[type-arg]
    site = generate_site(40, seed=8, variant=variant)
    medias = next(c for c in site.categories if c.language == "fr" and c.key == "archives")
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(site) as server:
        summary = crawl(db, server, "--category", medias.path, *extra)
    return summary, rows(db, "SELECT status, finish_reason, site_changed FROM crawl_runs")


@pytest.mark.integration
def test_redesigned_listings_end_the_crawl_with_status_7(tmp_path: Path) -> None:
    summary, runs = crawl_variant(tmp_path, "redesigned")
    assert (
        summary["returncode"],
        summary["site_changed"],
        [(r["finish_reason"], r["site_changed"]) for r in runs],
    ) == (
        7,
        ["listing pages with no items: 1 of 1 (100%) > CCME_CHANGE_EMPTY_LISTINGS=0.2"],
        [
            (
                "site_changed",
                '["listing pages with no items: 1 of 1 (100%) > CCME_CHANGE_EMPTY_LISTINGS=0.2"]',
            )
        ],
    )


@pytest.mark.integration
def test_a_discovered_crawl_of_a_redesigned_mirror_says_the_site_changed(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(generate_site(40, seed=8, variant="redesigned")) as server:
        summary = crawl(db, server)
    runs = rows(db, "SELECT status, finish_reason FROM crawl_runs")
    assert (summary["returncode"], bool(summary["site_changed"]), runs) == (
        7,
        True,
        [{"status": "completed", "finish_reason": "site_changed"}],
    )


@pytest.mark.integration
def test_redesigned_posts_are_read_by_the_fallback_and_said_so(tmp_path: Path) -> None:
    summary, _ = crawl_variant(tmp_path, "redesigned-posts")
    assert (summary["returncode"], [m.split(":")[0] for m in summary["site_changed"]]) == (
        7,
        ["articles read by the fallback"],
    )


@pytest.mark.integration
def test_the_threshold_is_settable(tmp_path: Path) -> None:
    summary, runs = crawl_variant(tmp_path, "redesigned-posts", "-s", "CCME_CHANGE_FALLBACK=1")
    assert (summary["returncode"], summary["site_changed"], runs[0]["site_changed"]) == (
        0,
        [],
        None,
    )


@pytest.mark.integration
def test_a_healthy_crawl_records_no_change(tmp_path: Path) -> None:
    with MirrorServer(sample_site()) as server:
        summary = crawl(tmp_path / "ccme.sqlite", server)
    runs = rows(tmp_path / "ccme.sqlite", "SELECT site_changed FROM crawl_runs")
    assert (summary["returncode"], summary["site_changed"], runs) == (
        0,
        [],
        [{"site_changed": None}],
    )


@pytest.mark.integration
def test_a_category_empty_in_earlier_runs_too_is_no_change(tmp_path: Path) -> None:
    """WordPress lists a category with no posts (200, no items): a refresh, which reads page 1
    of each listing, finds those as empty as before."""
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(generate_site(40, seed=20261201, variant="partial")) as server:
        crawl(db, server)
        refresh = crawl(db, server)
    assert (refresh["returncode"], refresh["site_changed"]) == (0, [])


@pytest.mark.integration
def test_listings_that_had_posts_and_lost_them_say_the_site_changed(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(generate_site(40, seed=8)) as server:
        assert crawl(db, server)["returncode"] == 0
    with MirrorServer(generate_site(40, seed=8, variant="redesigned")) as server:
        refresh = crawl(db, server)
    assert (refresh["returncode"], [m.split(":")[0] for m in refresh["site_changed"]]) == (
        7,
        ["listing pages with no items"],
    )
