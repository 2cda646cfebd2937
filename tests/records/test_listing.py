"""Listing pages: what they list, the entries they give, the links they skip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import ListingItem, ListingPage, PageFailure
from ccme_crawler.records import (
    ListingLinks,
    listing_entries,
    listing_from_page,
    page_from_listing_response,
)

from .helpers import CATEGORY, LISTING_URL, PNG, listing_html, response

ORIGIN = "https://www.ccme.org.ma"
SEEN_AT = "2026-01-02T03:04:05+00:00"


def _page(*urls: str) -> ListingPage:
    return ListingPage(
        items=[ListingItem(url, None, None) for url in urls],
        next_url=None,
        last_page=1,
        page_number=1,
        category_label=None,
    )


def _links(*urls: str, origin: str = ORIGIN) -> ListingLinks:
    return listing_entries(_page(*urls), LISTING_URL, CATEGORY, SEEN_AT, origin=origin)


def _reference_links() -> ListingLinks:
    listing = extract_listing(listing_html().decode(), LISTING_URL)
    return listing_entries(listing, LISTING_URL, CATEGORY, SEEN_AT, origin=ORIGIN)


def test_reference_listing_gives_an_entry_per_post() -> None:
    assert len(_reference_links().entries) == 10


def test_reference_listing_skips_nothing() -> None:
    assert _reference_links().skipped == []


def test_entries_keep_the_listing_order() -> None:
    assert [e.position for e in _reference_links().entries] == list(range(10))


def test_entry_is_keyed_by_the_canonical_article_url() -> None:
    (entry,) = _links("http://ccme.org.ma/un-article%C2%AB?utm_source=fb").entries
    assert entry.url == "https://www.ccme.org.ma/un-article/"


def test_entry_names_its_listing() -> None:
    (entry,) = _links("https://www.ccme.org.ma/un-article/").entries
    assert (entry.listing_category, entry.listing_url, entry.seen_at) == (
        CATEGORY,
        LISTING_URL,
        SEEN_AT,
    )


def test_link_on_the_crawled_mirror_is_an_entry() -> None:
    links = _links("http://localhost:8123/un-article/", origin="http://127.0.0.1:8123")
    assert [e.url for e in links.entries] == ["https://www.ccme.org.ma/un-article/"]


def test_malformed_link_is_skipped() -> None:
    assert [s.reason for s in _links("http://[abc/x/").skipped] == ["malformed_url"]


def test_link_with_a_port_out_of_range_is_skipped() -> None:
    links = _links("http://127.0.0.1:99999/x/", origin="http://127.0.0.1:8000")
    assert [s.reason for s in links.skipped] == ["malformed_url"]


def test_off_site_link_is_skipped() -> None:
    assert [s.reason for s in _links("https://evil.example/x/").skipped] == ["off_site"]


def test_skipped_link_keeps_its_url_and_position() -> None:
    links = _links("https://www.ccme.org.ma/a/", "http://[abc/x/", "https://www.ccme.org.ma/b/")
    assert [(s.url, s.position) for s in links.skipped] == [("http://[abc/x/", 1)]


def test_a_bad_link_loses_no_other_entry() -> None:
    links = _links("https://www.ccme.org.ma/a/", "http://[abc/x/", "https://www.ccme.org.ma/b/")
    assert [(e.url, e.position) for e in links.entries] == [
        ("https://www.ccme.org.ma/a/", 0),
        ("https://www.ccme.org.ma/b/", 2),
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=5))
def test_every_link_is_an_entry_or_skipped(urls: list[str]) -> None:
    links = _links(*urls)
    assert len(links.entries) + len(links.skipped) == len(urls)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\Ahttps?://[\[\]a-z0-9.:@%]{0,20}/[^\s]{0,10}\Z"))
def test_url_like_links_never_raise(url: str) -> None:
    links = _links(url, origin="http://127.0.0.1:8000")
    assert len(links.entries) + len(links.skipped) == 1


# --- the listing page itself ---


def _read(
    url: str, body: bytes, content_type: str | None = "text/html; charset=UTF-8"
) -> ListingPage | PageFailure:
    return listing_from_page(page_from_listing_response(response(url, body, content_type), SEEN_AT))


def test_html_listing_response_is_read() -> None:
    listing = _read(LISTING_URL, listing_html())
    assert isinstance(listing, ListingPage) and len(listing.items) == 10


def test_listing_with_an_image_content_type_is_not_html() -> None:
    listing = _read(LISTING_URL, PNG, "image/png")
    assert isinstance(listing, PageFailure) and listing.reason == "not_html"


def test_listing_failure_is_of_a_listing() -> None:
    listing = _read(LISTING_URL, PNG, "image/png")
    assert isinstance(listing, PageFailure) and listing.kind == "listing"


def test_listing_with_a_binary_body_and_no_content_type_is_not_html() -> None:
    listing = _read(LISTING_URL, b"\x00\x01\x02" * 50, None)
    assert isinstance(listing, PageFailure) and listing.reason == "not_html"
