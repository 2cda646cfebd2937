"""The schema and its numbered migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from ccme_crawler.storage import MIGRATIONS, Storage, StorageError
from ccme_crawler.storage.schema import pending_migrations


def test_new_database_has_the_latest_schema(store: Storage) -> None:
    assert store.schema_version == len(MIGRATIONS)


def test_contract_columns_exist(store: Storage) -> None:
    columns = set(store.db["articles"].columns_dict)
    assert {
        "url",
        "title",
        "published_at",
        "language",
        "category",
        "body",
        "source",
        "source_date",
        "post_id",
        "author",
        "modified_at",
        "breadcrumb",
        "word_count",
        "content_hash",
    } <= columns


def test_the_full_text_index_folds_accents(store: Storage) -> None:
    sql = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'")
    assert "remove_diacritics 2" in sql.fetchone()[0]


def test_an_older_database_is_migrated_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Storage.open(path) as store:
        assert (store.schema_version, "articles_view" in store.db.view_names()) == (
            len(MIGRATIONS),
            True,
        )


def test_a_database_from_a_newer_ccme_crawler_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    Storage.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="upgrade ccme-crawler"):
        Storage.open(path)
    assert path.read_bytes() == before


def test_pending_migrations_are_numbered_from_the_next_version() -> None:
    assert [number for number, _ in pending_migrations(1)] == list(range(2, len(MIGRATIONS) + 1))


def test_an_up_to_date_database_has_no_pending_migration() -> None:
    assert pending_migrations(len(MIGRATIONS)) == []
