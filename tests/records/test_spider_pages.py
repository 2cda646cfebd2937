"""The spider's callbacks build their pages and entries through records (saved responses)."""

from __future__ import annotations

from typing import Any

from ccme_crawler.items import ListingEntry, PageFailure, RawPage
from ccme_crawler.spiders.archive import ArchiveSpider, _Walk

from .helpers import (
    ARTICLE_URL,
    CATEGORY,
    LISTING_URL,
    PNG,
    article_html,
    drain,
    listing_html,
    response,
)
from .helpers import spider as make_spider


def _walking() -> ArchiveSpider:
    spider = make_spider()
    spider.walks[CATEGORY] = _Walk(CATEGORY, "complete")
    spider.walks[CATEGORY].pending.add(1)
    return spider


def _listing_items(body: bytes, content_type: str = "text/html; charset=UTF-8") -> list[Any]:
    return drain(
        _walking().parse_listing(response(LISTING_URL, body, content_type), CATEGORY, page=1)
    )


def test_article_callback_yields_the_fetched_page() -> None:
    (page,) = make_spider().parse_article(
        response(ARTICLE_URL, article_html()), ARTICLE_URL, CATEGORY, LISTING_URL
    )
    assert isinstance(page, RawPage) and page.listing_category == CATEGORY


def test_listing_callback_yields_an_entry_per_post() -> None:
    entries = [i for i in _listing_items(listing_html()) if isinstance(i, ListingEntry)]
    assert [e.position for e in entries] == list(range(10))


def test_listing_with_an_image_content_type_yields_one_failure() -> None:
    assert [(type(i).__name__, i.reason, i.kind) for i in _listing_items(PNG, "image/png")] == [
        ("PageFailure", "not_html", "listing")
    ]


def test_listing_that_is_not_html_stops_its_walk_incomplete() -> None:
    spider = _walking()
    drain(spider.parse_listing(response(LISTING_URL, PNG, "image/png"), CATEGORY, page=1))
    walk = spider.walks[CATEGORY]
    assert (walk.stopped, walk.completed) == (True, False)


def test_listing_that_is_not_html_is_counted_as_a_failure() -> None:
    spider = _walking()
    drain(spider.parse_listing(response(LISTING_URL, PNG, "image/png"), CATEGORY, page=1))
    assert spider.crawler.stats.get_value("ccme/failures/not_html") == 1


def test_listing_failure_is_recorded_at_the_listing_url() -> None:
    (failure,) = _listing_items(PNG, "image/png")
    assert isinstance(failure, PageFailure) and failure.url == LISTING_URL
