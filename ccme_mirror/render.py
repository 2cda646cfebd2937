"""Render mirror pages from the templates derived from the reference markup.

Templates (``templates/*.html``) are the reference pages with ``{{name}}`` placeholders; see
``tools/derive_templates.py``. Each is split once into literal chunks and names, so rendering a page is
a single ``str.join``. ``origin`` is written in every absolute link, canonical tag and JSON-LD id.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote
from zlib import crc32

from ccme_mirror.assets import PHOTO_SIZES, has_photo, photo_paths
from ccme_mirror.chrome import POLYLANG, SwitcherLink, chrome_template, chrome_values
from ccme_mirror.site import (
    MirrorArticle,
    MirrorCategory,
    MirrorSite,
    author_path,
    parse_iso,
)
from ccme_mirror.taxonomy import legacy_menus
from ccme_mirror.variant import SiteVariant

TEMPLATES = Path(__file__).parent / "templates"
_PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")


class Template:
    def __init__(self, text: str) -> None:
        parts = _PLACEHOLDER.split(text)
        self.literals = parts[0::2]
        self.names = parts[1::2]

    def render(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for name, literal in zip(self.names, self.literals[1:], strict=True):
            value = values.get(name)
            if value is None:
                if not name.startswith("mc:"):
                    raise KeyError(f"template value missing: {name}")
                value = ""
            out.append(value)
            out.append(literal)
        return "".join(out)


@cache
def template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text("utf-8"))


# Page templates whose menus are rendered from the site (chrome.py).
_PAGES = ("article.html", "listing.html", "error404.html")
_YOAST_OPEN = (
    "\t<!-- This site is optimized with the Yoast SEO plugin v22.9"
    " - https://yoast.com/wordpress/plugins/seo/ -->\n"
)
_YOAST_CLOSE = "\t<!-- / Yoast SEO plugin. -->\n"
_RANK_MATH_OPEN = "\t<!-- Search Engine Optimization by Rank Math - https://rankmath.com/ -->\n"
_DNS_PREFETCH = "\t<link rel='dns-prefetch' href='//fonts.googleapis.com' />"
_HEADER_DATE = '<span class="meta-item date"><time class="post-date"'
_ITEM_META = '<div class="post-meta-items meta-below"><span class="meta-item date">'
_HEADING = "Browsing: <span>{{cat_label}}</span>"


def _seo_head(text: str, style: str) -> str:
    """The SEO block of the head as Yoast (the reference), Rank Math or nothing prints it."""
    if style == "yoast" or _YOAST_OPEN not in text:
        return text
    start = text.index(_YOAST_OPEN)
    end = text.index(_YOAST_CLOSE, start) + len(_YOAST_CLOSE)
    block = text[start:end]
    if style == "none":
        # WordPress core alone: the title, and a canonical link on single posts.
        single = "article:published_time" in block
        kept = [
            line
            for line in block.splitlines(keepends=True)
            if "<title>" in line or (single and 'rel="canonical"' in line)
        ]
        return text[:start] + "".join(kept) + text[end:]
    # Rank Math: no author meta, no reading time, local dates with their offset.
    dropped = ('<meta name="author"', "twitter:label2", "twitter:data2")
    lines = [
        line
        for line in block.splitlines(keepends=True)
        if not any(marker in line for marker in dropped)
    ]
    for old, new in (
        (_YOAST_OPEN, _RANK_MATH_OPEN),
        (_YOAST_CLOSE, "\t<!-- /Rank Math WordPress SEO plugin -->\n"),
        ('class="yoast-schema-graph"', 'class="rank-math-schema"'),
        ("{{published_gmt}}", "{{published_at}}"),
        ("{{modified_gmt}}", "{{modified_at}}"),
        ('content="Écrit par"', 'content="Written by"'),
    ):
        lines = [line.replace(old, new) for line in lines]
    block = "".join(lines)
    return text[:start] + block + text[end:]


def _redesign(text: str, name: str, markup: str) -> str:
    """A theme change: the classes and the title heading the crawler reads are gone (in the
    posts only with ``redesigned-posts``)."""
    if markup == "redesigned-posts" and name != "article.html":
        return text
    if name == "article.html":
        text = text.replace(
            '<h1 class="is-title post-title">{{title}}</h1>',
            '<div class="story-headline">{{title}}</div>',
        )
        text = text.replace('class="the-post-header ', 'class="story-header ')
        text = text.replace(
            'class="post-content cf entry-content content-spacious"', 'class="story-body"'
        )
    if name == "listing_item.html":
        text = text.replace(
            '<article class="l-post list-post list-post-on-sm m-pos-left">',
            '<article class="story-card">',
        )
        text = text.replace('<h2 class="is-title post-title">', '<h3 class="story-card-title">')
        text = text.replace("</a></h2>", "</a></h3>")
    if name == "listing.html":
        text = text.replace("loop loop-list loop-sep loop-list-sep", "story-grid")
    return text


@cache
def _page_template(
    name: str, aliases: tuple[tuple[str, str], ...], variant: SiteVariant
) -> Template:
    text = (TEMPLATES / name).read_text("utf-8")
    if name in _PAGES:
        text = chrome_template(text)
        text = text.replace(_DNS_PREFETCH, "{{hreflang}}" + _DNS_PREFETCH, 1)
        text = _seo_head(text, variant.jsonld)
    for old, new in aliases:  # links the theme's footers hard-code
        text = text.replace(f'{{{{origin}}}}{old}"', f'{{{{origin}}}}{href_path(new)}"')
    if name == "listing.html":
        text = text.replace(_HEADING, "{{heading}}", 1)
    if variant.author_links and name == "article.html":
        text = text.replace(_HEADER_DATE, "{{author_meta}}" + _HEADER_DATE, 1)
    if variant.author_links and name == "listing_item.html":
        text = text.replace(_ITEM_META, _ITEM_META.replace("<span", "{{author_meta}}<span", 1))
    if variant.markup != "smartmag":
        text = _redesign(text, name, variant.markup)
    return Template(text)


def page_template(site: MirrorSite | None, name: str) -> Template:
    """A template as this site prints it (menus from the site, its SEO plugin and theme)."""
    if site is None:
        return _page_template(name, (), SiteVariant())
    return _page_template(name, tuple(sorted(site.path_aliases.items())), site.variant)


# -- languages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lang:
    code: str
    html_lang: str
    html_dir: str
    og_locale: str
    site_name: str
    read_more: str
    footer_css: str


_FOOTERS = ("ar", "en", "fr")
LANGS: dict[str, Lang] = {
    lang.code: lang
    for lang in (
        Lang(
            "fr",
            "fr-FR",
            "",
            "fr_FR",
            "CCME | Études et actualités sur les Marocains du monde",
            "Lire plus",
            "",
        ),
        Lang(
            "ar",
            "ar",
            ' dir="rtl"',
            "ar_AR",
            "CCME | مجلس الجالية المغربية بالخارج",
            "اقرأ المزيد",
            "",
        ),
        Lang(
            "en",
            "en-US",
            "",
            "en_US",
            "CCME | Studies and news on Moroccans of the world",
            "Read more",
            "",
        ),
    )
}


def lang_of(code: str) -> Lang:
    return LANGS.get(code, LANGS["fr"])


def _footer_css(lang: Lang) -> str:
    # The three footers are in every page; CSS hides those of the other languages.
    hidden = [f for f in _FOOTERS if f != lang.code]
    return (
        ", ".join(f'html[lang="{lang.html_lang}"] .ccme-footer-{f}' for f in hidden)
        + " { display: none; }"
    )


# -- dates ----------------------------------------------------------------------------------

FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
FR_MONTHS_ABBR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AR_MONTHS_MAGHRIB = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)
AR_MONTHS_MASHRIQ = (
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
)
AR_MONTHS_EGYPT = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)


def arabic_months(post_id: int) -> tuple[str, ...]:
    """Most Arabic pages use Moroccan month names; some use Mashriq or Egyptian ones."""
    return (AR_MONTHS_MAGHRIB, AR_MONTHS_MAGHRIB, AR_MONTHS_MASHRIQ, AR_MONTHS_EGYPT)[post_id % 4]


def long_date(d: date, language: str, post_id: int = 0) -> str:
    """The visible date of a post: "19 février 2014", "19 فبراير 2014", "February 19, 2014"."""
    if language == "ar":
        return f"{d.day} {arabic_months(post_id)[d.month - 1]} {d.year}"
    if language == "en":
        return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{d.day} {FR_MONTHS[d.month - 1]} {d.year}"


def source_date_text(d: date, language: str, style: str, post_id: int = 0) -> str:
    """The closing date line: "18 févr. 2014" (fr), "18 فبراير 2014" (ar), "Feb 18, 2014" (en),
    or "18/02/2014" in the "numeric" style."""
    if style == "numeric":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if language == "ar":
        return f"{d.day} {arabic_months(post_id)[d.month - 1]} {d.year}"
    if language == "en":
        return f"{EN_MONTHS[d.month - 1][:3]} {d.day}, {d.year}"
    return f"{d.day} {FR_MONTHS_ABBR[d.month - 1]} {d.year}"


def gmt(value: str) -> str:
    return parse_iso(value).astimezone(UTC).isoformat(timespec="seconds")


# -- small pieces ---------------------------------------------------------------------------

_KNOWN_TERMS = {
    "/category/archives-du-ccme/": 50,
    "/category/archives-du-ccme/activites/": 52,
    "/category/archives-du-ccme/medias-et-migration/": 53,
    "/category/archives-du-ccme/actualites-archives-du-ccme/": 54,
}


def term_id(path: str) -> int:
    return _KNOWN_TERMS.get(path) or 100 + crc32(path.encode()) % 9000


def term_slug(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def text_html(text: str) -> str:
    return escape(text, quote=False).replace("\n", "<br />\n")


def attr(text: str) -> str:
    return escape(text, quote=True)


def href_path(path: str) -> str:
    """WordPress writes percent-escapes of non-ASCII slugs in lower case."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), path)


