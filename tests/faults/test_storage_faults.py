"""A database that cannot be used, or fills its disk mid-crawl: a clear refusal, a consistent file.

The file refusals (empty, not SQLite, another application's SQLite, corrupt, read-only) are
unit-tested in tests/storage/test_connection.py; here each goes through the real command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ccme_crawler.storage import Storage
from ccme_mirror import MirrorServer
from tests.conftest import crawl, rows, run_cli
from tests.faults.helpers import default_articles, integrity, stored_urls

pytestmark = pytest.mark.integration


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _corrupt(path: Path) -> None:
    Storage.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))


def _read_only(path: Path) -> None:
    Storage.open(path).close()
    path.chmod(0o444)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_empty, "file is empty (0 bytes)"),
        (_foreign, "not a ccme-crawler one"),
        (_corrupt, "ccme.sqlite"),
        (_read_only, "read-only"),
    ],
    ids=["zero-bytes", "foreign-sqlite", "corrupt", "read-only"],
)
def test_unusable_database_is_refused_untouched_through_the_cli(
    tmp_path: Path, sample_server: MirrorServer, make: Callable[[Path], None], message: str
) -> None:
    db = tmp_path / "ccme.sqlite"
    make(db)
    before = db.read_bytes()
    result = run_cli("crawl", "--db", str(db), "--base-url", sample_server.base_url)
    db.chmod(0o644)
    lines = result.stderr.strip().splitlines()
    assert (
        result.returncode,
        len(lines),
        lines[0].startswith("Error: ") and message in lines[0],
        db.read_bytes() == before,
        sample_server.count() >= 0 and not (tmp_path / "ccme.sqlite-wal").exists(),
    ) == (1, 1, True, True, True)


# --- disk full -------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs (room for the WAL): a real file system that runs out of space (needs root and mount)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    filler.write_bytes(b"\0" * max(0, free - leave))
    return filler


def test_disk_full_stops_the_run_with_a_clear_error_and_a_consistent_file(
    small_disk: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    db = small_disk / "ccme.sqlite"
    Storage.open(db).close()
    filler = _fill(small_disk, 96 * 1024)
    full = crawl(db, server)
    partial = stored_urls(db)
    state = (integrity(db), len(partial) == len(set(partial)))
    # Space again: the next run completes the archive.
    filler.unlink()
    after = crawl(db, server)
    stored = stored_urls(db)
    orphans = rows(
        db,
        "SELECT count(*) AS n FROM article_categories WHERE article_url NOT IN "
        "(SELECT url FROM articles)",
    )[0]["n"]
    assert (
        full["returncode"],
        full["finish_reason"],
        "database or disk is full" in full["stderr"],
        len(partial) < len(default_articles(server.site)),
        state,
        after["returncode"],
        sorted(stored) == sorted(default_articles(server.site)),
        orphans,
        integrity(db),
    ) == (74, "storage_error", True, True, ("ok", True), 0, True, 0, "ok")
