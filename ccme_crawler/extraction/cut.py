"""The part of a post page that extraction reads, cut out before parsing.

A page of the site is ~100 KB, of which the post is a sixth: head, breadcrumb, post header and
``<article id="post-N">``; menus, related posts, sidebar and footers are the rest. Parsing only
the post is four times cheaper. The cut is made only where it cannot change what extraction
reads: the theme's single-post layout is found, and the parts left out hold nothing any
whole-page query of the extraction could find (a heading, JSON-LD, another post header, a
canonical link, …) nor anything that could change how the kept part parses (an unclosed
comment, script or raw-text element before the post). Otherwise the whole page is parsed.

One difference is accepted: libxml2's complaints about markup in the parts left out (a stray
end tag in a footer) are not seen, so ``malformed_html`` describes the part that was parsed.
"""

from __future__ import annotations

import re

from .text import html_codec

# Codecs in which ASCII markup is ASCII bytes, one character per byte or UTF-8: the markers
# below are found in the bytes, and a slice at an ASCII '<' decodes to the same text.
_CUT_CODECS = re.compile(r"^(utf-8|ascii|latin-1|iso8859-\d+|cp125\d|cp874|koi8-[ru])$")
_BODY = re.compile(rb"<body\b[^>]*>")
_POST = re.compile(rb'<article id="post-\d+"[\s>]')
# Outside the kept part, what a whole-page query of the extraction would find (a heading for
# the soft-404 check, JSON-LD, a breadcrumb) or a second <body>/<html> whose attributes libxml2
# merges into the first.
_ANYWHERE = re.compile(
    rb"<(?:h1\b|body\b|html\b|script[^>]*ld\+json|nav[^>]*breadcrumb)", re.IGNORECASE
)
# Before the post, also: what would come first in document order (another post, its title) and
# what could swallow the rest of the page (a comment, script or raw-text element left open).
_BEFORE = re.compile(
    rb"<(?:h1\b|body\b|html\b|nav[^>]*breadcrumb|!--|script|style|textarea|xmp|plaintext"
    rb"|noembed|noframes|iframe|noscript|title|article)",
    re.IGNORECASE,
)
# Class names before the post: another post header or content wrapper (the first one wins), a
# "not found" wrapper around the post.
_BEFORE_CLASSES = (b"the-post-header", b"entry-content", b"error-404", b"not-found")
# Found in <head> first when the head has them; elsewhere only when it has none.
_HEAD_TAGS = (b"<meta", b"<title")


def post_cut(html: str | bytes, encoding: str | None = None) -> str | None:
    """The page reduced to everything up to ``<body …>``, then from the breadcrumb ``<nav>`` to
    the end of the post's ``<article>``; None when the whole page must be parsed."""
    if isinstance(html, str):
        data, codec, errors = html.encode("utf-8", "surrogatepass"), "utf-8", "surrogatepass"
    else:
        data, codec = html_codec(html, encoding)
        errors = "replace"
    if not _CUT_CODECS.match(codec):
        return None
    body = _BODY.search(data)
    if body is None:
        return None
    post = _POST.search(data, body.end())
    if post is None:
        return None
    crumb = data.rfind(b'id="breadcrumb"', body.end(), post.start())
    nav = data.rfind(b"<nav", body.end(), crumb) if crumb >= 0 else -1
    end = _element_end(data, post.start())
    if nav < 0 or end < 0:
        return None
    head, before = data[: body.end()], data[body.end() : nav]
    if _BEFORE.search(before) or any(name in before for name in _BEFORE_CLASSES):
        return None
    if _ANYWHERE.search(data, end) or not all(tag in head for tag in _HEAD_TAGS):
        return None
    kept = head + data[nav:end] + b"</body></html>"
    try:
        return kept.decode(codec, errors)
    except (UnicodeDecodeError, LookupError):
        return None


def _element_end(data: bytes, start: int) -> int:
    """Where the ``<article>`` opened at ``start`` ends (after its end tag), or -1."""
    depth, position = 0, start
    while True:
        closing = data.find(b"</article>", position)
        if closing < 0:
            return -1
        depth += data.count(b"<article", position, closing) - 1
        position = closing + len(b"</article>")
        if depth == 0:
            return position
