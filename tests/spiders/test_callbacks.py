"""The spider's callbacks, fed saved responses (the reference listing page of the real site)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from ccme_crawler.items import ListingEntry, PageFailure
from ccme_crawler.run import Run
from ccme_crawler.spiders.archive import ArchiveSpider, _Walk
from tests.records.helpers import CATEGORY, LISTING_URL, drain, listing_html, response


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[ArchiveSpider]:
    """The spider of a crawler whose run writes to a real SQLite file."""
    settings = {"CCME_DB_PATH": str(tmp_path / "ccme.sqlite"), "CCME_LOCK_HELD": True}
    crawler = get_crawler(ArchiveSpider, settings_dict=settings)
    instance = ArchiveSpider.from_crawler(crawler, base_url="https://www.ccme.org.ma")
    instance.known = set()
    yield instance
    run = Run.existing(crawler)
    if run is not None:
        run.storage.close()


def _walk(spider: ArchiveSpider, mode: str = "complete", *pages: int) -> _Walk:
    walk = spider.walks[CATEGORY] = _Walk(CATEGORY, mode)
    walk.pending.update(pages or (1,))
    return walk


def _page_one(spider: ArchiveSpider) -> list[Any]:
    return drain(spider.parse_listing(response(LISTING_URL, listing_html()), CATEGORY, page=1))


def _article_requests(items: list[Any]) -> list[scrapy.Request]:
    return [i for i in items if isinstance(i, Request) and "listing_url" in i.cb_kwargs]


def _listing_requests(items: list[Any]) -> list[scrapy.Request]:
    return [i for i in items if isinstance(i, Request) and "page" in i.cb_kwargs]


def _listed_urls(spider: ArchiveSpider) -> list[str]:
    """The posts the page lists, read by another spider of the same crawler."""
    other = ArchiveSpider.from_crawler(spider.crawler, base_url="https://www.ccme.org.ma")
    other.known = set()
    _walk(other)
    return [i.url for i in _page_one(other) if isinstance(i, ListingEntry)]


def test_listing_page_requests_every_post_not_stored(spider: ArchiveSpider) -> None:
    _walk(spider)
    assert len(_article_requests(_page_one(spider))) == 10


def test_listing_page_read_twice_requests_each_post_once(spider: ArchiveSpider) -> None:
    _walk(spider)
    _page_one(spider)
    assert _article_requests(_page_one(spider)) == []


def test_listing_page_skips_a_stored_post(spider: ArchiveSpider) -> None:
    first = _listed_urls(spider)[0]
    spider.known = {hash(first)}
    _walk(spider)
    assert first not in {r.cb_kwargs["url"] for r in _article_requests(_page_one(spider))}


def test_listing_page_with_a_next_link_asks_for_page_two(spider: ArchiveSpider) -> None:
    _walk(spider)
    assert [r.cb_kwargs["page"] for r in _listing_requests(_page_one(spider))] == [2]


def test_refresh_with_nothing_new_asks_for_no_more_listing_pages(spider: ArchiveSpider) -> None:
    spider.known = {hash(url) for url in _listed_urls(spider)}
    _walk(spider, "refresh")
    assert _listing_requests(_page_one(spider)) == []


def _failure(url: str, page: int, status: int) -> Failure:
    request = Request(url, cb_kwargs={"category": CATEGORY, "page": page})
    failed = response(url, b"", status=status)
    failure = Failure(HttpError(failed, "Ignoring non-200 response"))
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy sets it for an errback
    return failure


def test_404_past_the_last_page_completes_the_walk(spider: ArchiveSpider) -> None:
    walk = _walk(spider, "complete", 2)
    walk.done_walking = False
    list(spider.listing_failed(_failure(LISTING_URL + "page/2/", 2, 404)))
    assert Run.of(spider.crawler).walks_done == {CATEGORY: (0, True)}


def test_listing_page_that_fails_is_recorded_as_a_listing_failure(spider: ArchiveSpider) -> None:
    _walk(spider)
    (failure,) = spider.listing_failed(_failure(LISTING_URL, 1, 500))
    assert isinstance(failure, PageFailure) and (failure.reason, failure.kind) == (
        "http_500",
        "listing",
    )


def test_listing_page_that_fails_stops_its_walk(spider: ArchiveSpider) -> None:
    walk = _walk(spider)
    list(spider.listing_failed(_failure(LISTING_URL, 1, 500)))
    assert walk.stopped is True


def _page_one_linking_a_shortlink(spider: ArchiveSpider, post_id: int) -> list[Any]:
    """Page one with its first post linked as ``/?p=ID`` (the permalink answers it with 301)."""
    first = _listed_urls(spider)[0].encode()
    html = listing_html()
    assert first in html
    html = html.replace(first, f"https://www.ccme.org.ma/?p={post_id}".encode())
    return drain(spider.parse_listing(response(LISTING_URL, html), CATEGORY, page=1))


def test_listing_page_requests_a_shortlink_of_a_post_not_stored(spider: ArchiveSpider) -> None:
    _walk(spider)
    requested = {
        r.cb_kwargs["url"] for r in _article_requests(_page_one_linking_a_shortlink(spider, 61820))
    }
    assert "https://www.ccme.org.ma/?p=61820" in requested


def test_listing_page_skips_a_shortlink_of_a_stored_post(spider: ArchiveSpider) -> None:
    spider.known_posts = {61820}  # stored under its permalink
    _walk(spider)
    requested = {
        r.cb_kwargs["url"] for r in _article_requests(_page_one_linking_a_shortlink(spider, 61820))
    }
    assert "https://www.ccme.org.ma/?p=61820" not in requested
