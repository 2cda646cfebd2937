"""One discovery pass, without Scrapy: what each answer adds and what it asks to fetch next."""

from __future__ import annotations

import pytest

from ccme_crawler.discovery import Findings
from ccme_crawler.items import DiscoveryFetch
from tests.discovery.conftest import (
    AR_ACTIVITIES,
    AR_MEDIA,
    AR_ROOT,
    CATEGORY_AR_URL,
    fixture_bytes,
)

ORIGIN = "https://www.ccme.org.ma"
FR_ROOT = "/category/archives-du-ccme/"
FR_MEDIA = FR_ROOT + "medias-et-migration/"


@pytest.fixture
def findings() -> Findings:
    return Findings("http://127.0.0.1:8000")


def steps(fetches: list[DiscoveryFetch]) -> list[tuple[str, str]]:
    return [(f.url, f.step) for f in fetches]


def test_discovery_starts_with_the_home_page_and_robots(findings: Findings) -> None:
    assert steps(findings.start()) == [("/", "home"), ("/robots.txt", "robots")]


def test_home_asks_for_the_language_homes_and_every_menu_category(
    findings: Findings, category_fr_html: str
) -> None:
    fetches = findings.read_home(ORIGIN + "/", category_fr_html)
    assert (
        [f.url for f in fetches if f.step == "home"],
        len([f for f in fetches if f.step == "listing"]),
    ) == (["/ar/", "/en/"], 10)


def test_nothing_is_asked_for_twice(findings: Findings, category_fr_html: str) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    assert findings.read_home(ORIGIN + "/", category_fr_html) == []


def test_menu_children_of_the_archive_entry_are_archive_listings(
    findings: Findings, category_fr_html: str
) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    roles = {x.path: x.role for x in findings.result().listings}
    assert [p for p, r in roles.items() if r != "other"] == [
        FR_ROOT,
        FR_ROOT + "activites/",
        FR_MEDIA,
        FR_ROOT + "actualites-archives-du-ccme/",
    ]


def test_archive_entry_is_the_root(findings: Findings, category_fr_html: str) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    roles = {x.path: x.role for x in findings.result().listings}
    assert roles[FR_ROOT] == "archive-root"


def test_home_without_the_archive_entry_says_so(findings: Findings) -> None:
    findings.read_home(ORIGIN + "/", "<html><body><ul class='menu'></ul></body></html>")
    assert findings.result().attempts[0].note == "menu has no 'Archives du CCME', 0 listings"


def _read_ar_page(findings: Findings, category_fr_html: str, category_ar_html: str) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    findings.read_listing(CATEGORY_AR_URL, AR_MEDIA, category_ar_html, "listing")


def test_switcher_translation_of_an_archive_category_is_an_archive_listing(
    findings: Findings, category_fr_html: str, category_ar_html: str
) -> None:
    _read_ar_page(findings, category_fr_html, category_ar_html)
    listing = {x.path: x for x in findings.result().listings}[AR_MEDIA]
    assert (listing.role, listing.language) == ("archive", "ar")


def test_menu_entry_holding_a_translation_is_the_translated_archive(
    findings: Findings, category_fr_html: str, category_ar_html: str
) -> None:
    _read_ar_page(findings, category_fr_html, category_ar_html)
    roles = {x.path: x.role for x in findings.result().listings}
    assert (roles[AR_ROOT], roles[AR_ACTIVITIES]) == ("archive-root", "archive")


def test_probed_listing_takes_its_status_and_heading(
    findings: Findings, category_fr_html: str, category_ar_html: str
) -> None:
    _read_ar_page(findings, category_fr_html, category_ar_html)
    listing = {x.path: x for x in findings.result().listings}[AR_MEDIA]
    assert (listing.status, listing.label) == (200, "الإعلام والهجرة")


def test_listing_page_author_links_are_recorded(
    findings: Findings, category_fr_html: str, category_ar_html: str
) -> None:
    _read_ar_page(findings, category_fr_html, category_ar_html)
    authors = [x.path for x in findings.result().listings if x.kind == "author"]
    assert authors == ["/ar/author/rajae-moumengmail-com/", "/ar/author/autre-auteur/"]


def test_switcher_translation_is_fetched_to_read_its_own_switcher(
    findings: Findings, category_ar_html: str
) -> None:
    fetches = findings.read_listing(CATEGORY_AR_URL, AR_MEDIA, category_ar_html, "listing")
    assert (FR_MEDIA, "listing") in steps(fetches)


def test_listing_answering_404_is_marked_gone(findings: Findings, category_fr_html: str) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    findings.failed(FR_MEDIA, "listing", 404, "")
    assert {x.path: x.status for x in findings.result().listings}[FR_MEDIA] == 404


def test_soft_404_listing_is_a_404(findings: Findings, category_fr_html: str) -> None:
    findings.read_home(ORIGIN + "/", category_fr_html)
    not_found = "<html><body class='error404'><h1>Page Not Found!</h1></body></html>"
    findings.read_listing(ORIGIN + FR_MEDIA, FR_MEDIA, not_found, "listing")
    assert {x.path: x.status for x in findings.result().listings}[FR_MEDIA] == 404


# --- sitemaps ------------------------------------------------------------------------------


