"""Mirror variants render what they claim: menus and switchers from the site's categories,
renamed and Arabic slugs, sitemaps, author archives, SEO plugins, Joomla slugs, shortlinks, a
hole in the listings, a redesigned theme; and say which articles a crawl must store."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import parsel
import pytest
from scrapy.utils.sitemap import Sitemap

from ccme_crawler.extraction.listing import extract_listing
from ccme_mirror import MirrorServer, MirrorSite, generate_site, sample_site
from ccme_mirror.chrome import MENU_BLOCKS, block_span
from ccme_mirror.render import TEMPLATES, render_home, render_listing
from ccme_mirror.site import AUTHOR_NICENAMES
from ccme_mirror.taxonomy import TERMS, build_categories
from ccme_mirror.variant import VARIANTS, SiteVariant

ROOT = Path(__file__).resolve().parents[2]
AUTHOR = "Equipe de rédaction"
NICENAME = AUTHOR_NICENAMES[AUTHOR]
ARCHIVE_CHILDREN = ["Activités", "Médias et migration", "Actualités"]


def get(server: MirrorServer, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
    finally:
        conn.close()


def local(server: MirrorServer, url: str) -> str:
    """The request target of a link to the server."""
    assert url.startswith(server.base_url), url
    return url[len(server.base_url) :]


def serve(name: str, n: int = 60, seed: int = 11) -> Iterator[MirrorServer]:
    with MirrorServer(generate_site(n, seed=seed, variant=name)) as server:
        yield server


@pytest.fixture(scope="module")
def renamed() -> Iterator[MirrorServer]:
    yield from serve("renamed")


@pytest.fixture(scope="module")
def core() -> Iterator[MirrorServer]:
    yield from serve("core-sitemaps", n=80)


@pytest.fixture(scope="module")
def rankmath() -> Iterator[MirrorServer]:
    yield from serve("rankmath", n=80)


@pytest.fixture(scope="module")
def untranslated() -> Iterator[MirrorServer]:
    yield from serve("no-translations")


@pytest.fixture(scope="module")
def partial() -> Iterator[MirrorServer]:
    yield from serve("partial")


@pytest.fixture(scope="module")
def hole() -> Iterator[MirrorServer]:
    yield from serve("sitemap-hole")


def archive_entry(html: str, label: str) -> tuple[str, list[tuple[str, str]]]:
    """href of the mobile menu's ``label`` entry and its children's (label, href)."""
    sel = parsel.Selector(html)
    (item,) = sel.xpath(f'//ul[contains(@class, "mobile-menu")]/li[a[normalize-space()="{label}"]]')
    children = [
        (a.xpath("normalize-space()").get(), a.attrib["href"])
        for a in item.xpath('./ul[@class="sub-menu"]/li/a')
    ]
    return item.xpath("./a/@href").get(), children


def switcher(html: str) -> dict[str, tuple[str, bool]]:
    """The first switcher's links by language: (href, links a translation)."""
    sel = parsel.Selector(html)
    found = {}
    for li in sel.css("#smart-head .ccme-lang-switcher li.lang-item"):
        language = li.xpath("./a/@lang").get().split("-")[0]
        found[language] = (li.xpath("./a/@href").get(), "no-translation" not in li.attrib["class"])
    return found


# -- the default stays the reconstruction ---------------------------------------------------


def test_default_menus_render_the_reference_blocks_byte_for_byte() -> None:
    """The menus are rendered from the model; for the default site they are the reference's."""
    site = sample_site()
    category = site.categories[1]
    html = render_listing(site, category, 1, "https://www.ccme.org.ma")
    reference = (TEMPLATES / "listing.html").read_text("utf-8")
    current = {
        category.path: " current-menu-item",
        category.parent_path: " current-menu-ancestor current-menu-parent current-category-parent",
    }
    for block in MENU_BLOCKS:
        start, end = block_span(reference, block)
        expected = re.sub(
            r"\{\{mc:([^}]*)\}\}",
            lambda m: current.get(m.group(1), ""),
            reference[start:end].replace("{{origin}}", "https://www.ccme.org.ma"),
        )
        rendered_start, rendered_end = block_span(html, block)
        assert html[rendered_start:rendered_end] == expected


