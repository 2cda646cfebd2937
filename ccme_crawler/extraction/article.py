"""Article pages → :class:`ExtractedArticle`: one lxml parse, then field by field.

Extraction order per field (first hit wins) is documented in ``docs/extraction.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..items import ExtractedArticle
from .closing import Block, read_closing
from .cut import post_cut
from .dates import normalize_iso_datetime, parse_date_text
from .errors import ExtractionError
from .fallback import METHOD as FALLBACK_METHOD
from .fallback import fallback_blocks
from .language import detect_language
from .text import (
    clean_text,
    decode_html,
    looks_mojibake,
    nfc,
    normalize_block,
    normalize_inline,
)

TITLE_MAX = 1000
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
# Yoast writes "<post title> - CCME | <tagline>" into <title> and og:title.
_SITE_SUFFIX = re.compile(r"\s+[-–—|]\s+CCME(?:\s*[|:–-].*)?$", re.DOTALL)
_SHORTLINK_ID = re.compile(r"[?&]p=(\d+)")
_POSTID_CLASS = re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)")
_POST_ID = re.compile(r"^post-(\d+)$")
_BR = "\x00"  # stands for <br> while a block is collected (NUL never survives clean_text)

_ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle"}
)

# Elements whose content is never article text.
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "video",
        "audio",
        "object",
        "embed",
        "figcaption",
        "form",
        "button",
        "svg",
        "canvas",
        "template",
        "select",
        "textarea",
        "input",
        "map",
        "source",
        "track",
        "head",
        "title",
        "link",
        "meta",
        "img",
        "picture",
    ]
)
# Elements that start and end a block of text.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "address",
        "hr",
        "center",
        "details",
        "summary",
    ]
)
# Blocks inside these are content, but never the article's closing "Source :" line.
_NESTED_TAGS = frozenset(["blockquote", "table", "figure", "ul", "ol", "li", "dl", "aside"])
# Theme and plugin chrome that can sit inside the content wrapper.
_CHROME_CLASSES = frozenset(
    {
        "post-share",
        "post-share-float",
        "post-share-b",
        "related-posts",
        "wp-caption-text",
        "sharedaddy",
        "jp-relatedposts",
        "addtoany_share_save_container",
        "a2a_kit",
        "a-wrap",
        "adsbygoogle",
        "code-block",
        "wp-block-embed",
        "screen-reader-text",
        "visuallyhidden",
        "post-tags",
        "more-link",
        "read-more-link",
        "author-box",
        "navigation",
    }
)
_CHROME_PREFIXES = ("post-share", "share-", "sharedaddy", "jp-relatedposts", "ad-slot")

# Whole-document scans are the main cost after parsing: a cheap substring test on one tag
# selects candidates, then exact class tokens are checked in Python.
_CONTENT_CANDIDATES = etree.XPath("//div[contains(@class, 'entry-content')]")
_HEADER_CANDIDATES = etree.XPath("//div[contains(@class, 'the-post-header')]")
_HAS_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_H_TITLE = etree.XPath(f".//h1[{_HAS_CLASS.format('post-title')}]")
_H_TIME = etree.XPath(
    f".//*[{_HAS_CLASS.format('date')}]//time[{_HAS_CLASS.format('post-date')}] | "
    f".//time[{_HAS_CLASS.format('post-date')}]"
)
_H_DATE_TEXT = etree.XPath(
    f".//*[{_HAS_CLASS.format('meta-item')} and {_HAS_CLASS.format('date')}]"
)
_H_CATEGORY = etree.XPath(
    f".//*[{_HAS_CLASS.format('post-cat')}]//a[{_HAS_CLASS.format('category')}]"
)
# Visible dates of other layouts (old Joomla/K2 items, generic WordPress themes), article only.
_OTHER_DATE = etree.XPath(
    "//*[contains(@class, 'itemDateCreated')] | //*[contains(@class, 'itemHeader')]//time"
    " | //*[contains(@class, 'article-info')]//*[contains(@class, 'published')]"
    " | //*[contains(@class, 'entry-header')]//time"
)
_OTHER_TITLE = etree.XPath(
    "//*[contains(@class, 'itemTitle') or contains(@class, 'entry-title')"
    " or contains(@class, 'contentheading')]"
)
_OTHER_CATEGORY = etree.XPath("//*[contains(@class, 'itemCategory')]//a")
_BREADCRUMB = etree.XPath(
    "//nav[@id='breadcrumb']//*[contains(concat(' ', normalize-space(@class), ' '), ' inner ')]"
    "/span[not(contains(concat(' ', normalize-space(@class), ' '), ' delim '))]"
)
_JSON_LD = etree.XPath("//script[@type='application/ld+json']")
_HEAD_META = etree.XPath("/html/head/meta")
_ALL_META = etree.XPath("//meta")
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href")
_SHORTLINK = etree.XPath("//link[@rel='shortlink']/@href")
# WordPress core links every post to its REST resource: /wp-json/wp/v2/posts/ID.
_REST_LINK = etree.XPath("//link[@rel='alternate' and @type='application/json']/@href")
_REST_POST_ID = re.compile(r"/wp-json/wp/v2/posts/(\d+)(?:[/?#]|$)")
_ARTICLE_ID = etree.XPath("//article[starts-with(@id, 'post-')]/@id")
_BODY = etree.XPath("//body")
_TITLE_TAG = etree.XPath("//title")


def _classes(el: etree._Element) -> set[str]:
    value = el.get("class")
    return set(value.split()) if value else set()


def _is_chrome(el: etree._Element) -> bool:
    classes = _classes(el)
    if not classes:
        return False
    if classes & _CHROME_CLASSES:
        return True
    return any(c.startswith(_CHROME_PREFIXES) for c in classes)


# Work items of the content walk (an explicit stack: pasted Word markup nests thousands deep).
_TEXT, _ELEMENT, _FLUSH, _LINK_END = range(4)


class _BlockCollector:
    """Walks a content element once, emitting blocks of text with the links written in them."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._flushes = 0

    def _flush(self, nested: bool) -> None:
        self._flushes += 1
        if not self._buffer:
            self._links = []
            return
        # Source newlines are just whitespace; only <br> (and newlines inside <pre>) break lines.
        joined = "".join(self._buffer).replace("\n", " ").replace(_BR, "\n")
        text = normalize_block(clean_text(joined))
        self._buffer = []
        if text:
            self.blocks.append(Block(text, not nested, self._links))
        self._links = []

    def walk(self, root: etree._Element) -> list[Block]:
        stack: list[tuple[Any, ...]] = []
        self._push_children(stack, root, False, False)
        while stack:
            item = stack.pop()
            kind = item[0]
            if kind == _TEXT:
                _, text, pre = item
                self._buffer.append(text.replace("\n", _BR) if pre else text)
            elif kind == _FLUSH:
                self._flush(item[1])
            elif kind == _LINK_END:
                _, href, start, flushes = item
                if flushes == self._flushes:  # a link that spans blocks is no block's link
                    text = "".join(self._buffer[start:]).replace(_BR, " ")
                    self._links.append((normalize_inline(text), href))
            else:
                self._visit(stack, *item[1:])
        self._flush(False)
        return self.blocks

    def _visit(
        self, stack: list[tuple[Any, ...]], el: etree._Element, nested: bool, pre: bool
    ) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions
            return
        tag = tag.lower()
        if tag in _SKIP_TAGS or _is_chrome(el):
            return
        if tag == "br":
            self._buffer.append(_BR)
            return
        if tag in _BLOCK_TAGS:
            self._flush(nested)
            inner = nested or tag in _NESTED_TAGS
            stack.append((_FLUSH, inner))
            self._push_children(stack, el, inner, pre or tag == "pre")
            return
        if tag == "a" and el.get("href"):
            stack.append((_LINK_END, el.get("href"), len(self._buffer), self._flushes))
        self._push_children(stack, el, nested, pre)

    @staticmethod
    def _push_children(
        stack: list[tuple[Any, ...]], el: etree._Element, nested: bool, pre: bool
    ) -> None:
        items: list[tuple[Any, ...]] = []
        if el.text:
            items.append((_TEXT, el.text, pre))
        for child in el:
            items.append((_ELEMENT, child, nested, pre))
            if child.tail:
                items.append((_TEXT, child.tail, pre))
        stack.extend(reversed(items))


