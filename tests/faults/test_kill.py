"""SIGKILL at random points of a crawl (seeded): the file stays sound, the next run completes it.

tests/test_refresh.py kills after a given number of stored articles; here the moment is drawn
at random, from before the database exists to the end of the crawl.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ccme_crawler.mirror import MirrorServer, generate_site
from ccme_crawler.mirror.server import delay
from tests.conftest import FAST_SETTINGS, ROOT, crawl, rows
from tests.faults.helpers import default_articles, integrity, stored_urls

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_sigkill_at_a_random_point_leaves_a_sound_file_and_the_next_run_completes(
    tmp_path: Path, seed: int
) -> None:
    site = generate_site(60, seed=seed)
    kill_after = random.Random(seed).uniform(0.2, 3.0)
    with MirrorServer(site) as server:
        server.set_fault("/", delay(0.02))
        db = tmp_path / "ccme.sqlite"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ccme_crawler",
                "crawl",
                "--db",
                str(db),
                "--base-url",
                server.base_url,
                "--no-progress",
                *FAST_SETTINGS,
                "-s",
                "CONCURRENT_REQUESTS=4",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(kill_after)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        sound = integrity(db) if db.exists() else "ok"
        server.clear_faults()
        summary = crawl(db, server)
    stored = stored_urls(db)
    half_rows = rows(
        db, "SELECT count(*) AS n FROM articles WHERE content_hash = '' OR body IS NULL"
    )
    assert (
        sound,
        summary["returncode"],
        sorted(stored) == sorted(default_articles(site)),
        len(stored) == len(set(stored)),
        half_rows[0]["n"],
        integrity(db),
    ) == ("ok", 0, True, True, 0, "ok")