def test_default_variant_is_the_legacy_mirror() -> None:
    site = generate_site(30, seed=2)
    assert (site.variant, site.menus, site.hidden) == (SiteVariant(), None, set())


def test_a_variant_needs_a_wordpress_site() -> None:
    with pytest.raises(ValueError, match="wordpress=True"):
        SiteVariant(slugs="renamed")


def test_a_sitemap_hole_needs_sitemaps() -> None:
    with pytest.raises(ValueError, match="needs sitemaps"):
        SiteVariant(wordpress=True, sitemap_hole=True)


# -- menus, slugs, switcher -----------------------------------------------------------------


def test_renamed_slugs_are_none_of_the_reference_slugs(renamed: MirrorServer) -> None:
    reference = {c.path for c in build_categories(SiteVariant()).values()}
    assert {c.path for c in renamed.site.categories} & reference == set()


def test_renamed_slugs_are_deterministic_from_their_seed() -> None:
    first = build_categories(VARIANTS["renamed"])
    again = build_categories(VARIANTS["renamed"])
    other = build_categories(VARIANTS["core-sitemaps"])
    assert (first == again, first == other) == (True, False)


def test_home_menu_links_the_renamed_archive(renamed: MirrorServer) -> None:
    site = renamed.site
    status, _, html = get(renamed, "/")
    href, children = archive_entry(html, "Archives du CCME")
    archive = next(c for c in site.categories if c.language == "fr" and c.key == "archives")
    kids = [c for c in site.categories if c.parent_path == archive.path]
    assert (status, local(renamed, href), children) == (
        200,
        archive.path,
        [(c.label, renamed.base_url + c.path) for c in kids],
    )


def test_archive_children_have_the_seed_labels(renamed: MirrorServer) -> None:
    _, _, html = get(renamed, "/")
    assert [label for label, _ in archive_entry(html, "Archives du CCME")[1]] == ARCHIVE_CHILDREN


def test_other_menu_categories_are_served_with_posts(renamed: MirrorServer) -> None:
    _, _, html = get(renamed, "/")
    sel = parsel.Selector(html)
    labels = ["Notre Actualité", "Entretiens", "Visages de la diaspora"]
    answers = []
    for label in labels:
        href = sel.xpath(
            f'//ul[@id="menu-menu-mobile"]//a[normalize-space()="{label}"]/@href'
        ).get()
        status, _, page = get(renamed, local(renamed, href))
        answers.append((status, len(extract_listing(page, href).items) > 0))
    assert answers == [(200, True)] * 3


@pytest.mark.parametrize(
    ("home", "label", "children"),
    [
        ("/ar/", "أرشيف المجلس", ["أنشطة", "الإعلام والهجرة", "مستجدات"]),
        ("/en/", "CCME Archives", ["Activities", "Media and migration", "Current affairs"]),
    ],
)
def test_language_homes_have_their_own_menus(
    renamed: MirrorServer, home: str, label: str, children: list[str]
) -> None:
    status, _, html = get(renamed, home)
    language = home.strip("/")
    sel = parsel.Selector(html)
    _, found = archive_entry(html, label)
    assert (
        status,
        sel.xpath("/html/@lang").get().split("-")[0],
        [c for c, _ in found],
        all(urlsplit(h).path.startswith(f"/{language}/category/") for _, h in found),
    ) == (200, language, children, True)


def test_arabic_slugs_are_arabic_script_percent_encoded(renamed: MirrorServer) -> None:
    paths = [c.path for c in renamed.site.categories if c.language == "ar"]
    encoded = re.compile(r"^/ar/category/(?:(?:%[0-9A-F]{2})+(?:-(?:%[0-9A-F]{2})+)*/)+$")
    arabic = re.compile(r"^[\u0600-\u06ff/-]+$")
    assert [
        (bool(encoded.match(p)), bool(arabic.match(unquote(p).removeprefix("/ar/category"))))
        for p in paths
    ] == [(True, True)] * len(paths)


