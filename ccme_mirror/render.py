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
from ccme_mirror.site import MirrorArticle, MirrorCategory, MirrorSite, parse_iso

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
    }


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
            "url": f"{origin}/author/rajae-moumengmail-com/",
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
    for c in article.categories:
        values[f"mc:{c.path}"] = " current-post-ancestor current-menu-parent current-post-parent"
        if c.parent_path:
            values[f"mc:{c.parent_path}"] = (
                " current-post-ancestor current-menu-ancestor current-menu-parent current-post-parent"
            )
    return template("article.html").render(values)


def listing_url(origin: str, category: MirrorCategory, page: int) -> str:
    base = origin + href_path(category.path)
    return base if page <= 1 else f"{base}page/{page}/"


_QUIRKS = ("«", "%C2%AB", "?amp=1", "?utm_source=facebook&utm_medium=social", "#respond", "noslash")


def quirk_of(article: MirrorArticle) -> str | None:
    """The URL variant a listing links this article with (about one in three), deterministic."""
    index = (article.post_id * 7919) % 17
    return _QUIRKS[index] if index < len(_QUIRKS) else None


def listing_href(site: MirrorSite, article: MirrorArticle, origin: str) -> str:
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


def _listing_title(category: MirrorCategory, page: int, total: int, lang: Lang) -> str:
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


def render_listing(site: MirrorSite, category: MirrorCategory, page: int, origin: str) -> str:
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
    item_tpl = template("listing_item.html")
    rendered = []
    for a in items:
        href = attr(listing_href(site, a, origin))
        rendered.append(
            item_tpl.render(
                {
                    "cat_url": origin + href_path(a.category.path),
                    "term_id": str(term_id(a.category.path)),
                    "cat_label": text_html(a.category.label),
                    "href": href,
                    "title": text_html(a.title),
                    "datetime": a.published_at,
                    "date_text": long_date(parse_iso(a.published_at).date(), a.language, a.post_id),
                    "excerpt": text_html(excerpt(a).replace("\n", " ")),
                    "read_more": lang_of(a.language).read_more,
                }
            )
        )
    graph: list[dict[str, object]] = [
        {
            "@type": "CollectionPage",
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
    paged = f" paged paged-{page} category-paged-{page}" if page > 1 else ""
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(title_full),
            "canonical": url,
            "rel_links": "".join(rel),
            "jsonld": _jsonld(graph),
            "cat_label": text_html(category.label),
            "cat_url": origin + href_path(category.path),
            "term_id": str(term_id(category.path)),
            "body_class": (
                f"archive category category-{term_slug(category.path)} category-{term_id(category.path)}"
                f"{paged}{_body_extra(lang)} " + _BODY_TAIL.format(post="")
            ),
            "breadcrumbs": _breadcrumbs(origin, trail, category.label),
            "items": "\t\t\t\t\t\n".join(rendered),
            "pagination": pagination_html(origin, category, page, total),
            f"mc:{category.path}": " current-menu-item",
        }
    )
    if category.parent_path:
        values[f"mc:{category.parent_path}"] = (
            " current-menu-ancestor current-menu-parent current-category-parent"
        )
    return template("listing.html").render(values)


def render_404(origin: str) -> str:
    origin = origin.rstrip("/")
    lang = LANGS["fr"]
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(f"Page non trouvée - {lang.site_name}"),
            "jsonld": _jsonld(_site_graph(origin, lang)),
            "body_class": "error404 " + _BODY_TAIL.format(post=""),
            "breadcrumbs": _breadcrumbs(origin, [], "Error 404"),
        }
    )
    return template("error404.html").render(values)


def render_home(site: MirrorSite, language: str, origin: str) -> str:
    """A language's home page (``/``, ``/ar/``, ``/en/``): the site's chrome (menus, language
    switcher) around links to the newest posts of that language. Discovery reads its menus."""
    origin = origin.rstrip("/")
    lang = lang_of(language)
    newest = [a for a in site.expected_articles() if a.language == language][: site.per_page]
    item_tpl = template("listing_item.html")
    items = "\t\t\t\t\t\n".join(
        item_tpl.render(
            {
                "cat_url": origin + href_path(a.category.path),
                "term_id": str(term_id(a.category.path)),
                "cat_label": text_html(a.category.label),
                "href": attr(origin + href_path(a.slug_path)),
                "title": text_html(a.title),
                "datetime": a.published_at,
                "date_text": long_date(parse_iso(a.published_at).date(), a.language, a.post_id),
                "excerpt": text_html(excerpt(a).replace("\n", " ")),
                "read_more": lang.read_more,
            }
        )
        for a in newest
    )
    values = _common(origin, lang)
    values.update(
        {
            "title_full": attr(lang.site_name),
            "jsonld": _jsonld(_site_graph(origin, lang)),
            "body_class": f"home blog{_body_extra(lang)} " + _BODY_TAIL.format(post=""),
            "breadcrumbs": "",
        }
    )
    page = template("error404.html").render(values)
    # The error template's chrome, with the newest posts where the "not found" block was.
    start = page.index('<div class="the-post the-page page-404 cf">')
    end = page.index("</div> <!-- .ts-row -->")
    block = (
        '<section class="block-wrap block-posts-list"><div class="block-content">'
        f'<div class="loop loop-list loop-sep loop-list-sep grid grid-1">{items}</div>'
        "</div></section>\n\t\t</div>\n\t"
    )
    return page[:start] + block + page[end:]


def http_date(value: str) -> str:
    """An ISO date as an HTTP date (``Last-Modified``)."""
    moment = parse_iso(value).astimezone(UTC)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
