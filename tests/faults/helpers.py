"""Shared pieces of the fault suite: the sample's articles, a victim page, small settings."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ccme_mirror import MirrorServer, MirrorSite
from tests.helpers import ARCHIVE_PATHS, rows

# Faults are served fast: short timeouts, one retry (FAST_SETTINGS), and the circuit breaker out
# of the way unless a test is about it.
NO_BREAKER = ("-s", "CCME_SITE_DOWN_AFTER=0")


def default_articles(site: MirrorSite) -> set[str]:
    """Canonical URLs of the articles a default crawl must store."""
    wanted = set(ARCHIVE_PATHS)
    return {a.url for a in site.expected_articles() if {c.path for c in a.categories} & wanted}


def victim(site: MirrorSite, index: int = 0) -> tuple[str, str]:
    """(canonical URL, path on the mirror) of one article of a default crawl."""
    url = sorted(default_articles(site))[index]
    return url, unquote(urlsplit(url).path)


def stored_urls(db: Path) -> list[str]:
    return [r["url"] for r in rows(db, "SELECT url FROM articles")]


def failures(db: Path) -> dict[str, tuple[str, str, int | None]]:
    """url → (kind, reason, http_status) of the failures recorded."""
    return {
        r["url"]: (r["kind"], r["reason"], r["http_status"])
        for r in rows(db, "SELECT url, kind, reason, http_status FROM page_failures")
    }


def requests_for(server: MirrorServer, path: str) -> int:
    return sum(1 for r in server.requests if unquote(urlsplit(r.path).path) == path)


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def wait_for_articles(db: Path, at_least: int, timeout: float = 60) -> None:
    """Wait until a crawl running in the background has stored ``at_least`` articles."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=1)
                try:
                    (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
                finally:
                    conn.close()
                if count >= at_least:
                    return
            except sqlite3.Error:
                pass  # not created yet, or mid-migration: look again
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} articles in {db} after {timeout}s")


def take_write_lock(db: Path, timeout: float = 20) -> sqlite3.Connection:
    """Another process's write lock on ``db``, taken while a crawl writes to it; roll it back
    and close the connection to give it up.

    SQLite's own busy handler retries every 100 ms once it has waited a while, and a crawl
    under load opens its next group within a millisecond of the last commit, so a plain
    ``BEGIN IMMEDIATE`` with a timeout can wait until the crawl is over. This
    one tries again every 0.1 ms, and fails loudly if it never gets the lock.
    """
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                conn.close()
                raise
            if time.monotonic() > deadline:
                conn.close()
                raise AssertionError(
                    f"could not take the write lock of {db} in {timeout}s"
                ) from exc
            time.sleep(0.0001)
