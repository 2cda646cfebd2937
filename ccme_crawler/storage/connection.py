"""Opening a database: file checks, pragmas, WAL, the busy timeout, migrations, transactions.

Every write is one explicit transaction (``BEGIN IMMEDIATE … COMMIT``), so a crash at any point
leaves either the whole record or nothing. The database runs in WAL mode so that readers
(Datasette, ``ccme-crawler stats``) never block the crawl, nor the crawl them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self

import sqlite_utils

from ccme_crawler.storage import schema
from ccme_crawler.storage.errors import StorageError, write_error

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000


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


class Connection:
    """An open ccme-crawler database: the connection every storage job shares."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)

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

    def close(self) -> None:
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
        """
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

    def _rollback(self) -> None:
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
