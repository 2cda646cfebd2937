"""The mirror's pages reproduce the reference markup and its selectors."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import parsel
import pytest

from ccme_crawler.urls import SITE_ORIGIN, canonical_article_url
from ccme_mirror import MirrorArticle, MirrorSite, generate_site, sample_site
from ccme_mirror.render import (
    EN_MONTHS,
    closing_lines,
    pagination_html,
    render_404,
    render_article,
    render_listing,
)
from ccme_mirror.sample import SEED_PATH
from tests.helpers import ARCHIVE_PATHS

_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference"
REFERENCE = (
    _FIXTURE if (_FIXTURE / "article-fr.html").exists() else Path("/work/shared/reference-site")
)
MEDIAS = "/category/archives-du-ccme/medias-et-migration/"


@pytest.fixture()
def site() -> MirrorSite:
    return sample_site()


def _seed(site: MirrorSite) -> MirrorArticle:
    article = site.find(SEED_PATH)
    assert article is not None
    return article


def test_sample_contents(site: MirrorSite) -> None:
    assert len(site.articles) >= 36
    paths = [c.path for c in site.categories]
    assert set(ARCHIVE_PATHS) <= set(paths)
    assert {c.language for c in site.categories} == {"fr", "ar", "en"}
    assert site.last_page(MEDIAS) >= 2
    assert {a.language for a in site.articles} == {"fr", "ar", "en"}
    assert any(a.extra_categories for a in site.articles)
    assert any(a.source is None for a in site.articles)
    assert {a.source_line_style for a in site.articles} >= {
        "plain",
        "br",
        "bold",
        "colon",
        "numeric",
    }
    for article in site.articles:
        assert article.url == canonical_article_url(article.url)
    seed = _seed(site)
    assert seed.post_id == 60338
    assert seed.published_at == "2014-02-19T09:00:00+00:00"
    assert (seed.source, seed.source_date) == ("MAP", "2014-02-18")
    assert "\n" in seed.paragraphs[4]
    assert len(site.expected_articles()) == len(site.articles)


def test_seed_article_selectors(site: MirrorSite) -> None:
    seed = _seed(site)
    sel = parsel.Selector(render_article(site, seed, SITE_ORIGIN))
    assert sel.css(".the-post-header h1.is-title.post-title::text").get() == seed.title
    assert sel.css(".the-post-header time.post-date::attr(datetime)").get() == seed.published_at
    assert sel.css(".the-post-header time.post-date::text").get() == "19 février 2014"
    assert sel.css(".the-post-header a.category::text").get() == "Médias et migration"
    assert sel.css("article::attr(id)").get() == "post-60338"
    assert sel.css("link[rel=shortlink]::attr(href)").get() == f"{SITE_ORIGIN}/?p=60338"
    assert "postid-60338" in sel.css("body::attr(class)").get().split()
    assert sel.css("link[rel=canonical]::attr(href)").get() == seed.url
    assert (
        sel.css("title::text")
        .get()
        .endswith(" - CCME | Études et actualités sur les Marocains du monde")
    )
    crumbs = sel.css("nav#breadcrumb .inner > span:not(.delim) ::text").getall()
    assert crumbs == ["Home", "Archives du CCME", "Médias et migration"]
    paragraphs = sel.css(".the-post .post-content.entry-content > p")
    texts = ["".join(p.css("::text").getall()) for p in paragraphs]
    assert texts[:-2] == seed.paragraphs
    assert texts[-2:] == ["18 févr. 2014", "Source : MAP"]
    graph = json.loads(sel.css("script.yoast-schema-graph::text").get())["@graph"]
    news = graph[0]
    assert news["@type"] == "NewsArticle" and news["headline"] == seed.title
    assert news["articleSection"] == ["Médias et migration"]
    assert len(sel.css("section.related-posts article.l-post")) == 6


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference markup not available")
def test_seed_page_matches_reference_markup(site: MirrorSite) -> None:
    ours = render_article(site, _seed(site), SITE_ORIGIN).splitlines()
    ref = (REFERENCE / "article-fr.html").read_text("utf-8").splitlines()
    changed = [
        line
        for line in difflib.unified_diff(ref, ours, lineterm="", n=0)
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    # Only the six related posts differ (other articles than the reference's invented ones).
    assert len(changed) == 12, changed
    assert all("post-title" in line for line in changed)
    assert abs(len("\n".join(ours)) - len("\n".join(ref))) < 10_000


def test_listing_selectors_and_pagination(site: MirrorSite) -> None:
    sel = parsel.Selector(render_listing(site, site.category(MEDIAS), 1, "http://127.0.0.1:9"))
    assert sel.css("h1.archive-heading span::text").get() == "Médias et migration"
    items = sel.css(".loop-list article.l-post.list-post")
    assert len(items) == 10
    assert sel.css("nav.main-pagination a.next.page-numbers::attr(href)").get() == (
        f"http://127.0.0.1:9{MEDIAS}page/2/"
    )
    assert sel.css("link[rel=next]::attr(href)").get() == f"http://127.0.0.1:9{MEDIAS}page/2/"
    assert sel.css("nav#breadcrumb span.current::text").get() == "Médias et migration"
    last = parsel.Selector(render_listing(site, site.category(MEDIAS), 2, "http://h"))
    assert last.css("a.next").get() is None
    assert last.css("link[rel=prev]::attr(href)").get() == f"http://h{MEDIAS}"
    assert len(last.css("article.l-post.list-post")) == site.category_size(MEDIAS) - 10


def test_pagination_like_paginate_links(site: MirrorSite) -> None:
    cat = site.category(MEDIAS)
    html = pagination_html("https://www.ccme.org.ma", cat, 1, 1800)
    sel = parsel.Selector(html)
    assert sel.css(".page-numbers::text").getall() == ["1", "2", "3", "…", "1\u00a0800"]
    assert "1&nbsp;800" in html
    middle = (
        parsel.Selector(pagination_html("h", cat, 50, 1800)).css(".page-numbers::text").getall()
    )
    assert middle == ["1", "…", "48", "49", "50", "51", "52", "…", "1\u00a0800"]


def test_quirky_links_cover_every_variant(site: MirrorSite) -> None:
    hrefs = []
    for cat in site.categories:
        for page in range(1, site.last_page(cat.path) + 1):
            sel = parsel.Selector(render_listing(site, cat, page, "http://h"))
            hrefs += sel.css("h2.is-title.post-title a::attr(href)").getall()
    joined = "\n".join(hrefs)
    for variant in ("/«", "/%C2%AB", "?amp=1", "utm_source=", "#respond"):
        assert variant in joined
    assert any(
        not h.endswith("/") and "?" not in h and "#" not in h and not h.endswith(("«", "%C2%AB"))
        for h in hrefs
    )
    for href in hrefs:
        assert site.find(canonical_article_url(href)) is not None
    plain = sample_site()
    plain.link_quirks = False
    sel = parsel.Selector(render_listing(plain, plain.category(MEDIAS), 1, "http://h"))
    assert all(h.endswith("/") for h in sel.css("h2 a::attr(href)").getall())


def test_closing_line_styles() -> None:
    site = sample_site()
    base = _seed(site)
    expected = {
        "plain": ["<p>18 févr. 2014</p>", "<p>Source : MAP</p>"],
        "br": ["<p>18 févr. 2014<br />\nSource : MAP</p>"],
        "bold": ["<p>18 févr. 2014</p>", "<p><strong>Source</strong> : MAP</p>"],
        "colon": ["<p>18 févr. 2014</p>", "<p>Source: MAP</p>"],
        "numeric": ["<p>18/02/2014</p>", "<p>Source : MAP</p>"],
    }
    for style, lines in expected.items():
        base.source_line_style = style
        assert closing_lines(base) == lines
    base.source = None
    base.source_date = None
    assert closing_lines(base) == []


def test_arabic_and_english_pages(site: MirrorSite) -> None:
    arabic = next(a for a in site.articles if a.language == "ar")
    sel = parsel.Selector(render_article(site, arabic, "http://h"))
    assert sel.css("html::attr(lang)").get() == "ar"
    assert sel.css("html::attr(dir)").get() == "rtl"
    assert sel.css("meta[property='og:locale']::attr(content)").get() == "ar_AR"
    assert sel.css("h1.post-title::text").get() == arabic.title
    assert "%" in arabic.slug_path
    english = next(a for a in site.articles if a.language == "en")
    sel = parsel.Selector(render_article(site, english, "http://h"))
    assert sel.css("html::attr(lang)").get() == "en-US"
    assert sel.css("time.post-date::text").get().split()[0] in EN_MONTHS


def test_404_page() -> None:
    sel = parsel.Selector(render_404("http://h"))
    assert "error404" in sel.css("body::attr(class)").get().split()
    assert len(render_404("http://h")) > 50_000


def test_add_article_shifts_listing(site: MirrorSite) -> None:
    before = site.listing(MEDIAS, 1)
    assert before is not None
    size = site.category_size(MEDIAS)
    new = MirrorArticle(
        slug_path="/un-nouvel-article/",
        title="Un nouvel article",
        published_at="2025-06-30T10:00:00+01:00",
        language="fr",
        category=site.category(MEDIAS),
        paragraphs=["Texte."],
        source=None,
        source_date=None,
    )
    site.add_article(new)
    after = site.listing(MEDIAS, 1)
    assert after is not None
    assert after[0] is new and after[1:] == before[:9]
    assert site.listing(MEDIAS, 2)[0] is before[9]
    assert site.category_size(MEDIAS) == size + 1
    assert new.post_id > 0 and site.find(new.url) is new
    with pytest.raises(ValueError):
        site.add_article(new)


def test_update_article_changes_modified_at(site: MirrorSite) -> None:
    seed = _seed(site)
    site.update_article(seed.url, paragraphs=["Nouveau texte."])
    assert seed.body == "Nouveau texte."
    assert seed.modified_at and seed.modified_at > "2025"


def test_generate_site_is_deterministic_and_lazy() -> None:
    a = generate_site(300, seed=3)
    b = generate_site(300, seed=3)
    assert [x.url for x in a.articles] == [x.url for x in b.articles]
    assert [x.body for x in a.articles[:20]] == [x.body for x in b.articles[:20]]
    assert generate_site(300, seed=4).articles[0].body != a.articles[0].body
    assert len({x.url for x in a.articles}) == 300
    article = a.articles[10]
    a.update_article(article.slug_path, paragraphs=["Changé."])
    assert article.paragraphs == ["Changé."]
    only_fr = generate_site(50, languages=("fr",))
    assert {x.language for x in only_fr.articles} == {"fr"}


@pytest.mark.slow
def test_generate_100k_builds_and_renders() -> None:
    site = generate_site(100_000)
    assert len(site.articles) == 100_000
    cat = site.category(ARCHIVE_PATHS[1])
    last = site.last_page(cat.path)
    assert last > 1000
    for page in (1, last // 2, last):
        sel = parsel.Selector(render_listing(site, cat, page, "http://h"))
        assert sel.css("article.l-post.list-post")
    assert site.listing(cat.path, last + 1) is None
    html = render_article(site, site.articles[-1], "http://h")
    assert 80_000 < len(html.encode()) < 200_000
