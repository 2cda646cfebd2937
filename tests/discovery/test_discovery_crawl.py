"""Crawls of the sample mirror with no --category: the listings are discovered (real CLI in a
subprocess, real HTTP server on loopback, real SQLite file)."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from ccme_mirror import MirrorServer, MirrorSite, sample_site
from ccme_mirror.faults import respond
from tests.helpers import ARCHIVE_PATHS, FAST_SETTINGS, crawl, rows, run_cli

pytestmark = pytest.mark.integration

MEDIA = "/category/archives-du-ccme/medias-et-migration/"


def archive_urls(site: MirrorSite) -> set[str]:
    """What a default crawl must store, as the mirror expects it (its menus' archive categories;
    a language without them, its author archives)."""
    return {a.url for a in site.expected_articles("archive")}


def stored(db: Path) -> set[str]:
    return {r["url"] for r in rows(db, "SELECT url FROM articles")}


def paths(server: MirrorServer) -> list[str]:
    return [unquote(urlsplit(r.path).path) for r in server.requests]


@pytest.fixture(scope="module")
def discovered(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site = sample_site()
    with MirrorServer(site) as server:
        db = tmp_path_factory.mktemp("discovered") / "ccme.sqlite"
        first = crawl(db, server)
        first_paths = paths(server)
        server.reset_requests()
        second = crawl(db, server)
        yield site, db, first, first_paths, second, paths(server)


def test_default_crawl_stores_every_archive_article_once(discovered) -> None:  # type: ignore[no-untyped-def]
    site, db, first, _, _, _ = discovered
    assert (first["returncode"], first["articles_new"], stored(db)) == (
        0,
        len(archive_urls(site)),
        archive_urls(site),
    )


def test_default_crawl_walks_the_archive_categories_of_the_menu(discovered) -> None:  # type: ignore[no-untyped-def]
    _, _, first, _, _, _ = discovered
    assert (first["discovery"]["walked"], first["discovery"]["walked_by_found_by"]) == (
        list(ARCHIVE_PATHS),
        {"menu": 3},
    )


def test_discovery_is_recorded_in_crawl_runs(discovered) -> None:  # type: ignore[no-untyped-def]
    _, db, _, _, _, _ = discovered
    run = rows(db, "SELECT discovery FROM crawl_runs ORDER BY id LIMIT 1")[0]
    assert json.loads(run["discovery"])["source"] == "discovered"


def test_discovered_listings_are_cached_with_how_they_were_found(discovered) -> None:  # type: ignore[no-untyped-def]
    _, db, _, _, _, _ = discovered
    cached = rows(
        db, "SELECT path, found_by, role FROM discovered_listings WHERE probe_status = 200"
    )
    assert cached == [{"path": p, "found_by": "menu", "role": "archive"} for p in ARCHIVE_PATHS]


def test_first_pages_are_fetched_once_although_discovery_read_them(discovered) -> None:  # type: ignore[no-untyped-def]
    _, _, _, first_paths, _, _ = discovered
    assert [first_paths.count(p) for p in ARCHIVE_PATHS] == [1, 1, 1]


def test_summary_warns_about_languages_without_listing(discovered) -> None:  # type: ignore[no-untyped-def]
    _, _, first, _, _, _ = discovered
    assert "no listing found in ar, en (see docs/discovery.md)" in first["warnings"]


def test_refresh_uses_the_cached_listings(discovered) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, second, _ = discovered
    assert (second["returncode"], second["discovery"]["source"]) == (0, "cache")


def test_refresh_fetches_no_discovery_page(discovered) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, _, second_paths = discovered
    assert sorted(second_paths) == sorted(["/robots.txt", *ARCHIVE_PATHS])


def test_rediscover_flag_reads_the_site_again(tmp_path: Path, sample_server: MirrorServer) -> None:
    db = tmp_path / "ccme.sqlite"
    crawl(db, sample_server)
    summary = crawl(db, sample_server, "--rediscover")
    assert (summary["returncode"], summary["discovery"]["reason"]) == (0, "asked to (--rediscover)")


def test_listing_option_walks_an_author_style_listing_path(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    # The mirror has no author archives: the walk's first page answers 404, a listing failure.
    summary = crawl(tmp_path / "ccme.sqlite", sample_server, "--listing", "/author/x/page/3/")
    assert (summary["returncode"], summary["discovery"]["walked"]) == (1, ["/author/x/"])


def test_bad_listing_option_is_a_usage_error(tmp_path: Path, sample_server: MirrorServer) -> None:
    result = run_cli(
        "crawl", "--db", str(tmp_path / "x.sqlite"), "--base-url", sample_server.base_url,
        "--listing", "/le-maroc/",
    )  # fmt: skip
    assert (result.returncode, "not an archive listing" in result.stderr) == (2, True)


# --- a listing that went away ---------------------------------------------------------------


def test_cached_listing_answering_404_makes_the_run_rediscover(tmp_path: Path) -> None:
    site = sample_site()
    with MirrorServer(site) as server:
        db = tmp_path / "ccme.sqlite"
        crawl(db, server)
        server.set_fault(MEDIA, respond(404, "<html><body class='error404'></body></html>"))
        summary = crawl(db, server)
    assert (
        summary["returncode"],
        summary["discovery"]["reason"],
        summary["discovery"]["walked"],
    ) == (
        0,
        f"{MEDIA} answered 404",
        [p for p in ARCHIVE_PATHS if p != MEDIA],
    )


# --- nothing to be found --------------------------------------------------------------------


def test_nothing_found_exits_6_and_says_what_answered(tmp_path: Path) -> None:
    with MirrorServer(sample_site()) as server:
        server.set_fault(
            re.compile(r"^/(ar/|en/)?$"), respond(200, "<html><body>En maintenance</body></html>")
        )
        summary = crawl(tmp_path / "ccme.sqlite", server)
    assert (summary["returncode"], summary["finish_reason"], summary["discovery"]["message"]) == (
        6,
        "nothing_discovered",
        "no listing found: / (200, menu has no 'Archives du CCME', 0 listings), "
        "/robots.txt (200, no Sitemap line), /wp-sitemap.xml (404), /sitemap_index.xml (404), "
        "author links: none",
    )


def test_unreachable_site_exits_3_not_6(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli(
        "crawl", "--db", str(tmp_path / "x.sqlite"), "--base-url", f"http://127.0.0.1:{port}",
        "--no-progress", *FAST_SETTINGS, "-s", "ROBOTSTXT_OBEY=False",
    )  # fmt: skip
    assert result.returncode == 3


# --- sitemaps -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_sitemaps(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site = sample_site()
    with MirrorServer(site, sitemaps=True, posts_per_sitemap=10) as server:
        db = tmp_path_factory.mktemp("sitemaps") / "ccme.sqlite"
        first = crawl(db, server)
        server.reset_requests()
        second = crawl(db, server)
        yield site, db, first, second, paths(server)


def test_sitemap_posts_outside_the_archive_are_not_stored(with_sitemaps) -> None:  # type: ignore[no-untyped-def]
    site, db, first, _, _ = with_sitemaps
    assert (first["returncode"], stored(db)) == (0, archive_urls(site))


def test_sitemap_posts_outside_the_archive_are_recorded_as_such(with_sitemaps) -> None:  # type: ignore[no-untyped-def]
    site, db, _, _, _ = with_sitemaps
    outside = {a.url for a in site.expected_articles("site")} - archive_urls(site)
    recorded = {r["url"] for r in rows(db, "SELECT url FROM sitemap_entries WHERE in_scope = 0")}
    assert recorded == outside


def test_every_sitemap_post_is_kept_with_its_lastmod(with_sitemaps) -> None:  # type: ignore[no-untyped-def]
    site, db, _, _, _ = with_sitemaps
    entries = rows(db, "SELECT url, lastmod FROM sitemap_entries")
    assert (len(entries), all(e["lastmod"] for e in entries)) == (
        len(site.expected_articles()),
        True,
    )


def test_refresh_fetches_no_sitemap_post_again(with_sitemaps) -> None:  # type: ignore[no-untyped-def]
    _, _, _, second, second_paths = with_sitemaps
    articles = [
        p
        for p in second_paths
        if "/category/" not in p and "/author/" not in p and not p.endswith((".xml", ".txt"))
    ]
    assert (second["returncode"], articles) == (0, [])


def test_site_scope_stores_every_post_of_every_language(tmp_path: Path) -> None:
    site = sample_site()
    with MirrorServer(site, sitemaps=True) as server:
        summary = crawl(tmp_path / "ccme.sqlite", server, "--scope", "site")
    languages = {
        r["language"] for r in rows(tmp_path / "ccme.sqlite", "SELECT language FROM articles")
    }
    assert (summary["returncode"], len(stored(tmp_path / "ccme.sqlite")), languages) == (
        0,
        len(site.expected_articles()),
        {"fr", "ar", "en"},
    )


def test_posts_a_broken_listing_hides_are_fetched_from_the_sitemap(tmp_path: Path) -> None:
    site = sample_site()
    page_one = {a.url for a in site.listing(MEDIA, 1) or []}
    others = {a.url for p in ARCHIVE_PATHS if p != MEDIA for a in site.listing(p, 1) or []}
    hidden = {a.url for a in site.listing(MEDIA, 2) or []} - page_one - others
    with MirrorServer(site, sitemaps=True) as server:
        server.set_fault(f"{MEDIA}page/2/", respond(500))
        summary = crawl(tmp_path / "ccme.sqlite", server)
    assert (
        summary["returncode"],
        summary["articles_from_sitemap"],
        stored(tmp_path / "ccme.sqlite") == archive_urls(site),
    ) == (1, len(hidden), True)


def test_post_whose_lastmod_moved_is_refetched_conditionally_and_versioned(tmp_path: Path) -> None:
    site = sample_site()
    target = sorted(archive_urls(site))[0]
    article = site.find(target)
    assert article is not None
    old_body = article.body
    with MirrorServer(site, sitemaps=True) as server:
        db = tmp_path / "ccme.sqlite"
        crawl(db, server)
        # A minute ahead: the change is later than the first crawl's fetch, whatever the clock.
        later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat(timespec="seconds")
        site.update_article(
            article.slug_path, paragraphs=[*article.paragraphs, "Mise à jour."], modified_at=later
        )
        server.reset_requests()
        summary = crawl(db, server)
        fetched = [
            r for r in server.requests if r.kind == "article" and "If-None-Match" in r.headers
        ]
    versions = rows(db, "SELECT url, version, body FROM article_versions")
    assert (summary["articles_updated"], len(fetched), versions) == (
        1,
        1,
        [{"url": target, "version": 1, "body": old_body}],
    )
