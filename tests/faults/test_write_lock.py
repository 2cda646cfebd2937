"""A write lock held by another process longer than the busy timeout (issue 12, item 3).

Before the fix, the write waited 30 s inside the reactor (no download meanwhile), then the
article was dropped with no failure row and never fetched again.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, generate_site
from ccme_mirror.faults import delay
from tests.faults.helpers import default_articles, stored_urls, take_write_lock, wait_for_articles
from tests.helpers import crawl, rows, start_crawl

pytestmark = pytest.mark.integration

ARTICLES_ONLY = re.compile(r"^/(?!robots\.txt|category/)")
HOLD_SECONDS = 33  # past the 30 s busy timeout the crawl used for every write


def _hold_write_lock(db: Path, seconds: float, held: threading.Event) -> None:
    conn = take_write_lock(db)
    try:
        held.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def test_a_write_lock_held_too_long_is_a_recorded_failure_and_downloads_go_on(
    tmp_path: Path,
) -> None:
    site = generate_site(60, seed=3131)
    with MirrorServer(site) as server:
        server.set_fault(ARTICLES_ONLY, delay(0.15))
        db = tmp_path / "ccme.sqlite"
        proc = start_crawl(db, server, "--json", "-s", "CCME_WRITE_WAIT=2", concurrency=2)
        wait_for_articles(db, 3)
        held = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(db, HOLD_SECONDS, held))
        holder.start()
        taken = held.wait(25)
        before = server.count()
        time.sleep(8)
        during = server.count() - before  # requests made while the lock is held
        holder.join()
        stdout, _ = proc.communicate(timeout=120)
        summary = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
        stored = set(stored_urls(db))
        busy = {
            r["url"]
            for r in rows(db, "SELECT url FROM page_failures WHERE reason = 'storage_busy'")
        }
        second = crawl(db, server)
    expected = default_articles(site)
    assert (
        taken,
        proc.returncode,
        summary["status"],
        during >= 10,
        bool(busy),
        expected <= stored | busy,
        second["returncode"],
        sorted(stored_urls(db)) == sorted(expected),
    ) == (True, 1, "incomplete", True, True, True, 0, True)
