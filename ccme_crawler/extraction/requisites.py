"""Page requisites: the URLs a browser fetches to render a page (stylesheets, scripts, images,
icons, and what stylesheets import or reference).

Pure functions: HTML or CSS text and the URL it came from in, absolute URLs out (document order,
each once, fragment dropped). Only ``http``/``https`` URLs are returned: ``data:`` URIs and
other schemes need no fetching. Nothing here decides what to fetch; see
``ccme_crawler.warc.requisites``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

# link rel tokens that name something the page needs to render.
_LINK_RELS = frozenset(
    {
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "modulepreload",
    }
)
# <link rel=preload as=…> of these kinds is fetched by the browser anyway.
_PRELOAD_KINDS = frozenset({"style", "script", "font", "image"})
# Lazy-loading scripts (SmartMag, lazysizes, WP Rocket, a3 Lazy Load) keep the real image here.
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original")
_LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")

_REQUISITE_ELEMENTS = etree.XPath(
    "//link[@href] | //script[@src] | //img | //source | //input[@type='image'][@src]"
    " | //video[@poster] | //style | //*[@style] | //base[@href]"
)

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# @import "x.css";  @import url(x.css);  url(x.png)  url("x.png")  url('x.png')
_CSS_REFERENCE = re.compile(
    r"""@import\s+(?:url\(\s*)?(?P<q1>["'])(?P<import>.*?)(?P=q1)"""
    r"""|@import\s+url\(\s*(?P<import_bare>[^)"'\s]+)\s*\)"""
    r"""|url\(\s*(?P<q2>["'])(?P<quoted>.*?)(?P=q2)\s*\)"""
    r"""|url\(\s*(?P<bare>[^)"'\s]+)\s*\)""",
    re.IGNORECASE | re.DOTALL,
)


def _absolute(base: str, value: str | None) -> str | None:
    """The fetchable URL a reference names, or None (empty, ``data:``, fragment-only, …)."""
    if not value:
        return None
    value = value.strip()
    if not value or value.startswith("#"):
        return None
    url = urldefrag(urljoin(base, value))[0]
    return url if url.split(":", 1)[0].lower() in ("http", "https") else None


def _srcset_candidates(srcset: str) -> Iterator[tuple[str, str]]:
    """(URL, descriptor) pairs of a ``srcset``, split as the HTML standard says: a URL is a run
    of non-space characters (trailing commas end it), its descriptor runs to the next comma."""
    pos, end = 0, len(srcset)
    while True:
        while pos < end and (srcset[pos].isspace() or srcset[pos] == ","):
            pos += 1
        if pos >= end:
            return
        start = pos
        while pos < end and not srcset[pos].isspace():
            pos += 1
        url = srcset[start:pos]
        if url.endswith(","):
            yield url.rstrip(","), ""
            continue
        start = pos
        depth = 0
        while pos < end and (srcset[pos] != "," or depth):
            depth += {"(": 1, ")": -1}.get(srcset[pos], 0)
            pos += 1
        yield url, srcset[start:pos].strip()


def largest_srcset_candidate(srcset: str | None) -> str | None:
    """The URL of the widest (``w``) or densest (``x``) candidate of a ``srcset``; on a tie, the
    first. A candidate without a descriptor counts as ``1x``; one with a descriptor this does not
    understand is skipped."""
    if not srcset:
        return None
    best: tuple[float, str] | None = None
    for url, descriptor in _srcset_candidates(srcset):
        size = 1.0
        token = descriptor.lower().split()[0] if descriptor.split() else ""
        if token:
            try:
                size = float(token[:-1]) if token[-1:] in ("w", "x") else float("nan")
            except ValueError:
                continue
            if size != size:  # NaN: neither a width nor a density
                continue
        if best is None or size > best[0]:
            best = (size, url)
    return best[1] if best else None


def css_requisites(css_text: str, url: str) -> list[str]:
    """URLs a stylesheet (or a ``<style>`` block, or a ``style`` attribute) imports or
    references with ``url()``: other stylesheets, fonts, background images. Relative URLs are
    resolved against ``url``, the stylesheet's own URL."""
    return _unique(_css_urls(css_text, url))


def _css_urls(css_text: str, base: str) -> Iterator[str]:
    for match in _CSS_REFERENCE.finditer(_CSS_COMMENT.sub(" ", css_text or "")):
        value = next(
            match.group(name)
            for name in ("import", "import_bare", "quoted", "bare")
            if match.group(name) is not None
        )
        found = _absolute(base, value.replace("\\", ""))
        if found:
            yield found


def page_requisites(html_text: str | bytes, url: str) -> list[str]:
    """What an HTML page needs to render: stylesheets, icons, scripts, images (``src``, the
    largest ``srcset`` candidate, lazy ``data-src``/``data-srcset``), ``<picture>`` sources,
    video posters, and the URLs inline CSS references. ``<base href>`` is honoured."""
    if not html_text or not html_text.strip():
        return []
    try:
        tree = html.fromstring(html_text)
    except (etree.ParserError, ValueError):
        return []
    return _unique(_page_urls(tree, url))


def _page_urls(tree: etree._Element, url: str) -> Iterator[str]:
    base = url
    for el in _REQUISITE_ELEMENTS(tree):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "base":
            # Only the first <base> counts, and it must come before the URLs it applies to.
            if base == url:
                base = urljoin(url, el.get("href", "").strip())
            continue
        style = el.get("style")
        if style:
            yield from _css_urls(style, base)
        if tag == "style":
            yield from _css_urls(el.text or "", base)
        elif tag == "link":
            rels = set((el.get("rel") or "").lower().split())
            wanted = rels & _LINK_RELS or (
                "preload" in rels and (el.get("as") or "").lower() in _PRELOAD_KINDS
            )
            if wanted:
                yield from _present(base, [el.get("href")])
        elif tag == "script":
            yield from _present(base, [el.get("src")])
        elif tag in ("img", "source"):
            yield from _present(
                base,
                [
                    el.get("src"),
                    largest_srcset_candidate(el.get("srcset")),
                    *(el.get(name) for name in _LAZY_SRC),
                    *(largest_srcset_candidate(el.get(name)) for name in _LAZY_SRCSET),
                ],
            )
        elif tag == "input":
            yield from _present(base, [el.get("src")])
        elif tag == "video":
            yield from _present(base, [el.get("poster")])


def _present(base: str, values: Iterable[str | None]) -> Iterator[str]:
    for value in values:
        found = _absolute(base, value)
        if found:
            yield found


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


# Where WordPress keeps static files, and the extensions of the files pages reference: a post or
# listing URL is never under these folders and never ends so.
_STATIC_FOLDERS = ("/wp-content/", "/wp-includes/")
_STATIC_SUFFIXES = (
    ".css",
    ".js",
    ".mjs",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".avif",
    ".svg",
    ".ico",
    ".bmp",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",
    ".map",
)


def is_requisite_url(url: str) -> bool:
    """True for the URL of a static file (stylesheet, script, image, font, icon), which is
    captured as a page requisite and is never an article or listing page."""
    path = urlsplit(url).path.lower()
    return path.startswith(_STATIC_FOLDERS) or path.endswith(_STATIC_SUFFIXES)
