"""A reader (Datasette) holding the database open during a crawl: neither sees "locked"."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ccme_crawler.storage import Storage
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import delay
from tests.faults.helpers import default_articles, integrity, stored_urls
from tests.helpers import start_crawl

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError as exc:
        return 0, str(exc)


def test_datasette_reading_during_a_crawl_sees_no_lock(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    Storage.open(db).close()
    port = _free_port()
    reader = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    query = f"http://127.0.0.1:{port}/ccme.json?sql=" + urllib.parse.quote(
        "SELECT count(*) AS n FROM articles"
    )
    try:
        for _ in range(100):  # wait (at most ~10 s) for Datasette to answer
            if _get(query)[0] == 200:
                break
            time.sleep(0.1)
        site = sample_site()
        with MirrorServer(site) as server:
            server.set_fault("/", delay(0.02))  # long enough for reads to overlap writes
            crawler = start_crawl(db, server)
            answers = []
            while crawler.poll() is None:
                answers.append(_get(query))
            _, crawl_stderr = crawler.communicate(timeout=60)
            answers.append(_get(query))
    finally:
        reader.terminate()
        reader.wait(timeout=10)
    failed = [a for a in answers if a[0] != 200]
    counts = [json.loads(body)["rows"][0][0] for status, body in answers if status == 200]
    assert (
        crawler.returncode,
        "locked" in crawl_stderr,
        failed,
        len(answers) > 1,
        counts == sorted(counts),  # the reader sees the archive grow, commit by commit
        counts[-1] if counts else None,
        sorted(stored_urls(db)) == sorted(default_articles(site)),
        integrity(db),
    ) == (0, False, [], True, True, len(default_articles(site)), True, "ok")
