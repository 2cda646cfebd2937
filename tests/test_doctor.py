"""``ccme-crawler doctor``: judged on pages the mirror renders, its spider fed saved responses,
and the command run against healthy and changed mirrors."""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import unquote, urlsplit

import pytest
import scrapy
from scrapy.http import HtmlResponse

from ccme_crawler.doctor import MISSING, OK, DoctorReport, diagnose
from ccme_crawler.items import (
    DiscoveredListing,
    DiscoveryAttempt,
    DiscoveryFetch,
    DiscoveryResult,
    DoctorPage,
)
from ccme_crawler.run import EXIT_OK, EXIT_SITE_CHANGED, EXIT_SITE_DOWN
from ccme_crawler.spiders.doctor import DoctorSpider
from ccme_crawler.urls import canonical_article_url
from ccme_mirror import MirrorCategory, MirrorServer, MirrorSite, generate_site
from ccme_mirror.render import render_article, render_home, render_listing
from tests.helpers import FAST_SETTINGS, ROOT, run_cli

ORIGIN = "http://127.0.0.1:9"
HEALTHY_ATTEMPTS = [
    DiscoveryAttempt("/robots.txt", "robots", 200, "no Sitemap line"),
    DiscoveryAttempt("/", "menu", 200, "menu 'Archives du CCME' with 3 entries, 9 listings"),
]


def page(kind: str, language: str | None, path: str, html: str, found_by: str = "x") -> DoctorPage:
    return DoctorPage(kind, language, ORIGIN + path, found_by, 200, html.encode("utf-8"))


def archive_listing(site: MirrorSite, language: str) -> MirrorCategory:
    return next(c for c in site.categories if c.language == language and c.key == "archives")


def discovered(
    site: MirrorSite, languages: tuple[str, ...] = ("fr", "ar", "en")
) -> DiscoveryResult:
    """What discovery finds on a WordPress variant: each language's archive category."""
    listings = [
        DiscoveredListing(
            archive_listing(site, language).path, "category", language, None, "menu", "/",
            role="archive", status=200,
        )
        for language in languages
    ]  # fmt: skip
    return DiscoveryResult(listings, [], list(HEALTHY_ATTEMPTS))


def site_pages(site: MirrorSite) -> list[DoctorPage]:
    """What the doctor fetches after discovery: a listing and an article a language."""
    pages = []
    for language in ("fr", "ar", "en"):
        listing = archive_listing(site, language)
        pages.append(
            page("listing", language, listing.path, render_listing(site, listing, 1, ORIGIN))
        )
        article = site.listing(listing.path, 1)[0]
        pages.append(
            page("article", language, article.slug_path, render_article(site, article, ORIGIN))
        )
    return pages


def judge(site: MirrorSite) -> DoctorReport:
    return diagnose(ORIGIN, discovered(site), site_pages(site))


def checks(report: DoctorReport, name: str) -> dict[str | None, str]:
    return {c.language: c.status for c in report.checks if c.name == name}


@pytest.fixture(scope="module")
def healthy() -> DoctorReport:
    return judge(generate_site(40, seed=3, variant="renamed"))


@pytest.fixture(scope="module")
def redesigned_posts() -> DoctorReport:
    return judge(generate_site(40, seed=3, variant="redesigned-posts"))


# -- diagnose -------------------------------------------------------------------------------


def test_healthy_site_exits_zero(healthy: DoctorReport) -> None:
    assert (healthy.exit_code, healthy.verdict) == (EXIT_OK, "ok")


@pytest.mark.parametrize(
    "name",
    [
        "archive listings",
        "listing",
        "listing items",
        "pagination",
        "title",
        "date",
        "body",
        "language",
        "post id",
    ],
)
def test_healthy_site_has_every_check_ok(healthy: DoctorReport, name: str) -> None:
    assert checks(healthy, name) == {"fr": OK, "ar": OK, "en": OK}


