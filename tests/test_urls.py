"""URL rules: record keys, category paths, mirror hosts."""

from __future__ import annotations

import pytest

from ccme_crawler.urls import (
    canonical_article_url,
    category_path,
    is_site_url,
    listing_page_url,
    page_number_of,
    to_crawl_url,
)

SEED = "https://www.ccme.org.ma/le-maroc-et-la-belgique/"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/",
        "https://ccme.org.ma/le-maroc-et-la-belgique/",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/«",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/%C2%AB",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/?amp=1",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/?utm_source=fb&utm_medium=social",
        "https://www.ccme.org.ma/le-maroc-et-la-belgique/#respond",
        "http://127.0.0.1:8000/le-maroc-et-la-belgique/?fbclid=abc",
    ],
)
def test_variants_of_a_link_share_one_key(link: str) -> None:
    assert canonical_article_url(link) == SEED


def test_meaningful_query_is_kept() -> None:
    assert canonical_article_url("https://www.ccme.org.ma/?p=60338&utm_source=x") == (
        "https://www.ccme.org.ma/?p=60338"
    )


def test_arabic_slug_is_percent_encoded_in_upper_case() -> None:
    assert canonical_article_url("https://www.ccme.org.ma/ar/%d8%a7/") == (
        "https://www.ccme.org.ma/ar/%D8%A7/"
    )


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("/category/archives-du-ccme/activites/", "/category/archives-du-ccme/activites/"),
        ("category/archives-du-ccme/activites", "/category/archives-du-ccme/activites/"),
        (
            "https://www.ccme.org.ma/en/category/x/page/3/",
            "/en/category/x/",
        ),
    ],
)
def test_category_given_as_path_or_url(given: str, path: str) -> None:
    assert category_path(given) == path


@pytest.mark.parametrize("bad", ["", "/tag/foo/", "ftp://www.ccme.org.ma/category/x/"])
def test_bad_category_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        category_path(bad)


def test_listing_pages_numbering() -> None:
    url = listing_page_url("http://127.0.0.1:9", "/category/x/", 3)
    assert (url, page_number_of(url)) == ("http://127.0.0.1:9/category/x/page/3/", 3)


def test_live_links_are_put_on_the_mirror() -> None:
    assert to_crawl_url(SEED + "?amp=1", "http://127.0.0.1:9") == (
        "http://127.0.0.1:9/le-maroc-et-la-belgique/"
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.ccme.org.ma/x/", True),
        ("http://127.0.0.1:9/x/", True),
        ("http://localhost:9/x/", True),
        ("http://localhost:10/x/", False),
        ("https://www.facebook.com/sharer.php", False),
        ("mailto:contact@ccme.org.ma", False),
    ],
)
def test_site_urls(url: str, expected: bool) -> None:
    assert is_site_url(url, "http://127.0.0.1:9") is expected
