"""Runs killed with SIGKILL (issue 12, minor items): their row is closed and counted at the next
open. Before the fix a killed crawl kept 0 in its counters although it had stored articles, and a
killed ``reextract`` stayed "running" for good.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, generate_site
from tests.faults.helpers import wait_for_articles
from tests.helpers import ROOT, crawl, rows, start_crawl

pytestmark = pytest.mark.integration


def _first_run(db: Path) -> dict[str, object]:
    return rows(db, "SELECT id, status, articles_new FROM crawl_runs ORDER BY id")[0]


def _stored_by(db: Path, run_id: object) -> int:
    return int(rows(db, "SELECT count(*) AS n FROM articles WHERE run_id = ?", (run_id,))[0]["n"])


def test_a_killed_crawl_is_counted_when_the_next_run_resumes_it(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(generate_site(80, seed=4242)) as server:
        process = start_crawl(db, server, quiet=True, concurrency=2)
        wait_for_articles(db, 5)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_stored = _stored_by(db, 1)
        crawl(db, server)
    run = _first_run(db)
    assert (run["status"], run["articles_new"], killed_stored >= 5) == (
        "interrupted",
        killed_stored,
        True,
    )


def test_a_killed_reextract_is_marked_interrupted_and_counted(tmp_path: Path) -> None:
    source, warc = tmp_path / "source.sqlite", tmp_path / "warc"
    with MirrorServer(generate_site(150, seed=4343)) as server:
        crawl(source, server, "--warc", str(warc))
    db = tmp_path / "rebuilt.sqlite"
    command = [sys.executable, "-m", "ccme_crawler", "reextract", "--warc", str(warc)]
    process = subprocess.Popen(
        [*command, "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_articles(db, 1)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed_stored = _stored_by(db, 1)
    again = subprocess.run([*command, "--db", str(db)], cwd=ROOT, capture_output=True, check=False)
    run = _first_run(db)
    assert (again.returncode, run["status"], run["articles_new"], killed_stored >= 1) == (
        0,
        "interrupted",
        killed_stored,
        True,
    )
