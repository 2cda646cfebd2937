"""Run bookkeeping: crawl_runs and category_walks."""

from __future__ import annotations

import os
from typing import Any

import pytest

from ccme_crawler.counters import RUN_COUNTERS
from ccme_crawler.storage import Storage
from tests.storage.records import ACTIVITES, MEDIAS


def start(store: Storage, **changes: Any) -> int:
    arguments: dict[str, Any] = {
        "mode": "auto",
        "base_url": "http://127.0.0.1:8000",
        "categories": [MEDIAS],
        "settings": {"DOWNLOAD_DELAY": 1.0},
        "software_version": "1.2.3",
        **changes,
    }
    return store.start_run(**arguments)


def test_a_started_run_is_running(store: Storage) -> None:
    run = store.get_run(start(store))
    assert run is not None and (run["status"], run["pid"]) == ("running", os.getpid())


def test_a_run_records_its_categories_and_settings(store: Storage) -> None:
    run = store.get_run(start(store))
    assert run is not None and (run["categories"], run["settings"]) == (
        f'["{MEDIAS}"]',
        '{"DOWNLOAD_DELAY": 1.0}',
    )


def test_an_unknown_run_is_none(store: Storage) -> None:
    assert store.get_run(42) is None


def test_finish_run_records_status_reason_and_counters(store: Storage) -> None:
    run_id = start(store)
    store.finish_run(run_id, "completed", {"pages_fetched": 12, "articles_new": 10}, "finished")
    run = store.get_run(run_id)
    assert run is not None and (
        run["status"],
        run["finish_reason"],
        run["pages_fetched"],
        run["articles_new"],
        run["failures"],
        run["ended_at"] is not None,
    ) == ("completed", "finished", 12, 10, 0, True)


def test_every_run_counter_is_a_crawl_runs_column(store: Storage) -> None:
    run_id = start(store)
    store.finish_run(run_id, "completed", dict.fromkeys(RUN_COUNTERS, 3), "finished")
    run = store.get_run(run_id)
    assert run is not None and {name: run[name] for name in RUN_COUNTERS} == dict.fromkeys(
        RUN_COUNTERS, 3
    )


def test_an_unknown_counter_is_refused(store: Storage) -> None:
    run_id = start(store)
    with pytest.raises(ValueError, match="articles_lost"):
        store.finish_run(run_id, "completed", {"articles_lost": 1}, "finished")


def test_a_run_never_finished_is_abandoned(store: Storage) -> None:
    run_id = start(store)
    assert [run["id"] for run in store.abandoned_runs()] == [run_id]


def test_an_interrupted_run_is_no_longer_abandoned(store: Storage) -> None:
    run_id = start(store)
    store.mark_run_interrupted(run_id, "process died")
    run = store.get_run(run_id)
    assert (store.abandoned_runs(), run and run["status"], run and run["finish_reason"]) == (
        [],
        "interrupted",
        "process died",
    )


def test_a_full_walk_that_reached_its_end_is_complete(store: Storage) -> None:
    run_id = start(store)
    store.start_category_walk(run_id, MEDIAS, "full")
    store.complete_category_walk(run_id, MEDIAS, pages=40, reached_end=True)
    assert store.has_complete_full_walk(MEDIAS)


def test_a_walk_that_stopped_early_is_not_complete(store: Storage) -> None:
    run_id = start(store)
    store.start_category_walk(run_id, MEDIAS, "complete")
    store.complete_category_walk(run_id, MEDIAS, pages=3, reached_end=False)
    assert not store.has_complete_full_walk(MEDIAS)


def test_a_refresh_walk_is_not_a_full_walk(store: Storage) -> None:
    run_id = start(store)
    store.start_category_walk(run_id, MEDIAS, "refresh")
    store.complete_category_walk(run_id, MEDIAS, pages=1, reached_end=True)
    assert not store.has_complete_full_walk(MEDIAS)


def test_a_walk_started_but_never_completed_is_not_complete(store: Storage) -> None:
    store.start_category_walk(start(store), MEDIAS, "full")
    assert not store.has_complete_full_walk(MEDIAS)


def test_a_walk_of_another_category_does_not_count(store: Storage) -> None:
    run_id = start(store)
    store.start_category_walk(run_id, ACTIVITES, "full")
    store.complete_category_walk(run_id, ACTIVITES, pages=5, reached_end=True)
    assert not store.has_complete_full_walk(MEDIAS)


def test_runs_by_id_gives_the_asked_runs_oldest_first(store: Storage) -> None:
    first, _not_asked, third = start(store), start(store), start(store)
    assert [run["id"] for run in store.runs_by_id([third, first, third])] == [first, third]
