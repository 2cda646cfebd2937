"""The run lock: keyed on the database file itself, never following a link, never left behind."""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ccme_crawler.storage import Storage
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import delay
from tests.faults.helpers import wait_for_articles
from tests.helpers import FAST_SETTINGS, rows, run_cli, start_crawl

pytestmark = pytest.mark.integration

NOWHERE = ("--base-url", "http://127.0.0.1:9", "--no-progress")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_lock_path_that_is_a_symlink_is_refused_and_its_target_untouched(
    tmp_path: Path,
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("a researcher's notes\n")
    (tmp_path / "ccme.sqlite.lock").symlink_to(precious)
    result = run_cli("crawl", "--db", str(tmp_path / "ccme.sqlite"), *NOWHERE)
    assert (
        result.returncode,
        "symbolic link" in result.stderr.strip().splitlines()[-1],
        precious.read_text(),
        _files(tmp_path),
    ) == (2, True, "a researcher's notes\n", ["ccme.sqlite.lock", "precious.txt"])


def test_a_lock_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ccme.sqlite.lock").mkdir()
    result = run_cli("crawl", "--db", str(tmp_path / "ccme.sqlite"), *NOWHERE)
    assert (
        result.returncode,
        result.stderr.strip().splitlines()[-1],
        "Traceback" in result.stderr,
        _files(tmp_path),
    ) == (
        2,
        f"Error: lock file {tmp_path}/ccme.sqlite.lock: is a folder, not a lock file",
        False,
        ["ccme.sqlite.lock"],
    )


def test_a_lock_file_with_another_name_hard_linked_is_refused(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("a researcher's notes\n")
    os.link(precious, tmp_path / "ccme.sqlite.lock")
    result = run_cli("crawl", "--db", str(tmp_path / "ccme.sqlite"), *NOWHERE)
    assert (result.returncode, "hard links" in result.stderr, precious.read_text()) == (
        2,
        True,
        "a researcher's notes\n",
    )


def test_every_spelling_of_the_database_hits_the_lock_of_the_live_run(tmp_path: Path) -> None:
    """A symlink to the database, ``..`` in its path, or ``-s CCME_DB_PATH``: one lock."""
    site = sample_site()
    db = tmp_path / "ccme.sqlite"
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.sqlite").symlink_to(db)
    with MirrorServer(site) as server:
        # Slow enough that the live run outlasts three CLI starts on a loaded machine.
        server.set_fault("/", delay(1.5))
        live = start_crawl(db, server, concurrency=1, quiet=True)
        try:
            wait_for_articles(db, 1)
            spellings = [
                ["--db", str(tmp_path / "link.sqlite")],
                ["--db", str(tmp_path / "sub" / ".." / "ccme.sqlite")],
                ["--db", str(tmp_path / "other.sqlite"), "-s", f"CCME_DB_PATH={db}"],
            ]
            target = ["--base-url", server.base_url, "--no-progress", *FAST_SETTINGS]
            exits = [run_cli("crawl", *spelling, *target) for spelling in spellings]
            runs_meanwhile = rows(db, "SELECT id, status FROM crawl_runs")
            still_running = live.poll() is None
        finally:
            live.send_signal(signal.SIGTERM)
            live.wait(timeout=60)
    assert (
        [e.returncode for e in exits],
        all("already crawling" in e.stderr for e in exits),
        still_running,
        runs_meanwhile,
        (tmp_path / "other.sqlite").exists(),
    ) == ([75, 75, 75], True, True, [{"id": 1, "status": "running"}], False)


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    Storage.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()


def _read_only(path: Path) -> None:
    Storage.open(path).close()
    path.chmod(0o444)


@pytest.mark.parametrize(
    "make", [_foreign, _newer, _read_only], ids=["foreign-sqlite", "newer-schema", "read-only"]
)
def test_a_refused_database_leaves_no_lock_file_beside_it(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    db = tmp_path / "ccme.sqlite"
    make(db)
    before = _files(tmp_path)
    result = run_cli("crawl", "--db", str(db), *NOWHERE)
    db.chmod(0o644)
    assert (result.returncode, result.stderr.count("Error:"), _files(tmp_path)) == (
        1,
        1,
        before,
    )