def url_component(text: str) -> str:
    return quote(text, safe="")


def word_count(text: str) -> int:
    return len(text.split())


def excerpt(article: MirrorArticle, words: int = 55) -> str:
    tokens = article.body.split()
    text = " ".join(tokens[:words])
    return text + ("…" if len(tokens) > words else "")


def number_label(n: int, language: str) -> str:
    """``number_format_i18n``: "1&nbsp;800" in French (U+00A0), "1,800" otherwise."""
    text = f"{n:,}"
    return (
        escape(text.replace(",", "\u00a0")).replace("\u00a0", "&nbsp;")
        if language == "fr"
        else text
    )


def _breadcrumbs(origin: str, trail: list[tuple[str, str]], current: str | None) -> str:
    parts = [f'<span><a href="{origin}/"><span>Home</span></a></span>']
    for label, path in trail:
        parts.append(
            f'<span><a href="{origin}{href_path(path)}"><span>{text_html(label)}</span></a></span>'
        )
    if current is not None:
        parts.append(f'<span class="current">{text_html(current)}</span>')
    inner = '<span class="delim">&raquo;</span>'.join(parts)
    return (
        '<nav class="breadcrumbs is-full-width breadcrumbs-a" id="breadcrumb">'
        f'<div class="inner ts-contain ">{inner}</div></nav>'
    )


