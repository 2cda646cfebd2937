"""URL rules of the CCME site: canonical article URLs, listing paths, languages, mirror hosts.

Records are keyed by the article's canonical URL on the site's own origin
(``https://www.ccme.org.ma``) whatever host served it, so that a crawl of a local mirror and a
crawl of the live site name the same article the same way.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

SITE_ORIGIN = "https://www.ccme.org.ma"
SITE_HOSTS = frozenset({"www.ccme.org.ma", "ccme.org.ma"})

# The site's languages (Polylang): French has no prefix, the others live under /ar/ and /en/.
LANGUAGES: tuple[str, ...] = ("fr", "ar", "en")
DEFAULT_LANGUAGE = "fr"
LISTING_KINDS: tuple[str, ...] = ("category", "author", "tag")

# Query parameters that never change the content of a WordPress post page.
_IGNORED_PARAMS = re.compile(
    r"^(amp|utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref|replytocom|"
    r"share|s_cid|_ga|yclid|noamp)$",
    re.IGNORECASE,
)
# Characters that broken links on the site leave stuck to the end of a URL path.
_TRAILING_JUNK = "«»\"'“”‘’<>.,;:!)]}\u00a0 \t"
_PAGE_SUFFIX = re.compile(r"/page/(\d+)/?$")
# Every trailing /page/N/: WordPress reads each as pagination, never as part of a slug, so
# stripping one only would leave a path that normalizes again differently.
_PAGINATION = re.compile(r"(?:/page/\d+)+/?$")
_LANGUAGE_PREFIX = re.compile(r"^/(fr|ar|en)(?=/)")
# A WordPress archive listing, optionally under a language prefix: /ar/category/x/y/, /author/x/.
_LISTING = re.compile(r"^(?:/(?:fr|ar|en))?/(category|author|tag)/(?:[^/]+/)+$")


def _strip_junk(text: str) -> str:
    # "/slug/«", "/slug/%C2%AB" and "/slug«" all name "/slug/".
    return unquote(text).rstrip(_TRAILING_JUNK)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def is_site_url(url: str, crawl_origin: str | None = None) -> bool:
    """True for URLs on the CCME hosts or on the host being crawled (a mirror)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    if host in SITE_HOSTS:
        return True
    if crawl_origin is None:
        return False
    if origin_of(url).lower() == crawl_origin.lower():
        return True
    # A mirror on this machine may write "localhost" where it is crawled as "127.0.0.1".
    crawl = urlsplit(crawl_origin)
    return _is_loopback(host) and _is_loopback(crawl.hostname) and parts.port == crawl.port


def _is_loopback(host: str | None) -> bool:
    host = (host or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def canonical_path(url: str) -> str:
    """The normalized path (and meaningful query) of a site URL, without origin or fragment."""
    parts = urlsplit(url.strip())
    path = _strip_junk(parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"  # WordPress permalinks end with a slash
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, _strip_junk(v)) for k, v in query if not _IGNORED_PARAMS.match(k)]
    # "%" is not safe: the path was decoded above, so a literal "%" must stay encoded ("%25")
    # for the result to be canonical on a second pass.
    encoded_path = quote(path, safe="/:@!$&'()*+,;=-._~")
    return encoded_path + ("?" + urlencode(sorted(query)) if query else "")


def canonical_article_url(url: str) -> str:
    """The record key of an article: its normalized path on the site's canonical origin."""
    return SITE_ORIGIN + canonical_path(url)


_SHORTLINK = re.compile(r"^/(?:[a-z]{2}/)?\?p=(\d+)$")


def shortlink_post_id(url: str) -> int | None:
    """The post id of a WordPress shortlink (``/?p=ID``, ``/ar/?p=ID``), None for any other URL:
    a shortlink names the same post as its permalink."""
    if "?" not in url:  # no query, no shortlink: spares canonicalizing every permalink
        return None
    match = _SHORTLINK.match(canonical_path(url))
    return int(match.group(1)) if match else None


def to_crawl_url(url: str, crawl_origin: str) -> str:
    """Put a site URL (canonical or as linked) on the host being crawled."""
    return crawl_origin.rstrip("/") + canonical_path(url)


