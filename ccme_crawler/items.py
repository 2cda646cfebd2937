"""Typed records passed between the spider, the pipelines and storage.

Only dataclasses live here: no behaviour beyond trivial conversions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class WarcPointer:
    """Where the HTTP response of a page was captured."""

    filename: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None


@dataclass(slots=True)
class RawPage:
    """An article page as fetched: what the spider yields, before any extraction."""

    url: str  # canonical article URL (the record key), on the site's canonical origin
    fetched_url: str  # the URL actually requested
    final_url: str  # the URL after redirects
    status: int
    headers: dict[str, str]  # response headers, names lower-cased, repeated values joined by ", "
    body: bytes
    encoding: str | None  # the encoding Scrapy decided for the body
    fetched_at: str  # ISO 8601, UTC
    listing_category: str | None = None  # category path it was found in ("/category/…/")
    listing_url: str | None = None  # listing page that linked it
    warc: WarcPointer | None = None  # set when the exchange was written to a WARC


@dataclass(slots=True)
class ListingEntry:
    """One link to an article seen on a listing page (kept even when the article is not fetched)."""

    url: str  # canonical article URL
    listing_category: str  # category path
    listing_url: str
    position: int  # 0-based position on the listing page
    seen_at: str  # ISO 8601, UTC


@dataclass(slots=True)
class CategoryLabel:
    """The label a category's first listing page gives it."""

    path: str
    label: str


@dataclass(slots=True)
class NotModified:
    """A re-checked article the site answered 304 Not Modified for."""

    url: str
    checked_at: str  # ISO 8601, UTC


@dataclass(slots=True)
class ListingItem:
    """An article link as a listing page shows it."""

    url: str  # absolute URL, as linked (not canonicalized)
    title: str | None
    published_at: str | None


@dataclass(slots=True)
class ListingPage:
    """What a category listing page tells a spider."""

    items: list[ListingItem]
    next_url: str | None
    last_page: int | None  # highest page number the pagination links to
    page_number: int | None  # number of this page (1 for the first)
    category_label: str | None


@dataclass(slots=True)
class ExtractedArticle:
    """The fields extraction reads from one article page. Missing values are None."""

    url: str
    title: str | None = None
    published_at: str | None = None  # ISO 8601 with offset
    published_raw: str | None = None  # the text the date was read from (kept when unreadable)
    modified_at: str | None = None
    language: str | None = None  # "fr", "ar" or "en"
    category: str | None = None  # label of the post's category
    category_url: str | None = None
    breadcrumb: list[str] = field(default_factory=list)
    body: str = ""
    source: str | None = None  # outlet named by the closing "Source : …" line, label removed
    source_date: str | None = None  # ISO date of the closing date line
    source_date_raw: str | None = None
    post_id: int | None = None
    author: str | None = None
    word_count: int = 0
    canonical_url: str | None = None  # link[rel=canonical] of the page, as written
    extraction_method: str = "template"  # "template", or "fallback:<library>"
    flags: list[str] = field(default_factory=list)  # e.g. "empty_body", "date_unreadable"


@dataclass(slots=True)
class ArticleRecord:
    """An extracted article with its provenance: what storage writes as one `articles` row."""

    article: ExtractedArticle
    content_hash: str  # sha256 of the normalized title + body + source fields
    source_canonical: str | None
    listing_category: str | None  # category path of the listing it was found in, normalized
    fetched_url: str
    final_url: str
    http_status: int
    etag: str | None
    last_modified: str | None
    fetched_at: str
    warc: WarcPointer | None = None
    category_path: str | None = None  # path of the post's own category, normalized ("/category/…/")


@dataclass(slots=True)
class PageFailure:
    """A page that could not be fetched or turned into an article."""

    url: str
    reason: str  # short machine-readable cause, e.g. "http_503", "timeout", "soft_404"
    detail: str = ""
    status: int | None = None
    kind: str = "article"  # "article", "listing" or "robots"
    failed_at: str = ""


@dataclass(slots=True)
class MenuLink:
    """A nav menu entry: its label, link (None for ``#``) and sub-entries."""

    label: str
    url: str | None
    children: list[MenuLink]


@dataclass(slots=True)
class SwitcherEntry:
    """A Polylang switcher link: a translation of the page, or the language's home."""

    language: str
    url: str
    translation: bool


@dataclass(slots=True)
class DoctorPage:
    """A page the doctor fetched (``kind``: robots, home, sitemap, listing, article), with how it
    was found and its answer (``status`` None: no answer, ``error`` says why)."""

    kind: str
    language: str | None
    url: str
    found_by: str
    status: int | None
    body: bytes = b""
    error: str = ""
