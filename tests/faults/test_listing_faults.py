"""Listing pages that glitch, link badly or redirect away (issue 12, items 1, 4 and 7).

A listing page before the last page page 1 announced that is not a page of the walk (a
maintenance page, WordPress's "not found" page served with 200, a listing with no posts, a 404,
a redirect to another host) is a failure: the walk stays incomplete and the next run walks past
it. Before the fix each of them ended the walk for good, and the articles after it were lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ccme_crawler.items import ListingItem, ListingPage
from ccme_crawler.middlewares import same_site
from ccme_crawler.spiders.listing_health import listing_404_fault, listing_fault
from ccme_mirror import MirrorServer, generate_site
from ccme_mirror.faults import (
    Fault,
    listing_with_link,
    listing_without_posts,
    maintenance_page,
    redirect_off_site,
    respond,
    soft_404_page,
    times,
)
from tests.faults.helpers import default_articles, stored_urls
from tests.helpers import crawl, rows

pytestmark = pytest.mark.integration

SEED = 1212  # 60 posts, 4 a page: medias-et-migration has 5 listing pages
CATEGORY = "/category/archives-du-ccme/medias-et-migration/"
GLITCH_PAGE = f"{CATEGORY}page/2/"


@pytest.fixture
def other_host() -> Iterator[MirrorServer]:
    """Another site, where page 2 of the category does not exist (404: the end, once followed)."""
    with MirrorServer(generate_site(3, seed=7)) as server:
        yield server


def _glitches(other: MirrorServer) -> dict[str, tuple[Fault, str]]:
    return {
        "maintenance-200": (maintenance_page(), "listing_not_a_listing"),
        "wordpress-404-page-200": (soft_404_page(), "listing_not_a_listing"),
        "listing-without-posts": (listing_without_posts(), "listing_empty"),
        "transient-404": (respond(404, "<html><body>404</body></html>"), "listing_404_before_end"),
        "redirect-to-another-host": (redirect_off_site(other.base_url), "offsite_redirect"),
    }


GLITCHES = [
    "maintenance-200",
    "wordpress-404-page-200",
    "listing-without-posts",
    "transient-404",
    "redirect-to-another-host",
]


@pytest.mark.parametrize("glitch", GLITCHES)
def test_a_listing_glitch_before_the_end_is_a_failure_and_the_next_run_walks_past_it(
    tmp_path: Path, other_host: MirrorServer, glitch: str
) -> None:
    site = generate_site(60, seed=SEED, per_page=4)
    fault, reason = _glitches(other_host)[glitch]
    with MirrorServer(site) as server:
        server.set_fault(GLITCH_PAGE, times(1, fault))
        db = tmp_path / "ccme.sqlite"
        first = crawl(db, server)
        recorded = rows(db, "SELECT url, kind, reason FROM page_failures")
        second = crawl(db, server)
    listed = set(default_articles(site))
    assert (
        first["returncode"],
        first["status"],
        [(r["kind"], r["reason"]) for r in recorded if r["url"].endswith(GLITCH_PAGE)],
        second["returncode"],
        second["status"],
        sorted(stored_urls(db)) == sorted(listed),
    ) == (1, "incomplete", [("listing", reason)], 0, "completed", True)


def test_a_malformed_link_is_recorded_and_the_page_and_later_pages_kept(tmp_path: Path) -> None:
    site = generate_site(60, seed=SEED, per_page=4)
    with MirrorServer(site) as server:
        server.set_fault(GLITCH_PAGE, listing_with_link("http://[malformed/une-page/"))
        db = tmp_path / "ccme.sqlite"
        summary = crawl(db, server)
    recorded = rows(db, "SELECT url, kind, reason, detail FROM page_failures")
    assert (
        summary["returncode"],
        sorted(stored_urls(db)) == sorted(default_articles(site)),
        [(r["kind"], r["reason"], "http://[malformed" in r["detail"]) for r in recorded],
        recorded[0]["url"].endswith(GLITCH_PAGE),
    ) == (1, True, [("listing", "malformed_link", True)], True)


def test_an_article_redirected_to_another_host_is_refused_and_recorded(
    tmp_path: Path, other_host: MirrorServer
) -> None:
    site = generate_site(60, seed=SEED, per_page=4)
    victim = sorted(default_articles(site))[0]
    path = victim.removeprefix("https://www.ccme.org.ma")
    other_host.set_fault("/", respond(200, "<html><body><h1>Injected</h1><p>x</p></body></html>"))
    with MirrorServer(site) as server:
        server.set_fault(path, redirect_off_site(other_host.base_url))
        db = tmp_path / "ccme.sqlite"
        summary = crawl(db, server)
    recorded = rows(db, "SELECT url, kind, reason FROM page_failures")
    assert (
        summary["returncode"],
        victim in stored_urls(db),
        [(r["url"], r["kind"], r["reason"]) for r in recorded],
        other_host.count(),
    ) == (1, False, [(victim, "article", "offsite_redirect")], 0)


# --- the pure decisions ------------------------------------------------------------------------


def _listing(items: int = 0, **fields: object) -> ListingPage:
    values: dict[str, object] = {
        "items": [ListingItem(f"https://www.ccme.org.ma/p{i}/", "t", None) for i in range(items)],
        "next_url": None,
        "last_page": None,
        "page_number": 3,
        "category_label": None,
        **fields,
    }
    return ListingPage(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("listing", "page", "announced", "expected"),
    [
        (_listing(2), 3, 5, None),
        (_listing(0, category_label="Activités"), 6, 5, None),  # past the end: the normal end
        (_listing(0, category_label="Activités"), 1, None, None),  # an empty category
        (_listing(0, category_label="Activités"), 3, 5, "listing_empty"),
        (_listing(0, archive_kind="category", next_url="x"), 7, 5, "listing_empty"),
        (_listing(0), 3, 5, "listing_not_a_listing"),
        (_listing(0), 9, 5, "listing_not_a_listing"),
        (_listing(0, not_found=True, category_label="x"), 3, 5, "listing_not_a_listing"),
    ],
)
def test_listing_fault(
    listing: ListingPage, page: int, announced: int | None, expected: str | None
) -> None:
    fault = listing_fault(listing, page, announced)
    assert (fault.reason if fault else None) == expected


@pytest.mark.parametrize(
    ("page", "announced", "is_end"), [(6, 5, True), (5, 5, False), (2, 5, False), (2, None, True)]
)
def test_a_404_is_the_end_only_past_the_announced_last_page(
    page: int, announced: int | None, is_end: bool
) -> None:
    assert (listing_404_fault(page, announced) is None) == is_end


@pytest.mark.parametrize(
    ("target", "crawled", "expected"),
    [
        ("https://ccme.org.ma/x/", "https://www.ccme.org.ma/y/", True),
        ("https://www.ccme.org.ma/x/", "http://www.ccme.org.ma/y/", True),
        ("https://mirror.example/x/", "http://mirror.example/y/", True),
        ("http://127.0.0.1:8001/x/", "http://127.0.0.1:8001/y/", True),
        ("http://127.0.0.1:8002/x/", "http://127.0.0.1:8001/y/", False),
        ("https://evil.example/x/", "https://www.ccme.org.ma/y/", False),
        ("https://www.ccme.org.ma.evil.example/", "https://www.ccme.org.ma/y/", False),
        ("http://[broken/", "https://www.ccme.org.ma/y/", False),
    ],
)
def test_same_site(target: str, crawled: str, expected: bool) -> None:
    assert same_site(target, crawled) is expected