def test_arabic_slugs_are_linked_in_lower_case_and_served_in_either(renamed: MirrorServer) -> None:
    category = next(c for c in renamed.site.categories if c.language == "ar" and c.key == "medias")
    _, _, home = get(renamed, "/ar/")
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), category.path)
    assert (
        f'href="{renamed.base_url}{lower}"' in home,
        get(renamed, lower)[0],
        get(renamed, category.path)[0],
    ) == (True, 200, 200)


def test_switcher_links_the_translations(renamed: MirrorServer) -> None:
    site = renamed.site
    french = next(c for c in site.categories if c.language == "fr" and c.key == "medias")
    _, _, html = get(renamed, french.path)
    found = {
        lang: (local(renamed, href), linked) for lang, (href, linked) in switcher(html).items()
    }
    assert found == {
        "ar": (site.translation(french, "ar").path.lower(), True),
        "en": (site.translation(french, "en").path, True),
    }


def test_translated_listing_names_its_alternates(renamed: MirrorServer) -> None:
    site = renamed.site
    arabic = next(c for c in site.categories if c.language == "ar" and c.key == "activites")
    _, _, html = get(renamed, arabic.path)
    alternates = parsel.Selector(html).xpath('//head/link[@rel="alternate" and @hreflang]')
    assert sorted(a.attrib["hreflang"] for a in alternates) == ["ar", "en", "fr"]


def test_arabic_switcher_links_french_and_english(renamed: MirrorServer) -> None:
    site = renamed.site
    arabic = next(c for c in site.categories if c.language == "ar" and c.key == "activites")
    _, _, html = get(renamed, arabic.path)
    current = parsel.Selector(html).css("#smart-head .pll-parent-menu-item > a::text").get()
    assert (current, sorted(switcher(html))) == ("العربية", ["en", "fr"])


def test_untranslated_switcher_links_the_language_homes(untranslated: MirrorServer) -> None:
    french = next(c for c in untranslated.site.categories if c.language == "fr")
    _, _, html = get(untranslated, french.path)
    found = {lang: (local(untranslated, h), linked) for lang, (h, linked) in switcher(html).items()}
    assert found == {"ar": ("/ar/", False), "en": ("/en/", False)}


def test_untranslated_language_menus_link_no_category(untranslated: MirrorServer) -> None:
    _, _, html = get(untranslated, "/ar/")
    links = parsel.Selector(html).css("ul.mobile-menu a::attr(href)").getall()
    assert (links != [], [h for h in links if "/category/" in h]) == (True, [])


def test_partial_translations_link_english_only(partial: MirrorServer) -> None:
    french = next(c for c in partial.site.categories if c.language == "fr" and c.key == "medias")
    _, _, html = get(partial, french.path)
    assert {lang: linked for lang, (_, linked) in switcher(html).items()} == {
        "ar": False,
        "en": True,
    }


def test_footer_links_follow_the_renamed_slugs(renamed: MirrorServer) -> None:
    _, _, html = get(renamed, "/")
    footer = parsel.Selector(html).css("footer.main-footer a::attr(href)").getall()
    assert [h for h in footer if "/category/actualites/" in h] == []


# -- author archives ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        (f"/author/{NICENAME}/", f"Auteur/autrice : {AUTHOR}"),
        (f"/ar/author/{NICENAME}/", f"الكاتب: {AUTHOR}"),
        (f"/en/author/{NICENAME}/", f"Author: {AUTHOR}"),
    ],
)
def test_author_archives_have_the_core_heading(
    renamed: MirrorServer, path: str, heading: str
) -> None:
    status, _, html = get(renamed, path)
    text = parsel.Selector(html).css("h1.archive-heading").xpath("normalize-space()").get()
    assert (status, text) == (200, heading)


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_author_archive_lists_every_post_of_its_language(
    renamed: MirrorServer, language: str
) -> None:
    site = renamed.site
    prefix = "" if language == "fr" else f"/{language}"
    path = f"{prefix}/author/{NICENAME}/"
    urls = []
    for page in range(1, site.last_page(path) + 1):
        page_path = path if page == 1 else f"{path}page/{page}/"
        status, _, html = get(renamed, page_path)
        assert status == 200
        urls += [i.url for i in extract_listing(html, renamed.base_url + page_path).items]
    wanted = [a for a in site.articles if a.language == language]
    assert len({site.find(u).post_id for u in urls}) == len(urls) == len(wanted)