def _category_trail(category: MirrorCategory) -> list[tuple[str, str]]:
    trail = []
    if category.parent_label and category.parent_path:
        trail.append((category.parent_label, category.parent_path))
    return trail


def _site_graph(origin: str, lang: Lang) -> list[dict[str, object]]:
    org_name = "Conseil de la communauté marocaine à l’étranger"
    return [
        {
            "@type": "WebSite",
            "@id": f"{origin}/#website",
            "url": f"{origin}/",
            "name": lang.site_name,
            "description": "",
            "publisher": {"@id": f"{origin}/#organization"},
            "potentialAction": [
                {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": f"{origin}/?s={{search_term_string}}",
                    },
                    "query-input": "required name=search_term_string",
                }
            ],
            "inLanguage": lang.html_lang,
        },
        {
            "@type": "Organization",
            "@id": f"{origin}/#organization",
            "name": org_name,
            "url": f"{origin}/",
            "logo": {
                "@type": "ImageObject",
                "inLanguage": lang.html_lang,
                "@id": f"{origin}/#/schema/logo/image/",
                "url": f"{origin}/wp-content/uploads/2023/10/logo-ccme.png",
                "contentUrl": f"{origin}/wp-content/uploads/2023/10/logo-ccme.png",
                "width": 520,
                "height": 120,
                "caption": org_name,
            },
            "image": {"@id": f"{origin}/#/schema/logo/image/"},
            "sameAs": [
                "https://www.facebook.com/CCMEMaroc",
                "https://twitter.com/CCME_Maroc",
                "https://www.instagram.com/ccme_maroc/",
                "https://www.youtube.com/@CCMEMaroc",
                "https://www.linkedin.com/company/ccme-maroc/",
            ],
        },
    ]


def _jsonld(graph: list[dict[str, object]]) -> str:
    # Yoast escapes non-ASCII characters as \uXXXX and leaves slashes alone.
    text = json.dumps(
        {"@context": "https://schema.org", "@graph": graph},
        ensure_ascii=True,
        separators=(",", ":"),
    )
    return text.replace("</", "<\\/")


def _breadcrumb_list(
    origin: str, page_url: str, trail: list[tuple[str, str | None]]
) -> dict[str, object]:
    items: list[dict[str, object]] = [
        {"@type": "ListItem", "position": 1, "name": "Accueil", "item": f"{origin}/"}
    ]
    for i, (name, path) in enumerate(trail, start=2):
        item: dict[str, object] = {"@type": "ListItem", "position": i, "name": name}
        if path is not None:
            item["item"] = origin + path
        items.append(item)
    return {"@type": "BreadcrumbList", "@id": f"{page_url}#breadcrumb", "itemListElement": items}


def _common(origin: str, lang: Lang) -> dict[str, str]:
    return {
        "origin": origin,
        "origin_js": origin.replace("/", "\\/"),
        "site_name": attr(lang.site_name),
        "html_lang": lang.html_lang,
        "html_dir": lang.html_dir,
        "og_locale": lang.og_locale,
        "footer_css": _footer_css(lang),
        "is_rtl": "true" if lang.code == "ar" else "false",
        "hreflang": "",
    }


# -- navigation -----------------------------------------------------------------------------


def homes_switcher(language: str, *, translated: bool) -> list[SwitcherLink]:
    """The switcher's links to the other languages' homes."""
    return [
        SwitcherLink(other, "/" if other == "fr" else f"/{other}/", translated)
        for other in POLYLANG
        if other != language
    ]


def _chrome(
    site: MirrorSite | None,
    language: str,
    origin: str,
    current: dict[str, str],
    switcher: list[SwitcherLink] | None = None,
) -> dict[str, str]:
    """Menus and language switcher of a page. The legacy mirror prints the reference's: the
    French menus and a French switcher whose links all go to the homes (no translation)."""
    if site is None or not site.variant.wordpress:
        menus = site.menus_for("fr") if site is not None else legacy_menus()
        return chrome_values(menus, "fr", homes_switcher("fr", translated=False), origin, current)
    links = switcher if switcher is not None else homes_switcher(language, translated=False)
    return chrome_values(site.menus_for(language), language, links, origin, current)


