"""Typed records passed between the spider, the pipelines and storage.

Only dataclasses live here: no behaviour beyond trivial conversions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    # Set on a post only a sitemap listed: the plan whose scope decides, once the page is read,
    # whether it is stored (SitemapScopePipeline).
    sitemap_plan: WalkPlan | None = None


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
    archive_kind: str | None = None  # "category", "author" or "tag", when the page tells
    not_found: bool = False  # WordPress's "not found" page (body class ``error404``)


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
    source_url: str | None = None  # the outlet's article ("…Suite" link), when it leaves the site
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
    sitemap_plan: WalkPlan | None = None  # the page's, carried to SitemapScopePipeline
    # Countries and story signature, when computed beside the extraction (in a worker process);
    # storage computes them itself otherwise.
    analysis: ArticleAnalysis | None = None


@dataclass(slots=True)
class ArticleAnalysis:
    """What storage files beside a new or changed article, computed from its title and body."""

    countries: list[tuple[str, int]]  # (ISO code, mentions), most mentioned first
    story_signature: bytes | None


@dataclass(slots=True)
class PageFailure:
    """A page that could not be fetched or turned into an article."""

    url: str
    reason: str  # short machine-readable cause, e.g. "http_503", "timeout", "soft_404"
    detail: str = ""
    status: int | None = None
    kind: str = "article"  # "article", "listing" or "robots"
    failed_at: str = ""


# --- discovery: what the site links, and what a run makes of it (see docs/discovery.md) ---


@dataclass(slots=True)
class MenuEntry:
    """One item of a WordPress menu (``ul.menu`` / ``ul.mobile-menu``) with its sub-menu."""

    url: str | None  # absolute href, None for placeholders ("#")
    label: str
    children: list[MenuEntry] = field(default_factory=list)


@dataclass(slots=True)
class LanguageLink:
    """A link to another language of the page: Polylang's switcher or a ``hreflang`` alternate."""

    language: str  # "fr", "ar", "en" (the hreflang's primary subtag)
    url: str  # absolute
    translation: bool  # False: the page has no translation, the link goes to that language's home


@dataclass(slots=True)
class DiscoveredListing:
    """An archive listing the site links, and how it was found."""

    path: str  # listing path (urls.listing_path), e.g. "/ar/category/x/" or "/author/y/"
    kind: str  # "category", "author" or "tag"
    language: str  # "fr", "ar" or "en"
    label: str | None
    found_by: str  # "menu", "switcher", "sitemap", "author" or "user-given"
    found_on: str | None  # URL of the page or sitemap that linked it
    # "archive-root": the "Archives du CCME" category (or its translation); "archive": one of its
    # children (or their translations); "other": any other listing.
    role: str = "other"
    status: int | None = None  # HTTP status of its first page when discovery fetched it


@dataclass(slots=True)
class DiscoveredSitemap:
    """A sitemap the site publishes."""

    url: str  # path on the site ("/wp-sitemap.xml"); sitemaps on other hosts are not read
    role: str  # "index", "posts", "categories", "users" or "other"
    found_by: str  # "robots", "wp-core", "seo-plugin" (the usual addresses) or "index"
    found_on: str | None


@dataclass(slots=True)
class DiscoveryAttempt:
    """One thing discovery fetched, and what it answered."""

    url: str  # path on the site ("author links" for the author step's summary line)
    step: str  # "menu", "switcher", "robots", "sitemap" or "author"
    status: int | None  # HTTP status, None when nothing answered
    note: str = ""  # what it gave ("3 archive categories"), or why it gave nothing


@dataclass(slots=True, frozen=True)
class DiscoveryFetch:
    """A page discovery wants fetched next."""

    url: str  # path on the crawled site ("/ar/")
    step: str  # "home", "listing", "robots", "sitemap" or "author"
    found_by: str | None = None  # sitemaps: "robots", "wp-core", "seo-plugin" or "index"
    role: str | None = None  # sitemaps: the role its name gives ("posts", "categories", …)


@dataclass(slots=True)
class DiscoveryResult:
    """Everything one discovery pass found."""

    listings: list[DiscoveredListing]
    sitemaps: list[DiscoveredSitemap]
    attempts: list[DiscoveryAttempt]


@dataclass(slots=True)
class WalkPlan:
    """Which listings a run walks, for its scope, and what the scope test of sitemap posts needs."""

    scope: str  # "archive" or "site"
    listings: list[str]  # listing paths to walk, in order
    archive_paths: list[str]  # archive categories and roots: a post under one is in scope
    author_languages: list[str]  # languages indexed by their author archives (no archive found)
    missing_languages: list[str]  # languages with nothing to walk


@dataclass(slots=True)
class DiscoveryCache:
    """What an earlier run discovered, as the database keeps it."""

    discovered_at: str | None  # None: nothing cached
    listings: list[DiscoveredListing]
    sitemaps: list[DiscoveredSitemap]
    gone: list[str]  # listings that answered 404 on a walk after they were discovered


@dataclass(slots=True)
class DiscoveryReport:
    """How this run got its listings: recorded in ``crawl_runs.discovery`` and, when it
    discovered them, cached in ``discovered_listings`` / ``discovered_sitemaps``."""

    source: str  # "discovered", "cache" or "user-given"
    reason: str  # why discovery ran (or why it did not)
    result: DiscoveryResult
    plan: WalkPlan
    at: str  # ISO 8601, UTC
    message: str | None = None  # set when nothing was found: what was tried, what answered
    summary: dict[str, Any] = field(default_factory=dict)  # discovery.discovery_summary(self)


@dataclass(slots=True)
class SitemapEntry:
    """One post a post sitemap lists."""

    url: str  # canonical article URL
    lastmod: str | None  # UTC, ISO 8601 (discovery.normalize_lastmod)


@dataclass(slots=True)
class SitemapEntries:
    """The posts one post sitemap listed in this run."""

    sitemap: str  # path (or URL) of the sitemap
    entries: list[SitemapEntry]
    seen_at: str


@dataclass(slots=True)
class SitemapVerdict:
    """A post only a sitemap listed, fetched: inside the crawl's scope or not."""

    url: str
    in_scope: bool
    category_path: str | None  # the post's own category
    checked_at: str


@dataclass(slots=True)
class ListingStatus:
    """How the first page of a walked listing answered (keeps the discovery cache honest)."""

    path: str
    status: int
    checked_at: str


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
    encoding: str | None = None  # the encoding Scrapy decided for the body, as the crawl reads it
