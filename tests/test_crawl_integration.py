"""The real crawl, in a subprocess, against the bundled sample served on 127.0.0.1."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from ccme_crawler.urls import canonical_article_url
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import respond
from tests.helpers import ARCHIVE_PATHS, crawl, rows

pytestmark = pytest.mark.integration


def expected_default_articles(site) -> dict:  # type: ignore[no-untyped-def]
    """Articles reachable from the three default categories, by canonical URL."""
    wanted = set(ARCHIVE_PATHS)
    return {a.url: a for a in site.expected_articles() if {c.path for c in a.categories} & wanted}


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site = sample_site()
    with MirrorServer(site) as server:
        db = tmp_path_factory.mktemp("crawl") / "ccme.sqlite"
        summary = crawl(db, server)
        requests = list(server.requests)
        yield site, server, db, summary, requests


def test_first_crawl_exits_zero_and_reports_new_articles(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, _, summary, _ = first_crawl
    assert (summary["returncode"], summary["articles_new"]) == (
        0,
        len(expected_default_articles(site)),
    )


def test_every_article_stored_once(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    stored = [r["url"] for r in rows(db, "SELECT url FROM articles")]
    assert sorted(stored) == sorted(expected_default_articles(site))


@pytest.mark.parametrize("field", ["title", "published_at", "language", "body", "source"])
def test_fields_match_the_mirror(first_crawl, field: str) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    stored = {r["url"]: r for r in rows(db, "SELECT * FROM articles")}
    wrong = {
        url: (stored[url][field], getattr(article, field))
        for url, article in expected_default_articles(site).items()
        if stored[url][field] != getattr(article, field)
    }
    assert wrong == {}


def test_source_dates_match_the_mirror(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    stored = {r["url"]: r["source_date"] for r in rows(db, "SELECT url, source_date FROM articles")}
    expected = {url: a.source_date for url, a in expected_default_articles(site).items()}
    assert stored == expected


def test_categories_match_the_mirror(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    stored = {r["url"]: r["category"] for r in rows(db, "SELECT url, category FROM articles")}
    expected = {url: a.category.label for url, a in expected_default_articles(site).items()}
    assert stored == expected


def test_seed_article_comes_out_as_the_seed_table_says(first_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, db, _, _ = first_crawl
    (row,) = rows(
        db,
        "SELECT * FROM articles WHERE url = ?",
        (
            "https://www.ccme.org.ma/le-maroc-et-la-belgique-signent-plusieurs-accords-et-"
            "conventions-de-cooperation/",
        ),
    )
    got = (
        row["title"],
        row["published_at"][:10],
        row["category"],
        row["language"],
        row["body"].startswith("Le Maroc et la Belgique ont signé, mardi à Bruxelles"),
        row["body"].endswith("remonte à 1965."),
        row["source_date"],
        row["source"],
    )
    assert got == (
        "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération",
        "2014-02-19",
        "Médias et migration",
        "fr",
        True,
        True,
        "2014-02-18",
        "MAP",
    )


def test_no_article_fetched_twice_despite_url_variants(first_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, requests = first_crawl
    article_paths = [
        canonical_article_url("https://www.ccme.org.ma" + r.path)
        for r in requests
        if "/category/" not in r.path and r.path != "/robots.txt" and r.status == 200
    ]
    twice = {url: n for url, n in Counter(article_paths).items() if n > 1}
    assert twice == {}


def test_listing_categories_are_all_kept(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    linked = rows(
        db,
        """SELECT ac.article_url, c.path FROM article_categories ac
        JOIN categories c ON c.id = ac.category_id WHERE ac.relation = 'listing'""",
    )
    got: dict[str, set[str]] = {}
    for row in linked:
        got.setdefault(row["article_url"], set()).add(row["path"])
    expected = {
        url: {c.path for c in a.categories} & set(ARCHIVE_PATHS)
        for url, a in expected_default_articles(site).items()
    }
    assert got == expected


def test_crawl_runs_row_records_the_run(first_crawl) -> None:  # type: ignore[no-untyped-def]
    site, _, db, _, _ = first_crawl
    (run,) = rows(db, "SELECT * FROM crawl_runs")
    assert (run["status"], run["articles_new"], run["software_version"] is not None) == (
        "completed",
        len(expected_default_articles(site)),
        True,
    )


def test_full_text_search_finds_an_article_without_accents(first_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, db, _, _ = first_crawl
    found = rows(
        db,
        "SELECT a.url FROM articles a JOIN articles_fts f ON f.rowid = a.rowid "
        "WHERE articles_fts MATCH ?",
        ("cooperation belgique",),
    )
    assert any("le-maroc-et-la-belgique" in r["url"] for r in found)


def _snapshot(db: Path) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(db)
    try:
        return [
            *conn.execute("SELECT * FROM articles ORDER BY url"),
            *conn.execute("SELECT * FROM article_categories ORDER BY 1, 2, 3"),
            *conn.execute("SELECT * FROM categories ORDER BY id"),
            *conn.execute("SELECT * FROM sources ORDER BY id"),
        ]
    finally:
        conn.close()


def test_full_recrawl_changes_no_row(tmp_path: Path, sample_server: MirrorServer) -> None:
    db = tmp_path / "ccme.sqlite"
    first = crawl(db, sample_server)
    before = _snapshot(db)
    second = crawl(db, sample_server, "--full")
    assert (
        first["returncode"],
        second["returncode"],
        second["articles_new"],
        second["articles_updated"],
        _snapshot(db) == before,
    ) == (0, 0, 0, 0, True)


def test_crawl_with_live_links_stays_on_the_mirror(tmp_path: Path) -> None:
    """Pages that link to https://www.ccme.org.ma are crawled on the mirror, never the live site."""
    site = sample_site()
    with MirrorServer(site, link_origin="https://www.ccme.org.ma") as server:
        summary = crawl(tmp_path / "ccme.sqlite", server)
    assert (summary["returncode"], summary["articles_new"]) == (
        0,
        len(expected_default_articles(site)),
    )


def test_extra_categories_in_arabic_and_english(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    site = sample_server.site
    others = [c for c in site.categories if c.language in ("ar", "en")]
    args = [arg for c in others for arg in ("--category", c.path)]
    summary = crawl(tmp_path / "ccme.sqlite", sample_server, *args)
    languages = {
        r["language"] for r in rows(tmp_path / "ccme.sqlite", "SELECT language FROM articles")
    }
    assert (summary["returncode"], languages) == (0, {c.language for c in others})


def test_failed_article_recorded_and_crawl_goes_on(tmp_path: Path) -> None:
    site = sample_site()
    victim = next(iter(expected_default_articles(site).values()))
    with MirrorServer(site) as server:
        server.set_fault(unquote(urlsplit(victim.url).path), respond(500))
        db = tmp_path / "ccme.sqlite"
        summary = crawl(db, server)
    failures = rows(db, "SELECT url, reason FROM page_failures")
    stored = {r["url"] for r in rows(db, "SELECT url FROM articles")}
    assert (
        summary["returncode"],
        {(victim.url, "http_500")} <= {(f["url"], f["reason"]) for f in failures},
        len(stored),
    ) == (1, True, len(expected_default_articles(site)) - 1)
