"""The discovery tables: listings and sitemaps found on the site, the posts sitemaps list.

``Storage.discovery`` is a :class:`DiscoveryTables` on the same connection, and
``_m4_discovery`` is the schema migration
(see docs/schema.md and docs/discovery.md).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import sqlite_utils

from ccme_crawler.items import (
    DiscoveredListing,
    DiscoveredSitemap,
    DiscoveryCache,
    DiscoveryReport,
    ListingStatus,
    SitemapEntries,
    SitemapEntry,
    SitemapVerdict,
)

# The items StoreArticlePipeline hands to ``DiscoveryTables.record``.
DISCOVERY_ITEMS = (DiscoveryReport, SitemapEntries, SitemapVerdict, ListingStatus)


def _m4_discovery(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE discovered_listings (
            path TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('category', 'author', 'tag')),
            language TEXT NOT NULL,
            label TEXT,
            role TEXT NOT NULL DEFAULT 'other'
                CHECK (role IN ('archive-root', 'archive', 'other')),
            found_by TEXT NOT NULL,
            found_on TEXT,
            probe_status INTEGER,
            discovered_at TEXT NOT NULL,
            run_id INTEGER REFERENCES crawl_runs(id),
            last_ok_at TEXT,
            failed_at TEXT,
            failure_status INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE discovered_sitemaps (
            url TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            found_by TEXT NOT NULL,
            found_on TEXT,
            discovered_at TEXT NOT NULL,
            run_id INTEGER REFERENCES crawl_runs(id)
        )"""
    )
    db.execute(
        """CREATE TABLE sitemap_entries (
            url TEXT PRIMARY KEY,
            lastmod TEXT,
            sitemap TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            in_scope INTEGER,
            category_path TEXT,
            checked_at TEXT
        )"""
    )
    db.execute("ALTER TABLE crawl_runs ADD COLUMN discovery TEXT")
    db.execute("ALTER TABLE crawl_runs ADD COLUMN articles_from_sitemap INTEGER NOT NULL DEFAULT 0")