def hreflang_links(origin: str, links: list[SwitcherLink], own: tuple[str, str]) -> str:
    """Polylang's ``<link rel="alternate" hreflang>`` for a page that has translations."""
    found = [own, *((link.language, link.path) for link in links if link.translated)]
    if len(found) < 2:
        return ""
    order = list(POLYLANG)
    return "".join(
        f'<link rel="alternate" href="{origin}{href_path(path)}" hreflang="{language}" />\n'
        for language, path in sorted(found, key=lambda f: order.index(f[0]))
    )


def author_meta(site: MirrorSite, article: MirrorArticle, origin: str) -> str:
    """SmartMag's "By <author>" post meta (``a[rel=author]``)."""
    href = origin + author_path(article.author, article.language)
    name = text_html(article.author)
    return (
        '<span class="meta-item post-author"><span class="by">By</span> '
        f'<a href="{href}" title="Posts by {attr(article.author)}" rel="author">{name}</a></span>'
    )


def _body_extra(lang: Lang) -> str:
    return " rtl" if lang.code == "ar" else ""


_BODY_TAIL = "wp-embed-responsive right-sidebar{post} has-lb has-lb-sm ts-img-hov-fade has-sb-sep layout-normal elementor-default elementor-kit-6"


# -- closing lines --------------------------------------------------------------------------

_SOURCE_LABELS = {"fr": ("Source", " : "), "ar": ("المصدر", ": "), "en": ("Source", ": ")}


def closing_lines(article: MirrorArticle) -> list[str]:
    """The ``<p>`` blocks after the body: the source's date and the "Source : X" line."""
    style = article.source_line_style
    label, sep = _SOURCE_LABELS.get(article.language, _SOURCE_LABELS["fr"])
    if style == "colon":
        sep = ": "
    date_line = None
    if article.source_date:
        d = date.fromisoformat(article.source_date[:10])
        date_line = escape(
            source_date_text(d, article.language, style, article.post_id), quote=False
        )
    source_line = None
    if article.source:
        name = escape(article.source, quote=False)
        if style == "bold":
            source_line = f"<strong>{label}</strong>{sep}{name}"
        else:
            source_line = f"{label}{sep}{name}"
    if style == "br" and date_line and source_line:
        return [f"<p>{date_line}<br />\n{source_line}</p>"]
    return [f"<p>{line}</p>" for line in (date_line, source_line) if line]


def content_html(article: MirrorArticle, closing: list[str] | None = None, origin: str = "") -> str:
    blocks = [f"<p>{text_html(p)}</p>" for p in article.paragraphs]
    if has_photo(article):
        # A photo in the text after the first paragraph, as the block editor writes it.
        blocks.insert(min(1, len(blocks)), photo_in_text_html(article, origin))
    return "\n".join(blocks + (closing_lines(article) if closing is None else closing))


# An empty SVG the size of the image: SmartMag's placeholder until the lazy loader swaps it.
_LAZY_PLACEHOLDER = (
    "data:image/svg+xml;base64,PHN2ZyB2aWV3Qm94PScwIDAgNzY4IDUxMicgeG1sbnM9J2h0dHA6Ly93d3cudzMub3Jn"
    "LzIwMDAvc3ZnJz48L3N2Zz4="
)


def _srcset(origin: str, paths: list[str]) -> str:
    return ", ".join(
        f"{origin}{path} {width}w" for path, (width, _) in zip(paths, PHOTO_SIZES, strict=True)
    )


def featured_html(article: MirrorArticle, origin: str) -> str:
    """SmartMag's featured image of a post with a photo: lazy (``data-src``/``data-srcset``).
    The photos carry no alt text (as most uploads on the site), so the title appears no more
    often than on a page without a photo."""
    if not has_photo(article):
        return ""
    paths = photo_paths(article)
    return (
        f'\n<div class="featured"><a href="{origin}{paths[-1]}" class="image-link media-ratio '
        f'ratio-3-2"><img width="768" height="512" src="{_LAZY_PLACEHOLDER}" '
        f'class="attachment-bunyad-main size-bunyad-main lazyload wp-post-image" alt="" '
        f'sizes="(max-width: 768px) 100vw, 768px" decoding="async" '
        f'data-srcset="{_srcset(origin, paths)}" data-src="{origin}{paths[1]}" /></a></div>'
    )


def photo_in_text_html(article: MirrorArticle, origin: str) -> str:
    paths = photo_paths(article, second=True)
    return (
        f'<figure class="wp-block-image size-large"><img decoding="async" width="768" '
        f'height="512" src="{origin}{paths[1]}" alt="" class="wp-image-{article.post_id + 1}" '
        f'srcset="{_srcset(origin, paths)}" sizes="(max-width: 768px) 100vw, 768px" /></figure>'
    )