def test_author_archive_past_its_last_page_is_404(renamed: MirrorServer) -> None:
    last = renamed.site.last_page(f"/author/{NICENAME}/")
    assert get(renamed, f"/author/{NICENAME}/page/{last + 1}/")[0] == 404


def test_listings_link_the_author(renamed: MirrorServer) -> None:
    french = next(c for c in renamed.site.categories if c.language == "fr" and c.key == "medias")
    _, _, html = get(renamed, french.path)
    links = set(parsel.Selector(html).css("article.l-post a[rel=author]::attr(href)").getall())
    assert {local(renamed, h) for h in links} == {f"/author/{NICENAME}/"}


# -- sitemaps -------------------------------------------------------------------------------


def sitemap_at(server: MirrorServer, path: str) -> Sitemap:
    status, headers, body = get(server, path)
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/xml")
    return Sitemap(body.encode())


def test_core_sitemap_is_named_in_robots_txt(core: MirrorServer) -> None:
    _, _, robots = get(core, "/robots.txt")
    assert re.findall(r"^Sitemap: (\S+)$", robots, re.M) == [core.base_url + "/wp-sitemap.xml"]


def test_core_sitemap_index_names_post_category_and_user_sitemaps(core: MirrorServer) -> None:
    index = sitemap_at(core, "/wp-sitemap.xml")
    names = [urlsplit(e["loc"]).path for e in index]
    assert (index.type, names) == (
        "sitemapindex",
        [
            "/wp-sitemap-posts-post-1.xml",
            "/wp-sitemap-posts-post-2.xml",
            "/wp-sitemap-taxonomies-category-1.xml",
            "/wp-sitemap-users-1.xml",
        ],
    )


def test_core_post_sitemaps_list_every_post_with_its_lastmod(core: MirrorServer) -> None:
    entries = [e for n in (1, 2) for e in sitemap_at(core, f"/wp-sitemap-posts-post-{n}.xml")]
    got = {core.site.find(e["loc"]).post_id: e["lastmod"] for e in entries}
    assert got == {a.post_id: a.modified_at or a.published_at for a in core.site.articles}


def test_core_category_sitemap_lists_the_categories_with_posts(core: MirrorServer) -> None:
    got = {
        urlsplit(e["loc"]).path for e in sitemap_at(core, "/wp-sitemap-taxonomies-category-1.xml")
    }
    filed = {c.path.lower() for a in core.site.articles for c in a.categories}
    assert got == filed


def test_core_user_sitemap_lists_the_author(core: MirrorServer) -> None:
    got = [local(core, e["loc"]) for e in sitemap_at(core, "/wp-sitemap-users-1.xml")]
    assert got == [f"/author/{NICENAME}/"]


def test_yoast_sitemap_index_has_lastmod_and_plugin_names(rankmath: MirrorServer) -> None:
    index = list(sitemap_at(rankmath, "/sitemap_index.xml"))
    assert [(urlsplit(e["loc"]).path, bool(e.get("lastmod"))) for e in index] == [
        ("/post-sitemap.xml", True),
        ("/post-sitemap2.xml", True),
        ("/category-sitemap.xml", True),
        ("/author-sitemap.xml", True),
    ]


def test_yoast_post_sitemap_starts_with_the_home_page(rankmath: MirrorServer) -> None:
    first = next(iter(sitemap_at(rankmath, "/post-sitemap.xml")))
    assert local(rankmath, first["loc"]) == "/"


def test_yoast_sitemap_can_be_left_out_of_robots_txt(rankmath: MirrorServer) -> None:
    _, _, robots = get(rankmath, "/robots.txt")
    assert ("Sitemap:" in robots, get(rankmath, "/wp-sitemap.xml")[0]) == (False, 404)


def test_no_sitemaps_means_404s(renamed: MirrorServer) -> None:
    paths = ["/wp-sitemap.xml", "/sitemap_index.xml", "/wp-sitemap-posts-post-1.xml"]
    _, _, robots = get(renamed, "/robots.txt")
    assert ([get(renamed, p)[0] for p in paths], "Sitemap:" in robots) == ([404] * 3, False)