class DiscoveryTables:
    """Reads and writes of the discovery tables, on a Storage's connection and transactions."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
    ) -> None:
        self.conn = conn
        self.transaction = transaction

    # --- reads (the spider's) ---

    def cache(self) -> DiscoveryCache:
        """The listings and sitemaps the last discovery found."""
        listings = [
            DiscoveredListing(
                path=row[0],
                kind=row[1],
                language=row[2],
                label=row[3],
                found_by=row[4],
                found_on=row[5],
                role=row[6],
                status=row[7],
            )
            for row in self.conn.execute(
                """SELECT path, kind, language, label, found_by, found_on, role, probe_status
                FROM discovered_listings ORDER BY rowid"""
            )
        ]
        sitemaps = [
            DiscoveredSitemap(url=row[0], role=row[1], found_by=row[2], found_on=row[3])
            for row in self.conn.execute(
                "SELECT url, role, found_by, found_on FROM discovered_sitemaps ORDER BY rowid"
            )
        ]
        discovered_at = self.conn.execute(
            "SELECT max(discovered_at) FROM discovered_listings"
        ).fetchone()[0]
        # Gone: answered 404 on a walk after it had been discovered (and not answered since).
        gone = [
            row[0]
            for row in self.conn.execute(
                """SELECT path FROM discovered_listings
                WHERE failure_status IN (404, 410) AND failed_at >= discovered_at
                AND (last_ok_at IS NULL OR failed_at > last_ok_at) ORDER BY failed_at"""
            )
        ]
        return DiscoveryCache(discovered_at, listings, sitemaps, gone)

    def stale_articles(self, entries: list[SitemapEntry]) -> list[dict[str, Any]]:
        """Stored articles whose sitemap ``lastmod`` is later than their last fetch or check,
        with the validators of that fetch (for a conditional request)."""
        wanted = [[e.url, e.lastmod] for e in entries if e.lastmod]
        cursor = self.conn.execute(
            """SELECT a.url, c.etag, c.last_modified
            FROM json_each(?) j
            JOIN articles a ON a.url = json_extract(j.value, '$[0]')
            LEFT JOIN article_checks c ON c.url = a.url
            WHERE c.checked_at IS NULL OR c.checked_at < json_extract(j.value, '$[1]')""",
            (json.dumps(wanted),),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def verdicts(self, urls: list[str]) -> dict[str, tuple[bool, str | None, str]]:
        """url → (in scope, the post's category, when that was decided) of posts fetched
        because only a sitemap listed them."""
        return {
            row[0]: (bool(row[1]), row[2], row[3])
            for row in self.conn.execute(
                """SELECT s.url, s.in_scope, s.category_path, s.checked_at
                FROM json_each(?) j JOIN sitemap_entries s ON s.url = j.value
                WHERE s.in_scope IS NOT NULL""",
                (json.dumps(urls),),
            )
        }

    def iter_entries(self) -> Iterator[dict[str, Any]]:
        """Every post the sitemaps listed, with its lastmod and verdict (for doctor, exports)."""
        cursor = self.conn.execute("SELECT * FROM sitemap_entries ORDER BY url")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    # --- writes (items from the spider, through StoreArticlePipeline) ---

    def record(self, item: Any, run_id: int | None) -> None:
        """Store one of ``DISCOVERY_ITEMS``."""
        if isinstance(item, DiscoveryReport):
            self.record_report(item, run_id)
        elif isinstance(item, SitemapEntries):
            self.record_entries(item)
        elif isinstance(item, SitemapVerdict):
            self.record_verdict(item)
        elif isinstance(item, ListingStatus):
            self.record_listing_status(item)
        else:
            raise TypeError(f"not a discovery item: {type(item).__name__}")

    def record_report(self, report: DiscoveryReport, run_id: int | None) -> None:
        """The run's discovery summary in ``crawl_runs.discovery``; when it discovered
        listings, they (and the sitemaps) replace the cached ones."""
        with self.transaction():
            if report.source == "discovered" and report.plan.listings:
                self._replace_cache(report, run_id)
            if run_id is not None:
                self.conn.execute(
                    "UPDATE crawl_runs SET discovery = ? WHERE id = ?",
                    (json.dumps(report.summary, ensure_ascii=False), run_id),
                )

    def _replace_cache(self, report: DiscoveryReport, run_id: int | None) -> None:
        # A listing found again keeps when it last answered on a walk.
        last_ok = dict(self.conn.execute("SELECT path, last_ok_at FROM discovered_listings"))
        self.conn.execute("DELETE FROM discovered_listings")
        self.conn.execute("DELETE FROM discovered_sitemaps")
        self.conn.executemany(
            """INSERT INTO discovered_listings (path, kind, language, label, role, found_by,
                found_on, probe_status, discovered_at, run_id, last_ok_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (
                    x.path,
                    x.kind,
                    x.language,
                    x.label,
                    x.role,
                    x.found_by,
                    x.found_on,
                    x.status,
                    report.at,
                    run_id,
                    last_ok.get(x.path),
                )
                for x in report.result.listings
            ],
        )
        self.conn.executemany(
            """INSERT INTO discovered_sitemaps (url, role, found_by, found_on, discovered_at,
                run_id) VALUES (?, ?, ?, ?, ?, ?)""",
            [
                (s.url, s.role, s.found_by, s.found_on, report.at, run_id)
                for s in report.result.sitemaps
            ],
        )

    def record_entries(self, item: SitemapEntries) -> None:
        with self.transaction():
            self.conn.executemany(
                """INSERT INTO sitemap_entries (url, lastmod, sitemap, first_seen_at, seen_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET lastmod = excluded.lastmod,
                    sitemap = excluded.sitemap, seen_at = excluded.seen_at""",
                [
                    (e.url, e.lastmod, item.sitemap, item.seen_at, item.seen_at)
                    for e in item.entries
                ],
            )

    def record_verdict(self, item: SitemapVerdict) -> None:
        with self.transaction():
            self.conn.execute(
                """INSERT INTO sitemap_entries (url, sitemap, first_seen_at, seen_at, in_scope,
                    category_path, checked_at) VALUES (?, '', ?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET in_scope = excluded.in_scope,
                    category_path = excluded.category_path, checked_at = excluded.checked_at""",
                (
                    item.url,
                    item.checked_at,
                    item.checked_at,
                    int(item.in_scope),
                    item.category_path,
                    item.checked_at,
                ),
            )

    def record_listing_status(self, item: ListingStatus) -> None:
        """A walk's first page answered: note it on the cached listing (if it is one)."""
        with self.transaction():
            if item.status == 200:
                self.conn.execute(
                    "UPDATE discovered_listings SET last_ok_at = ? WHERE path = ?",
                    (item.checked_at, item.path),
                )
            else:
                self.conn.execute(
                    "UPDATE discovered_listings SET failed_at = ?, failure_status = ? "
                    "WHERE path = ?",
                    (item.checked_at, item.status, item.path),
                )
