"""The schema: numbered migrations, applied in order and recorded in ``PRAGMA user_version``.

A migration is never edited once released; a schema change is a new one appended to
``MIGRATIONS``. A database from a newer ccme-crawler is refused rather than damaged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import sqlite_utils

from ccme_crawler.storage import discovery
from ccme_crawler.storage.errors import StorageError

Migration = Callable[[sqlite_utils.Database], None]


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
    db.table("articles").enable_fts(
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


def _m3_source_url(db: sqlite_utils.Database) -> None:
    # The outlet's own article, linked by a "…Suite" line (extractor version 2).
    db.execute("ALTER TABLE articles ADD COLUMN source_url TEXT")
    db.execute("DROP VIEW articles_view")
    db.execute(
        """CREATE VIEW articles_view AS
        SELECT a.rowid AS article_rowid, a.url, a.title, a.published_at,
            substr(a.published_at, 1, 4) AS year, a.language, a.category,
            s.name AS source, a.source AS source_as_written, a.source_date, a.source_url,
            a.author, a.word_count, a.body
        FROM articles a LEFT JOIN sources s ON s.id = a.source_id"""
    )


def _m5_countries_and_stories(db: sqlite_utils.Database) -> None:
    # The countries an article names (rank 0 the most mentioned) and its story cluster with the
    # MinHash signature that assigned it (ccme_crawler.stories); filled as articles are stored,
    # and for articles stored before this migration by `countries --recompute` and `stories`.
    db.execute(
        """CREATE TABLE article_countries (
            article_url TEXT NOT NULL REFERENCES articles(url) ON DELETE CASCADE,
            code TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            PRIMARY KEY (article_url, code)
        )"""
    )
    db.execute("CREATE INDEX article_countries_code ON article_countries(code)")
    db.execute(
        """CREATE TABLE article_stories (
            article_url TEXT PRIMARY KEY REFERENCES articles(url) ON DELETE CASCADE,
            story_id INTEGER NOT NULL,
            signature BLOB
        )"""
    )
    db.execute("CREATE INDEX article_stories_story_id ON article_stories(story_id)")
    db.execute("DROP VIEW articles_view")
    db.execute(
        """CREATE VIEW articles_view AS
        SELECT a.rowid AS article_rowid, a.url, a.title, a.published_at,
            substr(a.published_at, 1, 4) AS year, a.language, a.category,
            s.name AS source, a.source AS source_as_written, a.source_date, a.source_url,
            a.author, a.word_count,
            (SELECT json_group_array(code) FROM (SELECT code FROM article_countries
                WHERE article_url = a.url ORDER BY rank)) AS countries,
            st.story_id,
            CASE WHEN st.story_id IS NOT NULL THEN
                (SELECT count(*) FROM article_stories WHERE story_id = st.story_id) END
                AS story_size,
            a.body
        FROM articles a LEFT JOIN sources s ON s.id = a.source_id
        LEFT JOIN article_stories st ON st.article_url = a.url"""
    )


def _m6_gone_pages(db: sqlite_utils.Database) -> None:
    # Articles deleted from the site for good (404 on CCME_GONE_AFTER visits): their 404 no
    # longer fails a run. A stored article that is gone keeps its row in `articles`.
    db.execute(
        """CREATE TABLE gone_pages (
            url TEXT PRIMARY KEY,
            gone_at TEXT NOT NULL,
            http_status INTEGER,
            visits INTEGER NOT NULL,
            last_checked_at TEXT NOT NULL
        )"""
    )


def _m7_site_changed(db: sqlite_utils.Database) -> None:
    # What made a run say the site changed (site_health.py): a JSON list of messages, NULL
    # for a run that saw the site it was built for.
    db.execute("ALTER TABLE crawl_runs ADD COLUMN site_changed TEXT")


def _m8_captured_requisites(db: sqlite_utils.Database) -> None:
    # Page requisites a crawl captured (storage/requisites.py).
    db.execute(
        """CREATE TABLE captured_requisites (
            url TEXT PRIMARY KEY,
            captured_at TEXT NOT NULL,
            payload_digest TEXT,
            warc_file TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX captured_requisites_captured_at ON captured_requisites(captured_at)")


def _m9_imported_captures(db: sqlite_utils.Database) -> None:
    # Where each article `import` stored came from (storage/imports.py).
    db.execute(
        """CREATE TABLE imported_captures (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            url TEXT NOT NULL,
            source_file TEXT NOT NULL,
            record_id TEXT,
            captured_at TEXT,
            software TEXT,
            outcome TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX imported_captures_url ON imported_captures(url)")


MIGRATIONS: list[Migration] = [
    _m1_initial,
    _m2_articles_view,
    _m3_source_url,
    discovery._m4_discovery,
    _m5_countries_and_stories,
    _m6_gone_pages,
    _m7_site_changed,
    _m8_captured_requisites,
    _m9_imported_captures,
]


def pending_migrations(version: int) -> list[tuple[int, Migration]]:
    """The migrations a database at schema ``version`` still needs, with their numbers."""
    return list(enumerate(MIGRATIONS[version:], start=version + 1))


def check_archive(path: Path, version: int, tables: Sequence[str]) -> None:
    """Refuse, for reading, anything but a whole ccme-crawler archive of a known schema."""
    if version == 0 and not tables:
        raise StorageError(
            f"{path}: holds no archive yet (a first crawl may still be creating it; "
            "try again when it has ended)"
        )
    check_is_ours(path, version, tables)
    if "articles" not in tables:
        raise StorageError(f"{path}: an SQLite database, but not a ccme-crawler one")
    if version < len(MIGRATIONS):
        # Reading never migrates: the queries would miss the newer tables.
        raise StorageError(
            f"{path}: schema version {version} is older than this ccme-crawler's "
            f"({len(MIGRATIONS)}); upgrade it with a command that writes, "
            "e.g. `ccme-crawler stories`"
        )


def check_is_ours(path: Path, version: int, tables: Sequence[str]) -> None:
    """Refuse another application's SQLite file, or one from a newer ccme-crawler."""
    if version == 0 and tables:
        raise StorageError(f"{path}: an SQLite database, but not a ccme-crawler one")
    if version > len(MIGRATIONS):
        raise StorageError(
            f"{path}: schema version {version} is newer than this ccme-crawler "
            f"({len(MIGRATIONS)}); upgrade ccme-crawler"
        )