def content_blocks(content: etree._Element) -> list[Block]:
    return _BlockCollector().walk(content)


def _text_of(el: etree._Element) -> str:
    return normalize_inline("".join(el.itertext()))


def _first(values: list[Any]) -> str | None:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _strip_suffix(title: str | None) -> str | None:
    if not title:
        return None
    return _SITE_SUFFIX.sub("", title).strip() or None


def _json_ld_nodes(tree: etree._Element) -> Iterator[dict[str, Any]]:
    for script in _JSON_LD(tree):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError, RecursionError):
            continue
        stack: list[Any] = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if "@graph" in node:
                    stack.extend(node["@graph"] if isinstance(node["@graph"], list) else [])
                yield node


def _json_ld_article(tree: etree._Element) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The Article node of the JSON-LD (or {}) and all nodes by @id (to resolve the author)."""
    article: dict[str, Any] = {}
    by_id: dict[str, dict[str, Any]] = {}
    for node in _json_ld_nodes(tree):
        node_id = node.get("@id")
        if isinstance(node_id, str):
            by_id[node_id] = node
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        if not article and any(t in _ARTICLE_TYPES for t in types if isinstance(t, str)):
            article = node
    return article, by_id


def _ld_str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        return normalize_inline(value)
    return None


def _ld_author(article: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str | None:
    author = article.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, str):
        return normalize_inline(author) or None
    if isinstance(author, dict):
        name = author.get("name")
        if name is None and isinstance(author.get("@id"), str):
            name = by_id.get(author["@id"], {}).get("name")
        return _ld_str(name)
    return None


def _parse(text: str) -> tuple[etree._Element, bool]:
    """Parse (once, unless too deep); (tree, malformed). lxml recovers from anything, errors are
    only reported."""
    # libxml2 turns NUL into U+FFFD and truncates text at a lone surrogate, so those go before
    # parsing; other invisible characters are removed from each stored value instead, which
    # spares a pass over the whole page.
    if "\x00" in text:
        text = clean_text(text)
    else:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = clean_text(text)
    source = _XML_DECL.sub("", text, count=1)
    tree, parser = _parse_with(source, huge_tree=False)
    # libxml2 stops at a nesting depth of 256 and drops the rest of the page (content pasted
    # from Word can hold hundreds of unclosed inline tags). huge_tree lifts the limit but slows
    # every parse by a tenth, so only a page that hit the limit is parsed again with it.
    if any(e.type == _DEPTH_LIMIT for e in parser.error_log):
        tree, parser = _parse_with(source, huge_tree=True)
    if tree is None:
        return lxml_html.document_fromstring("<html><body></body></html>"), bool(text.strip())
    malformed = any(e.level >= 2 for e in parser.error_log)  # level 2 = ERROR, 3 = FATAL
    return tree, malformed


_DEPTH_LIMIT = etree.ErrorTypes.ERR_RESOURCE_LIMIT


def _parse_with(
    source: str, *, huge_tree: bool
) -> tuple[etree._Element | None, lxml_html.HTMLParser]:
    parser = lxml_html.HTMLParser(recover=True, remove_comments=False, huge_tree=huge_tree)
    try:
        return etree.fromstring(source, parser), parser
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, parser


def _metas(tree: etree._Element) -> dict[str, str]:
    """First non-empty content of each meta property/name (head only, unless it has none)."""
    elements = _HEAD_META(tree) or _ALL_META(tree)
    found: dict[str, str] = {}
    for el in elements:
        key = el.get("property") or el.get("name")
        content = el.get("content")
        if key and content and content.strip() and key not in found:
            found[key] = content.strip()
    return found


def _with_classes(candidates: list[etree._Element], *tokens: str) -> etree._Element | None:
    wanted = set(tokens)
    for el in candidates:
        if wanted <= _classes(el):
            return el
    return None


def _post_id(tree: etree._Element, ld: dict[str, Any]) -> int | None:
    """WordPress's id of the post: the record a ``?p=ID`` shortlink and the permalink share."""
    for value in _ARTICLE_ID(tree):
        match = _POST_ID.match(value.strip())
        if match:
            return int(match.group(1))
    body = _BODY(tree)
    if body:
        match = _POSTID_CLASS.search(body[0].get("class") or "")
        if match:
            return int(match.group(1))
    for href in _SHORTLINK(tree):
        match = _SHORTLINK_ID.search(href)
        if match:
            return int(match.group(1))
    for href in _REST_LINK(tree):
        match = _REST_POST_ID.search(href)
        if match:
            return int(match.group(1))
    # SEO plugins that key their JSON-LD on the shortlink ("https://…/?p=123#article").
    for key in ("@id", "url", "mainEntityOfPage"):
        value = ld.get(key)
        if isinstance(value, dict):
            value = value.get("@id")
        match = _SHORTLINK_ID.search(value) if isinstance(value, str) else None
        if match:
            return int(match.group(1))
    return None


