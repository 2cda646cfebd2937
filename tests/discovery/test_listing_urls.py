"""URL rules of listings: any WordPress archive listing, one canonical path."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccme_crawler.urls import (
    canonical_path,
    category_path,
    is_discovery_url,
    is_listing_url,
    listing_kind,
    listing_language,
    listing_path,
    path_language,
)

ARABIC = "أرشيف-المجلس"
ARABIC_PATH = "/ar/category/%D8%A3%D8%B1%D8%B4%D9%8A%D9%81-%D8%A7%D9%84%D9%85%D8%AC%D9%84%D8%B3/"


@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("/category/archives-du-ccme/activites/", "/category/archives-du-ccme/activites/"),
        (
            "https://www.ccme.org.ma/author/rajae-moumengmail-com/page/90",
            "/author/rajae-moumengmail-com/",
        ),
        (
            "https://www.ccme.org.ma/author/rajae-moumengmail-com/page/76/«",
            "/author/rajae-moumengmail-com/",
        ),
        (
            "https://www.ccme.org.ma/author/rajae-moumengmail-com/«",
            "/author/rajae-moumengmail-com/",
        ),
        ("/ar/author/rajae-moumengmail-com/page/270/", "/ar/author/rajae-moumengmail-com/"),
        ("http://127.0.0.1:8000/en/author/x/page/41?amp=1", "/en/author/x/"),
        ("/tag/migration", "/tag/migration/"),
        ("category/archives-du-ccme/activites/%C2%AB", "/category/archives-du-ccme/activites/"),
        (
            "/en/category/ccme-archives/media-and-migration/page/3/#top",
            "/en/category/ccme-archives/media-and-migration/",
        ),
    ],
)
def test_listing_given_as_path_or_url(given: str, path: str) -> None:
    assert listing_path(given) == path


@pytest.mark.parametrize(
    "form",
    [
        f"/ar/category/{ARABIC}/",
        "/ar/category/" + quote(ARABIC).lower() + "/",  # as WordPress writes it
        "/ar/category/" + quote(ARABIC) + "/page/2/",
        f"https://www.ccme.org.ma/ar/category/{ARABIC}/%C2%AB",
    ],
)
def test_arabic_slug_raw_or_percent_encoded_is_one_path(form: str) -> None:
    assert listing_path(form) == ARABIC_PATH


def test_canonical_path_is_idempotent_on_lower_case_escapes() -> None:
    lower = "/ar/category/" + quote(ARABIC).lower() + "/"
    assert canonical_path(canonical_path(lower)) == canonical_path(lower)


@given(
    st.lists(
        st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآ-abc0123", min_size=1, max_size=12),
        min_size=1,
        max_size=3,
    ),
    st.booleans(),
    st.sampled_from(["", "/ar", "/en"]),
)
def test_listing_path_of_any_encoding_of_a_slug_is_the_same(
    segments: list[str], lower: bool, prefix: str
) -> None:
    slug = "/".join(s for s in segments if s.strip("-")) or "x"
    raw = f"{prefix}/category/{slug}/"
    encoded = quote(raw)
    encoded = encoded.lower() if lower else encoded
    assert (listing_path(encoded), listing_path(listing_path(raw))) == (
        listing_path(raw),
        listing_path(raw),
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/category/x/", "category"), ("/ar/author/y/", "author"), ("/tag/z/", "tag")],
)
def test_listing_kind(path: str, kind: str) -> None:
    assert listing_kind(path) == kind


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/category/x/", "fr"),
        ("/ar/category/x/", "ar"),
        ("/en/author/y/", "en"),
        ("/fr/tag/z/", "fr"),
    ],
)
def test_listing_language(path: str, language: str) -> None:
    assert listing_language(path) == language


def test_post_language_comes_from_its_prefix() -> None:
    assert path_language("https://www.ccme.org.ma/ar/2013-03-19-17-13-35-3199/") == "ar"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "/",
        "/category/",
        "/le-maroc-et-la-belgique/",
        "/ar/2013-03-19-17-13-35-3199/",
        "ftp://x/category/y/",
    ],
)
def test_not_a_listing_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        listing_path(bad)


def test_category_path_insists_on_a_category() -> None:
    with pytest.raises(ValueError, match="not a category"):
        category_path("/author/rajae-moumengmail-com/")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:9/author/x/page/3/", True),
        ("http://127.0.0.1:9/le-maroc/", False),
    ],
)
def test_is_listing_url(url: str, expected: bool) -> None:
    assert is_listing_url(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:9/", True),
        ("http://127.0.0.1:9/ar/", True),
        ("http://127.0.0.1:9/wp-sitemap-posts-post-1.xml", True),
        ("http://127.0.0.1:9/robots.txt", True),
        ("http://127.0.0.1:9/arabe/", False),
        ("http://127.0.0.1:9/le-maroc/", False),
    ],
)
def test_is_discovery_url(url: str, expected: bool) -> None:
    assert is_discovery_url(url) is expected