# -- pages ----------------------------------------------------------------------------------


_GRAVATAR = "https://secure.gravatar.com/avatar/3f1b2c4d5e6f708192a3b4c5d6e7f809?s=96&d=mm&r=g"


def _rank_math_json(graph: list[dict[str, object]]) -> str:
    # Rank Math prints UTF-8 and unescaped slashes (JSON_UNESCAPED_UNICODE | _SLASHES).
    text = json.dumps(
        {"@context": "https://schema.org", "@graph": graph},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return text.replace("</", "<\\/")


def _rank_math_site(origin: str, lang: Lang) -> list[dict[str, object]]:
    return [
        {
            "@type": "Organization",
            "@id": f"{origin}/#organization",
            "name": "Conseil de la communauté marocaine à l’étranger",
            "logo": {
                "@type": "ImageObject",
                "@id": f"{origin}/#logo",
                "url": f"{origin}/wp-content/uploads/2023/10/logo-ccme.png",
            },
        },
        {
            "@type": "WebSite",
            "@id": f"{origin}/#website",
            "url": origin,
            "name": lang.site_name,
            "publisher": {"@id": f"{origin}/#organization"},
            "inLanguage": lang.html_lang,
        },
    ]


def _rank_math_article(
    site: MirrorSite,
    article: MirrorArticle,
    origin: str,
    url: str,
    title_full: str,
    description: str,
    words: int,
) -> list[dict[str, object]]:
    """Rank Math's graph for a post: a ``BlogPosting`` whose dates are local time with their
    offset and whose headline is the SEO title (with the site name)."""
    lang = lang_of(article.language)
    author_url = origin + author_path(article.author, article.language)
    modified = article.modified_at or article.published_at
    cat = article.category
    crumbs: list[dict[str, object]] = [
        {"@type": "ListItem", "position": "1", "item": {"@id": origin, "name": "Accueil"}}
    ]
    for i, (name, path) in enumerate([*_category_trail(cat), (cat.label, cat.path)], start=2):
        crumbs.append(
            {"@type": "ListItem", "position": str(i), "item": {"@id": origin + path, "name": name}}
        )
    return [
        *_rank_math_site(origin, lang),
        {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": crumbs},
        {
            "@type": "WebPage",
            "@id": f"{url}#webpage",
            "url": url,
            "name": title_full,
            "datePublished": article.published_at,
            "dateModified": modified,
            "isPartOf": {"@id": f"{origin}/#website"},
            "inLanguage": lang.html_lang,
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
        },
        {
            "@type": "Person",
            "@id": author_url,
            "name": article.author,
            "url": author_url,
            "worksFor": {"@id": f"{origin}/#organization"},
        },
        {
            "@type": "BlogPosting",
            "headline": title_full,
            "datePublished": article.published_at,
            "dateModified": modified,
            "articleSection": ", ".join(c.label for c in article.categories),
            "author": {"@id": author_url, "name": article.author},
            "publisher": {"@id": f"{origin}/#organization"},
            "description": description,
            "name": title_full,
            "wordCount": words,
            "@id": f"{url}#richSnippet",
            "isPartOf": {"@id": f"{url}#webpage"},
            "inLanguage": lang.html_lang,
            "mainEntityOfPage": {"@id": f"{url}#webpage"},
        },
    ]


def render_article(site: MirrorSite, article: MirrorArticle, origin: str) -> str:
    origin = origin.rstrip("/")
    lang = lang_of(article.language)
    cat = article.category
    url = origin + href_path(article.slug_path)
    published = parse_iso(article.published_at)
    modified = article.modified_at or article.published_at
    body = article.body
    closing = closing_lines(article)
    # Yoast counts every word of the content, the closing date/source lines included.
    words = word_count(body) + sum(word_count(re.sub(r"<[^>]+>", " ", line)) for line in closing)
    title_full = f"{article.title} - {lang.site_name}"
    first = article.paragraphs[0].replace("\n", " ") if article.paragraphs else ""
    person = f"{origin}/#/schema/person/7c5b1f0e3a2d4e8f9b6a1c2d3e4f5a6b"
    # Polylang gives each language its author archive; the legacy mirror links the French one.
    author_url = origin + (
        author_path(article.author, article.language)
        if site.variant.wordpress
        else "/author/rajae-moumengmail-com/"
    )
    trail = _category_trail(cat)
    graph: list[dict[str, object]] = [
        {
            "@type": "NewsArticle",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "author": {"name": article.author, "@id": person},
            "headline": article.title,
            "datePublished": gmt(article.published_at),
            "dateModified": gmt(modified),
            "mainEntityOfPage": {"@id": url},
            "wordCount": words,
            "publisher": {"@id": f"{origin}/#organization"},
            "articleSection": [c.label for c in article.categories],
            "inLanguage": lang.html_lang,
        },
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": title_full,
            "isPartOf": {"@id": f"{origin}/#website"},
            "datePublished": gmt(article.published_at),
            "dateModified": gmt(modified),
            "author": {"@id": person},
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": lang.html_lang,
            "potentialAction": [{"@type": "ReadAction", "target": [url]}],
        },
        _breadcrumb_list(origin, url, [*trail, (cat.label, cat.path), (article.title, None)]),
        *_site_graph(origin, lang),
        {
            "@type": "Person",
            "@id": person,
            "name": article.author,
            "image": {
                "@type": "ImageObject",
                "inLanguage": lang.html_lang,
                "@id": f"{origin}/#/schema/person/image/",
                "url": _GRAVATAR,
                "contentUrl": _GRAVATAR,
                "caption": article.author,
            },
            "url": author_url,
        },
    ]
    related = site.newest(cat.path, 6, exclude=article.post_id)
    related_tpl = template("related_item.html")
    related_html = "\t\t\t\t\t\n".join(
        related_tpl.render(
            {
                "url": origin + href_path(r.slug_path),
                "title": text_html(r.title),
                "datetime": r.published_at,
                "date_text": long_date(parse_iso(r.published_at).date(), r.language, r.post_id),
            }
        )
        for r in related
    )
    minutes = max(1, round(words / 200))
    reading = {
        "fr": f"{minutes} minute{'s' if minutes > 1 else ''}",
        "en": f"{minutes} minute{'s' if minutes > 1 else ''}",
    }.get(lang.code, f"{minutes} دقائق")
    cat_classes = " ".join(f"category-{term_slug(c.path)}" for c in article.categories)
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(title_full),
            "canonical": url,
            "description": attr(first),
            "published_gmt": gmt(article.published_at),
            "modified_gmt": gmt(modified),
            "author": attr(article.author),
            "reading_time": reading,
            "jsonld": _jsonld(graph),
            "post_id": str(article.post_id),
            "url": url,
            "url_enc": url_component(unquote(url)),
            "title_enc": url_component(article.title),
            "body_class": (
                f"post-template-default single single-post postid-{article.post_id} single-format-standard"
                f"{_body_extra(lang)} "
                + _BODY_TAIL.format(post=f" post-layout-modern post-cat-{term_id(cat.path)}")
            ),
            "breadcrumbs": _breadcrumbs(origin, [*trail, (cat.label, cat.path)], None),
            "title": text_html(article.title),
            "cat_url": origin + href_path(cat.path),
            "cat_label": text_html(cat.label),
            "term_id": str(term_id(cat.path)),
            "datetime": article.published_at,
            "date_text": long_date(published.date(), article.language, article.post_id),
            "article_class": f"post-{article.post_id} post type-post status-publish format-standard {cat_classes}",
            "content": content_html(article, closing, origin),
            "featured": featured_html(article, origin),
            "related": related_html,
        }
    )
    current: dict[str, str] = {}
    for c in article.categories:
        current[c.path] = " current-post-ancestor current-menu-parent current-post-parent"
        if c.parent_path:
            current[c.parent_path] = (
                " current-post-ancestor current-menu-ancestor current-menu-parent current-post-parent"
            )
    values.update(_chrome(site, article.language, origin, current))
    variant = site.variant
    if variant.author_links:
        values["author_meta"] = author_meta(site, article, origin)
    if variant.jsonld == "rankmath":
        values["published_at"] = article.published_at
        values["modified_at"] = article.modified_at or article.published_at
        values["jsonld"] = _rank_math_json(
            _rank_math_article(site, article, origin, url, title_full, first, words)
        )
    return page_template(site, "article.html").render(values)


