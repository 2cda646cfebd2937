"""A lock file beside the database so that two runs never write the same archive at once."""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

# O_NOFOLLOW: a lock path that is a symbolic link is refused, never followed (it would truncate
# its target). O_CLOEXEC: Scrapy's children, if any, do not inherit the lock.
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC


class LockHeld(Exception):
    """Another live process holds the lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"{path}: {who} is already crawling into this database")


class LockPathError(Exception):
    """The lock path cannot be a lock file (a symbolic link, a folder, a special file…)."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        super().__init__(f"lock file {path}: {why}")


def lock_path_for(db_path: str | Path) -> Path:
    """``<database>.lock`` beside the file the path resolves to.

    Every spelling of the database's path (relative, ``..``, a symbolic link to it) names the
    same lock, so a second run cannot slip past a live one and mark it dead.
    """
    return Path(f"{Path(db_path).resolve()}.lock")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _open_lock_file(path: Path) -> int:
    try:
        fd = os.open(path, _OPEN_FLAGS, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LockPathError(path, "is a symbolic link; refusing to follow it") from None
        if exc.errno == errno.EISDIR:
            raise LockPathError(path, "is a folder, not a lock file") from None
        raise LockPathError(path, exc.strerror or str(exc)) from None
    info = os.fstat(fd)
    why = None
    if not stat.S_ISREG(info.st_mode):
        why = "is not a regular file"
    elif info.st_nlink > 1:
        # A hard link to another file: writing our pid would overwrite that file.
        why = "has other hard links; refusing to write to it"
    if why is not None:
        os.close(fd)
        raise LockPathError(path, why)
    return fd


def _still_named_by(fd: int, path: Path) -> bool:
    """True when ``path`` still names the open file (its last owner may have removed it)."""
    try:
        named = os.lstat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


class RunLock:
    """An exclusive ``flock`` on ``<db>.lock`` holding the owner's pid.

    The kernel drops a flock when its process dies, so a lock left by a killed run is free; the
    pid left in the file tells us to warn that we take it over. A run that ends removes the
    file (while still holding the lock; a process that opened it meanwhile sees it gone and
    tries again), so no lock file is left beside a database, nor beside a refused file.
    """

    def __init__(self, db_path: str | Path) -> None:
        self.path = lock_path_for(db_path)
        self._fd: int | None = None
        self.took_over_from: int | None = None

    def acquire(self) -> RunLock:
        while True:
            fd = _open_lock_file(self.path)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                raise LockHeld(self.path, pid) from None
            if _still_named_by(fd, self.path):
                break
            os.close(fd)  # removed by the run that just ended: lock the new file instead
        previous = _read_pid(fd)
        if previous and previous != os.getpid():
            self.took_over_from = previous
            state = "alive but not holding it" if _pid_alive(previous) else "dead"
            logger.warning(
                "Taking over the lock %s left by process %s (%s)", self.path, previous, state
            )
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        if _still_named_by(self._fd, self.path):
            self.path.unlink(missing_ok=True)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_pid(fd: int) -> int | None:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 64).decode(errors="replace").strip()
    return int(text) if text.isdigit() else None
