"""How a run ends: close reason → crawl_runs status → exit status (ccme_crawler.run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from ccme_crawler.run import (
    CLOSE_REASONS,
    EXIT_FAILURES,
    EXIT_INTERRUPTED,
    EXIT_NOTHING_DISCOVERED,
    EXIT_OK,
    EXIT_RATE_LIMITED,
    EXIT_SITE_CHANGED,
    EXIT_SITE_DOWN,
    EXIT_STORAGE_ERROR,
    Run,
    exit_status,
    run_status,
)
from ccme_crawler.storage import Storage

CLEAN = {"pages_fetched": 10, "failures": 0}


def test_finished_run_is_completed() -> None:
    assert run_status("finished", walks_open=False) == "completed"


def test_finished_run_with_a_walk_left_open_is_incomplete() -> None:
    assert run_status("finished", walks_open=True) == "incomplete"


def test_shutdown_is_interrupted() -> None:
    assert run_status("shutdown", walks_open=True) == "interrupted"


def test_site_down_run_failed() -> None:
    assert run_status("site_down", walks_open=False) == "failed"


def test_unknown_close_reason_failed() -> None:
    assert run_status("closespider_timeout", walks_open=False) == "failed"


def test_every_close_reason_maps_to_its_status() -> None:
    assert {reason: outcome.status for reason, outcome in CLOSE_REASONS.items()} == {
        "finished": "completed",
        "shutdown": "interrupted",
        "site_down": "failed",
        "robots_unavailable": "failed",
        "rate_limited": "failed",
        "storage_error": "failed",
        "nothing_discovered": "failed",
        "site_changed": "completed",
    }


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("completed", "finished", EXIT_OK),
        ("incomplete", "finished", EXIT_FAILURES),
        ("interrupted", "shutdown", EXIT_INTERRUPTED),
        ("interrupted", "shutdown_grace_over", EXIT_INTERRUPTED),
        ("failed", "site_down", EXIT_SITE_DOWN),
        ("failed", "robots_unavailable", EXIT_SITE_DOWN),
        ("failed", "rate_limited", EXIT_RATE_LIMITED),
        ("failed", "storage_error", EXIT_STORAGE_ERROR),
        ("failed", "nothing_discovered", EXIT_NOTHING_DISCOVERED),
        ("completed", "site_changed", EXIT_SITE_CHANGED),
        ("incomplete", "site_changed", EXIT_SITE_CHANGED),
        ("failed", "closespider_timeout", EXIT_FAILURES),
        ("failed", "finished", EXIT_FAILURES),
    ],
)
def test_exit_status_of_each_outcome(status: str, reason: str, expected: int) -> None:
    assert exit_status(status, reason, CLEAN, threshold=0.0) == expected


def test_completed_run_with_failures_over_the_threshold_exits_1() -> None:
    counts = {"pages_fetched": 10, "failures": 2}
    assert exit_status("completed", "finished", counts, threshold=0.1) == EXIT_FAILURES


def test_completed_run_with_failures_within_the_threshold_exits_0() -> None:
    counts = {"pages_fetched": 10, "failures": 1}
    assert exit_status("completed", "finished", counts, threshold=0.1) == EXIT_OK


def test_site_down_exits_3_whatever_the_status() -> None:
    assert exit_status("interrupted", "site_down", CLEAN, threshold=0.0) == EXIT_SITE_DOWN


def test_a_finished_run_that_saw_the_site_changed_ends_with_its_own_reason(
    tmp_path: Path,
) -> None:
    crawler = get_crawler(
        settings_dict={"CCME_DB_PATH": str(tmp_path / "db"), "CCME_LOCK_HELD": True}
    )
    run = Run.of(crawler)
    run.site_changed = ["listing pages with no items: 2 of 2 (100%)"]
    status = run.finish("finished", {})
    with Storage.open(tmp_path / "db") as storage:
        row = storage.get_run(run.run_id)
    assert (status, row["finish_reason"], row["site_changed"]) == (
        "completed",
        "site_changed",
        '["listing pages with no items: 2 of 2 (100%)"]',
    )


def test_a_crawler_has_one_run(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"CCME_DB_PATH": str(tmp_path / "db"), "CCME_LOCK_HELD": True}
    )
    run = Run.of(crawler)
    try:
        assert Run.of(crawler) is run
    finally:
        run.storage.close()


def test_a_crawler_has_no_run_before_first_use(tmp_path: Path) -> None:
    crawler = get_crawler(
        settings_dict={"CCME_DB_PATH": str(tmp_path / "db"), "CCME_LOCK_HELD": True}
    )
    assert Run.existing(crawler) is None


def test_finished_run_records_its_completed_walks(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    crawler = get_crawler(settings_dict={"CCME_DB_PATH": str(db), "CCME_LOCK_HELD": True})
    run = Run.of(crawler)
    run.walk_started("/category/x/", "complete")
    run.walk_completed("/category/x/", pages=3, reached_end=True)
    run.finish("finished", {"pages_fetched": 3})
    with Storage.open(db) as storage:
        assert storage.has_complete_full_walk("/category/x/")


def test_finished_run_with_an_open_walk_is_stored_incomplete(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    crawler = get_crawler(settings_dict={"CCME_DB_PATH": str(db), "CCME_LOCK_HELD": True})
    run = Run.of(crawler)
    run.walk_started("/category/x/", "complete")
    run.finish("finished", {"pages_fetched": 3})
    with Storage.open(db) as storage:
        row = storage.get_run(run.run_id)
    assert row is not None and row["status"] == "incomplete"


def test_a_run_left_running_is_marked_interrupted_by_the_next(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    settings = {"CCME_DB_PATH": str(db), "CCME_LOCK_HELD": True}
    first = Run.of(get_crawler(settings_dict=settings))
    first.storage.close()  # killed: never finished
    second = Run.of(get_crawler(settings_dict=settings))
    second.storage.close()
    assert second.resumed_run_ids == [first.run_id]
