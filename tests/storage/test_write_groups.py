"""Group transactions: several records a commit, each record whole or absent."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from pathlib import Path

import pytest

from ccme_crawler.items import PageFailure
from ccme_crawler.storage import Storage, StorageBusyError, StorageWriteError
from tests.storage.records import URL, make_record

OTHER = "https://www.ccme.org.ma/un-autre-article/"


def _at(url: str, **changes: object):  # type: ignore[no-untyped-def]
    record = make_record(**changes)
    return dataclasses.replace(record, article=dataclasses.replace(record.article, url=url))


def _urls(path: Path) -> list[str]:
    # Read by another connection: what a reader (or the next run) sees.
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT url FROM articles ORDER BY url")]


def _store_two(store: Storage) -> None:
    for url in (URL, OTHER):
        with store.group_write():
            store.upsert_article(_at(url), run_id=None)


def _break_the_commit(store: Storage) -> None:
    # A constraint checked at COMMIT only: SQLite refuses the commit itself.
    store.conn.execute("PRAGMA defer_foreign_keys = ON")
    with store.group_write():
        store.conn.execute("INSERT INTO article_categories VALUES (?, 999999, 'post')", (URL,))


def test_a_group_is_not_seen_before_its_commit(store: Storage) -> None:
    _store_two(store)
    assert _urls(store.path) == []


def test_a_committed_group_holds_every_record(store: Storage) -> None:
    _store_two(store)
    store.commit_group()
    assert _urls(store.path) == sorted([URL, OTHER])


def test_a_group_counts_its_records(store: Storage) -> None:
    for url in (URL, OTHER):
        with store.group_write() as group:
            store.upsert_article(_at(url), run_id=None)
    assert group.records == 2


def test_a_record_that_raises_is_absent_and_its_group_goes_on(store: Storage) -> None:
    with store.group_write():
        store.upsert_article(_at(OTHER), run_id=None)
    with pytest.raises(RuntimeError), store.group_write():
        store.upsert_article(make_record(), run_id=None)
        raise RuntimeError("stop half-way")
    store.commit_group()
    assert _urls(store.path) == [OTHER]


def test_a_refused_commit_loses_the_whole_group(store: Storage) -> None:
    with store.group_write() as group:
        store.upsert_article(_at(OTHER), run_id=None)
    _break_the_commit(store)
    with pytest.raises(StorageWriteError):
        store.commit_group()
    assert (_urls(store.path), group.done, store.conn.in_transaction) == ([], True, False)


def test_a_refused_commit_is_the_groups_error(store: Storage) -> None:
    with store.group_write() as group:
        store.upsert_article(_at(OTHER), run_id=None)
    _break_the_commit(store)
    with pytest.raises(StorageWriteError) as raised:
        store.commit_group()
    assert group.error is raised.value


def test_a_full_disk_mid_group_leaves_whole_records_only(store: Storage) -> None:
    with store.group_write() as group:
        store.upsert_article(_at(OTHER), run_id=None)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageWriteError), store.group_write():
        store.upsert_article(make_record(body="x " * 20_000), run_id=None)
    store.conn.execute("PRAGMA max_page_count = 1000000")
    # SQLite undid the statement and kept the transaction: the record before it commits.
    store.commit_group()
    assert (group.committed, _urls(store.path)) == (True, [OTHER])


def test_a_write_outside_the_group_commits_the_group_first(store: Storage) -> None:
    with store.group_write():
        store.upsert_article(make_record(), run_id=None)
    store.record_failure(PageFailure(OTHER, "timeout"), run_id=None)
    assert _urls(store.path) == [URL]


def test_a_group_does_not_wait_for_another_writer(store: Storage) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageBusyError), store.group_write():
            store.upsert_article(make_record(), run_id=None)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_the_usual_busy_timeout_is_back_after_a_group_begins(store: Storage) -> None:
    with store.group_write():
        store.upsert_article(make_record(), run_id=None)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_closing_commits_the_open_group(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    store = Storage.open(path)
    with store.group_write():
        store.upsert_article(make_record(), run_id=None)
    store.close()
    assert _urls(path) == [URL]


def test_a_batch_record_commits_its_group_once_full(store: Storage) -> None:
    for url in (URL, OTHER):
        with store.batch_record(group_records=2):
            store.upsert_article(_at(url), run_id=None)
    assert _urls(store.path) == sorted([URL, OTHER])


def test_a_batch_record_short_of_a_full_group_stays_uncommitted(store: Storage) -> None:
    with store.batch_record(group_records=2):
        store.upsert_article(_at(URL), run_id=None)
    assert _urls(store.path) == []


def test_a_batch_record_waits_for_another_writer_as_a_transaction_does(
    store: Storage,
) -> None:
    """The crawl's group_write would raise StorageBusyError at once; a batch job waits."""
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.3, lambda: other.execute("ROLLBACK"))
    releaser.start()
    try:
        with store.batch_record(group_records=1):
            store.upsert_article(_at(URL), run_id=None)
    finally:
        releaser.join()
        other.close()
    assert _urls(store.path) == [URL]