def _visible_date_element(header: etree._Element | None, tree: etree._Element) -> str | None:
    """Visible date text of the post header only (never sidebar, related posts or footer)."""
    candidates: list[etree._Element] = []
    if header is not None:
        candidates = _H_DATE_TEXT(header) or _H_TIME(header)
    if not candidates:
        candidates = _OTHER_DATE(tree)
    for el in candidates:
        text = _text_of(el)
        if text:
            return text
    return None


def extract_article(
    html: str | bytes, url: str, *, encoding: str | None = None
) -> ExtractedArticle:
    """Read one article page. Problems with the page are reported in ``flags``.

    Raises :class:`ExtractionError` (and nothing else) when the extractor itself cannot run on
    the page: the fallback extractor failed or one of its dependencies is missing. That is a
    failure of this page to record, never an empty body.
    """
    try:
        return _extract(html, url, encoding)
    except ExtractionError:
        raise
    except Exception:  # last-resort guard: a page must never take the pipeline down
        return ExtractedArticle(url=url, flags=["extraction_error"])


def _extract(html: str | bytes, url: str, encoding: str | None) -> ExtractedArticle:
    data = html if isinstance(html, str | bytes) else b""
    text, flags = decode_html(data, encoding)
    cut = post_cut(data, encoding)
    if cut is not None:
        tree, malformed = _parse(cut)
        # The cut is only trusted where it reads the theme's post cleanly; anything else
        # (another layout, a broken post, a page with nothing to read) reads the whole page.
        if not malformed:
            try:
                article = _extract_tree(tree, text, url, list(flags), cut=True)
            except _NeedsWholePage:
                pass
            else:
                if _read_from_cut(article):
                    return article
    tree, malformed = _parse(text)
    if malformed:
        flags.append("malformed_html")
    return _extract_tree(tree, text, url, flags, cut=False)


