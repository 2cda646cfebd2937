"""What storage raises: callers need not know SQLite's exceptions."""

from __future__ import annotations

import sqlite3


class StorageError(Exception):
    """The database cannot be used; the message says why in one line."""


class StorageWriteError(StorageError):
    """SQLite refused a write (disk full, I/O error, read-only file, …); it was rolled back."""


class StorageBusyError(StorageError):
    """Another connection held the database longer than the busy timeout; nothing was written."""


_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def write_error(exc: sqlite3.OperationalError) -> StorageError:
    """The storage error for a write SQLite refused: busy, or unable to write at all."""
    # Extended result codes carry the primary code in their low byte.
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code in _BUSY_CODES:
        return StorageBusyError(str(exc))
    return StorageWriteError(str(exc))
