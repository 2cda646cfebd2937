"""Responses that are not HTML, through the real crawl: a failure row each, never a row or a
spider error (issue 12, items 8 and 20)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import respond_bytes
from tests.conftest import crawl, rows
from tests.faults.helpers import default_articles, failures, stored_urls, victim

from .helpers import PNG

pytestmark = pytest.mark.integration

LISTING = "/category/archives-du-ccme/medias-et-migration/"  # two pages in the sample
LISTING_PAGE_2 = LISTING + "page/2/"


@dataclass
class Crawled:
    server: MirrorServer
    db: Path
    summary: dict[str, Any]
    image: str  # canonical URL of the article served as image/png
    png_as_html: str  # canonical URL of the article whose body is a PNG served as text/html


@pytest.fixture(scope="module")
def binary_articles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    with MirrorServer(sample_site()) as server:
        (image, image_path), (png, png_path) = victim(server.site, 0), victim(server.site, 1)
        server.set_fault(image_path, respond_bytes(PNG, content_type="image/png"))
        server.set_fault(png_path, respond_bytes(PNG, content_type="text/html; charset=UTF-8"))
        db = tmp_path_factory.mktemp("binary") / "ccme.sqlite"
        yield Crawled(server, db, crawl(db, server), image, png)


def test_image_answered_for_an_article_is_a_not_html_failure(binary_articles: Crawled) -> None:
    assert failures(binary_articles.db)[binary_articles.image] == ("article", "not_html", 200)


def test_image_served_as_html_is_a_not_html_failure(binary_articles: Crawled) -> None:
    assert failures(binary_articles.db)[binary_articles.png_as_html] == ("article", "not_html", 200)


def test_binary_articles_are_not_stored(binary_articles: Crawled) -> None:
    stored = set(stored_urls(binary_articles.db))
    assert {binary_articles.image, binary_articles.png_as_html} & stored == set()


def test_binary_articles_leave_every_other_article_stored(binary_articles: Crawled) -> None:
    expected = default_articles(binary_articles.server.site)
    missing = {binary_articles.image, binary_articles.png_as_html}
    assert set(stored_urls(binary_articles.db)) == expected - missing


def test_binary_articles_make_the_run_exit_with_failures(binary_articles: Crawled) -> None:
    assert (binary_articles.summary["returncode"], binary_articles.summary["failures"]) == (1, 2)


# --- a listing page that is not HTML ---


@pytest.fixture(scope="module")
def binary_listing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    with MirrorServer(sample_site()) as server:
        server.set_fault(LISTING_PAGE_2, respond_bytes(PNG, content_type="image/png"))
        db = tmp_path_factory.mktemp("listing") / "ccme.sqlite"
        yield Crawled(server, db, crawl(db, server), "", "")


def test_listing_answered_with_an_image_is_a_not_html_failure(binary_listing: Crawled) -> None:
    url = binary_listing.server.url(LISTING_PAGE_2)
    assert failures(binary_listing.db)[url] == ("listing", "not_html", 200)


def test_listing_answered_with_an_image_is_no_spider_error(binary_listing: Crawled) -> None:
    assert "Spider error" not in binary_listing.summary["stderr"]


def test_listing_answered_with_an_image_leaves_its_walk_incomplete(binary_listing: Crawled) -> None:
    walks = rows(
        binary_listing.db,
        "SELECT completed_at FROM category_walks WHERE category_path = ?",
        (LISTING,),
    )
    assert walks == [{"completed_at": None}]


def test_listing_answered_with_an_image_makes_the_run_exit_with_failures(
    binary_listing: Crawled,
) -> None:
    assert binary_listing.summary["returncode"] == 1


def test_next_run_walks_the_listing_again_and_stores_everything(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    fresh_sample_server.set_fault(LISTING_PAGE_2, respond_bytes(PNG, content_type="image/png"))
    db = tmp_path / "ccme.sqlite"
    crawl(db, fresh_sample_server)
    fresh_sample_server.clear_faults()
    again = crawl(db, fresh_sample_server)
    expected = default_articles(fresh_sample_server.site)
    assert (again["returncode"], set(stored_urls(db))) == (0, expected)