def _read_from_cut(article: ExtractedArticle) -> bool:
    """The theme's content wrapper was read, and the page is no "not found" page."""
    found = article.extraction_method == "template" and bool(article.title or article.body)
    return found and "soft_404" not in article.flags


class _NeedsWholePage(Exception):
    """Extraction of a cut page reached a rule that reads the whole page."""


def _extract_tree(
    tree: etree._Element, text: str, url: str, flags: list[str], *, cut: bool
) -> ExtractedArticle:
    """Extract from a parsed page: the whole page, or its post only (``cut``), in which case a
    rule that needs the rest of the page raises :class:`_NeedsWholePage`."""
    article = ExtractedArticle(url=url, flags=flags)
    # libxml2 recovers silently from a page cut mid-tag; a missing end of document tells.
    tail = text[-4096:].lower()
    if text.strip() and "</html" not in tail and "</body" not in tail:
        flags.append("truncated_html")
    if _is_not_found(tree):
        flags.append("soft_404")

    header = _with_classes(_HEADER_CANDIDATES(tree), "the-post-header")
    metas = _metas(tree)
    ld, ld_by_id = _json_ld_article(tree)

    # Title.
    title: str | None = None
    if header is not None:
        title = _first([_text_of(h) for h in _H_TITLE(header)])
    if title is None and cut:
        raise _NeedsWholePage("title")
    title = (
        title
        or _strip_suffix(normalize_inline(metas.get("og:title", "")))
        or _strip_suffix(_first([_text_of(t) for t in _TITLE_TAG(tree)]))
        or _ld_str(ld.get("headline"))
        or _first([_text_of(t) for t in _OTHER_TITLE(tree)])
    )
    if title and len(title) > TITLE_MAX:
        title = title[:TITLE_MAX]
        flags.append("title_truncated")
    article.title = nfc(title) if title else None

    # Publication date: machine-readable first, then the header's visible text.
    raw_attr: str | None = None
    if header is not None:
        raw_attr = _first([t.get("datetime") for t in _H_TIME(header)])
    for candidate in (
        raw_attr,
        metas.get("article:published_time"),
        _ld_str(ld.get("datePublished")),
    ):
        value = normalize_iso_datetime(candidate)
        if value is not None:
            article.published_at, article.published_raw = value, candidate
            break
    if article.published_at is None:
        if cut:
            raise _NeedsWholePage("visible date")
        visible = _visible_date_element(header, tree)
        if visible is None:
            flags.append("no_date")
        else:
            article.published_raw = visible
            article.published_at = parse_date_text(visible, None)
            if article.published_at is None:
                flags.append("date_unreadable")
    article.modified_at = normalize_iso_datetime(
        metas.get("article:modified_time") or _ld_str(ld.get("dateModified"))
    )

    # Breadcrumb and category.
    article.breadcrumb = [t for t in (_text_of(span) for span in _BREADCRUMB(tree)) if t]
    category_link = None
    if header is not None:
        links = _H_CATEGORY(header)
        category_link = links[0] if links else None
    if category_link is None:
        if cut:
            raise _NeedsWholePage("category")
        other = _OTHER_CATEGORY(tree)
        category_link = other[0] if other else None
    if category_link is not None and _text_of(category_link):
        article.category = _text_of(category_link)
        article.category_url = normalize_inline(category_link.get("href") or "") or None
    elif len(article.breadcrumb) > 1:
        article.category = article.breadcrumb[-1]
        links = _BREADCRUMB(tree)[-1].xpath(".//a/@href")
        article.category_url = normalize_inline(links[0]) if links else None
    else:
        article.category = _ld_str(ld.get("articleSection"))

    # Body, closing source/date lines.
    content = _with_classes(_CONTENT_CANDIDATES(tree), "post-content", "entry-content")
    if content is not None:
        blocks = content_blocks(content)
    else:
        article.extraction_method = FALLBACK_METHOD
        flags.append("fallback")
        try:
            found = fallback_blocks(tree)
        except Exception as error:  # whatever breaks in the third-party extractor
            raise ExtractionError(
                "fallback_failed", f"{FALLBACK_METHOD}: {type(error).__name__}: {error}", url
            ) from error
        blocks = [Block(t) for t in (normalize_block(clean_text(b)) for b in found) if t]
    closing = read_closing(blocks, url)
    article.body = nfc("\n\n".join(closing.texts))
    article.source = nfc(normalize_inline(closing.source)) if closing.source else None
    article.source_date, article.source_date_raw = closing.source_date, closing.source_date_raw
    article.source_url = closing.source_url
    article.word_count = len(article.body.split())
    if not article.body:
        flags.append("empty_body")
    # Double-encoded text cannot be repaired safely; report it on what we store.
    if looks_mojibake(f"{article.title or ''}\n{article.body}\n{article.source or ''}"):
        flags.append("mojibake")

    # Language: declared, checked against the text.
    root = tree.getroottree().getroot()
    language, mismatch = detect_language(
        root.get("lang"), metas.get("og:locale"), f"{article.title or ''}\n{article.body}"
    )
    article.language = language
    if mismatch:
        flags.append("language_mismatch")

    article.post_id = _post_id(tree, ld)
    article.author = metas.get("author") or _ld_author(ld, ld_by_id)
    article.author = normalize_inline(article.author) if article.author else None
    canonical = _first(_CANONICAL(tree))
    if canonical is None and cut:
        raise _NeedsWholePage("canonical link")
    article.canonical_url = normalize_inline(canonical) if canonical else None
    # A page with nothing to show is a "not found" too; checked last because it scans the page.
    nothing_read = not article.title and not article.body
    if nothing_read and "soft_404" not in flags and not _HAS_VISIBLE_TEXT(tree):
        flags.append("soft_404")
    return article


