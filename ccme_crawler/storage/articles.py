"""Articles: their rows and versions, sources, categories, listing entries, checks, failures.

Each write is one transaction holding one record with everything it touches, so a crash leaves
the whole record or nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccme_crawler.clock import utc_now
from ccme_crawler.items import ArticleRecord, ListingEntry, PageFailure
from ccme_crawler.storage.analysis import AnalysisStore


def record_row(record: ArticleRecord) -> dict[str, Any]:
    """The `articles` columns of a record that do not depend on the database.

    ``source_canonical`` stands for ``source_id``, which storage assigns.
    """
    art = record.article
    warc = record.warc
    return {
        "url": art.url,
        "title": art.title,
        "published_at": art.published_at,
        "published_raw": art.published_raw,
        "modified_at": art.modified_at,
        "language": art.language,
        "category": art.category,
        "category_url": art.category_url,
        "breadcrumb": json.dumps(art.breadcrumb, ensure_ascii=False),
        "body": art.body,
        "source": art.source,
        "source_canonical": record.source_canonical,
        "source_date": art.source_date,
        "source_date_raw": art.source_date_raw,
        "source_url": art.source_url,
        "post_id": art.post_id,
        "author": art.author,
        "word_count": art.word_count,
        "canonical_url": art.canonical_url,
        "extraction_method": art.extraction_method,
        "flags": json.dumps(art.flags),
        "content_hash": record.content_hash,
        "fetched_url": record.fetched_url,
        "final_url": record.final_url,
        "http_status": record.http_status,
        "fetched_at": record.fetched_at,
        "warc_filename": warc.filename if warc else None,
        "warc_offset": warc.offset if warc else None,
        "warc_length": warc.length if warc else None,
        "warc_record_id": warc.record_id if warc else None,
        "warc_payload_digest": warc.payload_digest if warc else None,
    }


# Columns that say how a page was fetched rather than what it says.
_PROVENANCE_COLUMNS = frozenset(
    {"fetched_url", "final_url", "http_status", "fetched_at"}
    | {"warc_filename", "warc_offset", "warc_length", "warc_record_id", "warc_payload_digest"}
)


@dataclass(slots=True)
class UpsertResult:
    outcome: str  # "new", "updated", "unchanged" or "corrected"
    version: int


class ArticleStore(AnalysisStore):
    """Writes and reads of articles and what hangs off them."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        # Rows this connection has read or written, so that each record does not look them up
        # again: category path -> (id, label); source name -> id; (alias, source id) pairs.
        self._categories: dict[str, tuple[int, str | None]] = {}
        self._sources: dict[str, int] = {}
        self._aliases: set[tuple[str, int]] = set()

    def _forget_uncommitted(self) -> None:
        super()._forget_uncommitted()
        self._categories.clear()
        self._sources.clear()
        self._aliases.clear()

    def iter_article_urls(self) -> Iterator[str]:
        """Every stored article's URL, streamed (an archive holds hundreds of thousands)."""
        for (url,) in self.conn.execute("SELECT url FROM articles"):
            yield url

    def upsert_article(
        self, record: ArticleRecord, run_id: int | None, *, correct: bool = False
    ) -> UpsertResult:
        """Insert or update one article with its categories, atomically.

        An article whose content hash is unchanged is not written at all, so re-running a crawl
        leaves every row exactly as it was. A changed article keeps its previous version in
        ``article_versions``. With ``correct`` (``reextract``), an unchanged article whose other
        columns read from the page differ (an extractor or source-alias fix) has them rewritten
        in place, without a new version: outcome ``corrected``. Category paths (``record.category_path``,
        ``record.listing_category``) arrive normalized: storage files them as given.
        """
        art = record.article
        now = utc_now()
        with self.transaction():
            values = record_row(record)
            del values["url"]
            values["source_id"] = self._source_id(art.source, values.pop("source_canonical"))
            existing = self.conn.execute(
                "SELECT content_hash, version, rowid FROM articles WHERE url = ?", (art.url,)
            ).fetchone()
            if existing is None:
                outcome, version = "new", 1
                columns = {
                    "url": art.url,
                    **values,
                    "version": 1,
                    "first_stored_at": now,
                    "changed_at": now,
                    "run_id": run_id,
                }
                names = ", ".join(columns)
                marks = ", ".join("?" for _ in columns)
                cursor = self.conn.execute(
                    f"INSERT INTO articles ({names}) VALUES ({marks})", list(columns.values())
                )
                rowid = cursor.lastrowid
                assert rowid is not None  # an INSERT into a rowid table always sets it
            elif existing[0] == record.content_hash:
                outcome, version, rowid = "unchanged", int(existing[1]), existing[2]
                if correct and self._correct_article(art.url, values):
                    outcome = "corrected"
            else:
                outcome, version, rowid = "updated", int(existing[1]) + 1, existing[2]
                self.conn.execute(
                    """INSERT INTO article_versions (url, version, title, published_at,
                        modified_at, body, source, source_date, content_hash, fetched_at,
                        superseded_at, warc_filename, warc_offset, warc_record_id)
                    SELECT url, version, title, published_at, modified_at, body, source,
                        source_date, content_hash, fetched_at, ?, warc_filename, warc_offset,
                        warc_record_id
                    FROM articles WHERE url = ?""",
                    (now, art.url),
                )
                assignments = ", ".join(f"{name} = ?" for name in values)
                self.conn.execute(
                    f"UPDATE articles SET {assignments}, version = ?, changed_at = ?, run_id = ? "
                    "WHERE url = ?",
                    [*values.values(), version, now, run_id, art.url],
                )
            if outcome != "unchanged":
                # Written above: published_at is the record's, whatever the outcome.
                self.file_article_analysis(
                    art.url,
                    art.title,
                    art.body,
                    art.language,
                    record.analysis,
                    stored=(int(rowid), art.published_at),
                    new=outcome == "new",
                )
            if record.category_path:
                cat_id = self._category_id(record.category_path, art.category, art.language)
                self.conn.execute(
                    "INSERT OR IGNORE INTO article_categories VALUES (?, ?, 'post')",
                    (art.url, cat_id),
                )
            if record.listing_category:
                # Its category is linked with the others just below.
                self.conn.execute(
                    "INSERT OR IGNORE INTO listing_entries VALUES (?, ?, ?)",
                    (art.url, record.listing_category, now),
                )
            self._link_pending_listings(art.url)
            self.conn.execute(
                """INSERT INTO article_checks (url, checked_at, http_status, etag, last_modified)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET checked_at = excluded.checked_at,
                    http_status = excluded.http_status, etag = excluded.etag,
                    last_modified = excluded.last_modified""",
                (art.url, record.fetched_at, record.http_status, record.etag, record.last_modified),
            )
            self.conn.execute(
                "UPDATE page_failures SET resolved_at = ? WHERE url IN (?, ?) "
                "AND resolved_at IS NULL",
                (now, art.url, record.fetched_url),
            )
            self.conn.execute("DELETE FROM gone_pages WHERE url = ?", (art.url,))  # it came back
        return UpsertResult(outcome, version)

    def _correct_article(self, url: str, values: dict[str, Any]) -> bool:
        """Rewrite the columns read from the page where they differ; True if any did."""
        # Provenance stays that of the capture the row was first stored from, as in a crawl.
        page = {k: v for k, v in values.items() if k not in _PROVENANCE_COLUMNS}
        assignments = ", ".join(f"{name} = ?" for name in page)
        differs = " OR ".join(f"{name} IS NOT ?" for name in page)
        cursor = self.conn.execute(
            f"UPDATE articles SET {assignments} WHERE url = ? AND ({differs})",
            [*page.values(), url, *page.values()],
        )
        return cursor.rowcount > 0

    def _link_listing(self, url: str, category: str, now: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO listing_entries VALUES (?, ?, ?)", (url, category, now)
        )
        exists = self.conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone()
        if exists:
            cat_id = self._category_id(category, None, None)
            self.conn.execute(
                "INSERT OR IGNORE INTO article_categories VALUES (?, ?, 'listing')", (url, cat_id)
            )

    def _link_pending_listings(self, url: str) -> None:
        """Attach listing categories seen before the article itself was stored."""
        for (category,) in self.conn.execute(
            "SELECT category_path FROM listing_entries WHERE article_url = ?", (url,)
        ).fetchall():
            cat_id = self._category_id(category, None, None)
            self.conn.execute(
                "INSERT OR IGNORE INTO article_categories VALUES (?, ?, 'listing')", (url, cat_id)
            )

    def record_listing_entry(self, entry: ListingEntry) -> None:
        with self.transaction():
            self._link_listing(entry.url, entry.listing_category, entry.seen_at)

    def record_category_label(self, path: str, label: str | None, language: str | None) -> None:
        with self.transaction():
            self._category_id(path, label, language)

    def record_not_modified(self, url: str, checked_at: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE article_checks SET checked_at = ?, http_status = 304 WHERE url = ?",
                (checked_at, url),
            )

    def record_failure(self, failure: PageFailure, run_id: int | None) -> None:
        with self.transaction():
            self.conn.execute(
                """INSERT INTO page_failures (run_id, url, kind, reason, http_status, detail,
                    failed_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    run_id,
                    failure.url,
                    failure.kind,
                    failure.reason,
                    failure.status,
                    failure.detail[:2000],
                    failure.failed_at or utc_now(),
                ),
            )

    def is_gone(self, url: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM gone_pages WHERE url = ?", (url,)).fetchone()
            is not None
        )

    def not_found_visits(self, url: str) -> int:
        """Runs in which ``url`` answered 404 since it was last stored (unresolved failures)."""
        (count,) = self.conn.execute(
            "SELECT count(DISTINCT coalesce(run_id, id)) FROM page_failures "
            "WHERE url = ? AND http_status = 404 AND resolved_at IS NULL",
            (url,),
        ).fetchone()
        return int(count)

    def mark_gone(self, url: str, http_status: int, visits: int) -> None:
        """The page is gone for good: remembered in ``gone_pages``, its failures resolved."""
        now = utc_now()
        with self.transaction():
            self.conn.execute(
                """INSERT INTO gone_pages (url, gone_at, http_status, visits, last_checked_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET visits = visits + 1,
                    last_checked_at = excluded.last_checked_at""",
                (url, now, http_status, visits, now),
            )
            self.conn.execute(
                "UPDATE page_failures SET resolved_at = ? WHERE url = ? AND resolved_at IS NULL",
                (now, url),
            )

    def articles_for_recheck(self, published_since: str | None) -> list[dict[str, Any]]:
        """Stored articles with the validators of their last fetch, newest first."""
        return list(
            self.db.query(
                """SELECT a.url, c.etag, c.last_modified FROM articles a
                LEFT JOIN article_checks c ON c.url = a.url
                WHERE :since IS NULL OR a.published_at >= :since
                ORDER BY a.published_at DESC""",
                {"since": published_since},
            )
        )

    def unresolved_failures(self, kind: str = "article") -> list[str]:
        """URLs that failed in an earlier run and were never stored since."""
        return [
            row[0]
            for row in self.conn.execute(
                """SELECT DISTINCT url FROM page_failures
                WHERE kind = ? AND resolved_at IS NULL
                AND url NOT IN (SELECT url FROM articles)""",
                (kind,),
            )
        ]

    def _category_id(self, path: str, label: str | None, language: str | None) -> int:
        known = self._categories.get(path)
        if known is None:
            row = self.conn.execute(
                "SELECT id, label FROM categories WHERE path = ?", (path,)
            ).fetchone()
            if row is None:
                cur = self.conn.execute(
                    "INSERT INTO categories (path, label, language) VALUES (?, ?, ?)",
                    (path, label, language),
                )
                row = (int(cur.lastrowid or 0), label)
            known = self._categories[path] = (int(row[0]), row[1])
        if label and known[1] != label:
            self.conn.execute("UPDATE categories SET label = ? WHERE id = ?", (label, known[0]))
            known = self._categories[path] = (known[0], label)
        return known[0]

    def _source_id(self, raw: str | None, canonical: str | None) -> int | None:
        if not canonical:
            return None
        source_id = self._sources.get(canonical)
        if source_id is None:
            row = self.conn.execute(
                "SELECT id FROM sources WHERE name = ?", (canonical,)
            ).fetchone()
            if row:
                source_id = int(row[0])
            else:
                cur = self.conn.execute("INSERT INTO sources (name) VALUES (?)", (canonical,))
                source_id = int(cur.lastrowid or 0)
            self._sources[canonical] = source_id
        if raw and (raw, source_id) not in self._aliases:
            self.conn.execute(
                "INSERT OR IGNORE INTO source_aliases (raw, source_id) VALUES (?, ?)",
                (raw, source_id),
            )
            self._aliases.add((raw, source_id))
        return source_id
