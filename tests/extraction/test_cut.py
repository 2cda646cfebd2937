"""The post cut (parse only <head> and the post): used on the theme's layout, refused wherever
the rest of the page could change what extraction reads, and never changing a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccme_crawler.extraction import article as article_module
from ccme_crawler.extraction import extract_article
from ccme_crawler.extraction.cut import post_cut
from ccme_mirror import generate_site, render

from .helpers import golden_page

ORIGIN = "https://www.ccme.org.ma"
GOLDEN = sorted(p.stem for p in (Path(__file__).parents[1] / "golden" / "pages").glob("*.html"))


@pytest.fixture(scope="module")
def seed_html() -> bytes:
    return golden_page("000-seed")


def test_cut_keeps_the_post(seed_html: bytes) -> None:
    cut = post_cut(seed_html)
    assert cut is not None and '<article id="post-60338"' in cut


def test_cut_leaves_out_the_footer(seed_html: bytes) -> None:
    cut = post_cut(seed_html)
    assert cut is not None and "main-footer" not in cut


def test_cut_keeps_the_head(seed_html: bytes) -> None:
    cut = post_cut(seed_html)
    assert cut is not None and '<link rel="canonical"' in cut


def test_no_post_article_no_cut(seed_html: bytes) -> None:
    assert post_cut(seed_html.replace(b'<article id="post-', b'<article id="x-')) is None


def test_heading_after_the_post_refuses_the_cut(seed_html: bytes) -> None:
    page = seed_html.replace(b"</footer>", b"<h1 class='page-title'>x</h1></footer>", 1)
    assert post_cut(page) is None


def test_json_ld_after_the_post_refuses_the_cut(seed_html: bytes) -> None:
    page = seed_html.replace(b"</footer>", b'<script type="application/ld+json">{}</script>', 1)
    assert post_cut(page) is None


def test_open_comment_before_the_post_refuses_the_cut(seed_html: bytes) -> None:
    at = seed_html.index(b'<nav class="breadcrumbs')
    assert post_cut(seed_html[:at] + b"<!-- " + seed_html[at:]) is None


def test_utf16_page_is_not_cut(seed_html: bytes) -> None:
    page = seed_html.decode("utf-8").encode("utf-16")
    assert post_cut(page, "utf-16") is None


def _whole_page(monkeypatch: pytest.MonkeyPatch, html: bytes, url: str) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(article_module, "post_cut", lambda *args: None)
        return extract_article(html, url)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_record_is_the_whole_page_record(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    html, url = golden_page(name), f"{ORIGIN}/{name}/"
    assert extract_article(html, url) == _whole_page(monkeypatch, html, url)


def test_mirror_records_are_the_whole_page_records(monkeypatch: pytest.MonkeyPatch) -> None:
    site = generate_site(60)
    pages = [(render.render_article(site, a, ORIGIN).encode(), a.url) for a in site.articles]
    cut = [extract_article(html, url) for html, url in pages]
    assert cut == [_whole_page(monkeypatch, html, url) for html, url in pages]
