"""Reading commands on a database they cannot read: one line, exit 1, nothing written.

`stats`, `search`, `export` and `package` open the database read-only; another application's
SQLite file, an archive of a newer schema, or one a first crawl is still creating used to end in
a traceback (``no such table``), and `export` left its folder behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from ccme_crawler.storage import MIGRATIONS, Storage
from tests.conftest import run_cli

pytestmark = pytest.mark.integration


@contextmanager
def _foreign(path: Path) -> Iterator[None]:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    yield


@contextmanager
def _newer(path: Path) -> Iterator[None]:
    Storage.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    yield


@contextmanager
def _being_created(path: Path) -> Iterator[None]:
    """A first crawl in the middle of creating the schema: its migration not yet committed."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    MIGRATIONS[0](sqlite_utils.Database(conn))
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file but SQLite's shared-memory and WAL companions, which any reader of a WAL
    database may create (empty) as SQLite does."""
    return {
        p.name: p.read_bytes() for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))
    }


COMMANDS = {
    "stats": ["stats"],
    "search": ["search", "maroc"],
    "export": ["export", "--format", "csv", "-o", "{tmp}/out"],
    "export-sqlite": ["export", "--format", "sqlite", "-o", "{tmp}/out/copy.sqlite"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_foreign, "not a ccme-crawler one"),
        (_newer, "is newer than this ccme-crawler"),
        (_being_created, "a first crawl may still be creating it"),
    ],
    ids=["foreign-sqlite", "newer-schema", "being-created"],
)
def test_a_database_that_cannot_be_read_is_one_line_and_nothing_written(
    tmp_path: Path,
    command: str,
    make: Callable[[Path], contextmanager[None]],
    message: str,
) -> None:
    db = tmp_path / "ccme.sqlite"
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    with make(db):
        before = _contents(tmp_path)
        result = run_cli(*args, "--db", str(db))
        after = _contents(tmp_path)
    lines = result.stderr.strip().splitlines()
    assert (
        result.returncode,
        len(lines),
        lines[0].startswith("Error: ") and message in lines[0],
        result.stdout,
        after == before,
    ) == (1, 1, True, "", True)


def test_package_refuses_a_database_of_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / "ccme-20240101000000-00000.warc.gz").write_bytes(b"")
    with _newer(db):
        result = run_cli(
            "package", "--db", str(db), "--warc", str(tmp_path / "warc"),
            "-o", str(tmp_path / "out.wacz"),
        )  # fmt: skip
    assert (
        result.returncode,
        "is newer than this ccme-crawler" in result.stderr,
        (tmp_path / "out.wacz").exists(),
    ) == (1, True, False)
