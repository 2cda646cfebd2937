"""One path from a fetched page to the record storage writes.

The crawl (spider and pipelines), ``reextract`` and ``cli extract`` all come through here, so
that they cannot disagree on what a page becomes:

1. the fetched page (:class:`RawPage`), from a Scrapy response (:func:`page_from_response`), a
   WARC capture (:func:`page_from_capture`) or a saved file (:func:`page_from_file`);
2. the content rules and extraction (:func:`record_from_page`): not 200, not HTML, a soft 404,
   no title and no text are failures; anything else is an :class:`ArticleRecord` carrying its
   normalized category paths;
3. listing pages (:func:`listing_from_page`, of a page from :func:`page_from_listing_response`
   or :func:`page_from_capture`) and the entries they link (:func:`listing_entries`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.http import Headers, HtmlResponse, Response, TextResponse
from scrapy.responsetypes import responsetypes
from w3lib.encoding import html_to_unicode

from ccme_crawler.clock import utc_now
from ccme_crawler.extraction import (
    ExtractionError,
    content_hash,
    extract_article,
    normalize_source,
)
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import (
    ArticleRecord,
    ListingEntry,
    ListingPage,
    PageFailure,
    RawPage,
    WarcPointer,
)
from ccme_crawler.urls import (
    canonical_article_url,
    category_path,
    is_site_url,
    origin_of,
    shortlink_post_id,
)

if TYPE_CHECKING:
    from ccme_crawler.warc.reader import CapturedPage

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# What a binary body starts with. The site serves images and PDFs beside its posts; any of them
# answered in place of a post (or with a wrong Content-Type) is not an article.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office document"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    (b"OggS", "Ogg media"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


# --- fetched pages ------------------------------------------------------------------------------


def response_headers(response: Response) -> dict[str, str]:
    """Response headers as a page keeps them: names lower-cased, repeated values joined."""
    return {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def _raw_page(
    response: Response,
    *,
    url: str,
    fetched_url: str,
    fetched_at: str,
    listing_category: str | None = None,
    listing_url: str | None = None,
    warc: WarcPointer | None = None,
    headers: dict[str, str] | None = None,
) -> RawPage:
    """``headers``: what :func:`response_headers` would give for ``response``, when known."""
    return RawPage(
        url=url,
        fetched_url=fetched_url,
        final_url=response.url,
        status=response.status,
        headers=response_headers(response) if headers is None else headers,
        body=response.body,
        # The encoding Scrapy decides (headers, BOM, <meta>, sniffing); none for a body Scrapy
        # does not take for text.
        encoding=response.encoding if isinstance(response, TextResponse) else None,
        fetched_at=fetched_at,
        listing_category=listing_category,
        listing_url=listing_url,
        warc=warc,
    )


def page_from_response(
    response: Response, url: str, listing_category: str | None, listing_url: str | None
) -> RawPage:
    """The page the crawl fetched for the article keyed ``url``, found in ``listing_category``
    (a category path) on ``listing_url``."""
    redirects = response.meta.get("redirect_urls") or []
    return _raw_page(
        response,
        url=url,
        fetched_url=redirects[0] if redirects else response.url,
        fetched_at=response.meta.get("ccme_fetched_at") or utc_now(),
        listing_category=listing_category,
        listing_url=listing_url,
        warc=response.meta.get("ccme_warc"),
    )


# The only headers Scrapy's choice of response class reads (ResponseTypes.from_headers).
_RESPONSE_TYPE_HEADERS = ("content-type", "content-encoding", "content-disposition")


def capture_response(capture: CapturedPage) -> Response:
    """The response Scrapy would have handed the spider for a captured exchange (the same
    response class, hence the same encoding decision)."""
    # The class is chosen from the headers it reads alone: the response builds its own Headers
    # of all of them, one full build a capture instead of two.
    type_headers = {k: capture.headers[k] for k in _RESPONSE_TYPE_HEADERS if k in capture.headers}
    response_class = responsetypes.from_args(
        headers=Headers(type_headers), url=capture.target_uri, body=capture.body
    )
    return response_class(
        url=capture.target_uri,
        status=capture.status,
        headers=capture.headers,
        body=capture.body,
    )


def _capture_headers(capture: CapturedPage) -> dict[str, str] | None:
    """:func:`response_headers` of the capture's response without walking its ``Headers``: the
    capture's own when every name and value is ASCII (Scrapy encodes them as UTF-8 and they
    are read back as Latin-1, title-cased names lower-cased again: the same strings), else
    None (let Scrapy's round trip say)."""
    headers = capture.headers
    if all(name.isascii() and value.isascii() for name, value in headers.items()):
        return dict(headers)
    return None


def page_from_capture(capture: CapturedPage, fetched_url: str, url: str | None = None) -> RawPage:
    """The page a crawl fetched as ``fetched_url`` (before redirects), read from its WARC, keyed
    ``url`` (by default the canonical form of ``fetched_url``, as the crawl keys it)."""
    return _raw_page(
        capture_response(capture),
        url=url or canonical_article_url(fetched_url),
        fetched_url=fetched_url,
        fetched_at=capture.fetched_at,
        warc=capture.pointer,
        headers=_capture_headers(capture),
    )


def page_from_file(path: Path, url: str | None) -> RawPage:
    """A saved page, as if fetched from ``url`` (the record key comes from the page otherwise:
    see :func:`record_from_file`). A file has no headers: only its bytes say what it is."""
    location = url or path.resolve().as_uri()
    response = HtmlResponse(location, body=path.read_bytes())
    key = canonical_article_url(url) if url and url.startswith("http") else url or ""
    return _raw_page(response, url=key, fetched_url=location, fetched_at="")


# --- content rules ------------------------------------------------------------------------------


def _binary_kind(body: bytes) -> str | None:
    head = body[:1024]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[4:8] == b"ftyp":
        return "MP4 or QuickTime media"
    if head.startswith(_UTF16_BOMS):
        return None  # UTF-16 text is half NUL bytes
    # A stray control character is damage to a page (kept and cleaned by extraction); one byte
    # in twenty is not text at all.
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return "binary data" if controls * 20 > len(head) else None


def not_html(headers: Mapping[str, str], body: bytes) -> str | None:
    """Why a response is not an HTML page (one line), or None when it is one.

    Not HTML: a Content-Type other than HTML or XHTML, a content coding Scrapy could not undo,
    or a body that is binary whatever its Content-Type claims. No Content-Type at all (a saved
    file) leaves the body to decide.
    """
    content_type = headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and media_type not in HTML_MEDIA_TYPES:
        return f"Content-Type {content_type[:100]}"
    coding = headers.get("content-encoding", "").strip().lower()
    if coding and coding != "identity":
        return f"body left in Content-Encoding {coding[:50]}"
    kind = _binary_kind(body)
    return f"body is {kind}" if kind is not None else None


def post_category_path(category_url: str | None) -> str | None:
    """The category path of a post's own category link, or None when it names no category."""
    if not category_url:
        return None
    try:
        return category_path(category_url)
    except ValueError:
        return None


def _permalink(page: RawPage, canonical_link: str | None) -> str:
    """The record key of ``page``: a shortlink (``/?p=ID``) names the post of the permalink it
    redirected to, or else of the page's canonical link (one row a post)."""
    if shortlink_post_id(page.url) is None:
        return page.url
    crawled = origin_of(page.fetched_url)
    for candidate in (page.final_url, canonical_link):
        if candidate and is_site_url(candidate, crawled) and shortlink_post_id(candidate) is None:
            return canonical_article_url(candidate)
    return page.url


def record_from_page(page: RawPage) -> ArticleRecord | PageFailure:
    """Extract one fetched page into the record storage writes, or say why it is not one."""

    def failure(reason: str, detail: str) -> PageFailure:
        return PageFailure(page.url, reason, detail, page.status, "article", page.fetched_at)

    if page.status != 200:
        return failure(f"http_{page.status}", "")
    problem = not_html(page.headers, page.body)
    if problem is not None:
        return failure("not_html", problem)
    try:
        article = extract_article(page.body, page.url, encoding=page.encoding)
    except ExtractionError as error:
        return failure(error.reason, error.detail)
    if "soft_404" in article.flags:
        return failure("soft_404", f"{page.final_url} answered 200 with a 'not found' page")
    if not article.title and not article.body:
        return failure("no_content", "no title and no text found on the page")
    article.url = _permalink(page, article.canonical_url)
    return ArticleRecord(
        article=article,
        content_hash=content_hash(article),
        source_canonical=normalize_source(article.source),
        listing_category=page.listing_category,
        fetched_url=page.fetched_url,
        final_url=page.final_url,
        http_status=page.status,
        etag=page.headers.get("etag"),
        last_modified=page.headers.get("last-modified"),
        fetched_at=page.fetched_at,
        warc=page.warc,
        category_path=post_category_path(article.category_url),
        sitemap_plan=page.sitemap_plan,
    )


def record_from_file(path: Path, url: str | None = None) -> ArticleRecord | PageFailure:
    """The record of a saved page (``cli extract``). Without ``url``, the page's own canonical
    link names it, or else the file's URI (the content hash does not depend on the URL)."""
    result = record_from_page(page_from_file(path, url))
    if url is None and isinstance(result, ArticleRecord):
        name = result.article.canonical_url or path.resolve().as_uri()
        result.article.url = canonical_article_url(name) if name.startswith("http") else name
        result.fetched_url = result.final_url = name
    return result


# --- listing pages ------------------------------------------------------------------------------


def page_from_listing_response(response: Response, fetched_at: str) -> RawPage:
    """The listing page the crawl fetched, as :func:`listing_from_page` reads it (in a worker:
    a page, unlike a response, can be handed to another process)."""
    return _raw_page(response, url=response.url, fetched_url=response.url, fetched_at=fetched_at)


def listing_from_page(page: RawPage) -> ListingPage | PageFailure:
    """What a listing page lists, or a failure when it is not an HTML page. The crawl,
    ``reextract`` and ``import`` all read listing pages here (in an extraction worker or not)."""
    problem = not_html(page.headers, page.body)
    if problem is not None or page.encoding is None:
        return PageFailure(
            page.final_url,
            "not_html",
            problem or "body is not text",
            page.status,
            "listing",
            page.fetched_at,
        )
    # Decoded as Scrapy's TextResponse.text decodes (a BOM first, then Scrapy's encoding).
    text = html_to_unicode(f"charset={page.encoding}", page.body)[1]
    return extract_listing(text, page.final_url)


@dataclass(slots=True)
class SkippedLink:
    """A link on a listing page that names no article of the site."""

    url: str  # as linked
    position: int  # on the listing page, as ListingEntry.position
    reason: str  # "malformed_url" or "off_site"
    detail: str = ""


@dataclass(slots=True)
class ListingLinks:
    entries: list[ListingEntry] = field(default_factory=list)
    skipped: list[SkippedLink] = field(default_factory=list)


def listing_entries(
    listing: ListingPage, listing_url: str, category: str, seen_at: str, *, origin: str
) -> ListingLinks:
    """The entries a listing page of ``category`` (a category path) gives, keyed by canonical
    article URL, and the links skipped: malformed, or off the site and the crawl's ``origin``
    (``scheme://host[:port]``). Never raises on a link."""
    links = ListingLinks()
    for position, item in enumerate(listing.items):
        try:
            on_site = is_site_url(item.url, origin)
            url = canonical_article_url(item.url) if on_site else ""
        except ValueError as exc:  # "http://[…", a port out of range
            links.skipped.append(SkippedLink(item.url, position, "malformed_url", str(exc)))
            continue
        if not on_site:
            links.skipped.append(SkippedLink(item.url, position, "off_site"))
            continue
        links.entries.append(ListingEntry(url, category, listing_url, position, seen_at))
    return links