def listing_url(origin: str, category: MirrorCategory, page: int) -> str:
    base = origin + href_path(category.path)
    return base if page <= 1 else f"{base}page/{page}/"


_QUIRKS = ("«", "%C2%AB", "?amp=1", "?utm_source=facebook&utm_medium=social", "#respond", "noslash")


def quirk_of(article: MirrorArticle) -> str | None:
    """The URL variant a listing links this article with (about one in three), deterministic."""
    index = (article.post_id * 7919) % 17
    return _QUIRKS[index] if index < len(_QUIRKS) else None


def listing_href(site: MirrorSite, article: MirrorArticle, origin: str) -> str:
    if site.variant.shortlink_links and article.post_id % 5 == 2:
        # Polylang shortlinks: /?p=ID, /en/?p=ID (WordPress answers 301 to the permalink).
        prefix = "" if article.language == "fr" else f"/{article.language}"
        return f"{origin}{prefix}/?p={article.post_id}"
    url = origin + href_path(article.slug_path)
    quirk = quirk_of(article) if site.link_quirks else None
    if quirk is None:
        return url
    if quirk == "noslash":
        return url.rstrip("/")
    return url + quirk


def pagination_html(origin: str, category: MirrorCategory, current: int, total: int) -> str:
    """``paginate_links()`` as SmartMag prints it (mid_size 2, end_size 1)."""
    if total <= 1:
        return ""
    lines = []
    if current > 1:
        lines.append(
            f'<a class="prev page-numbers" href="{listing_url(origin, category, current - 1)}">'
            '<i class="tsi tsi-angle-left"></i><span class="visuallyhidden">Previous</span></a>'
        )
    dots = False
    for n in range(1, total + 1):
        label = number_label(n, category.language)
        if n == current:
            lines.append(f'<span aria-current="page" class="page-numbers current">{label}</span>')
            dots = True
        elif n <= 1 or current - 2 <= n <= current + 2 or n > total - 1:
            lines.append(
                f'<a class="page-numbers" href="{listing_url(origin, category, n)}">{label}</a>'
            )
            dots = True
        elif dots:
            lines.append('<span class="page-numbers dots">&hellip;</span>')
            dots = False
    if current < total:
        lines.append(
            f'<a class="next page-numbers" href="{listing_url(origin, category, current + 1)}">'
            '<span class="visuallyhidden">Next</span><i class="tsi tsi-angle-right"></i></a>'
        )
    return (
        '<nav class="main-pagination pagination-numbers" data-type="numbers">\n\t\t'
        + "\n".join(lines)
        + "\t</nav>"
    )


