"""Opening a database, its pragmas, transactions and the errors a refused write becomes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ccme_crawler.items import PageFailure
from ccme_crawler.storage import Storage, StorageBusyError, StorageError, StorageWriteError
from ccme_crawler.storage.connection import BUSY_TIMEOUT_MS
from tests.storage.records import URL, make_record


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, I am not a database" * 10, "not an SQLite database"),
    ],
)
def test_bad_files_are_refused_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        Storage.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a ccme-crawler"):
        Storage.open(path)
    assert path.read_bytes() == before


def test_corrupt_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite"
    Storage.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        Storage.open(path)
    assert path.read_bytes() == bytes(data)


def test_read_only_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    Storage.open(path).close()
    path.chmod(0o444)
    try:
        with pytest.raises(StorageError, match="read-only"):
            Storage.open(path)
    finally:
        path.chmod(0o644)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        Storage.open(tmp_path)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        Storage.open(tmp_path / "nowhere" / "ccme.sqlite")


def test_a_missing_database_is_not_created_when_reading(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    with pytest.raises(StorageError, match="no such database"):
        Storage.open(path, readonly=True)
    assert not path.exists()


def test_a_missing_database_is_not_created_without_create(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no such database"):
        Storage.open(tmp_path / "ccme.sqlite", create=False)


def test_the_database_runs_in_wal_mode(store: Storage) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_busy_timeout_is_set(store: Storage) -> None:
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(store: Storage) -> None:
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_transaction_commits_its_writes(store: Storage) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO sources (name) VALUES ('MAP')")
    assert [r["name"] for r in store.db.query("SELECT name FROM sources")] == ["MAP"]


def test_a_transaction_that_raises_writes_nothing(store: Storage) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO sources (name) VALUES ('MAP')")
        raise RuntimeError("stop")
    assert (list(store.db.query("SELECT name FROM sources")), store.conn.in_transaction) == (
        [],
        False,
    )


def test_a_full_database_is_a_write_error(store: Storage) -> None:
    # SQLite's own page limit: the same refusal ("database or disk is full") as a full disk.
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageWriteError, match="full"):
        store.upsert_article(make_record(body="x " * 20_000), run_id=None)


def test_a_refused_write_is_rolled_back(store: Storage) -> None:
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageWriteError):
        store.upsert_article(make_record(body="x " * 20_000), run_id=None)
    assert (store.article_count(), store.conn.in_transaction) == (0, False)


def test_writing_a_database_opened_read_only_is_a_write_error(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    Storage.open(path).close()
    with (
        Storage.open(path, readonly=True) as reader,
        pytest.raises(StorageWriteError, match="readonly"),
    ):
        reader.record_failure(PageFailure(URL, "timeout"), run_id=None)


def test_a_lock_held_past_the_busy_timeout_is_a_busy_error(store: Storage) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageBusyError):
            store.record_failure(PageFailure(URL, "timeout"), run_id=None)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_busy_error_is_not_a_write_error(store: Storage) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.conn.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(StorageError) as raised:
            store.record_failure(PageFailure(URL, "timeout"), run_id=None)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not isinstance(raised.value, StorageWriteError)


def test_a_standalone_database_leaves_no_wal_file(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    with Storage.open(path) as store:
        store.upsert_article(make_record(), run_id=None)
        store.make_standalone()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ccme.sqlite"]