_SOFT_404_TITLES = re.compile(
    r"^\s*(page not found|page introuvable|page non trouvée|nothing found|404\b|"
    r"الصفحة غير موجودة|لم يتم العثور)",
    re.IGNORECASE,
)
_HAS_VISIBLE_TEXT = etree.XPath(
    "boolean(//body//text()[normalize-space()"
    " and not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)])"
)
# Only h1 elements are visited: a scan of every element costs as much as the extraction.
_SOFT_404_HEADINGS = etree.XPath(
    f"//h1[{_HAS_CLASS.format('page-title')} or {_HAS_CLASS.format('post-title')}"
    f" or ancestor::*[{_HAS_CLASS.format('error-404')} or {_HAS_CLASS.format('not-found')}]]"
)


def _is_not_found(tree: etree._Element) -> bool:
    """A WordPress "not found" page: cheap checks on the body class, headings and title."""
    bodies = _BODY(tree)
    if not bodies or "error404" in _classes(bodies[0]):
        return True
    for heading in _SOFT_404_HEADINGS(tree):
        if _SOFT_404_TITLES.match(_text_of(heading)):
            return True
    titles = _TITLE_TAG(tree)
    return bool(titles and _SOFT_404_TITLES.match(_text_of(titles[0])))


def is_soft_404(html: str | bytes) -> bool:
    """True for WordPress "not found" pages served with status 200, and for empty pages.

    ``extract_article`` makes the same check on its own parse and flags such pages
    ``soft_404``; this is for callers that only need the answer.
    """
    try:
        text, _ = decode_html(html if isinstance(html, str | bytes) else b"")
        if not clean_text(text).strip():
            return True
        tree = _parse(text)[0]
        return _is_not_found(tree) or not _HAS_VISIBLE_TEXT(tree)
    except Exception:  # a page we cannot even read is not a page worth storing
        return True


_HASH_FIELDS = (
    "title",
    "published_at",
    "language",
    "category",
    "body",
    "source",
    "source_date",
    "author",
    "modified_at",
)


def content_hash(article: ExtractedArticle) -> str:
    """sha256 over the stored fields, normalized so that only a real change changes the hash."""
    payload: dict[str, str | None] = {}
    for name in _HASH_FIELDS:
        value = getattr(article, name)
        if isinstance(value, str):
            value = (
                nfc(normalize_block(clean_text(value)))
                if name == "body"
                else nfc(normalize_inline(value))
            )
        payload[name] = value or None
    # Added after the others: only when set, so the hash of an article without one is unchanged.
    if article.source_url:
        payload["source_url"] = normalize_inline(article.source_url)
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8", "surrogatepass")).hexdigest()