def listing_path(path_or_url: str) -> str:
    """Normalize any WordPress archive listing (category, author or tag, in any language) given
    as a path or full URL to its path: ``/ar/category/x/``, ``/author/y/``.

    Pagination (``/page/N/``), the query, the fragment and junk stuck to the end of a link
    (``«``, ``%C2%AB``) are dropped; a non-ASCII slug, raw or percent-encoded in either case,
    comes out percent-encoded in upper case, like the article keys (``canonical_path``).
    Raises ValueError for anything else.
    """
    text = path_or_url.strip()
    if not text:
        raise ValueError("empty listing")
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {path_or_url!r}")
        text = parts.path
    if not text.startswith("/"):
        text = "/" + text
    path = canonical_path(text.split("?", 1)[0].split("#", 1)[0]).split("?", 1)[0]
    path = _PAGINATION.sub("/", path)
    if not _LISTING.match(path):
        raise ValueError(
            "not an archive listing (expected …/category/…/, …/author/…/ or …/tag/…/): "
            f"{path_or_url!r}"
        )
    return path


def listing_kind(path: str) -> str:
    """``"category"``, ``"author"`` or ``"tag"`` for a listing path (ValueError otherwise)."""
    match = _LISTING.match(listing_path(path))
    assert match is not None  # listing_path only returns matching paths
    return match.group(1)


def path_language(path_or_url: str) -> str:
    """Language of a site path from its Polylang prefix: ``/ar/…`` is Arabic, no prefix French."""
    path = urlsplit(path_or_url).path if "://" in path_or_url else path_or_url
    match = _LANGUAGE_PREFIX.match(path)
    return match.group(1) if match else DEFAULT_LANGUAGE


def listing_language(path: str) -> str:
    """``"fr"``, ``"ar"`` or ``"en"`` for a listing path (ValueError when it is not a listing)."""
    return path_language(listing_path(path))


def without_language(path: str) -> str:
    """The path without its language prefix: ``/ar/author/x/`` → ``/author/x/``."""
    return _LANGUAGE_PREFIX.sub("", path, count=1)


def home_path(language: str) -> str:
    """Home page of a language in Polylang's directory mode: ``/``, ``/ar/``, ``/en/``."""
    return "/" if language == DEFAULT_LANGUAGE else f"/{language}/"


def is_under(path: str, ancestor: str) -> bool:
    """True when ``path`` is ``ancestor`` or below it (``/category/a/b/`` is under ``/category/a/``)."""
    return path.startswith(ancestor)


def is_listing_url(url: str) -> bool:
    """True for a page of an archive listing (category, author, tag; any page, any language)."""
    try:
        listing_path(url)
    except ValueError:
        return False
    return True


def is_discovery_url(url: str) -> bool:
    """True for the pages discovery reads that are neither listings nor articles: the home
    pages, robots.txt and sitemaps."""
    path = urlsplit(url).path if "://" in url else url
    return bool(re.fullmatch(r"/(?:(?:fr|ar|en)/?)?", path)) or path.endswith(
        ("/robots.txt", ".xml", ".xml.gz")
    )


def is_post_url(url: str) -> bool:
    """True for a URL that may be a post: neither a listing nor a home page, robots.txt or a
    sitemap (a post sitemap may list the home page too)."""
    return not is_listing_url(url) and not is_discovery_url(url)


def category_path(path_or_url: str) -> str:
    """Normalize a category given as a path or full URL to its path, e.g. ``/category/x/``.

    ``listing_path`` that insists on a category (``--category``, a post's own category).
    """
    path = listing_path(path_or_url)
    if "/category/" not in path:
        raise ValueError(f"not a category path (expected …/category/…/): {path_or_url!r}")
    return path


def listing_page_url(crawl_origin: str, listing: str, page: int) -> str:
    """URL of page ``page`` (1-based) of a listing on the crawl host."""
    base = crawl_origin.rstrip("/") + listing
    return base if page <= 1 else f"{base}page/{page}/"


def page_number_of(url: str) -> int:
    """Page number of a listing URL (1 when it has no ``/page/N/``)."""
    match = _PAGE_SUFFIX.search(urlsplit(url).path)
    return int(match.group(1)) if match else 1


def absolute(base: str, href: str) -> str:
    return urljoin(base, href.strip())


def normalize_base_url(base_url: str) -> str:
    """Validate a ``--base-url`` and return its origin (scheme://host[:port])."""
    parts = urlsplit(base_url.strip())
    # Credentials would be stored with the run (crawl_runs.base_url): refused, never echoed.
    if parts.username is not None or parts.password is not None:
        raise ValueError("a URL with a user name or password is refused (they would be stored)")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    try:
        port = parts.port  # urlsplit checks the port only when asked
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError(f"bad port in {base_url!r} (expected 1-65535)")
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")).rstrip("/")
