"""SIGKILL at random points of a crawl (seeded): the file stays sound, the next run completes it.

tests/test_refresh.py kills after a given number of stored articles; here the moment is drawn
at random, from before the database exists to the end of the crawl.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, generate_site
from ccme_mirror.faults import delay
from tests.faults.helpers import default_articles, integrity, stored_urls
from tests.helpers import crawl, rows, start_crawl

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
        process = start_crawl(db, server, quiet=True)
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
