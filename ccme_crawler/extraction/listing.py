"""Archive listing pages (category, author, tag): article links, pagination, the archive's label."""

from __future__ import annotations

import re

from parsel import Selector

from ccme_crawler.items import ListingItem, ListingPage
from ccme_crawler.urls import absolute, page_number_of

_ITEM_LINKS = (
    ".loop-list article.l-post h2.post-title a",
    "main article.l-post h2.post-title a",
    ".main-content article.l-post .post-title a",
)


# The heading of an archive: the theme's "Browsing: X", or WordPress core's get_the_archive_title()
# in the site's three languages ("Catégorie : X", "Auteur/autrice : X", "الكاتب: X", "Tag: X").
_HEADINGS = (
    "h1.archive-heading",
    ".archive-head h1",
    "h1.page-title",
    "h1.archive-title",
    "header.page-header h1",
)
_ARCHIVE_PREFIXES = {
    "category": ("catégorie", "categorie", "category", "التصنيف", "تصنيف", "القسم", "الفئة"),
    "author": ("auteur/autrice", "auteur", "autrice", "author", "الكاتب", "الكاتبة", "المؤلف"),
    "tag": ("étiquette", "etiquette", "mot-clé", "tag", "الوسم", "وسم"),
    None: ("browsing", "archives", "الأرشيف", "أرشيف"),
}
_PREFIX = re.compile(
    r"^\s*(?P<prefix>"
    + "|".join(
        re.escape(p) for words in _ARCHIVE_PREFIXES.values() for p in sorted(words, key=len)[::-1]
    )
    + r")\s*[:：]\s*(?P<label>.*)$",
    re.IGNORECASE,
)
_KIND_OF_PREFIX = {p: kind for kind, words in _ARCHIVE_PREFIXES.items() for p in words}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return text or None


def _join(base: str, href: str) -> str:
    """``href`` made absolute against ``base``; a link urljoin cannot read (``http://[…``) is
    kept as linked, for the caller to report (``records.listing_entries``: ``malformed_url``)."""
    try:
        return absolute(base, href)
    except ValueError:
        return href.strip()


def _page_number(url: str) -> int | None:
    try:
        return page_number_of(url)
    except ValueError:
        return None


# The cut of a listing page (listing_cut): what the queries below could find, or an ancestor
# they name, in the parts left out: tags (any case), ids and classes (matched as written, as
# the queries match them); and, before the kept part, what could swallow it (a comment, script
# or raw-text element left open). No regular expression of alternatives without a common first
# character: tried at every position of 50 KB, it costs more than the parse it saves.
_LEFT_OUT_TAGS = re.compile(
    r"<(?:h1|body|html|main|article)\b|<link\b[^>]*\brel=[\"']?next", re.IGNORECASE
)
_LEFT_OUT_NAMES = (
    "breadcrumb",
    "main-content",
    "main-pagination",
    "page-numbers",
    "loop-list",
    "l-post",
    "post-title",
    "archive-head",
    "page-header",
    "post-date",
)
_OPENS_RAW = re.compile(
    r"<(?:!--|script|style|textarea|xmp|plaintext|noembed|noframes|iframe|noscript|title"
    r"|template)",
    re.IGNORECASE,
)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def _matters(part: str) -> bool:
    return _LEFT_OUT_TAGS.search(part) is not None or any(n in part for n in _LEFT_OUT_NAMES)


def listing_cut(html: str) -> str | None:
    """The listing page reduced to everything up to ``<body …>``, then from the breadcrumb
    ``<nav>`` to the first ``<footer>``: the header's menus and the footers, two thirds of a
    page of the site, are left out. None when a part left out could change what
    :func:`extract_listing` finds; the whole page is parsed then."""
    body = _BODY.search(html)
    if body is None:
        return None
    crumb = html.find('id="breadcrumb"', body.end())
    nav = html.rfind("<nav", body.end(), crumb) if crumb >= 0 else -1
    footer = html.find("<footer", nav) if nav >= 0 else -1
    if footer < 0:
        return None
    before, after = html[body.end() : nav], html[footer:]
    if _matters(before) or _OPENS_RAW.search(before) or _matters(after):
        return None
    return html[: body.end()] + html[nav:footer] + "</body></html>"


def extract_listing(html: str, url: str, *, whole_page: bool = False) -> ListingPage:
    """Article links (in page order), next page and last page number of a listing page.

    Only the part :func:`listing_cut` keeps is parsed, unless ``whole_page`` (the same result,
    slower: tests compare the two). Never raises on what a page holds: a malformed link is kept as
    linked."""
    cut = None if whole_page else listing_cut(html)
    sel = Selector(text=cut or html or "<html></html>")
    content = sel.css(".main-content") or sel
    items: list[ListingItem] = []
    for css in _ITEM_LINKS:
        links = content.css(css)
        if links:
            break
    for link in links:
        href = link.attrib.get("href")
        if not href:
            continue
        post = link.xpath("ancestor::article[1]")
        items.append(
            ListingItem(
                url=_join(url, href),
                title=_clean(" ".join(link.css("::text").getall())),
                published_at=post.css("time.post-date::attr(datetime)").get(),
            )
        )
    next_href = (
        sel.css("nav.main-pagination a.next::attr(href)").get()
        or sel.css("link[rel=next]::attr(href)").get()
    )
    # The label of the last page reads "1 800" (French thousands separator): use the hrefs.
    numbers = [
        number
        for href in sel.css("nav.main-pagination a.page-numbers::attr(href)").getall()
        if (number := _page_number(_join(url, href))) is not None
    ]
    current = _page_number(url) or 1
    label, kind = _archive_heading(sel)
    return ListingPage(
        items=items,
        next_url=_join(url, next_href) if next_href else None,
        last_page=max([*numbers, current]) if items or numbers else None,
        page_number=current,
        category_label=label or _clean(sel.css("nav#breadcrumb span.current::text").get()),
        archive_kind=kind or _kind_of_body(sel),
        not_found="error404" in _body_classes(sel),
    )


def _archive_heading(sel: Selector) -> tuple[str | None, str | None]:
    """(label, kind) of the archive's heading; the kind only when the heading's words say it."""
    for css in _HEADINGS:
        heading = sel.css(css)
        if not heading:
            continue
        text = _clean(" ".join(heading[0].css("::text").getall()))
        if text is None:
            continue
        span = _clean(" ".join(heading[0].css("span::text").getall()))
        match = _PREFIX.match(text)
        if match is None:
            return span or text, None
        kind = _KIND_OF_PREFIX.get(match.group("prefix").casefold())
        return span or _clean(match.group("label")), kind
    return None, None


def _kind_of_body(sel: Selector) -> str | None:
    """WordPress's body classes name the archive: "archive category", "archive author", …"""
    classes = _body_classes(sel)
    for kind in ("category", "author", "tag"):
        if kind in classes:
            return kind
    return None


def _body_classes(sel: Selector) -> set[str]:
    return set((sel.css("body::attr(class)").get() or "").split())
