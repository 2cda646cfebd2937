"""Storage on a real temporary SQLite file."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from ccme_crawler.items import ArticleRecord, ExtractedArticle, ListingEntry, PageFailure
from ccme_crawler.storage import MIGRATIONS, Storage, StorageError

URL = "https://www.ccme.org.ma/un-article/"


def make_record(body: str = "Premier paragraphe.\n\nSecond.", **changes: object) -> ArticleRecord:
    article = ExtractedArticle(
        url=URL,
        title="Un article",
        published_at="2014-02-19T09:00:00+00:00",
        language="fr",
        category="Médias et migration",
        category_url="https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/",
        breadcrumb=["Home", "Archives du CCME", "Médias et migration"],
        body=body,
        source="M.A.P",
        source_date="2014-02-18",
        word_count=len(body.split()),
    )
    record = ArticleRecord(
        article=article,
        content_hash=f"hash-{body}",
        source_canonical="MAP",
        listing_category="/category/archives-du-ccme/medias-et-migration/",
        fetched_url=URL,
        final_url=URL,
        http_status=200,
        etag='"abc"',
        last_modified=None,
        fetched_at="2026-11-29T00:00:00+00:00",
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Storage:
    storage = Storage.open(tmp_path / "ccme.sqlite")
    yield storage
    storage.close()


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


def test_first_upsert_is_new(store: Storage) -> None:
    assert store.upsert_article(make_record(), run_id=None).outcome == "new"


def test_same_record_twice_is_unchanged(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert store.upsert_article(make_record(), run_id=None).outcome == "unchanged"


def test_unchanged_upsert_leaves_the_row_untouched(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    before = store.get_article(URL)
    store.upsert_article(make_record(fetched_at="2030-01-01T00:00:00+00:00"), run_id=7)
    assert store.get_article(URL) == before


def test_changed_content_keeps_the_old_version(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    store.upsert_article(make_record(body="Texte corrigé."), run_id=None)
    versions = list(store.db.query("SELECT version, body FROM article_versions"))
    assert (store.get_article(URL)["version"], versions) == (
        2,
        [{"version": 1, "body": "Premier paragraphe.\n\nSecond."}],
    )


def test_source_aliases_map_to_one_outlet(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    other = make_record()
    other.article.url = URL + "autre/"
    other.article.source = "Maghreb Arabe Presse"
    store.upsert_article(other, run_id=None)
    per_outlet = list(
        store.db.query(
            "SELECT s.name, count(*) AS n FROM articles a JOIN sources s ON s.id = a.source_id "
            "GROUP BY s.name"
        )
    )
    assert per_outlet == [{"name": "MAP", "n": 2}]


def test_listing_entry_before_article_is_linked_on_store(store: Storage) -> None:
    store.record_listing_entry(
        ListingEntry(URL, "/category/archives-du-ccme/activites/", "x", 0, "2026-01-01")
    )
    store.upsert_article(make_record(), run_id=None)
    paths = {
        r["path"]
        for r in store.db.query(
            "SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id "
            "WHERE ac.relation = 'listing'"
        )
    }
    assert paths == {
        "/category/archives-du-ccme/activites/",
        "/category/archives-du-ccme/medias-et-migration/",
    }


def test_failure_resolved_when_the_article_is_stored(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "http_503", "", 503), run_id=None)
    store.upsert_article(make_record(), run_id=None)
    assert store.unresolved_failures() == []


def test_failure_is_pending_until_stored(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "timeout", "slow"), run_id=None)
    assert store.unresolved_failures() == [URL]


def test_full_text_search_folds_accents(store: Storage) -> None:
    store.upsert_article(make_record(body="La coopération bilatérale."), run_id=None)
    hits = list(
        store.db.query(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'cooperation bilaterale'"
        )
    )
    assert len(hits) == 1


def test_a_failing_write_leaves_nothing(store: Storage) -> None:
    bad = make_record()
    bad.article.breadcrumb = [object()]  # type: ignore[list-item] - not JSON serializable
    with pytest.raises(TypeError):
        store.upsert_article(bad, run_id=None)
    assert (store.article_count(), store.conn.in_transaction) == (0, False)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello, I am not a database" * 10, "not an SQLite database"),
    ],
)
def test_bad_files_are_refused_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        Storage.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="not a ccme-crawler"):
        Storage.open(path)
    assert path.read_bytes() == before


def test_corrupt_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite"
    Storage.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        Storage.open(path)
    assert path.read_bytes() == bytes(data)


def test_read_only_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    Storage.open(path).close()
    path.chmod(0o444)
    try:
        with pytest.raises(StorageError, match="read-only"):
            Storage.open(path)
    finally:
        path.chmod(0o644)
