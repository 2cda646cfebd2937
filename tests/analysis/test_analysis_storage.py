"""Countries and stories filed with stored articles, on a real SQLite file."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from ccme_crawler.storage import MIGRATIONS, Storage, StorageError
from tests.storage.records import make_record

DISPATCH = [
    "Les transferts des Marocains résidant à l’étranger ont atteint 59,2 milliards de dirhams à "
    "fin 2014, en hausse de 3,1 % par rapport à l’année précédente, selon l’Office des changes.",
    "Cette progression intervient malgré la crise économique qui frappe toujours l’Espagne et "
    "l’Italie, deux des principaux pays d’accueil de la diaspora marocaine.",
    "Les envois en provenance de France, qui représentent plus du tiers du total, ont progressé "
    "de 4 %, tandis que ceux des pays du Golfe ont augmenté de plus de 10 %.",
]
OTHER = (
    "Une quarantaine de candidats d’origine marocaine figurent sur les listes des élections "
    "communales du 14 octobre dans les dix-neuf communes de la région bruxelloise, en Belgique. "
    "À Molenbeek, Schaerbeek et Saint-Josse, plusieurs d’entre eux occupent des places éligibles."
)
BASE = "https://www.ccme.org.ma/"


def record(
    slug: str, body: str, title: str = "Un titre", published_at: str | None = "2014-02-19"
) -> object:
    base = make_record(body=body)
    article = dataclasses.replace(
        base.article, url=BASE + slug + "/", title=title, published_at=published_at
    )
    return dataclasses.replace(base, article=article, fetched_url=article.url)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    storage = Storage.open(tmp_path / "ccme.sqlite")
    yield storage
    storage.close()


def store_all(store: Storage) -> None:
    store.upsert_article(record("original", "\n".join(DISPATCH) + "\n(MAP)"), run_id=None)
    store.upsert_article(record("autre", OTHER), run_id=None)
    store.upsert_article(
        record("copie", "\n".join(DISPATCH[:2]) + "\nLire la suite", "Autre titre"), run_id=None
    )
    store.upsert_article(record("video", "Voir la vidéo."), run_id=None)
    store.upsert_article(record("video-2", "Voir la vidéo."), run_id=None)


def view(store: Storage) -> dict[str, dict]:
    return {
        row["url"].removeprefix(BASE).strip("/"): row
        for row in store.db.query("SELECT url, countries, story_id, story_size FROM articles_view")
    }


def test_countries_in_the_view_most_mentioned_first(store: Storage) -> None:
    store_all(store)
    assert json.loads(view(store)["original"]["countries"]) == ["ES", "IT", "FR"]


def test_article_naming_no_country_has_none(store: Storage) -> None:
    store_all(store)
    assert json.loads(view(store)["video"]["countries"]) == []


def test_republished_copy_shares_the_story(store: Storage) -> None:
    store_all(store)
    rows = view(store)
    assert (rows["copie"]["story_id"], rows["copie"]["story_size"]) == (
        rows["original"]["story_id"],
        2,
    )


def test_different_stories_and_short_bodies_stay_apart(store: Storage) -> None:
    store_all(store)
    rows = view(store)
    ids = [rows[slug]["story_id"] for slug in ("original", "autre", "video", "video-2")]
    assert len(set(ids)) == 4


def test_rebuild_gives_the_stories_assigned_as_articles_came(store: Storage) -> None:
    store_all(store)
    before = {slug: row["story_id"] for slug, row in view(store).items()}
    store.assign_stories(rebuild=True)
    assert {slug: row["story_id"] for slug, row in view(store).items()} == before


def test_a_reopened_database_assigns_new_copies_to_stored_stories(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    with Storage.open(path) as first:
        first.upsert_article(record("original", "\n".join(DISPATCH)), run_id=None)
    with Storage.open(path) as refresh:
        refresh.upsert_article(record("copie", "\n".join(DISPATCH[1:])), run_id=None)
        rows = view(refresh)
    assert rows["copie"]["story_id"] == rows["original"]["story_id"]


def test_copy_published_past_the_window_starts_its_own_story(store: Storage) -> None:
    store.upsert_article(record("original", "\n".join(DISPATCH), published_at="2014-02-19"), None)
    store.upsert_article(record("copie", "\n".join(DISPATCH), published_at="2014-03-23"), None)
    rows = view(store)
    assert rows["copie"]["story_id"] != rows["original"]["story_id"]


def test_undated_copies_share_a_story(store: Storage) -> None:
    store.upsert_article(record("original", "\n".join(DISPATCH), published_at=None), None)
    store.upsert_article(record("copie", "\n".join(DISPATCH), published_at=None), None)
    rows = view(store)
    assert rows["copie"]["story_id"] == rows["original"]["story_id"]


def test_reopened_database_loads_the_window_of_an_older_copy(tmp_path: Path) -> None:
    # Newest first, then a copy of a years-old article: its window is read from the file.
    path = tmp_path / "ccme.sqlite"
    dated = [("original", "2009-05-02"), ("autre", "2016-01-03"), ("recent", "2020-07-01")]
    with Storage.open(path) as first:
        for slug, day in reversed(dated):
            body = OTHER if slug != "original" else "\n".join(DISPATCH)
            first.upsert_article(record(slug, body, published_at=day), run_id=None)
    with Storage.open(path) as refresh:
        refresh.upsert_article(
            record("copie", "\n".join(DISPATCH[1:]), published_at="2009-05-20"), run_id=None
        )
        rows = view(refresh)
    assert rows["copie"]["story_id"] == rows["original"]["story_id"]


def test_rebuild_over_many_windows_gives_the_stories_assigned_as_articles_came(
    store: Storage,
) -> None:
    for n in range(12):
        day = f"20{10 + n // 4:02d}-{1 + n % 4 * 3:02d}-{1 + n:02d}"
        body = "\n".join(DISPATCH) if n % 3 else OTHER
        store.upsert_article(record(f"a{n}", body, published_at=day), run_id=None)
        store.upsert_article(record(f"b{n}", body + "\n(MAP)", published_at=day), run_id=None)
    before = {slug: row["story_id"] for slug, row in view(store).items()}
    store.assign_stories(rebuild=True)
    assert {slug: row["story_id"] for slug, row in view(store).items()} == before


def test_changed_body_gets_its_countries_again(store: Storage) -> None:
    store.upsert_article(record("original", OTHER), run_id=None)
    store.upsert_article(record("original", "\n".join(DISPATCH)), run_id=None)
    assert json.loads(view(store)["original"]["countries"]) == ["ES", "IT", "FR"]


def test_recompute_countries_fills_articles_stored_without(store: Storage) -> None:
    store_all(store)
    store.conn.execute("DELETE FROM article_countries")
    done = store.recompute_countries()
    assert (done, json.loads(view(store)["autre"]["countries"])) == (5, ["BE"])


def test_assign_stories_gives_one_to_articles_stored_without(tmp_path: Path) -> None:
    path = tmp_path / "ccme.sqlite"
    with Storage.open(path) as first:
        store_all(first)
        first.conn.execute("DELETE FROM article_stories WHERE article_url LIKE '%copie%'")
    with Storage.open(path) as later:
        done = later.assign_stories()
        rows = view(later)
    assert (done, rows["copie"]["story_id"]) == (1, rows["original"]["story_id"])


def test_stats_count_stories_and_countries(store: Storage) -> None:
    store_all(store)
    stats = store.stats()
    assert (
        stats["stories"],
        stats["by_source"],
        stats["by_year"],
        [(r["country"], r["articles"]) for r in stats["top_countries"]],
    ) == (
        4,
        [{"source": "MAP", "articles": 5, "stories": 4}],
        [{"year": "2014", "articles": 5, "stories": 4}],
        [("ES", 2), ("IT", 2), ("BE", 1), ("FR", 1)],
    )


def test_search_by_country(store: Storage) -> None:
    store_all(store)
    total, matches = store.search("marocaine", countries=["be"])
    assert (total, [m["url"] for m in matches]) == (1, [BASE + "autre/"])


def test_sqlite_copy_keeps_countries_and_stories(store: Storage, tmp_path: Path) -> None:
    store_all(store)
    with Storage.open(tmp_path / "copy.sqlite") as copy:
        copy.copy_articles_from(store.path)
        assert view(copy) == view(store)


def test_migration_adds_the_tables_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        migration(sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Storage.open(path) as store:
        tables = set(store.db.table_names())
    assert {"article_countries", "article_stories"} <= tables


def test_older_archive_opened_for_reading_says_how_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        migration(sqlite_utils.Database(conn))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="ccme-crawler stories"):
        Storage.open_archive(path)
