"""SQLite storage: the only module that speaks SQL.

Every write is one explicit transaction (``BEGIN IMMEDIATE … COMMIT``), so a crash at any point
leaves either the whole record or nothing. The database runs in WAL mode so that readers
(Datasette, ``ccme-crawler stats``) never block the crawl, nor the crawl them. Schema changes are
numbered migrations applied in order and recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from ccme_crawler.items import ArticleRecord, ListingEntry, PageFailure
from ccme_crawler.storage_discovery import DiscoveryTables, _m3_discovery
from ccme_crawler.urls import category_path

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000


class StorageError(Exception):
    """The database cannot be used; the message says why in one line."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_database_file(path: Path, *, must_exist: bool = False) -> None:
    """Refuse a file that is not a usable SQLite database, without touching it."""
    if not path.exists():
        if must_exist:
            raise StorageError(f"{path}: no such database")
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.exists():
            raise StorageError(f"{path}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise StorageError(f"{path}: folder {parent} is not writable")
        return
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a database file")
    size = path.stat().st_size
    if size == 0:
        raise StorageError(f"{path}: file is empty (0 bytes), not a ccme-crawler database")
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StorageError(f"{path}: not an SQLite database")


# --- schema -------------------------------------------------------------------------------------


def _m1_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute(
        """CREATE TABLE source_aliases (
            raw TEXT PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id)
        )"""
    )
    db.execute(
        """CREATE TABLE categories (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            label TEXT,
            language TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE articles (
            url TEXT PRIMARY KEY,
            title TEXT,
            published_at TEXT,
            published_raw TEXT,
            modified_at TEXT,
            language TEXT,
            category TEXT,
            category_url TEXT,
            breadcrumb TEXT,
            body TEXT NOT NULL DEFAULT '',
            source TEXT,
            source_id INTEGER REFERENCES sources(id),
            source_date TEXT,
            source_date_raw TEXT,
            post_id INTEGER,
            author TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            canonical_url TEXT,
            extraction_method TEXT NOT NULL DEFAULT 'template',
            flags TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            fetched_url TEXT,
            final_url TEXT,
            http_status INTEGER,
            fetched_at TEXT,
            first_stored_at TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            run_id INTEGER,
            warc_filename TEXT,
            warc_offset INTEGER,
            warc_length INTEGER,
            warc_record_id TEXT,
            warc_payload_digest TEXT
        )"""
    )
    db.execute("CREATE INDEX articles_published_at ON articles(published_at)")
    db.execute("CREATE INDEX articles_language ON articles(language)")
    db.execute("CREATE INDEX articles_source_id ON articles(source_id)")
    db.execute(
        """CREATE TABLE article_categories (
            article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
            category_id INTEGER NOT NULL REFERENCES categories(id),
            relation TEXT NOT NULL CHECK (relation IN ('post', 'listing')),
            PRIMARY KEY (article_url, category_id, relation)
        )"""
    )
    db.execute(
        """CREATE TABLE listing_entries (
            article_url TEXT NOT NULL,
            category_path TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            PRIMARY KEY (article_url, category_path)
        )"""
    )
    db.execute(
        """CREATE TABLE article_checks (
            url TEXT PRIMARY KEY,
            checked_at TEXT NOT NULL,
            http_status INTEGER,
            etag TEXT,
            last_modified TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            version INTEGER NOT NULL,
            title TEXT,
            published_at TEXT,
            modified_at TEXT,
            body TEXT,
            source TEXT,
            source_date TEXT,
            content_hash TEXT NOT NULL,
            fetched_at TEXT,
            superseded_at TEXT NOT NULL,
            warc_filename TEXT,
            warc_offset INTEGER,
            warc_record_id TEXT,
            UNIQUE (url, version)
        )"""
    )
    db.execute(
        """CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            mode TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            pid INTEGER,
            base_url TEXT,
            categories TEXT,
            settings TEXT,
            software_version TEXT,
            resumed_run_id INTEGER,
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            listing_pages INTEGER NOT NULL DEFAULT 0,
            articles_new INTEGER NOT NULL DEFAULT 0,
            articles_updated INTEGER NOT NULL DEFAULT 0,
            articles_unchanged INTEGER NOT NULL DEFAULT 0,
            articles_not_modified INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            fallback_extractions INTEGER NOT NULL DEFAULT 0,
            dates_unreadable INTEGER NOT NULL DEFAULT 0,
            empty_bodies INTEGER NOT NULL DEFAULT 0,
            finish_reason TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE category_walks (
            run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
            category_path TEXT NOT NULL,
            mode TEXT NOT NULL,
            started_at TEXT NOT NULL,
            completed_at TEXT,
            reached_end INTEGER NOT NULL DEFAULT 0,
            pages_walked INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, category_path)
        )"""
    )
    db.execute(
        """CREATE TABLE page_failures (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            http_status INTEGER,
            detail TEXT,
            failed_at TEXT NOT NULL,
            resolved_at TEXT
        )"""
    )
    db.execute("CREATE INDEX page_failures_url ON page_failures(url)")
    db["articles"].enable_fts(
        ["title", "body"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def _m2_articles_view(db: sqlite_utils.Database) -> None:
    # Datasette's front door: the canonical source name joined and a year column to facet on.
    # article_rowid is the key the full-text index uses (declared as fts_pk in metadata.json).
    db.execute(
        """CREATE VIEW articles_view AS
        SELECT a.rowid AS article_rowid, a.url, a.title, a.published_at,
            substr(a.published_at, 1, 4) AS year, a.language, a.category,
            s.name AS source, a.source AS source_as_written, a.source_date, a.author,
            a.word_count, a.body
        FROM articles a LEFT JOIN sources s ON s.id = a.source_id"""
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_initial,
    _m2_articles_view,
    _m3_discovery,
]


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


# --- the store ------------------------------------------------------------------------------------


@dataclass(slots=True)
class UpsertResult:
    outcome: str  # "new", "updated" or "unchanged"
    version: int


class Storage:
    """A ccme-crawler database. Open with ``Storage.open(path)``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.discovery = DiscoveryTables(conn, self.transaction)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True) -> Storage:
        path = Path(path)
        check_database_file(path, must_exist=readonly or not create)
        # Mode bits too: root passes os.access() on a file its owner made read-only.
        if (
            not readonly
            and path.exists()
            and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)
        ):
            raise StorageError(f"{path}: database file is read-only")
        uri = f"file:{path.resolve()}?mode={'ro' if readonly else 'rwc'}"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{path}: cannot read database ({exc})") from exc
        store = cls(conn, path)
        if not readonly:
            try:
                store._check_is_ours(version)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                store.migrate()
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise StorageError(f"{path}: {exc}") from exc
        return store

    def _check_is_ours(self, version: int) -> None:
        tables = set(self.db.table_names())
        if version == 0 and tables:
            raise StorageError(f"{self.path}: an SQLite database, but not a ccme-crawler one")
        if version > len(MIGRATIONS):
            raise StorageError(
                f"{self.path}: schema version {version} is newer than this ccme-crawler "
                f"({len(MIGRATIONS)}); upgrade ccme-crawler"
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Storage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def migrate(self) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
            with self.transaction():
                migration(self.db)
                self.conn.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # --- lookups used by pipelines and spiders ---

    def _category_id(self, path: str, label: str | None, language: str | None) -> int:
        row = self.conn.execute(
            "SELECT id, label FROM categories WHERE path = ?", (path,)
        ).fetchone()
        if row:
            if label and row[1] != label:
                self.conn.execute("UPDATE categories SET label = ? WHERE id = ?", (label, row[0]))
            return int(row[0])
        cur = self.conn.execute(
            "INSERT INTO categories (path, label, language) VALUES (?, ?, ?)",
            (path, label, language),
        )
        return int(cur.lastrowid or 0)

    def _source_id(self, raw: str | None, canonical: str | None) -> int | None:
        if not canonical:
            return None
        row = self.conn.execute("SELECT id FROM sources WHERE name = ?", (canonical,)).fetchone()
        if row:
            source_id = int(row[0])
        else:
            source_id = int(
                self.conn.execute("INSERT INTO sources (name) VALUES (?)", (canonical,)).lastrowid
                or 0
            )
        if raw:
            self.conn.execute(
                "INSERT OR IGNORE INTO source_aliases (raw, source_id) VALUES (?, ?)",
                (raw, source_id),
            )
        return source_id

    def iter_article_urls(self) -> Iterator[str]:
        """Every stored article's URL, streamed (an archive holds hundreds of thousands)."""
        for (url,) in self.conn.execute("SELECT url FROM articles"):
            yield url

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE url = ?", [url]))
        return rows[0] if rows else None

    # --- writes ---

    def upsert_article(self, record: ArticleRecord, run_id: int | None) -> UpsertResult:
        """Insert or update one article with its categories, atomically.

        An article whose content hash is unchanged is not written at all, so re-running a crawl
        leaves every row exactly as it was. A changed article keeps its previous version in
        ``article_versions``.
        """
        art = record.article
        now = utc_now()
        with self.transaction():
            values = record_row(record)
            del values["url"]
            values["source_id"] = self._source_id(art.source, values.pop("source_canonical"))
            existing = self.conn.execute(
                "SELECT content_hash, version FROM articles WHERE url = ?", (art.url,)
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
                self.conn.execute(
                    f"INSERT INTO articles ({names}) VALUES ({marks})", list(columns.values())
                )
            elif existing[0] == record.content_hash:
                outcome, version = "unchanged", int(existing[1])
            else:
                outcome, version = "updated", int(existing[1]) + 1
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
            if art.category_url or art.category:
                path = None
                if art.category_url:
                    try:
                        path = category_path(art.category_url)
                    except ValueError:
                        path = None
                if path:
                    cat_id = self._category_id(path, art.category, art.language)
                    self.conn.execute(
                        "INSERT OR IGNORE INTO article_categories VALUES (?, ?, 'post')",
                        (art.url, cat_id),
                    )
            if record.listing_category:
                self._link_listing(art.url, record.listing_category, now)
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
        return UpsertResult(outcome, version)

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

    # --- runs ---

    def start_run(
        self,
        *,
        mode: str,
        base_url: str,
        categories: Iterable[str],
        settings: dict[str, Any],
        software_version: str,
        resumed_run_id: int | None = None,
    ) -> int:
        with self.transaction():
            cur = self.conn.execute(
                """INSERT INTO crawl_runs (mode, status, started_at, pid, base_url, categories,
                    settings, software_version, resumed_run_id)
                VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)""",
                (
                    mode,
                    utc_now(),
                    os.getpid(),
                    base_url,
                    json.dumps(list(categories)),
                    json.dumps(settings, sort_keys=True, default=str),
                    software_version,
                    resumed_run_id,
                ),
            )
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], reason: str) -> None:
        allowed = {
            "pages_fetched",
            "listing_pages",
            "articles_new",
            "articles_updated",
            "articles_unchanged",
            "articles_not_modified",
            "failures",
            "fallback_extractions",
            "dates_unreadable",
            "empty_bodies",
            "articles_from_sitemap",
        }
        fields = {k: int(v) for k, v in counts.items() if k in allowed}
        assignments = "".join(f", {name} = ?" for name in fields)
        with self.transaction():
            self.conn.execute(
                f"UPDATE crawl_runs SET status = ?, ended_at = ?, finish_reason = ?{assignments} "
                "WHERE id = ?",
                [status, utc_now(), reason, *fields.values(), run_id],
            )

    def abandoned_runs(self) -> list[dict[str, Any]]:
        """Runs still marked running: their process died (the caller holds the lock)."""
        return list(self.db.query("SELECT * FROM crawl_runs WHERE status = 'running'"))

    def mark_run_interrupted(self, run_id: int, reason: str) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted', ended_at = coalesce(ended_at, ?), "
                "finish_reason = ? WHERE id = ?",
                (utc_now(), reason, run_id),
            )

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]))
        return rows[0] if rows else None

    def start_category_walk(self, run_id: int, category: str, mode: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO category_walks (run_id, category_path, mode, started_at) "
                "VALUES (?, ?, ?, ?)",
                (run_id, category, mode, utc_now()),
            )

    def complete_category_walk(
        self, run_id: int, category: str, pages: int, reached_end: bool
    ) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE category_walks SET completed_at = ?, pages_walked = ?, reached_end = ? "
                "WHERE run_id = ? AND category_path = ?",
                (utc_now(), pages, int(reached_end), run_id, category),
            )

    def has_complete_full_walk(self, category: str) -> bool:
        """True once a walk of every listing page of the category reached its last page."""
        row = self.conn.execute(
            "SELECT 1 FROM category_walks WHERE category_path = ? "
            "AND mode IN ('full', 'complete') AND reached_end = 1 LIMIT 1",
            (category,),
        ).fetchone()
        return row is not None

    # --- reading ---

    def stats(self) -> dict[str, Any]:
        def rows(sql: str) -> list[dict[str, Any]]:
            return list(self.db.query(sql))

        return {
            "articles": self.article_count(),
            "by_category": rows(
                """SELECT c.label AS category, c.path, count(*) AS articles
                FROM article_categories ac JOIN categories c ON c.id = ac.category_id
                WHERE ac.relation = 'listing' GROUP BY c.id ORDER BY articles DESC"""
            ),
            "by_language": rows(
                "SELECT coalesce(language, '?') AS language, count(*) AS articles FROM articles "
                "GROUP BY 1 ORDER BY 2 DESC"
            ),
            "by_year": rows(
                "SELECT coalesce(substr(published_at, 1, 4), '?') AS year, count(*) AS articles "
                "FROM articles GROUP BY 1 ORDER BY 1"
            ),
            "by_source": rows(
                """SELECT coalesce(s.name, '(none)') AS source, count(*) AS articles
                FROM articles a LEFT JOIN sources s ON s.id = a.source_id
                GROUP BY 1 ORDER BY 2 DESC LIMIT 20"""
            ),
            "runs": rows(
                """SELECT id, mode, status, started_at, ended_at, pages_fetched, articles_new,
                    articles_updated, articles_unchanged, failures
                FROM crawl_runs ORDER BY id DESC LIMIT 5"""
            ),
            "unresolved_failures": int(
                self.conn.execute(
                    "SELECT count(DISTINCT url) FROM page_failures WHERE resolved_at IS NULL"
                ).fetchone()[0]
            ),
        }

    def captured_articles(self) -> Iterator[dict[str, Any]]:
        """Articles with a WARC capture: the URL as captured, its time and title (for WACZ)."""
        yield from self.db.query(
            "SELECT final_url, fetched_at, title, url FROM articles "
            "WHERE warc_filename IS NOT NULL ORDER BY fetched_at"
        )

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # --- exports and search ---

    def _article_filter(
        self,
        alias: str,
        *,
        schema: str = "",
        categories: Sequence[str] = (),
        languages: Sequence[str] = (),
        sources: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
    ) -> tuple[str, list[Any]]:
        """A WHERE clause (and its parameters) selecting articles of table alias ``alias``.

        Each filter takes several values, ORed; different filters are ANDed. A category is
        matched by path or label, as the post's own category or a listing it appeared in; a
        source by canonical name or as written on the page (case-insensitively); ``since`` and
        ``until`` are inclusive ``YYYY-MM-DD`` dates on ``published_at``. ``schema`` prefixes the
        tables the subqueries read (``"src."`` for an attached database).
        """
        clauses: list[str] = []
        params: list[Any] = []

        def marks(values: Sequence[str]) -> str:
            return ", ".join("?" for _ in values)

        if categories:
            clauses.append(
                f"({alias}.category IN ({marks(categories)}) OR {alias}.url IN ("
                f"SELECT ac.article_url FROM {schema}article_categories ac "
                f"JOIN {schema}categories c ON c.id = ac.category_id "
                f"WHERE c.path IN ({marks(categories)}) OR c.label IN ({marks(categories)})))"
            )
            params += [*categories, *categories, *categories]
        if languages:
            clauses.append(f"{alias}.language IN ({marks(languages)})")
            params += list(languages)
        if sources:
            lowered = [s.lower() for s in sources]
            clauses.append(
                f"({alias}.source_id IN (SELECT id FROM {schema}sources "
                f"WHERE lower(name) IN ({marks(lowered)})) "
                f"OR lower({alias}.source) IN ({marks(lowered)}))"
            )
            params += [*lowered, *lowered]
        if since:
            clauses.append(f"{alias}.published_at >= ?")
            params.append(since)
        if until:
            clauses.append(f"substr({alias}.published_at, 1, 10) <= ?")
            params.append(until)
        return (" AND ".join(clauses) or "1"), params

    def article_columns(self) -> list[tuple[str, str]]:
        """``(name, declared type)`` of the ``articles`` columns, in table order."""
        return [
            (str(row[1]), str(row[2]).upper())
            for row in self.conn.execute("PRAGMA table_info(articles)")
        ]

    def iter_articles(self, *, batch_size: int = 200, **filters: Any) -> Iterator[dict[str, Any]]:
        """Stream the matching articles, oldest first, ``batch_size`` rows at a time.

        Each row holds the ``articles`` columns plus ``source_name`` (the canonical source) and
        ``categories`` (a JSON list of the category paths it belongs to). One SELECT reads
        the whole stream, so it sees one consistent snapshot while a crawl writes (WAL).
        """
        where, params = self._article_filter("a", **filters)
        cursor = self.conn.execute(
            f"""SELECT a.*, s.name AS source_name,
                (SELECT json_group_array(path) FROM (
                    SELECT DISTINCT c.path FROM article_categories ac
                    JOIN categories c ON c.id = ac.category_id
                    WHERE ac.article_url = a.url ORDER BY c.path)) AS categories
            FROM articles a LEFT JOIN sources s ON s.id = a.source_id
            WHERE {where} ORDER BY a.published_at, a.url""",
            params,
        )
        try:
            names = [d[0] for d in cursor.description]
            while batch := cursor.fetchmany(batch_size):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        finally:
            cursor.close()

    def count_articles(self, **filters: Any) -> int:
        where, params = self._article_filter("a", **filters)
        return int(
            self.conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[
                0
            ]
        )

    def runs_by_id(self, run_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The crawl runs with these ids (for an export's provenance), oldest first."""
        return list(
            self.db.query(
                """SELECT id, mode, status, started_at, ended_at, base_url, software_version
                FROM crawl_runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id""",
                [json.dumps(sorted(set(run_ids)))],
            )
        )

    @staticmethod
    def fts_match_expression(query: str) -> str | None:
        """A user's query as an FTS5 expression that can never be a syntax error.

        Words are ANDed; ``"double quotes"`` make a phrase; ``word*`` a prefix; ``OR`` between
        two terms either of them. Every term is quoted, so punctuation and FTS5 syntax in a
        query are text. ``None`` when nothing searchable is left.
        """
        groups: list[list[str]] = []
        join_next = False
        # A NUL ends an FTS5 string early, whatever quotes surround it.
        for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', query.replace("\x00", " ")):
            if word == "OR":
                join_next = bool(groups)
                continue
            text, prefix = (phrase, False) if not word else (word.rstrip("*"), word.endswith("*"))
            if not any(ch.isalnum() for ch in text):
                continue
            term = '"' + text.replace('"', '""') + '"' + ("*" if prefix else "")
            if join_next:
                groups[-1].append(term)
            else:
                groups.append([term])
            join_next = False
        if not groups:
            return None
        return " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        marks: tuple[str, str] = ("**", "**"),
        **filters: Any,
    ) -> tuple[int, list[dict[str, Any]]]:
        """Full-text search of titles and bodies (accents folded), best matches first.

        Returns the number of matches and one page of them, each with ``title_highlighted``
        and a ``snippet`` of the body around the matches, matches wrapped in ``marks``.
        """
        match = self.fts_match_expression(query)
        if match is None:
            return 0, []
        where, params = self._article_filter("a", **filters)
        base = f"""FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            WHERE articles_fts MATCH ? AND {where}"""
        total = int(self.conn.execute(f"SELECT count(*) {base}", [match, *params]).fetchone()[0])
        open_mark, close_mark = marks
        rows = list(
            self.db.query(
                f"""SELECT a.url, a.title, a.published_at, a.language, a.category,
                    (SELECT name FROM sources WHERE id = a.source_id) AS source_name, a.source,
                    highlight(articles_fts, 0, ?, ?) AS title_highlighted,
                    snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet,
                    bm25(articles_fts, 10.0, 1.0) AS rank
                {base} ORDER BY rank, a.published_at DESC LIMIT ? OFFSET ?""",
                [open_mark, close_mark, open_mark, close_mark, match, *params, limit, offset],
            )
        )
        return total, rows

    def copy_articles_from(self, source: Path, **filters: Any) -> int:
        """Fill this (new, empty) database with the matching articles of ``source``.

        Their sources, categories, earlier versions and the crawl runs that stored them come
        along; the full-text index fills through its triggers. SQLite copies row by row, so
        memory stays flat however large the archive. Returns the number of articles copied.
        """
        uri = f"file:{Path(source).resolve()}?mode=ro"
        self.conn.execute("ATTACH DATABASE ? AS src", (uri,))
        try:
            where, params = self._article_filter("a", schema="src.", **filters)
            picked = f"SELECT a.url FROM src.articles a WHERE {where}"

            def copy(table: str, condition: str, args: list[Any]) -> None:
                mine = {r[1] for r in self.conn.execute(f"PRAGMA main.table_info({table})")}
                theirs = [r[1] for r in self.conn.execute(f"PRAGMA src.table_info({table})")]
                names = ", ".join(f'"{n}"' for n in theirs if n in mine)
                self.conn.execute(
                    f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table} t "
                    f"WHERE {condition}",
                    args,
                )

            with self.transaction():
                copy(
                    "sources",
                    f"t.id IN (SELECT a.source_id FROM src.articles a WHERE {where})",
                    params,
                )
                copy("source_aliases", "t.source_id IN (SELECT id FROM main.sources)", [])
                copy(
                    "categories",
                    f"t.id IN (SELECT category_id FROM src.article_categories "
                    f"WHERE article_url IN ({picked}))",
                    params,
                )
                copy("articles", f"t.url IN ({picked})", params)
                copy("article_categories", "t.article_url IN (SELECT url FROM main.articles)", [])
                copy("article_versions", "t.url IN (SELECT url FROM main.articles)", [])
                copy("crawl_runs", "t.id IN (SELECT run_id FROM main.articles)", [])
        finally:
            self.conn.execute("DETACH DATABASE src")
        return self.article_count()

    def make_standalone(self) -> None:
        """One self-contained file, no ``-wal``/``-shm`` beside it: for exports.

        No VACUUM: it may renumber the rowids of ``articles`` (a table keyed by TEXT), which the
        external-content full-text index points at.
        """
        self.conn.execute("PRAGMA journal_mode = DELETE")
