"""Opening a database: file checks, pragmas, WAL, the busy timeout, migrations, transactions.

Every write is one explicit transaction (``BEGIN IMMEDIATE … COMMIT``), so a crash at any point
leaves either the whole record or nothing. A crawl groups its records (:meth:`Connection.
group_write`): one transaction holds several, each inside a savepoint of its own, so that a record
is still whole or absent and a refused commit loses the group, never part of a record. The
database runs in WAL mode so that readers (Datasette, ``ccme-crawler stats``) never block the
crawl, nor the crawl them.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import sqlite_utils

from ccme_crawler.storage import schema
from ccme_crawler.storage.errors import StorageError, StorageWriteError, write_error

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
# A transaction of a batch job holds this many records or this many seconds of them, at most:
# a reextract killed midway loses no more (whole records), and readers see it progress.
BATCH_GROUP_RECORDS = 256
BATCH_GROUP_SECONDS = 0.5


def check_database_file(path: Path, *, must_exist: bool = False) -> None:
    """Refuse a file that is not a usable SQLite database, without touching it."""
    if not path.exists():
        if must_exist:
            raise StorageError(f"{path}: no such database")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise StorageError(f"{path}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise StorageError(f"{path}: folder {parent} is not writable")
        return
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    size = path.stat().st_size
    if size == 0:
        raise StorageError(f"{path}: file is empty (0 bytes), not a ccme-crawler database")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StorageError(f"{path}: not an SQLite database")


@dataclass(slots=True, eq=False)
class WriteGroup:
    """Records written into one open transaction, committed (or lost) together."""

    opened_at: float = field(default_factory=time.monotonic)
    records: int = 0
    committed: bool = False
    error: StorageError | None = None  # why the group was rolled back

    @property
    def done(self) -> bool:
        return self.committed or self.error is not None


class Connection:
    """An open ccme-crawler database: the connection every storage job shares."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._group: WriteGroup | None = None  # the open group transaction
        self._in_group_record = False

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True) -> Self:
        path = Path(path)
        check_database_file(path, must_exist=readonly or not create)
        # Mode bits too: root passes os.access() on a file its owner made read-only.
        if (
            not readonly
            and path.exists()
            and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)
        ):
            raise StorageError(f"{path}: database file is read-only")
        uri = f"file:{path.resolve()}?mode={'ro' if readonly else 'rwc'}"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{path}: cannot read database ({exc})") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StorageError(f"{path}: cannot read database ({exc})") from exc
        store = cls(conn, path)
        if readonly:
            return store
        try:
            # Checked before WAL is switched on: a file that is not ours stays untouched.
            schema.check_is_ours(path, version, store.db.table_names())
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                store._migrate()
            except StorageError as exc:  # a migration's write was refused
                raise type(exc)(f"{path}: {exc}") from exc
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"{path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def open_archive(cls, path: str | Path) -> Self:
        """Open read-only what ``stats``, ``search``, ``export`` and ``package`` read: only a
        whole ccme-crawler archive of a schema this code knows, and without writing anything."""
        store = cls.open(path, readonly=True)
        try:
            schema.check_archive(store.path, store.schema_version, store.db.table_names())
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        try:
            self.commit_group()
        finally:
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a write SQLite refuses becomes a ``StorageError``.

        ``StorageBusyError`` when another connection held the lock past the busy timeout,
        ``StorageWriteError`` for any other refusal (disk full, I/O error, read-only file).
        Inside :meth:`group_write` it is part of that record; outside, an open group is
        committed first, so that writes reach the file in the order they were made.
        """
        if self._in_group_record:
            yield self.conn
            return
        self.commit_group()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise write_error(exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.OperationalError):
                raise write_error(exc) from exc
            raise

    @contextmanager
    def batch_record(self, group_records: int = BATCH_GROUP_RECORDS) -> Iterator[WriteGroup]:
        """One record of a batch job (``reextract``, ``import``): a :meth:`group_write` that
        waits for another connection's write lock as a transaction does, its group committed
        every ``group_records`` records or ``BATCH_GROUP_SECONDS`` (call :meth:`commit_group`
        at the end)."""
        with self.group_write(wait_for_lock=True) as group:
            yield group
        age = time.monotonic() - group.opened_at
        if group.records >= group_records or age >= BATCH_GROUP_SECONDS:
            self.commit_group()

    @contextmanager
    def group_write(self, *, wait_for_lock: bool = False) -> Iterator[WriteGroup]:
        """One record's writes, added to the open group transaction (begun here if there is
        none); yields the group, to be committed with :meth:`commit_group`.

        Beginning a group does not wait for another connection's write lock: it raises
        ``StorageBusyError`` at once (the caller waits without blocking, and tries again). A
        record that raises is rolled back to its savepoint and the group goes on without it,
        unless SQLite rolled back the whole transaction (it does on a full disk or an I/O
        error): then the group is lost, ``group.error`` says why, and the error is raised.
        """
        assert not self._in_group_record, "group writes do not nest"
        if self._group is None:
            # The only wait-free statement of the group: two pragmas a group, not a record.
            if not wait_for_lock:
                self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise write_error(exc) from exc
            finally:
                if not wait_for_lock:
                    self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._group = WriteGroup()
        group = self._group
        self._in_group_record = True
        try:
            self.conn.execute("SAVEPOINT record")
            yield group
            self.conn.execute("RELEASE record")
        except BaseException as exc:
            error = write_error(exc) if isinstance(exc, sqlite3.OperationalError) else None
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK TO record")
                    self.conn.execute("RELEASE record")
                except sqlite3.Error:
                    self._rollback()  # the whole group, rather than keep part of a record
                self._forget_uncommitted()
            if not self.conn.in_transaction:
                self._lose_group(error or StorageWriteError(f"transaction rolled back ({exc})"))
            if error is not None:
                raise error from exc
            raise
        finally:
            self._in_group_record = False
        group.records += 1

    def commit_group(self) -> None:
        """Commit the open group, if any. A commit SQLite refuses rolls the group back, sets
        ``group.error`` and raises the ``StorageWriteError``."""
        group = self._group
        if group is None:
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:  # a deferred constraint fails here too (IntegrityError)
            error: StorageError = (
                write_error(exc)
                if isinstance(exc, sqlite3.OperationalError)
                else StorageWriteError(str(exc))
            )
            self._rollback()
            self._lose_group(error)
            raise error from exc
        self._group = None
        group.committed = True

    def _lose_group(self, error: StorageError) -> None:
        group, self._group = self._group, None
        if group is not None:
            group.error = error
        self._forget_uncommitted()

    def _forget_uncommitted(self) -> None:
        """Drop in-memory state that described writes a rollback undid (see AnalysisStore)."""

    def _rollback(self) -> None:
        self._forget_uncommitted()
        if not self.conn.in_transaction:
            return  # SQLite already rolled back (it does on some I/O errors and disk full)
        # The error that made us roll back is the one to report. Should ROLLBACK fail too, the
        # transaction never committed: readers never see it, and SQLite discards it on reopen.
        with suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")

    def _migrate(self) -> None:
        for number, migration in schema.pending_migrations(self.schema_version):
            with self.transaction():
                migration(self.db)
                self.conn.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def make_standalone(self) -> None:
        """One self-contained file, no ``-wal``/``-shm`` beside it: for exports.

        No VACUUM: it may renumber the rowids of ``articles`` (a table keyed by TEXT), which the
        external-content full-text index points at.
        """
        self.conn.execute("PRAGMA journal_mode = DELETE")