# WordPress core's archive titles (get_the_archive_title), as the site's locales print them.
_CORE_HEADINGS = {
    ("category", "fr"): "Catégorie : ",
    ("category", "ar"): "التصنيف: ",
    ("category", "en"): "Category: ",
    ("author", "fr"): "Auteur/autrice : ",
    ("author", "ar"): "الكاتب: ",
    ("author", "en"): "Author: ",
}


def archive_heading(site: MirrorSite, listing: MirrorCategory) -> str:
    """``h1.archive-heading``: the theme's "Browsing: X", or core's wording (author archives
    always: the stored copies of the site show it)."""
    if listing.kind == "category" and site.variant.headings == "theme":
        return f"Browsing: <span>{text_html(listing.label)}</span>"
    prefix = _CORE_HEADINGS[(listing.kind, listing.language if listing.language in LANGS else "fr")]
    return f"{prefix}<span>{text_html(listing.label)}</span>"


def _listing_title(category: MirrorCategory, page: int, total: int, lang: Lang) -> str:
    if category.kind == "author":
        base = {
            "ar": f"{category.label}، كاتب في",
            "en": f"{category.label}, Author at",
        }.get(lang.code, f"{category.label}, auteur/autrice sur")
        base += f" {lang.site_name}"
        paged = {"ar": f" - الصفحة {page}", "en": f" - Page {page} of {total}"}.get(
            lang.code, f" - Page {page} sur {total}"
        )
        return base + (paged if page > 1 else "")
    if lang.code == "ar":
        base, paged = f"أرشيف {category.label}", f" - الصفحة {page} من {total}"
    elif lang.code == "en":
        base, paged = f"{category.label} Archives", f" - Page {page} of {total}"
    else:
        base, paged = (
            f"Archives des {category.label}",
            f" - Page {page} sur {number_label(total, 'fr').replace('&nbsp;', chr(160))}",
        )
    return base + (paged if page > 1 else "") + f" - {lang.site_name}"


def listing_items(site: MirrorSite, articles: list[MirrorArticle], origin: str) -> str:
    """The ``article.l-post`` items of a listing or a home page."""
    item_tpl = page_template(site, "listing_item.html")
    rendered = []
    for a in articles:
        values = {
            "cat_url": origin + href_path(a.category.path),
            "term_id": str(term_id(a.category.path)),
            "cat_label": text_html(a.category.label),
            "href": attr(listing_href(site, a, origin)),
            "title": text_html(a.title),
            "datetime": a.published_at,
            "date_text": long_date(parse_iso(a.published_at).date(), a.language, a.post_id),
            "excerpt": text_html(excerpt(a).replace("\n", " ")),
            "read_more": lang_of(a.language).read_more,
        }
        if site.variant.author_links:
            values["author_meta"] = author_meta(site, a, origin)
        rendered.append(item_tpl.render(values))
    return "\t\t\t\t\t\n".join(rendered)


def listing_switcher(site: MirrorSite, listing: MirrorCategory) -> list[SwitcherLink]:
    """A listing's switcher: its translations (a category's Polylang translation, the same
    author's archive in the other language), else the other languages' homes."""
    links = []
    for other in POLYLANG:
        if other == listing.language:
            continue
        target: MirrorCategory | None
        if listing.kind == "author":
            target = site.archive_listing(author_path(listing.label, other))
        else:
            target = site.translation(listing, other)
        if target is not None:
            links.append(SwitcherLink(other, target.path, True))
        else:
            links.append(SwitcherLink(other, "/" if other == "fr" else f"/{other}/", False))
    return links


