"""extract_listing never raises, whatever a listing page links to (issue 12, item 4)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.records import listing_entries

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORIGIN = "https://www.ccme.org.ma"
LISTING_URL = ORIGIN + "/category/archives-du-ccme/activites/page/2/"

# Pieces of URLs that break parsers: brackets (IPv6 literals), bad ports, controls, schemes.
_URL_PARTS = st.sampled_from(
    [
        "http://[",
        "https://[::1",
        "]",
        "http://",
        "//",
        ":99999",
        ":-1",
        ":abc",
        "/",
        "?",
        "#",
        "%",
        "%zz",
        "\x00",
        "\n",
        " ",
        "javascript:",
        "mailto:",
        "www.ccme.org.ma",
        "/page/",
        "9" * 30,
        "é",
        "\u202e",
        "[",
        "@",
        "..",
        "page/3/",
    ]
)
_HREFS = st.one_of(st.text(max_size=40), st.lists(_URL_PARTS, max_size=6).map("".join))


def _page(hrefs: list[str], next_href: str, page_hrefs: list[str]) -> str:
    def attr(value: str) -> str:
        return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    items = "".join(
        f'<article class="l-post"><h2 class="post-title"><a href="{attr(h)}">T</a></h2></article>'
        for h in hrefs
    )
    numbers = "".join(f'<a class="page-numbers" href="{attr(h)}">n</a>' for h in page_hrefs)
    return (
        '<html><body class="archive category"><div class="main-content">'
        f'<div class="loop-list">{items}</div><nav class="main-pagination">{numbers}'
        f'<a class="next" href="{attr(next_href)}">›</a></nav></div></body></html>'
    )


@FAST
@given(st.lists(_HREFS, max_size=5), _HREFS, st.lists(_HREFS, max_size=3), _HREFS)
def test_no_link_makes_extract_listing_raise(
    hrefs: list[str], next_href: str, page_hrefs: list[str], url_tail: str
) -> None:
    listing = extract_listing(_page(hrefs, next_href, page_hrefs), LISTING_URL + url_tail)
    links = listing_entries(listing, LISTING_URL, "/category/x/", "2024-01-01", origin=ORIGIN)
    # Every item linked is either an entry or a skipped link: none vanishes.
    assert len(links.entries) + len(links.skipped) == len(listing.items)


@FAST
@given(st.text(max_size=300), _HREFS)
def test_no_page_makes_extract_listing_raise(html: str, url: str) -> None:
    listing = extract_listing(html, url)
    assert listing.page_number is not None


def test_a_malformed_link_is_kept_as_linked() -> None:
    html = _page(["http://[broken", ORIGIN + "/une-page/"], "", [])
    listing = extract_listing(html, LISTING_URL)
    assert [item.url for item in listing.items] == ["http://[broken", ORIGIN + "/une-page/"]


def test_a_malformed_link_is_skipped_as_malformed_url() -> None:
    listing = extract_listing(_page(["http://[broken", ORIGIN + "/une-page/"], "", []), LISTING_URL)
    links = listing_entries(listing, LISTING_URL, "/category/x/", "2024-01-01", origin=ORIGIN)
    assert [(s.url, s.reason) for s in links.skipped] == [("http://[broken", "malformed_url")]
