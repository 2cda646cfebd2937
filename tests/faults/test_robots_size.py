"""A 10 MB robots.txt: read up to 512 KiB (RFC 9309 §2.5), memory stays small.

Before the cap, the whole file was downloaded and parsed: a crawl of the sample peaked at about
740 MB of memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ccme_crawler.middlewares import ROBOTS_TXT_MAX_BYTES
from ccme_mirror import MirrorServer, sample_site
from tests.conftest import FAST_SETTINGS, ROOT
from tests.faults.helpers import failures, stored_urls, victim

pytestmark = pytest.mark.integration

# Peak memory of the crawl process: its own child, measured by a fresh parent.
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(done.returncode, peak_mib)
print(done.stdout)
"""


def _huge_robots(first: str, past_the_cap: str, size: int = 10 * 1024 * 1024) -> str:
    head = f"User-agent: *\nDisallow: {first}\n"
    line = "Disallow: /wp-content/uploads/{:09d}/\n"
    filler = "".join(line.format(n) for n in range(size // len(line.format(0))))
    return head + filler + f"Disallow: {past_the_cap}\n"


def test_a_10mb_robots_txt_is_read_up_to_the_cap(tmp_path: Path) -> None:
    site = sample_site()
    blocked_url, blocked_path = victim(site, 0)
    past_url, past_path = victim(site, 1)
    robots = _huge_robots(blocked_path, past_path)
    db = tmp_path / "ccme.sqlite"
    with MirrorServer(site, robots_txt=robots) as server:
        command = [
            sys.executable, "-m", "ccme_crawler", "crawl", "--db", str(db),
            "--base-url", server.base_url, "--json", "--no-progress", *FAST_SETTINGS,
        ]  # fmt: skip
        measured = subprocess.run(
            [sys.executable, "-c", MEASURE, *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    first_line, summary_line = measured.stdout.splitlines()[:2]
    returncode, peak_mib = (int(v) for v in first_line.split())
    stored = stored_urls(db)
    assert (
        len(robots) > 20 * ROBOTS_TXT_MAX_BYTES,
        json.loads(summary_line)["exit_code"],
        returncode,
        failures(db).get(blocked_url, ("", ""))[:2],
        blocked_url in stored,
        past_url in stored,
        peak_mib < 300,
    ) == (True, 1, 1, ("article", "robots_disallowed"), False, True, True)