def test_server_option_turns_core_sitemaps_on() -> None:
    with MirrorServer(sample_site(), sitemaps=True, posts_per_sitemap=10) as server:
        index = sitemap_at(server, "/wp-sitemap.xml")
        assert len([e for e in index if "posts-post" in e["loc"]]) == 4


# -- SEO plugins, slugs, shortlinks ---------------------------------------------------------


def ld_blocks(html: str) -> list[tuple[str | None, object]]:
    sel = parsel.Selector(html)
    return [
        (s.attrib.get("class"), json.loads(s.xpath("string()").get()))
        for s in sel.css('script[type="application/ld+json"]')
    ]


def test_rank_math_graph_has_a_blog_posting(rankmath: MirrorServer) -> None:
    article = rankmath.site.articles[7]
    _, _, html = get(rankmath, article.slug_path)
    ((klass, data),) = ld_blocks(html)
    posting = [n for n in data["@graph"] if n["@type"] == "BlogPosting"]
    assert (klass, len(posting), posting[0]["datePublished"]) == (
        "rank-math-schema",
        1,
        article.published_at,
    )


def test_rank_math_pages_have_no_yoast_block(rankmath: MirrorServer) -> None:
    _, _, html = get(rankmath, rankmath.site.articles[7].slug_path)
    assert ("yoast" in html.lower(), "Rank Math" in html) == (False, True)


def test_pages_without_seo_plugin_have_no_json_ld(partial: MirrorServer) -> None:
    article = partial.site.articles[3]
    _, _, html = get(partial, article.slug_path)
    sel = parsel.Selector(html)
    assert (
        ld_blocks(html),
        sel.css('meta[property="article:published_time"]').getall(),
        sel.css(".the-post-header time.post-date::attr(datetime)").get(),
    ) == ([], [], article.published_at)


def test_core_headings_on_categories(rankmath: MirrorServer) -> None:
    french = next(c for c in rankmath.site.categories if c.language == "fr" and c.key == "medias")
    _, _, html = get(rankmath, french.path)
    text = parsel.Selector(html).css("h1.archive-heading").xpath("normalize-space()").get()
    assert text == "Catégorie : Médias et migration"


def test_arabic_posts_have_joomla_timestamp_slugs(core: MirrorServer) -> None:
    arabic = [a for a in core.site.articles if a.language == "ar"]
    joomla = re.compile(r"^/ar/(\d{4}-\d{2}-\d{2})-\d{2}-\d{2}-\d{2}-\d{4}/$")
    matches = [joomla.match(a.slug_path) for a in arabic]
    assert (
        all(matches),
        any(m.group(1) == a.published_at[:10] for m, a in zip(matches, arabic, strict=True) if m),
        get(core, arabic[0].slug_path)[0],
    ) == (True, False, 200)


def test_shortlinks_answer_301_to_the_permalink(partial: MirrorServer) -> None:
    english = next(a for a in partial.site.articles if a.language == "en")
    status, headers, _ = get(partial, f"/en/?p={english.post_id}")
    assert (status, local(partial, headers["location"])) == (301, english.slug_path)


def test_listings_link_some_posts_by_shortlink(partial: MirrorServer) -> None:
    links = []
    for category in partial.site.categories:
        for page in range(1, partial.site.last_page(category.path) + 1):
            html = render_listing(partial.site, category, page, partial.base_url)
            links += parsel.Selector(html).css("article.l-post h2 a::attr(href)").getall()
    assert any(re.search(r"/\?p=\d+$", h) for h in links)


# -- a hole in the listings -----------------------------------------------------------------


def every_listed_link(site: MirrorSite, origin: str) -> set[int]:
    """Post ids linked from every listing page, author archive and home of the site."""
    found: set[int] = set()
    listings = [*site.categories, *site.authors.values()]
    pages = [
        render_listing(site, c, n, origin)
        for c in listings
        for n in range(1, site.last_page(c.path) + 1)
    ]
    pages += [render_home(site, lang, origin) for lang in ("fr", "ar", "en")]
    for html in pages:
        for href in parsel.Selector(html).css("article.l-post h2 a::attr(href)").getall():
            article = site.find(href)
            if article is not None:
                found.add(article.post_id)
    return found


