"""Shared pieces of the fault suite: the sample's articles, a victim page, small settings."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ccme_crawler.urls import DEFAULT_CATEGORIES
from ccme_mirror import MirrorServer, MirrorSite
from tests.conftest import rows

# Faults are served fast: short timeouts, one retry (FAST_SETTINGS), and the circuit breaker out
# of the way unless a test is about it.
NO_BREAKER = ("-s", "CCME_SITE_DOWN_AFTER=0")


def default_articles(site: MirrorSite) -> set[str]:
    """Canonical URLs of the articles a default crawl must store."""
    wanted = set(DEFAULT_CATEGORIES)
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
