"""SIGTERM while pages drip in slowly: the stop is bounded, the run is marked interrupted.

Scrapy's graceful stop waits for every download in flight; a page that drips a few bytes at a
time holds it for a whole DOWNLOAD_TIMEOUT (600 s here). A second signal used to stop the
reactor with the run left "running" and exit status 0.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import delay, slow_drip
from tests.conftest import crawl, rows, start_crawl
from tests.faults.helpers import default_articles, integrity, stored_urls

pytestmark = pytest.mark.integration

ARTICLES = re.compile(r"^/(?!robots\.txt|category/)")
# Far longer than any test waits: a run that waits for it fails with TimeoutExpired.
SLOW = ("-s", "DOWNLOAD_TIMEOUT=600")


def _wait_for_article_requests(server: MirrorServer, at_least: int = 1) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if sum(1 for r in server.requests if ARTICLES.match(r.path)) >= at_least:
            return
        time.sleep(0.05)
    raise AssertionError("no article was requested")


def _stop(process: subprocess.Popen[str], signals: list[signal.Signals]) -> int:
    for number, sig in enumerate(signals):
        if number:
            time.sleep(1)
        process.send_signal(sig)
    return process.wait(timeout=60)


def _run(db: Path) -> dict[str, object]:
    (run,) = rows(db, "SELECT status, finish_reason FROM crawl_runs ORDER BY id DESC LIMIT 1")
    return run


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_second_signal_forces_the_stop_marks_the_run_interrupted_and_exits_130(
    tmp_path: Path, sig: signal.Signals
) -> None:
    site = sample_site()
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(site) as server:
        server.set_fault(ARTICLES, slow_drip(interval=0.5, max_seconds=600))
        process = start_crawl(db, server, *SLOW, "-s", "CCME_SHUTDOWN_GRACE=600", concurrency=2)
        _wait_for_article_requests(server, 2)
        code = _stop(process, [sig, sig])
        run = _run(db)
        sound = integrity(db)
        # The next run, with the site fast again, fetches what was in flight.
        server.clear_faults()
        after = crawl(db, server)
    assert (code, run, sound, after["returncode"], len(stored_urls(db))) == (
        130,
        {"status": "interrupted", "finish_reason": "shutdown_second_signal"},
        "ok",
        0,
        len(default_articles(site)),
    )


def test_the_first_signal_does_not_wait_a_whole_download_timeout(tmp_path: Path) -> None:
    site = sample_site()
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(site) as server:
        server.set_fault(ARTICLES, slow_drip(interval=0.5, max_seconds=600))
        process = start_crawl(db, server, *SLOW, "-s", "CCME_SHUTDOWN_GRACE=2", concurrency=2)
        _wait_for_article_requests(server, 2)
        code = _stop(process, [signal.SIGTERM])
    assert (code, _run(db), integrity(db)) == (
        130,
        {"status": "interrupted", "finish_reason": "shutdown_grace_over"},
        "ok",
    )


def test_a_signal_while_pages_answer_in_time_closes_the_run_as_scrapy_does(
    tmp_path: Path,
) -> None:
    """The grace changes nothing when the work in flight ends in time: Scrapy's own close."""
    site = sample_site()
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(site) as server:
        server.set_fault(ARTICLES, delay(0.3))
        process = start_crawl(db, server, concurrency=2)
        _wait_for_article_requests(server, 2)
        code = _stop(process, [signal.SIGTERM])
    assert (code, _run(db)) == (130, {"status": "interrupted", "finish_reason": "shutdown"})
