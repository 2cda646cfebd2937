"""Helpers shared by the tests: paths, the crawl settings for a loopback mirror, and runners
for the real command line. (Fixtures stay in ``conftest.py``.)"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from ccme_mirror import MirrorServer
from ccme_mirror.site import ARCHIVE_CATEGORIES

ROOT = Path(__file__).resolve().parent.parent
# Copies of ../shared/reference-site and ../shared/seed, so the suite runs from any checkout.
REFERENCE_SITE = ROOT / "tests" / "fixtures" / "reference"

# The "Archives du CCME" categories of the mirror's menu: what a default crawl (discovery, scope
# archive) of the sample walks.
ARCHIVE_PATHS: tuple[str, ...] = tuple(c.path for c in ARCHIVE_CATEGORIES)

# Tests crawl a loopback mirror: politeness off, explicitly.
FAST_SETTINGS = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS=16",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s",
    "RETRY_TIMES=1",
    "-s",
    "DOWNLOAD_TIMEOUT=15",
]


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ccme_crawler ARGS`` in a subprocess, as a user would."""
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ccme_crawler", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_crawl(
    db: Path, server: MirrorServer, *extra: str, concurrency: int = 4, quiet: bool = False
) -> subprocess.Popen[str]:
    """Start a crawl of the mirror in the background (to kill it, or read the file meanwhile)."""
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(
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
            f"CONCURRENT_REQUESTS={concurrency}",
            *extra,
        ],
        cwd=ROOT,
        stdout=output,
        stderr=output,
        text=True,
    )


def crawl(db: Path, server: MirrorServer, *extra: str, timeout: float = 180) -> dict[str, Any]:
    """Crawl the mirror into ``db`` and return the JSON summary (with the exit code)."""
    result = run_cli(
        "crawl",
        "--db",
        str(db),
        "--base-url",
        server.base_url,
        "--json",
        "--no-progress",
        *FAST_SETTINGS,
        *extra,
        timeout=timeout,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON summary; exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    summary: dict[str, Any] = json.loads(lines[-1])
    summary["returncode"] = result.returncode
    summary["stderr"] = result.stderr
    return summary


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()