def render_listing(site: MirrorSite, category: MirrorCategory, page: int, origin: str) -> str:
    """Page ``page`` of a category or author archive."""
    origin = origin.rstrip("/")
    items = site.listing(category.path, page)
    if items is None:
        raise ValueError(f"no page {page} in {category.path}")
    total = site.last_page(category.path)
    lang = lang_of(category.language)
    url = listing_url(origin, category, page)
    title_full = _listing_title(category, page, total, lang)
    trail = _category_trail(category)
    rel = []
    if page > 1:
        rel.append(f'\t<link rel="prev" href="{listing_url(origin, category, page - 1)}" />\n')
    if page < total:
        rel.append(f'\t<link rel="next" href="{listing_url(origin, category, page + 1)}" />\n')
    author = category.kind == "author"
    page_type = "ProfilePage" if author else "CollectionPage"
    graph: list[dict[str, object]] = [
        {
            "@type": page_type,
            "@id": url,
            "url": url,
            "name": title_full,
            "isPartOf": {"@id": f"{origin}/#website"},
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": lang.html_lang,
        },
        _breadcrumb_list(origin, url, [*trail, (category.label, None)]),
        *_site_graph(origin, lang),
    ]
    if site.variant.jsonld == "rankmath":
        graph = [*_rank_math_site(origin, lang), {**graph[0], "@id": f"{url}#webpage"}]
    paged = f" paged paged-{page} category-paged-{page}" if page > 1 else ""
    if author:
        nicename = term_slug(category.path)
        body = f"archive author author-{nicename} author-1{paged.replace('category-', 'author-')}"
    else:
        body = (
            f"archive category category-{term_slug(category.path)} "
            f"category-{term_id(category.path)}{paged}"
        )
    pagination = pagination_html(origin, category, page, total)
    if site.variant.markup == "redesigned":
        pagination = pagination.replace("main-pagination pagination-numbers", "story-pages")
    switcher = listing_switcher(site, category) if site.variant.wordpress else None
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(title_full),
            "canonical": url,
            "rel_links": "".join(rel),
            "jsonld": _rank_math_json(graph)
            if site.variant.jsonld == "rankmath"
            else _jsonld(graph),
            "cat_label": text_html(category.label),
            "cat_url": origin + href_path(category.path),
            "term_id": str(term_id(category.path)),
            "body_class": f"{body}{_body_extra(lang)} " + _BODY_TAIL.format(post=""),
            "breadcrumbs": _breadcrumbs(
                origin, trail, category.label if not author else _author_crumb(category)
            ),
            "heading": archive_heading(site, category),
            "items": listing_items(site, items, origin),
            "pagination": pagination,
        }
    )
    if switcher is not None and page == 1:
        values["hreflang"] = hreflang_links(origin, switcher, (category.language, category.path))
    current = {category.path: " current-menu-item"}
    if category.parent_path:
        current[category.parent_path] = (
            " current-menu-ancestor current-menu-parent current-category-parent"
        )
    values.update(_chrome(site, category.language, origin, current, switcher))
    return page_template(site, "listing.html").render(values)


def _author_crumb(listing: MirrorCategory) -> str:
    prefix = _CORE_HEADINGS[("author", listing.language if listing.language in LANGS else "fr")]
    return prefix + listing.label


def _not_found_page(site: MirrorSite | None, origin: str, lang: Lang) -> tuple[Template, dict]:
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(f"Page non trouvée - {lang.site_name}"),
            "jsonld": _jsonld(_site_graph(origin, lang)),
            "body_class": "error404 " + _BODY_TAIL.format(post=""),
            "breadcrumbs": _breadcrumbs(origin, [], "Error 404"),
        }
    )
    if site is not None and site.variant.jsonld == "rankmath":
        values["jsonld"] = _rank_math_json(_rank_math_site(origin, lang))
    values.update(_chrome(site, lang.code, origin, {}))
    return page_template(site, "error404.html"), values


def render_404(origin: str, site: MirrorSite | None = None) -> str:
    origin = origin.rstrip("/")
    tpl, values = _not_found_page(site, origin, LANGS["fr"])
    return tpl.render(values)


_NOT_FOUND_START = '<div class="the-post the-page page-404 cf">'
_NOT_FOUND_END = "</div> <!-- .ts-row -->"


def render_home(site: MirrorSite, language: str, origin: str) -> str:
    """A language's home page (``/``, ``/ar/``, ``/en/``): the site's chrome (its menus in that
    language, a switcher linking the other homes) around its newest posts."""
    origin = origin.rstrip("/")
    lang = lang_of(language)
    newest = site.newest_in_language(language, site.per_page)
    tpl, values = _not_found_page(site, origin, lang)
    switcher = homes_switcher(language, translated=True)
    home_path = "/" if language == "fr" else f"/{language}/"
    values.update(
        {
            "title_full": attr(lang.site_name),
            "body_class": f"home blog{_body_extra(lang)} " + _BODY_TAIL.format(post=""),
            "breadcrumbs": "",
        }
    )
    if site.variant.wordpress:
        values.update(_chrome(site, language, origin, {}, switcher))
        values["hreflang"] = hreflang_links(origin, switcher, (language, home_path))
    page = tpl.render(values)
    # The error template's chrome, with the newest posts where the "not found" block was.
    start = page.index(_NOT_FOUND_START)
    end = page.index(_NOT_FOUND_END)
    block = (
        '<section class="block-wrap block-posts-list"><div class="block-content">'
        '<div class="loop loop-list loop-sep loop-list-sep grid grid-1">'
        f"{listing_items(site, newest, origin)}</div></div></section>\n\t\t</div>\n\t"
    )
    return page[:start] + block + page[end:]


def http_date(value: str) -> str:
    """An ISO date as an HTTP date (``Last-Modified``)."""
    moment = parse_iso(value).astimezone(UTC)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
