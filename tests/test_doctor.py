"""``ccme-crawler doctor``: judged on pages the mirror renders, its spider fed saved responses,
and the command run against healthy and changed mirrors."""

from __future__ import annotations

import json
import socket

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse

from ccme_crawler.doctor import MISSING, OK, DoctorReport, diagnose
from ccme_crawler.items import DoctorPage
from ccme_crawler.runner import EXIT_OK, EXIT_SITE_CHANGED, EXIT_SITE_DOWN
from ccme_crawler.spiders.doctor import DoctorSpider
from ccme_crawler.urls import canonical_article_url
from ccme_mirror import MirrorServer, MirrorSite, generate_site
from ccme_mirror.render import render_article, render_home, render_listing
from tests.conftest import FAST_SETTINGS, run_cli

ORIGIN = "http://127.0.0.1:9"


def page(kind: str, language: str | None, path: str, html: str, found_by: str = "x") -> DoctorPage:
    return DoctorPage(kind, language, ORIGIN + path, found_by, 200, html.encode("utf-8"))


def site_pages(site: MirrorSite) -> list[DoctorPage]:
    """What the doctor would fetch from a site: robots, home, a listing and an article a language."""
    pages = [
        page("robots", None, "/robots.txt", "User-agent: *\n"),
        page("home", "fr", "/", render_home(site, "fr", ORIGIN)),
    ]
    for language in ("fr", "ar", "en"):
        listing = next(c for c in site.categories if c.language == language and c.key == "archives")
        pages.append(
            page("listing", language, listing.path, render_listing(site, listing, 1, ORIGIN))
        )
        article = site.listing(listing.path, 1)[0]
        pages.append(
            page("article", language, article.slug_path, render_article(site, article, ORIGIN))
        )
    return pages


def checks(report: DoctorReport, name: str) -> dict[str | None, str]:
    return {c.language: c.status for c in report.checks if c.name == name}


@pytest.fixture(scope="module")
def healthy() -> DoctorReport:
    return diagnose(ORIGIN, site_pages(generate_site(40, seed=3, variant="renamed")))


@pytest.fixture(scope="module")
def redesigned_posts() -> DoctorReport:
    return diagnose(ORIGIN, site_pages(generate_site(40, seed=3, variant="redesigned-posts")))


# -- diagnose -------------------------------------------------------------------------------


def test_healthy_site_exits_zero(healthy: DoctorReport) -> None:
    assert (healthy.exit_code, healthy.verdict) == (EXIT_OK, "ok")


@pytest.mark.parametrize(
    "name",
    ["listing", "listing items", "pagination", "title", "date", "body", "language", "post id"],
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
    report = diagnose(ORIGIN, site_pages_without_items())
    assert (checks(report, "listing items"), report.exit_code) == (
        {"fr": MISSING, "ar": MISSING, "en": MISSING},
        EXIT_SITE_CHANGED,
    )


def site_pages_without_items() -> list[DoctorPage]:
    site = generate_site(40, seed=3, variant="redesigned")
    pages = []
    for language in ("fr", "ar", "en"):
        listing = next(c for c in site.categories if c.language == language and c.key == "archives")
        html = render_listing(site, listing, 1, ORIGIN)
        pages.append(page("listing", language, listing.path, html))
    return [page("robots", None, "/robots.txt", ""), *pages]


def test_full_listing_page_without_next_link_has_no_pagination() -> None:
    site = generate_site(80, seed=3, variant="renamed")
    listing = next(c for c in site.categories if c.language == "fr" and c.key == "archives")
    html = render_listing(site, listing, 1, ORIGIN)
    html = html.replace('rel="next"', 'rel="nofollow"').replace("main-pagination", "pages")
    robots = page("robots", None, "/robots.txt", "")
    report = diagnose(ORIGIN, [robots, page("listing", "fr", listing.path, html)])
    assert checks(report, "pagination")["fr"] == MISSING


def test_a_language_not_reached_fails() -> None:
    pages = site_pages(generate_site(40, seed=3, variant="renamed"))
    report = diagnose(ORIGIN, [p for p in pages if p.language != "en"])
    assert (checks(report, "listing")["en"], report.exit_code) == (MISSING, EXIT_SITE_CHANGED)


def test_no_answer_at_all_is_site_down() -> None:
    pages = [
        DoctorPage("robots", None, ORIGIN + "/robots.txt", "address", None, b"", "refused"),
        DoctorPage("home", "fr", ORIGIN + "/", "address", None, b"", "refused"),
    ]
    report = diagnose(ORIGIN, pages)
    assert (report.site_down, report.exit_code, report.verdict) == (
        True,
        EXIT_SITE_DOWN,
        "site_down",
    )


# -- the spider's steps ---------------------------------------------------------------------


def response(url: str, html: str, meta: tuple[str, str | None, str]) -> HtmlResponse:
    request = scrapy.Request(url, meta={"doctor": meta})
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)


def test_home_leads_to_the_menus_archive_listing() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    spider = DoctorSpider(base_url=ORIGIN)
    out = list(
        spider.parse_home(
            response(ORIGIN + "/", render_home(site, "fr", ORIGIN), ("home", "fr", "address"))
        )
    )
    archive = next(c for c in site.categories if c.language == "fr" and c.key == "activites")
    (request,) = [o for o in out if isinstance(o, scrapy.Request)]
    assert (request.url, request.meta["doctor"]) == (
        ORIGIN + archive.path,
        ("listing", "fr", "menu 'Archives du CCME'"),
    )


def test_french_listing_leads_to_its_article_and_the_arabic_translation() -> None:
    site = generate_site(40, seed=3, variant="renamed")
    spider = DoctorSpider(base_url=ORIGIN)
    spider.pending_languages = ["ar", "en"]
    french = next(c for c in site.categories if c.language == "fr" and c.key == "activites")
    html = render_listing(site, french, 1, ORIGIN)
    out = list(
        spider.parse_listing(response(ORIGIN + french.path, html, ("listing", "fr", "menu")))
    )
    requests = [(r.meta["doctor"], r.url) for r in out if isinstance(r, scrapy.Request)]
    first = site.listing(french.path, 1)[0]
    arabic = site.translation(french, "ar").path.lower()
    assert [(meta, canonical_article_url(url)) for meta, url in requests] == [
        (("article", "fr", "listing"), first.url),
        (("listing", "ar", "language switcher"), canonical_article_url(ORIGIN + arabic)),
    ]


def test_robots_sitemap_line_is_read_next() -> None:
    spider = DoctorSpider(base_url=ORIGIN)
    body = (
        b"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: " + ORIGIN.encode() + b"/wp-sitemap.xml\n"
    )
    request = scrapy.Request(ORIGIN + "/robots.txt", meta={"doctor": ("robots", None, "address")})
    out = list(
        spider.parse_robots(TextResponse(ORIGIN + "/robots.txt", body=body, request=request))
    )
    (sitemap,) = [o for o in out if isinstance(o, scrapy.Request)]
    assert (sitemap.url, sitemap.meta["doctor"]) == (
        ORIGIN + "/wp-sitemap.xml",
        ("sitemap", None, "robots.txt"),
    )


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
    found_by = {c["language"]: c["how"] for c in report["checks"] if c["name"] == "listing"}
    assert (code, found_by["ar"], found_by["en"]) == (
        0,
        "found by author archive",
        "found by language switcher",
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
