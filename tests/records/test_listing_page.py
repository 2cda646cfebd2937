"""A listing page read from the page a worker is handed (``listing_from_page``): what the crawl's
Scrapy response says, decoded as Scrapy decodes it, the same read from a WARC capture."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import ListingPage, PageFailure
from ccme_crawler.records import listing_from_page, page_from_listing_response
from ccme_crawler.reextract import listing_page_of
from ccme_mirror import generate_site
from ccme_mirror.render import render_listing
from tests.helpers import ROOT

from .helpers import LISTING_URL, PNG, captured, listing_html, response

SEEN_AT = "2026-01-02T03:04:05+00:00"
MIRROR = "http://127.0.0.1:8000"


def _mirror_pages() -> list[tuple[str, bytes]]:
    site = generate_site(40, seed=3)
    category = site.categories[0]
    url = MIRROR + category.path
    return [
        (url, render_listing(site, category, 1, MIRROR).encode()),
        (f"{url}page/2/", render_listing(site, category, 2, MIRROR).encode()),
    ]


FIXTURES = [
    ("reference-fr", LISTING_URL, listing_html()),
    (
        "discovery-ar",
        "https://www.ccme.org.ma/ar/category/archives-ar/",
        (ROOT / "tests" / "fixtures" / "discovery" / "category-ar.html").read_bytes(),
    ),
    *[(f"mirror-{n}", url, body) for n, (url, body) in enumerate(_mirror_pages(), 1)],
]


def _read(url: str, body: bytes, content_type: str | None) -> ListingPage | PageFailure:
    return listing_from_page(page_from_listing_response(response(url, body, content_type), SEEN_AT))


@pytest.mark.parametrize(("name", "url", "body"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_listing_from_the_page_is_the_listing_of_the_response(
    name: str, url: str, body: bytes
) -> None:
    crawled = response(url, body, "text/html; charset=UTF-8")
    assert _read(url, body, "text/html; charset=UTF-8") == extract_listing(
        crawled.text, crawled.url
    )


# Bodies whose text depends on how they are decoded: a header charset, a BOM that overrides the
# header, no charset at all (Scrapy infers one).
ENCODED = [
    ("cp1252-header", "Catégorie : Médias".encode("cp1252"), "text/html; charset=windows-1252"),
    (
        "bom-over-header",
        b"\xef\xbb\xbf" + "Catégorie : Médias".encode(),
        "text/html; charset=latin-1",
    ),
    ("inferred", "Catégorie : Médias".encode(), "text/html"),
]


@pytest.mark.parametrize(("name", "label", "content_type"), ENCODED, ids=[e[0] for e in ENCODED])
def test_listing_page_is_decoded_as_scrapy_decodes_it(
    name: str, label: bytes, content_type: str
) -> None:
    body = b"<html><body><h1 class='archive-heading'>" + label + b"</h1></body></html>"
    crawled = response(LISTING_URL, body, content_type)
    listing = _read(LISTING_URL, body, content_type)
    assert listing == extract_listing(crawled.text, crawled.url)


def test_listing_label_in_cp1252_is_read() -> None:
    label = "Catégorie : Médias".encode("cp1252")
    body = b"<html><body><h1 class='archive-heading'>" + label + b"</h1></body></html>"
    listing = _read(LISTING_URL, body, "text/html; charset=windows-1252")
    assert isinstance(listing, ListingPage) and listing.category_label == "Médias"


def test_listing_page_and_its_listing_can_go_to_a_worker() -> None:
    page = page_from_listing_response(response(LISTING_URL, listing_html()), SEEN_AT)
    assert pickle.loads(pickle.dumps(listing_from_page(page))) == listing_from_page(
        pickle.loads(pickle.dumps(page))
    )


def test_listing_failure_is_at_the_url_that_answered() -> None:
    redirected = response(
        LISTING_URL, PNG, "image/png", meta={"redirect_urls": [LISTING_URL + "x"]}
    )
    failure = listing_from_page(page_from_listing_response(redirected, SEEN_AT))
    assert isinstance(failure, PageFailure) and failure.url == LISTING_URL


def test_listing_failure_is_dated_when_the_page_was_read() -> None:
    failure = _read(LISTING_URL, PNG, "image/png")
    assert isinstance(failure, PageFailure) and failure.failed_at == SEEN_AT


def test_listing_failure_keeps_the_status() -> None:
    page = page_from_listing_response(response(LISTING_URL, PNG, "image/png", status=203), SEEN_AT)
    failure = listing_from_page(page)
    assert isinstance(failure, PageFailure) and failure.status == 203


def test_captured_listing_reads_as_the_crawled_one(tmp_path: Path) -> None:
    capture = captured(tmp_path, LISTING_URL, listing_html())
    page = listing_page_of(capture)
    assert page is not None and listing_from_page(page) == _read(
        LISTING_URL, listing_html(), "text/html; charset=UTF-8"
    )


def test_capture_off_a_listing_path_has_no_listing_page(tmp_path: Path) -> None:
    capture = captured(tmp_path, "https://www.ccme.org.ma/contact/", listing_html())
    assert listing_page_of(capture) is None