def test_hole_posts_are_in_the_sitemap_only(hole: MirrorServer) -> None:
    site = hole.site
    in_sitemaps = {
        site.find(e["loc"]).post_id
        for n in ("", "2")
        for e in sitemap_at(hole, f"/post-sitemap{n}.xml")
        if site.find(e["loc"]) is not None
    }
    hidden = site.hidden
    assert (
        len(hidden),
        hidden <= in_sitemaps,
        hidden & every_listed_link(site, hole.base_url),
        [get(hole, site.find_by_id(i).slug_path)[0] for i in sorted(hidden)],
    ) == (2, True, set(), [200, 200])


def test_hole_posts_are_expected_in_both_scopes(hole: MirrorServer) -> None:
    site = hole.site
    archive = {a.post_id for a in site.expected_articles("archive")}
    every = {a.post_id for a in site.expected_articles("site")}
    assert (site.hidden <= archive, site.hidden <= every) == (True, True)


# -- expected answers -----------------------------------------------------------------------


def test_archive_scope_is_the_archive_in_three_languages(renamed: MirrorServer) -> None:
    site = renamed.site
    archive_keys = {t.key for t in TERMS if t.archive}
    wanted = {a.post_id for a in site.articles if {c.key for c in a.categories} & archive_keys}
    got = [a.post_id for a in site.expected_articles("archive")]
    assert (sorted(got), {a.language for a in site.expected_articles("archive")}) == (
        sorted(wanted),
        {"fr", "ar", "en"},
    )


def test_site_scope_is_every_post(renamed: MirrorServer) -> None:
    site = renamed.site
    assert (
        len(site.expected_articles("site"))
        == len(site.articles)
        > len(site.expected_articles("archive"))
    )


def test_untranslated_languages_fall_back_on_their_author_archive(
    untranslated: MirrorServer,
) -> None:
    site = untranslated.site
    got = {a.post_id for a in site.expected_articles("archive")}
    others = {a.post_id for a in site.articles if a.language != "fr"}
    french_news = {
        a.post_id for a in site.articles if a.language == "fr" and a.category.key == "entretiens"
    }
    assert (others <= got, got & french_news) == (True, set())


def test_sample_archive_scope_is_its_three_french_categories() -> None:
    site = sample_site()
    paths = {c.path for c in site.categories if c.language == "fr"}
    wanted = {a.post_id for a in site.articles if {c.path for c in a.categories} & paths}
    assert {a.post_id for a in site.expected_articles("archive")} == wanted


def test_expected_articles_rejects_an_unknown_scope() -> None:
    with pytest.raises(ValueError, match="scope"):
        sample_site().expected_articles("everything")


# -- a redesigned theme ---------------------------------------------------------------------


def test_redesigned_listing_has_no_items_for_the_crawler() -> None:
    site = generate_site(30, seed=1, variant="redesigned")
    category = next(c for c in site.categories if c.key == "medias" and c.language == "fr")
    html = render_listing(site, category, 1, "http://127.0.0.1:1")
    assert (
        extract_listing(html, "http://127.0.0.1:1" + category.path).items,
        parsel.Selector(html).css("article.story-card h3 a").getall() != [],
    ) == ([], True)


def test_redesigned_article_has_no_post_title_heading() -> None:
    site = generate_site(30, seed=1, variant="redesigned")
    with MirrorServer(site) as server:
        _, _, html = get(server, site.articles[0].slug_path)
    sel = parsel.Selector(html)
    assert (sel.css("h1.post-title").getall(), sel.css(".entry-content").getall()) == ([], [])


# -- the command ----------------------------------------------------------------------------


def test_serve_command_serves_a_variant() -> None:
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "ccme_mirror", "serve", "--variant", "core-sitemaps"),
            *("--articles", "20", "--port", "0", "--control"),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        base = proc.stdout.readline().strip()
        described = proc.stdout.readline()
        port = int(base.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/wp-sitemap.xml")
        status = conn.getresponse().status
        conn.close()
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    assert (status, "sitemaps='core'" in described, proc.returncode) == (200, True, 0)
