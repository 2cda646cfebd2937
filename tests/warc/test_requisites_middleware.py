"""RequisitesMiddleware fed saved responses: which requests a page and a stylesheet add."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from ccme_crawler.middlewares import DISALLOW_ALL, RobotsTxtGuardMiddleware
from ccme_crawler.warc.requisites import PRIORITY, RequisitesMiddleware

ORIGIN = "http://127.0.0.1:8123"
PAGE = b"""<html><head>
<link rel="stylesheet" href="https://www.ccme.org.ma/wp-content/themes/t/style.css?ver=1">
<link rel="stylesheet" href="https://fonts.example.org/css?family=Poppins">
<script src="/wp-includes/js/a.js"></script></head>
<body><img src="/wp-content/uploads/logo.png"><img src="/wp-content/uploads/logo.png"></body></html>"""


def middleware(**settings: Any) -> RequisitesMiddleware:
    values = {"CCME_WARC_DIR": "/nonexistent/warc", "CCME_BASE_URL": ORIGIN, **settings}
    return RequisitesMiddleware.from_crawler(get_crawler(settings_dict=values))


def page(kind: str = "article", status: int = 200, body: bytes = PAGE) -> HtmlResponse:
    request = Request(f"{ORIGIN}/un-article/", meta={"ccme_kind": kind})
    return HtmlResponse(
        request.url,
        status=status,
        body=body,
        headers={"Content-Type": "text/html; charset=UTF-8"},
        request=request,
    )


def added(mw: RequisitesMiddleware, response: HtmlResponse | TextResponse) -> list[Request]:
    out = list(mw.process_spider_output(response, iter(["item"])))
    assert out[0] == "item"  # the spider's own output goes through untouched
    return out[1:]


def test_site_mode_asks_for_same_site_requisites_on_the_crawl_host() -> None:
    assert [r.url for r in added(middleware(), page())] == [
        f"{ORIGIN}/wp-content/themes/t/style.css?ver=1",
        f"{ORIGIN}/wp-includes/js/a.js",
        f"{ORIGIN}/wp-content/uploads/logo.png",
    ]


def test_all_mode_adds_off_site_requisites() -> None:
    urls = [r.url for r in added(middleware(CCME_REQUISITES="all"), page())]
    assert "https://fonts.example.org/css?family=Poppins" in urls


def test_requests_are_requisites_after_articles_and_carry_their_page() -> None:
    (request, *_) = added(middleware(), page())
    assert (request.meta["ccme_kind"], request.priority, request.meta["ccme_requisite_of"]) == (
        "requisite",
        PRIORITY,
        f"{ORIGIN}/un-article/",
    )
    assert PRIORITY < 10  # articles are requested with priority 10


def test_each_requisite_is_asked_for_once_per_crawl() -> None:
    mw = middleware()
    first = added(mw, page())
    assert (len(first), added(mw, page("listing"))) == (3, [])


def test_cap_stops_scheduling_and_counts_the_rest() -> None:
    mw = middleware(CCME_REQUISITES_MAX=2)
    assert (len(added(mw, page())), mw.stats.get_value("ccme/requisites/capped")) == (2, 1)


@pytest.mark.parametrize(("kind", "status"), [("requisite", 200), ("article", 404), (None, 200)])
def test_only_pages_the_spider_parsed_add_requisites(kind: str | None, status: int) -> None:
    assert added(middleware(), page(kind or "", status)) == []


def test_stylesheet_adds_what_it_imports_and_references() -> None:
    mw = middleware()
    css = TextResponse(
        f"{ORIGIN}/wp-content/themes/t/style.css?ver=1",
        body=b'@import url("skin.css"); body { background: url(img/bg.png) }',
        headers={"Content-Type": "text/css"},
        request=Request(f"{ORIGIN}/wp-content/themes/t/style.css?ver=1"),
    )
    assert [r.url for r in mw.requisite_fetched(css)] == [
        f"{ORIGIN}/wp-content/themes/t/skin.css",
        f"{ORIGIN}/wp-content/themes/t/img/bg.png",
    ]


@pytest.mark.parametrize("settings", [{"CCME_REQUISITES": "none"}, {"CCME_WARC_DIR": ""}])
def test_off_without_warc_or_with_none(settings: dict[str, str]) -> None:
    with pytest.raises(NotConfigured):
        middleware(**settings)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="CCME_REQUISITES"):
        middleware(CCME_REQUISITES="everything")


def test_an_off_site_robots_txt_that_fails_stops_nothing_but_that_host() -> None:
    crawler = get_crawler(settings_dict={"CCME_BASE_URL": ORIGIN, "ROBOTSTXT_OBEY": True})
    guard = RobotsTxtGuardMiddleware(crawler)
    request = Request("https://fonts.example.org/robots.txt", meta={"dont_obey_robotstxt": True})
    answer = guard.process_response(request, Response(request.url, status=503, request=request))
    assert (answer.body, crawler.stats.get_value("ccme/failures")) == (DISALLOW_ALL, None)