def test_title_without_post_title_heading_is_a_fallback(redesigned_posts: DoctorReport) -> None:
    title = next(c for c in redesigned_posts.checks if c.name == "title")
    assert (title.status, title.how, title.failing) == (
        "fallback",
        "og:title (no post-title h1)",
        False,
    )


def test_body_read_by_the_fallback_fails(redesigned_posts: DoctorReport) -> None:
    body = next(c for c in redesigned_posts.checks if c.name == "body")
    assert (body.status, body.failing, redesigned_posts.exit_code) == (
        "fallback",
        True,
        EXIT_SITE_CHANGED,
    )


def test_date_from_meta_when_the_header_is_gone(redesigned_posts: DoctorReport) -> None:
    date = next(c for c in redesigned_posts.checks if c.name == "date")
    assert (date.status, date.how) == (OK, "meta article:published_time")


def test_listing_without_items_fails() -> None:
    site = generate_site(40, seed=3, variant="redesigned")
    pages = [p for p in site_pages(site) if p.kind == "listing"]
    report = diagnose(ORIGIN, discovered(site), pages)
    assert (checks(report, "listing items"), report.exit_code) == (
        {"fr": MISSING, "ar": MISSING, "en": MISSING},
        EXIT_SITE_CHANGED,
    )


def test_full_listing_page_without_next_link_has_no_pagination() -> None:
    site = generate_site(80, seed=3, variant="renamed")
    listing = archive_listing(site, "fr")
    html = render_listing(site, listing, 1, ORIGIN)
    html = html.replace('rel="next"', 'rel="nofollow"').replace("main-pagination", "pages")
    report = diagnose(
        ORIGIN, discovered(site, ("fr",)), [page("listing", "fr", listing.path, html)]
    )
    assert checks(report, "pagination")["fr"] == MISSING


def test_a_language_discovery_did_not_find_fails() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    pages = [p for p in site_pages(site) if p.language != "en"]
    report = diagnose(ORIGIN, discovered(site, ("fr", "ar")), pages)
    assert (checks(report, "archive listings")["en"], report.exit_code) == (
        MISSING,
        EXIT_SITE_CHANGED,
    )


def test_a_language_indexed_by_its_author_archive_only_is_a_fallback() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    result = discovered(site, ("fr", "ar"))
    result.listings.append(
        DiscoveredListing("/en/author/x/", "author", "en", None, "author", "/", status=200)
    )
    check = next(
        c for c in diagnose(ORIGIN, result, []).checks
        if c.name == "archive listings" and c.language == "en"
    )  # fmt: skip
    assert (check.status, check.failing) == ("fallback", False)


def test_no_answer_at_all_is_site_down() -> None:
    attempts = [
        DiscoveryAttempt("/robots.txt", "robots", None, "refused"),
        DiscoveryAttempt("/", "menu", None, "refused"),
    ]
    report = diagnose(ORIGIN, DiscoveryResult([], [], attempts), [])
    assert (report.site_down, report.exit_code, report.verdict) == (
        True,
        EXIT_SITE_DOWN,
        "site_down",
    )


# -- the spider's steps ---------------------------------------------------------------------


def response(url: str, html: str, meta: dict[str, object] | None = None) -> HtmlResponse:
    request = scrapy.Request(url, meta=meta or {})
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)


def test_doctor_starts_with_the_crawls_discovery() -> None:
    async def first_requests() -> list[str]:
        return [r.url async for r in DoctorSpider(base_url=ORIGIN).start()]

    assert asyncio.run(first_requests()) == [ORIGIN + "/", ORIGIN + "/robots.txt"]


def test_home_menu_leads_to_the_archive_listings_as_in_a_crawl() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    spider = DoctorSpider(base_url=ORIGIN)
    spider.discovery_pending = 1
    home = response(ORIGIN + "/", render_home(site, "fr", ORIGIN))
    out = list(spider.parse_discovery(home, DiscoveryFetch("/", "home")))
    wanted = {unquote(p) for p in site.menu_archive_paths("fr")}
    requested = {urlsplit(r.url).path for r in out if isinstance(r, scrapy.Request)}
    assert wanted <= {unquote(p) for p in requested}


