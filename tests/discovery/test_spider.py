"""The spider's discovery, fed saved responses (City Scrapers style): real Scrapy responses,
a real SQLite file, no network."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from ccme_crawler.items import (
    ArticleRecord,
    DiscoveryReport,
    ListingStatus,
    PageFailure,
    RawPage,
    SitemapEntries,
    SitemapVerdict,
)
from ccme_crawler.pipelines import ExtractArticlePipeline, SitemapScopePipeline
from ccme_crawler.run import Run
from ccme_crawler.spiders.archive import ArchiveSpider
from tests.discovery.conftest import fixture_bytes
from tests.helpers import REFERENCE_SITE
from tests.records.helpers import drain

ORIGIN = "http://127.0.0.1:8000"
ARCHIVE = [
    "/category/archives-du-ccme/activites/",
    "/category/archives-du-ccme/medias-et-migration/",
    "/category/archives-du-ccme/actualites-archives-du-ccme/",
]
CATEGORY_FR = (REFERENCE_SITE / "category-fr.html").read_bytes()
ARTICLE_FR = (REFERENCE_SITE / "article-fr.html").read_bytes()
SEED_URL = (
    "https://www.ccme.org.ma/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-"
    "de-cooperation/"
)
UNLISTED_URL = "https://www.ccme.org.ma/un-article-qu-aucune-liste-ne-montre/"

Site = dict[str, tuple[int, bytes]]


def make_spider(db: Path, **settings: Any) -> ArchiveSpider:
    base = Settings()
    base.setmodule("ccme_crawler.settings", priority="project")
    values = {
        **{k: v for k, v in base.items() if k.startswith("CCME_")},
        "CCME_DB_PATH": str(db),
        "CCME_BASE_URL": ORIGIN,
        "CCME_LOCK_HELD": True,
        **settings,
    }
    crawler = get_crawler(ArchiveSpider, values)
    spider = ArchiveSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[ArchiveSpider]:
    spider = make_spider(tmp_path / "ccme.sqlite")
    yield spider
    Run.of(spider.crawler).storage.close()


def start(spider: ArchiveSpider) -> list[Any]:
    return list(spider._start_requests())


def response_for(request: Request, status: int, body: bytes) -> Response:
    path = request.url.removeprefix(ORIGIN)
    if path.endswith(".xml"):
        cls: type[Response] = XmlResponse
    elif path.endswith(".txt"):
        cls = TextResponse
    else:
        cls = HtmlResponse
    return cls(request.url, status=status, body=body, request=request, encoding="utf-8")


def answer(request: Request, site: Site) -> list[Any]:
    """What the spider yields for the answer ``site`` gives (404 for anything it lacks)."""
    path = request.url.removeprefix(ORIGIN)
    status, body = site.get(path, (404, b"<html><body class='error404'></body></html>"))
    response = response_for(request, status, body)
    if status == 200:
        callback: Callable[..., Any] = request.callback  # type: ignore[assignment]
        output = callback(response, **request.cb_kwargs)
        return drain(output) if inspect.isasyncgen(output) else list(output)
    failure = Failure(HttpError(response))
    failure.request = request  # type: ignore[attr-defined]
    return list(request.errback(failure))  # type: ignore[misc]


def discover(spider: ArchiveSpider, site: Site) -> list[Any]:
    """Answer every discovery request from ``site``; return everything else yielded."""
    queue = start(spider)
    out = []
    while queue:
        thing = queue.pop(0)
        if isinstance(thing, Request) and thing.meta.get("ccme_kind") == "discovery":
            queue += answer(thing, site)
        else:
            out.append(thing)
    return out


def requests_of(things: list[Any]) -> list[str]:
    return [t.url.removeprefix(ORIGIN) for t in things if isinstance(t, Request)]


def the(kind: type, things: list[Any]) -> Any:
    (item,) = [t for t in things if isinstance(t, kind)]
    return item


# The bundled sample's answers: every page carries the reference chrome.
SAMPLE: Site = {
    "/": (200, CATEGORY_FR),
    "/robots.txt": (200, b"User-agent: *\nDisallow: /wp-admin/\n"),
    **{path: (200, CATEGORY_FR) for path in ARCHIVE},
}


def test_start_without_cache_fetches_the_home_page_and_robots(spider: ArchiveSpider) -> None:
    assert requests_of(start(spider)) == ["/", "/robots.txt"]


def test_discovery_requests_go_before_everything(spider: ArchiveSpider) -> None:
    assert {r.priority for r in start(spider)} == {20}


def test_home_page_leads_to_language_homes_and_category_probes(spider: ArchiveSpider) -> None:
    home = start(spider)[0]
    fetched = requests_of(answer(home, SAMPLE))
    assert ({"/ar/", "/en/"} <= set(fetched), len(fetched)) == (True, 12)


def test_walks_start_on_the_archive_categories_once_discovery_is_done(
    spider: ArchiveSpider,
) -> None:
    statuses = [t for t in discover(spider, SAMPLE) if isinstance(t, ListingStatus)]
    assert [(x.path, x.status) for x in statuses] == [(path, 200) for path in ARCHIVE]


def test_first_pages_discovery_fetched_are_not_fetched_again(spider: ArchiveSpider) -> None:
    assert set(requests_of(discover(spider, SAMPLE))) & set(ARCHIVE) == set()


def test_walks_go_on_from_the_first_pages_discovery_read(spider: ArchiveSpider) -> None:
    # The reference page links page 2 of the listing.
    assert f"{ARCHIVE[0]}page/2/" in requests_of(discover(spider, SAMPLE))


def test_discovery_report_says_how_listings_were_found(spider: ArchiveSpider) -> None:
    report = the(DiscoveryReport, discover(spider, SAMPLE))
    assert (report.source, report.summary["walked_by_found_by"]) == ("discovered", {"menu": 3})


def test_discovery_report_names_the_languages_left_without_listing(
    spider: ArchiveSpider,
) -> None:
    report = the(DiscoveryReport, discover(spider, SAMPLE))
    assert report.plan.missing_languages == ["ar", "en"]


def test_nothing_found_reports_what_was_tried(spider: ArchiveSpider) -> None:
    site: Site = {"/": (200, b"<html><body><p>Maintenance</p></body></html>")}
    report = the(DiscoveryReport, discover(spider, site))
    assert report.message == (
        "no listing found: / (200, menu has no 'Archives du CCME', 0 listings), "
        "/robots.txt (404), /wp-sitemap.xml (404), /sitemap_index.xml (404), author links: none"
    )


def test_nothing_found_starts_no_walk(spider: ArchiveSpider) -> None:
    site: Site = {"/": (200, b"<html><body><p>Maintenance</p></body></html>")}
    assert requests_of(discover(spider, site)) == []


def test_sitemaps_and_author_archives_are_found(spider: ArchiveSpider) -> None:
    site: Site = {
        **SAMPLE,
        "/wp-sitemap.xml": (200, fixture_bytes("wp-sitemap.xml")),
        "/wp-sitemap-users-1.xml": (200, fixture_bytes("wp-sitemap-users-1.xml")),
        "/ar/author/rajae-moumengmail-com/": (200, CATEGORY_FR),
    }
    report = the(DiscoveryReport, discover(spider, site))
    assert report.plan.listings == [*ARCHIVE, "/ar/author/rajae-moumengmail-com/"]


def test_given_listings_skip_discovery(tmp_path: Path) -> None:
    spider = make_spider(tmp_path / "ccme.sqlite", CCME_LISTINGS=["/ar/author/x/page/3/"])
    assert requests_of(start(spider)) == ["/ar/author/x/"]


def test_given_listings_are_reported_as_such(tmp_path: Path) -> None:
    spider = make_spider(tmp_path / "ccme.sqlite", CCME_CATEGORIES=[ARCHIVE[0]])
    assert the(DiscoveryReport, start(spider)).source == "user-given"


def _cached_spider(tmp_path: Path) -> ArchiveSpider:
    """A spider whose database holds what a first run discovered."""
    first = make_spider(tmp_path / "ccme.sqlite")
    state = Run.of(first.crawler)
    state.storage.discovery.record(the(DiscoveryReport, discover(first, SAMPLE)), state.run_id)
    state.storage.close()
    return make_spider(tmp_path / "ccme.sqlite")


def test_cached_discovery_starts_the_walks_at_once(tmp_path: Path) -> None:
    spider = _cached_spider(tmp_path)
    assert requests_of(start(spider)) == ARCHIVE


def test_cached_discovery_is_reported_as_such(tmp_path: Path) -> None:
    spider = _cached_spider(tmp_path)
    assert the(DiscoveryReport, start(spider)).source == "cache"


def test_rediscover_setting_ignores_the_cache(tmp_path: Path) -> None:
    _cached_spider(tmp_path)
    spider = make_spider(tmp_path / "ccme.sqlite", CCME_REDISCOVER=True)
    assert requests_of(start(spider)) == ["/", "/robots.txt"]


def test_first_listing_page_reports_its_status(tmp_path: Path) -> None:
    spider = make_spider(tmp_path / "ccme.sqlite", CCME_LISTINGS=[ARCHIVE[0]])
    walk = [r for r in start(spider) if isinstance(r, Request)]
    status = the(ListingStatus, answer(walk[0], {ARCHIVE[0]: (200, CATEGORY_FR)}))
    assert (status.path, status.status) == (ARCHIVE[0], 200)


def test_cached_listing_gone_starts_rediscovery_instead_of_a_failure(tmp_path: Path) -> None:
    spider = _cached_spider(tmp_path)
    walk = [r for r in start(spider) if isinstance(r, Request)]
    out = answer(walk[0], {})
    assert (requests_of(out), [o for o in out if isinstance(o, PageFailure)]) == (
        ["/", "/robots.txt"],
        [],
    )


def test_given_listing_gone_is_a_failure(tmp_path: Path) -> None:
    spider = make_spider(tmp_path / "ccme.sqlite", CCME_LISTINGS=[ARCHIVE[0]])
    walk = [r for r in start(spider) if isinstance(r, Request)]
    failure = the(PageFailure, answer(walk[0], {}))
    assert (failure.kind, failure.reason) == ("listing", "http_404")


# --- post sitemaps, after the walks --------------------------------------------------------

POSTS_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>" + SEED_URL.encode() + b"</loc></url>"
    b"<url><loc>"
    + UNLISTED_URL.encode()
    + b"</loc><lastmod>2023-10-24T10:12:43+01:00</lastmod></url>"
    b"<url><loc>https://www.ccme.org.ma/autre-article/</loc></url>"
    b"<url><loc>https://elsewhere.example/x/</loc></url></urlset>"
)


def _after_walks(spider: ArchiveSpider) -> Request:
    discover(spider, {**SAMPLE, "/wp-sitemap.xml": (200, fixture_bytes("wp-sitemap.xml"))})
    (request,) = [spider._sitemap_request(p) for p in spider.sitemap_sources[:1]]
    assert request is not None
    return request


def test_post_sitemaps_wait_for_the_walks(spider: ArchiveSpider) -> None:
    discover(spider, {**SAMPLE, "/wp-sitemap.xml": (200, fixture_bytes("wp-sitemap.xml"))})
    assert (spider.sitemap_phase, spider.sitemap_sources) == (
        "pending",
        ["/wp-sitemap-posts-post-1.xml", "/wp-sitemap-posts-post-2.xml"],
    )


def test_post_sitemap_entries_are_recorded_with_their_lastmod(spider: ArchiveSpider) -> None:
    request = _after_walks(spider)
    entries = the(SitemapEntries, answer(request, {request.cb_kwargs["sitemap"]: (200, POSTS_XML)}))
    assert [(e.url, e.lastmod) for e in entries.entries] == [
        (SEED_URL, None),
        (UNLISTED_URL, "2023-10-24T09:12:43+00:00"),
        ("https://www.ccme.org.ma/autre-article/", None),
    ]


def test_posts_no_walk_reached_are_fetched_and_only_those(spider: ArchiveSpider) -> None:
    # The walk of the sample's first pages already reached the seed article.
    request = _after_walks(spider)
    out = answer(request, {request.cb_kwargs["sitemap"]: (200, POSTS_XML)})
    assert requests_of(out) == ["/un-article-qu-aucune-liste-ne-montre/", "/autre-article/"]


def _backfill(spider: ArchiveSpider, body: bytes) -> list[Any]:
    request = _after_walks(spider)
    out = answer(request, {request.cb_kwargs["sitemap"]: (200, POSTS_XML)})
    fetch = [r for r in out if isinstance(r, Request)]
    return answer(fetch[0], {fetch[0].url.removeprefix(ORIGIN): (200, body)})


def test_sitemap_post_is_fetched_as_a_page(spider: ArchiveSpider) -> None:
    assert the(RawPage, _backfill(spider, ARTICLE_FR)).url == UNLISTED_URL


def test_sitemap_post_carries_the_plan_that_decides_its_scope(spider: ArchiveSpider) -> None:
    # The spider does not read the page: SitemapScopePipeline decides once it is extracted.
    assert the(RawPage, _backfill(spider, ARTICLE_FR)).sitemap_plan is spider.plan


def _scoped(spider: ArchiveSpider, body: bytes) -> Any:
    page = the(RawPage, _backfill(spider, body))
    record = asyncio.run(ExtractArticlePipeline.from_crawler(spider.crawler).process_item(page))
    return SitemapScopePipeline.from_crawler(spider.crawler).process_item(record)


def test_sitemap_post_in_an_archive_category_is_stored(spider: ArchiveSpider) -> None:
    # The seed article's own category is "Archives du CCME › Médias et migration".
    assert isinstance(_scoped(spider, ARTICLE_FR), ArticleRecord)


def test_sitemap_post_in_an_archive_category_is_counted_from_sitemap(
    spider: ArchiveSpider,
) -> None:
    _scoped(spider, ARTICLE_FR)
    assert spider.crawler.stats.get_value("ccme/articles/from_sitemap") == 1


ELSEWHERE = ARTICLE_FR.replace(
    b"/category/archives-du-ccme/medias-et-migration/", b"/category/entretiens/"
)


def test_sitemap_post_outside_the_archive_is_recorded_not_stored(spider: ArchiveSpider) -> None:
    verdict = _scoped(spider, ELSEWHERE)
    assert (type(verdict), verdict.url, verdict.in_scope, verdict.category_path) == (
        SitemapVerdict,
        UNLISTED_URL,
        False,
        "/category/entretiens/",
    )


def test_sitemap_post_outside_the_archive_is_counted_out_of_scope(spider: ArchiveSpider) -> None:
    _scoped(spider, ELSEWHERE)
    assert spider.crawler.stats.get_value("ccme/sitemap/out_of_scope") == 1
