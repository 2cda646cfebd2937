"""Requisite URLs read from HTML and CSS (ccme_crawler.extraction.requisites): pure functions."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction.requisites import (
    css_requisites,
    is_requisite_url,
    largest_srcset_candidate,
    page_requisites,
)

BASE = "https://www.ccme.org.ma/un-article/"


@pytest.mark.parametrize(
    ("srcset", "largest"),
    [
        ("a-300.jpg 300w, a-768.jpg 768w, a-1024.jpg 1024w", "a-1024.jpg"),
        ("b-1024.jpg 1024w, b-300.jpg 300w", "b-1024.jpg"),
        ("logo.png, logo@2x.png 2x", "logo@2x.png"),
        ("x.png 1x", "x.png"),
        ("a,b.png 1x, c.png 3x", "c.png"),
        ("first.png 2x, second.png 2x", "first.png"),
        ("", None),
        ("  ,  ", None),
    ],
)
def test_largest_srcset_candidate(srcset: str, largest: str | None) -> None:
    assert largest_srcset_candidate(srcset) == largest


def test_stylesheet_imports_fonts_and_images_resolved_against_the_stylesheet() -> None:
    css = """@import url("css/skin.css?ver=1"); @import 'print.css';
    /* url(commented-out.png) */
    body { background: url(images/bg.png) repeat; }
    @font-face { src: url('../fonts/f.woff2?v=2') format("woff2"), url(data:font/woff;base64,AA) }
    .x { background-image: url( "https://cdn.example.org/y.svg" ) }"""
    assert css_requisites(css, "https://h/theme/style.css") == [
        "https://h/theme/css/skin.css?ver=1",
        "https://h/theme/print.css",
        "https://h/theme/images/bg.png",
        "https://h/fonts/f.woff2?v=2",
        "https://cdn.example.org/y.svg",
    ]


PAGE = """<!DOCTYPE html><html><head>
<link rel='stylesheet' href='/wp-content/themes/t/style.css?ver=1' />
<link rel="alternate stylesheet" href="/alt.css">
<link rel="icon" href="/fav-32.png" sizes="32x32" />
<link rel="apple-touch-icon" href="/fav-180.png" />
<link rel="preload" as="font" href="/f.woff2" crossorigin>
<link rel="canonical" href="https://www.ccme.org.ma/un-article/" />
<link rel="alternate" type="application/rss+xml" href="/feed/" />
<script src="/wp-includes/js/jquery.min.js?ver=3.7.1"></script>
<script>var inline = "<img src='/not-an-image.png'>";</script>
<style>.hero { background: url("/hero.jpg") }</style>
</head><body>
<a href="/autre-article/">a link is not a requisite</a>
<div class="featured"><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" class="lazyload"
 data-src="/up/photo-768.jpg" data-srcset="/up/photo-300.jpg 300w, /up/photo-1024.jpg 1024w" /></div>
<div class="entry-content"><figure><img src="/up/b-768.jpg"
 srcset="/up/b-300.jpg 300w, /up/b-768.jpg 768w, /up/b-1024.jpg 1024w" alt="" /></figure>
<p style="background:url('/para-bg.png')">text</p></div>
<picture><source srcset="/p.webp 1x, /p@2x.webp 2x" type="image/webp"><img src="/p.jpg"></picture>
<img src="#top"><img src="">
<img src="/fav-32.png">
</body></html>"""


def test_page_requisites_in_document_order_each_once() -> None:
    origin = "https://www.ccme.org.ma"
    assert page_requisites(PAGE, BASE) == [
        origin + path
        for path in (
            "/wp-content/themes/t/style.css?ver=1",
            "/alt.css",
            "/fav-32.png",
            "/fav-180.png",
            "/f.woff2",
            "/wp-includes/js/jquery.min.js?ver=3.7.1",
            "/hero.jpg",
            "/up/photo-768.jpg",
            "/up/photo-1024.jpg",
            "/up/b-768.jpg",
            "/up/b-1024.jpg",
            "/para-bg.png",
            "/p@2x.webp",
            "/p.jpg",
        )
    ]


def test_base_href_resolves_relative_requisites() -> None:
    page = '<html><head><base href="https://static.example.org/s/"></head><body><img src="i.png"></body></html>'
    assert page_requisites(page, BASE) == ["https://static.example.org/s/i.png"]


def test_page_without_markup_has_no_requisites() -> None:
    assert (page_requisites("", BASE), page_requisites("   ", BASE)) == ([], [])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.ccme.org.ma/wp-content/uploads/2024/05/x.png", True),
        ("http://127.0.0.1:8000/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", True),
        ("https://fonts.example.org/font.WOFF2", True),
        ("https://www.ccme.org.ma/le-maroc-et-la-belgique/", False),
        ("https://www.ccme.org.ma/category/archives-du-ccme/activites/page/2/", False),
        ("https://www.ccme.org.ma/?p=60338", False),
    ],
)
def test_is_requisite_url(url: str, expected: bool) -> None:
    assert is_requisite_url(url) is expected
