"""listing_cut: the part of a listing page extract_listing parses, and when it parses it all."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccme_crawler.extraction.listing import extract_listing, listing_cut
from ccme_mirror import MirrorServer, generate_site

FIXTURES = Path(__file__).parent.parent / "fixtures"
CATEGORY_URL = "https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/"
# Listing pages of the mirror: a first and a last page, in each language.
MIRROR_PATHS = (
    "/category/archives-du-ccme/activites/",
    "/category/archives-du-ccme/medias-et-migration/page/2/",
    "/ar/category/archives-ar/medias-et-migration-ar/",
    "/en/category/ccme-archives/media-and-migration/",
)


@pytest.fixture(scope="module")
def mirror_listings() -> Iterator[dict[str, str]]:
    with MirrorServer(generate_site(60)) as server:
        pages = {}
        for path in MIRROR_PATHS:
            with urllib.request.urlopen(server.base_url + path, timeout=10) as answer:
                pages[server.base_url + path] = answer.read().decode("utf-8")
        yield pages


def test_mirror_listings_are_cut_to_a_third(mirror_listings: dict[str, str]) -> None:
    sizes = {
        url: len(listing_cut(html) or html) / len(html) for url, html in mirror_listings.items()
    }
    assert all(share < 0.4 for share in sizes.values()), sizes


def test_the_cut_finds_what_the_whole_page_holds(mirror_listings: dict[str, str]) -> None:
    for url, html in mirror_listings.items():
        assert extract_listing(html, url) == extract_listing(html, url, whole_page=True), url


@pytest.mark.parametrize("name", ["reference/category-fr.html", "discovery/category-ar.html"])
def test_the_cut_of_a_saved_listing_finds_what_the_whole_page_holds(name: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    cut = extract_listing(html, CATEGORY_URL)
    assert cut == extract_listing(html, CATEGORY_URL, whole_page=True)


def _page(header: str = "", footer: str = "") -> str:
    return (
        '<html><head><title>x</title></head><body class="archive category">'
        f"{header}"
        '<nav class="breadcrumbs" id="breadcrumb"><span class="current">Activités</span></nav>'
        '<div class="main-content"><div class="loop loop-list"><article class="l-post">'
        '<h2 class="post-title"><a href="/fr/a/">A</a></h2></article></div></div>'
        f"<footer>{footer}</footer></body></html>"
    )


def test_a_plain_page_is_cut() -> None:
    assert listing_cut(_page(header="<div>menu</div>", footer="links")) is not None


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ("", '<h1 class="archive-heading">Catégorie : Autre</h1>'),  # a heading left out
        ("", '<nav class="main-pagination"><a class="page-numbers" href="/page/9/">9</a></nav>'),
        ("<main>", ""),  # an ancestor the item query names
        ("<script>var menu = '", ""),  # a script left open would swallow the kept part
        ("<!-- menu", ""),
        ("", '<link rel="next" href="/page/2/">'),
    ],
)
def test_a_page_whose_left_out_parts_matter_is_parsed_whole(header: str, footer: str) -> None:
    assert listing_cut(_page(header, footer)) is None


def test_a_page_without_breadcrumb_or_footer_is_parsed_whole() -> None:
    html = _page().replace('id="breadcrumb"', "").replace("<footer>", "<div>")
    assert listing_cut(html) is None
