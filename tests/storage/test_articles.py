"""Article writes and reads: rows, versions, sources, categories, listing entries, failures."""

from __future__ import annotations

import pytest

from ccme_crawler.items import ListingEntry, PageFailure
from ccme_crawler.storage import Storage
from tests.storage.records import ACTIVITES, MEDIAS, URL, make_record


def categories_of(store: Storage, relation: str) -> set[str]:
    return {
        r["path"]
        for r in store.db.query(
            "SELECT c.path FROM article_categories ac JOIN categories c ON c.id = ac.category_id "
            "WHERE ac.relation = ?",
            [relation],
        )
    }


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
    current = list(store.db.query("SELECT version, body FROM articles"))
    assert (current, versions) == (
        [{"version": 2, "body": "Texte corrigé."}],
        [{"version": 1, "body": "Premier paragraphe.\n\nSecond."}],
    )


def test_changed_content_reports_the_new_version(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert store.upsert_article(make_record(body="Texte corrigé."), run_id=None).version == 2


def test_get_article_of_an_unknown_url_is_none(store: Storage) -> None:
    assert store.get_article(URL) is None


def test_iter_article_urls_streams_every_stored_url(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    other = make_record()
    other.article.url = URL + "autre/"
    store.upsert_article(other, run_id=None)
    assert sorted(store.iter_article_urls()) == [URL, URL + "autre/"]


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


def test_every_raw_outlet_name_is_kept_as_an_alias(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    other = make_record()
    other.article.url = URL + "autre/"
    other.article.source = "Maghreb Arabe Presse"
    store.upsert_article(other, run_id=None)
    aliases = {r["raw"] for r in store.db.query("SELECT raw FROM source_aliases")}
    assert aliases == {"M.A.P", "Maghreb Arabe Presse"}


def test_post_category_is_the_records_category_path(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert categories_of(store, "post") == {MEDIAS}


def test_post_category_gets_the_posts_label(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    labels = list(store.db.query("SELECT path, label FROM categories"))
    assert labels == [{"path": MEDIAS, "label": "Médias et migration"}]


def test_no_category_path_links_no_post_category(store: Storage) -> None:
    # Storage files the path it is given; it does not derive one from category_url.
    store.upsert_article(make_record(category_path=None), run_id=None)
    assert categories_of(store, "post") == set()


def test_listing_category_of_the_record_is_linked(store: Storage) -> None:
    store.upsert_article(make_record(listing_category=ACTIVITES), run_id=None)
    assert categories_of(store, "listing") == {ACTIVITES}


def test_listing_entry_before_article_is_linked_on_store(store: Storage) -> None:
    store.record_listing_entry(ListingEntry(URL, ACTIVITES, "x", 0, "2026-01-01"))
    store.upsert_article(make_record(), run_id=None)
    assert categories_of(store, "listing") == {ACTIVITES, MEDIAS}


def test_listing_entry_of_a_stored_article_is_linked_at_once(store: Storage) -> None:
    store.upsert_article(make_record(listing_category=None), run_id=None)
    store.record_listing_entry(ListingEntry(URL, ACTIVITES, "x", 0, "2026-01-01"))
    assert categories_of(store, "listing") == {ACTIVITES}


def test_listing_entry_is_kept_before_the_article_exists(store: Storage) -> None:
    store.record_listing_entry(ListingEntry(URL, ACTIVITES, "x", 0, "2026-01-01"))
    entries = list(store.db.query("SELECT * FROM listing_entries"))
    assert entries == [
        {"article_url": URL, "category_path": ACTIVITES, "first_seen_at": "2026-01-01"}
    ]


def test_category_label_is_recorded_and_updated(store: Storage) -> None:
    store.record_category_label(ACTIVITES, "Activités", None)
    store.record_category_label(ACTIVITES, "Activités du CCME", None)
    labels = list(store.db.query("SELECT path, label FROM categories"))
    assert labels == [{"path": ACTIVITES, "label": "Activités du CCME"}]


def test_validators_of_the_last_fetch_are_kept_for_recheck(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert store.articles_for_recheck(None) == [
        {"url": URL, "etag": '"abc"', "last_modified": None}
    ]


def test_recheck_since_skips_older_articles(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    assert store.articles_for_recheck("2015-01-01") == []


def test_not_modified_updates_the_check(store: Storage) -> None:
    store.upsert_article(make_record(), run_id=None)
    store.record_not_modified(URL, "2027-01-01T00:00:00+00:00")
    check = list(store.db.query("SELECT checked_at, http_status FROM article_checks"))
    assert check == [{"checked_at": "2027-01-01T00:00:00+00:00", "http_status": 304}]


def test_failure_resolved_when_the_article_is_stored(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "http_503", "", 503), run_id=None)
    store.upsert_article(make_record(), run_id=None)
    assert store.unresolved_failures() == []


def test_failure_is_pending_until_stored(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "timeout", "slow"), run_id=None)
    assert store.unresolved_failures() == [URL]


def test_failures_of_another_kind_are_not_pending_articles(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "http_503", "", 503, kind="listing"), run_id=None)
    assert store.unresolved_failures("article") == []


def test_failure_detail_is_cut_to_2000_characters(store: Storage) -> None:
    store.record_failure(PageFailure(URL, "timeout", "x" * 5000), run_id=None)
    (row,) = store.db.query("SELECT length(detail) AS n FROM page_failures")
    assert row["n"] == 2000


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
    bad.article.breadcrumb = [object()]  # type: ignore[list-item]  # not JSON serializable
    with pytest.raises(TypeError):
        store.upsert_article(bad, run_id=None)
    assert (store.article_count(), store.conn.in_transaction) == (0, False)
