"""Replacing files atomically: readers see the old content or the new, never a part.

A file is written under a hidden temporary name in the target's own folder (``os.replace`` is
atomic only within one file system), flushed to disk, then renamed over the target; the folder
is flushed too, so that the rename survives a power cut. On any error the temporary file goes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def temp_path_beside(path: Path) -> Path:
    """A new, unused hidden name in ``path``'s folder, to write and then rename into place."""
    return path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_replace(path: Path, *, leftovers: Sequence[str] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block succeeds, it replaces ``path``.

    The block creates the file at the yielded path by any means (``open``, SQLite, pyarrow).
    ``leftovers`` are suffixes of files the writer may leave beside it (``"-wal"`` for SQLite),
    removed with it on failure.
    """
    path = Path(path)
    tmp = temp_path_beside(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        for name in (tmp, *(Path(f"{tmp}{suffix}") for suffix in leftovers)):
            name.unlink(missing_ok=True)
        raise
    _fsync(path.parent, directory=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file (UTF-8, ``\\n`` line ends) atomically."""
    # Mode "x", not mkstemp: the file gets the usual permissions (umask), not 0600.
    with atomic_replace(path) as tmp, tmp.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