def test_listing_leads_to_its_first_article() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    spider = DoctorSpider(base_url=ORIGIN)
    listing = archive_listing(site, "fr")
    html = render_listing(site, listing, 1, ORIGIN)
    meta = {"doctor": ("listing", "fr", "menu")}
    out = list(spider.parse_listing(response(ORIGIN + listing.path, html, meta)))
    requests = [(r.meta["doctor"], r.url) for r in out if isinstance(r, scrapy.Request)]
    first = site.listing(listing.path, 1)[0]
    assert [(m, canonical_article_url(u)) for m, u in requests] == [
        (("article", "fr", "listing"), first.url)
    ]


# -- the command ----------------------------------------------------------------------------


def doctor_json(server: MirrorServer) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run_cli("doctor", "--base-url", server.base_url, "--json", *FAST_SETTINGS)
    return result.returncode, json.loads(result.stdout)


@pytest.mark.integration
def test_doctor_on_a_healthy_mirror_exits_zero() -> None:
    with MirrorServer(generate_site(40, seed=5, variant="renamed")) as server:
        code, report = doctor_json(server)
    failing = [c for c in report["checks"] if c["failing"]]
    assert (code, report["verdict"], failing) == (0, "ok", [])


@pytest.mark.integration
def test_doctor_finds_an_untranslated_language_through_its_author_archive() -> None:
    with MirrorServer(generate_site(40, seed=5, variant="partial")) as server:
        code, report = doctor_json(server)
    found = {
        c["language"]: c["status"] for c in report["checks"] if c["name"] == "archive listings"
    }
    listing = {c["language"]: c["how"] for c in report["checks"] if c["name"] == "listing"}
    assert (code, found, listing["ar"]) == (
        0,
        {"fr": "ok", "ar": "fallback", "en": "ok"},
        "page 1, found by author",
    )


@pytest.mark.integration
def test_doctor_names_what_a_redesign_broke() -> None:
    with MirrorServer(generate_site(40, seed=5, variant="redesigned")) as server:
        code, report = doctor_json(server)
    failing = sorted({c["name"] for c in report["checks"] if c["failing"]})
    assert (code, report["verdict"], failing) == (7, "site_changed", ["article", "listing items"])


@pytest.mark.integration
def test_doctor_prints_one_line_a_check() -> None:
    with MirrorServer(generate_site(40, seed=5, variant="redesigned-posts")) as server:
        result = run_cli("doctor", "--base-url", server.base_url, *FAST_SETTINGS)
    lines = result.stdout.splitlines()
    assert (
        result.returncode,
        lines[-1],
        any("body" in line and "FAIL" in line for line in lines),
    ) == (
        7,
        "verdict: site_changed (exit 7)",
        True,
    )


@pytest.mark.integration
def test_doctor_on_a_site_that_does_not_answer_exits_3() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once the socket closes
    base_url = f"http://127.0.0.1:{port}"
    result = run_cli(
        "doctor", "--base-url", base_url, "--json", *FAST_SETTINGS, "-s", "RETRY_TIMES=0"
    )
    assert (result.returncode, json.loads(result.stdout)["verdict"]) == (3, "site_down")


def test_an_article_page_keeps_the_encoding_scrapy_decided() -> None:
    # The doctor reads a page as the crawl does (records.page_from_response passes it on too).
    body = (ROOT / "tests" / "golden" / "pages" / "036-windows-1252.html").read_bytes()
    request = scrapy.Request(ORIGIN + "/x/", meta={"doctor": ("article", "fr", "listing")})
    spider = DoctorSpider(base_url=ORIGIN)
    out = list(spider.parse_article(HtmlResponse(ORIGIN + "/x/", body=body, request=request)))
    assert [p.encoding for p in out if isinstance(p, DoctorPage)] == ["cp1252"]