def test_robots_without_sitemap_lines_tries_wordpress_core(findings: Findings) -> None:
    findings.start()
    assert steps(findings.read_robots(ORIGIN + "/robots.txt", b"User-agent: *\n")) == [
        ("/wp-sitemap.xml", "sitemap")
    ]


def test_missing_core_sitemap_tries_the_seo_plugins_index(findings: Findings) -> None:
    findings.start()
    findings.read_robots(ORIGIN + "/robots.txt", b"User-agent: *\n")
    assert steps(findings.failed("/wp-sitemap.xml", "sitemap", 404, "", "wp-core")) == [
        ("/sitemap_index.xml", "sitemap")
    ]


def test_no_sitemap_anywhere_ends_the_sitemap_step(findings: Findings) -> None:
    findings.start()
    findings.failed("/robots.txt", "robots", 404, "")
    findings.failed("/wp-sitemap.xml", "sitemap", 404, "", "wp-core")
    assert findings.failed("/sitemap_index.xml", "sitemap", 404, "", "seo-plugin") == []


def test_robots_sitemap_lines_are_read_first_other_hosts_left(findings: Findings) -> None:
    findings.start()
    assert steps(findings.read_robots(ORIGIN + "/robots.txt", fixture_bytes("robots.txt"))) == [
        ("/sitemap_index.xml", "sitemap")
    ]


def test_robots_sitemap_that_fails_falls_back_on_the_usual_addresses(findings: Findings) -> None:
    findings.start()
    findings.read_robots(ORIGIN + "/robots.txt", fixture_bytes("robots.txt"))
    assert steps(findings.failed("/sitemap_index.xml", "sitemap", 404, "", "robots")) == [
        ("/wp-sitemap.xml", "sitemap")
    ]


def test_index_asks_for_category_and_user_sitemaps_only(findings: Findings) -> None:
    fetches = findings.read_sitemap(
        ORIGIN + "/wp-sitemap.xml", fixture_bytes("wp-sitemap.xml"), "wp-core", None
    )
    assert steps(fetches) == [
        ("/wp-sitemap-taxonomies-category-1.xml", "sitemap"),
        ("/wp-sitemap-users-1.xml", "sitemap"),
    ]


def test_index_records_its_post_sitemaps_for_later(findings: Findings) -> None:
    findings.read_sitemap(
        ORIGIN + "/wp-sitemap.xml", fixture_bytes("wp-sitemap.xml"), "wp-core", None
    )
    posts = [s.url for s in findings.result().sitemaps if s.role == "posts"]
    assert posts == ["/wp-sitemap-posts-post-1.xml", "/wp-sitemap-posts-post-2.xml"]


def test_category_sitemap_gives_listings_in_every_language(findings: Findings) -> None:
    findings.read_sitemap(
        ORIGIN + "/wp-sitemap-taxonomies-category-1.xml",
        fixture_bytes("wp-sitemap-taxonomies-category-1.xml"),
        "index",
        "categories",
    )
    listings = findings.result().listings
    assert [(x.language, x.found_by) for x in listings] == [
        ("fr", "sitemap"),
        ("fr", "sitemap"),
        ("ar", "sitemap"),
        ("en", "sitemap"),
    ]


def test_sitemap_category_under_the_archive_is_an_archive_listing(
    findings: Findings, category_fr_html: str
) -> None:
    findings.read_sitemap(
        ORIGIN + "/category-sitemap.xml",
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
        + (ORIGIN + FR_ROOT).encode()
        + b"nouvelle-rubrique/</loc></url></urlset>",
        "index",
        None,
    )
    findings.read_home(ORIGIN + "/", category_fr_html)
    roles = {x.path: x.role for x in findings.result().listings}
    assert roles[FR_ROOT + "nouvelle-rubrique/"] == "archive"


def test_user_sitemap_gives_author_archives(findings: Findings) -> None:
    findings.read_sitemap(
        ORIGIN + "/wp-sitemap-users-1.xml", fixture_bytes("wp-sitemap-users-1.xml"), "index", None
    )
    assert [(x.path, x.kind) for x in findings.result().listings] == [
        ("/author/rajae-moumengmail-com/", "author")
    ]


# --- author archives, last ------------------------------------------------------------------


def test_an_author_seen_once_is_looked_for_in_every_language(findings: Findings) -> None:
    findings.read_sitemap(
        ORIGIN + "/wp-sitemap-users-1.xml", fixture_bytes("wp-sitemap-users-1.xml"), "index", None
    )
    assert steps(findings.author_fetches()) == [
        ("/author/rajae-moumengmail-com/", "author"),
        ("/ar/author/rajae-moumengmail-com/", "author"),
        ("/en/author/rajae-moumengmail-com/", "author"),
    ]


def test_author_step_runs_once(findings: Findings) -> None:
    findings.read_sitemap(
        ORIGIN + "/wp-sitemap-users-1.xml", fixture_bytes("wp-sitemap-users-1.xml"), "index", None
    )
    findings.author_fetches()
    assert findings.author_fetches() == []


def test_no_author_link_is_said(findings: Findings) -> None:
    findings.author_fetches()
    assert findings.result().attempts[-1].note == "none"


def test_page_from_another_host_adds_nothing(findings: Findings, category_fr_html: str) -> None:
    html = category_fr_html.replace("https://www.ccme.org.ma/", "https://elsewhere.example/")
    findings.read_home("https://elsewhere.example/", html)
    assert findings.result().listings == []
