"""Finding the site's listings instead of guessing them (docs/discovery.md).

The spider fetches (``spiders/archive.py``); this module reads what each page tells and says
what to fetch next (:class:`Findings`), reads sitemaps and robots.txt with Scrapy's own sitemap
support, and makes the decisions a run depends on, as pure functions: which listings a scope
walks (:func:`plan_walks`), when the cached discovery is stale (:func:`rediscovery_reason`),
whether a post only a sitemap lists belongs to the crawl (:func:`post_in_scope`), and what to
say when nothing was found (:func:`nothing_found_message`).

Order of discovery: the menus of ``/`` and of the language homes its switcher links; the
switcher (and ``hreflang`` alternates) of every category found, which links its translations;
sitemaps named in robots.txt, else ``/wp-sitemap.xml`` (WordPress core), else
``/sitemap_index.xml`` (Yoast, Rank Math); last, the author archives of every language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from ccme_crawler.extraction.article import is_soft_404
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.extraction.navigation import (
    alternate_links,
    author_links,
    find_menu_entry,
    language_links,
    menu_listings,
    menus,
    walk_entries,
)
from ccme_crawler.items import (
    DiscoveredListing,
    DiscoveredSitemap,
    DiscoveryAttempt,
    DiscoveryCache,
    DiscoveryFetch,
    DiscoveryReport,
    DiscoveryResult,
    MenuEntry,
    WalkPlan,
)
from ccme_crawler.urls import (
    LANGUAGES,
    canonical_path,
    home_path,
    is_site_url,
    is_under,
    listing_kind,
    listing_path,
    path_language,
    without_language,
)

ARCHIVE_LABEL = "Archives du CCME"
SCOPES = ("archive", "site")
# Close reason of a run that found no listing to walk (exit status 6, runner._exit_code).
NOTHING_DISCOVERED = "nothing_discovered"
# Where WordPress publishes sitemaps when robots.txt names none, in the order tried.
SITEMAP_ADDRESSES: tuple[tuple[str, str], ...] = (
    ("/wp-sitemap.xml", "wp-core"),
    ("/sitemap_index.xml", "seo-plugin"),
)
# Sub-sitemaps by what they list: WordPress core names, then Yoast's and Rank Math's.
_SITEMAP_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("posts", re.compile(r"(?:wp-sitemap-posts-post-\d+|(?:^|/)post-sitemap\d*)\.xml(?:\.gz)?$")),
    (
        "categories",
        re.compile(
            r"(?:wp-sitemap-taxonomies-category-\d+|(?:^|/)category-sitemap\d*)\.xml(?:\.gz)?$"
        ),
    ),
    ("users", re.compile(r"(?:wp-sitemap-users-\d+|(?:^|/)author-sitemap\d*)\.xml(?:\.gz)?$")),
)
_HOME = re.compile(r"^/(?:[a-z]{2}/)?$")
_STEP_OF_FETCH = {
    "home": "menu",
    "listing": "switcher",
    "robots": "robots",
    "sitemap": "sitemap",
    "author": "author",
}


# --- sitemaps and robots.txt ----------------------------------------------------------------


def sitemap_role(url: str) -> str:
    """What a sitemap lists, from its name: "posts", "categories", "users" or "other"."""
    path = urlsplit(url).path if "://" in url else url
    for role, pattern in _SITEMAP_ROLES:
        if pattern.search(path):
            return role
    return "other"


def sitemap_urls_in_robots(body: bytes, robots_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, as absolute URLs."""
    return list(sitemap_urls_from_robots(body, base_url=robots_url))


def sitemap_body(response: Response, max_size: int) -> bytes | None:
    """The XML of a sitemap response, gunzipped when it is a ``.xml.gz`` file, or None when the
    response is not a sitemap (SitemapSpider's rules)."""
    if isinstance(response, XmlResponse):
        return response.body
    if gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=max_size)
        except (ValueError, OSError, EOFError):  # larger than max_size, or not gzip after all
            return None
    # Compressed on the fly (Content-Encoding) and already inflated by Scrapy.
    if response.url.endswith((".xml", ".xml.gz")):
        return response.body
    return None


def parse_sitemap(body: bytes) -> tuple[str, list[dict[str, Any]]]:
    """``("sitemapindex" | "urlset", entries)`` of a sitemap, each entry a dict with ``loc``,
    ``lastmod`` when given and ``alternate`` (the ``xhtml:link`` URLs); ``("invalid", [])`` for
    anything that is not XML."""
    try:
        sitemap = Sitemap(body)
        return sitemap.type, list(sitemap)
    except (lxml.etree.XMLSyntaxError, StopIteration):
        return "invalid", []


def normalize_lastmod(value: str | None) -> str | None:
    """A W3C datetime (``2024-03-01``, ``2024-03-01T10:00:00+01:00``, ``…Z``) in UTC as
    ``YYYY-MM-DDTHH:MM:SS+00:00`` (comparable as text with the crawl's own timestamps); None
    when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2})?", text):
        text = (text + "-01-01")[:10] if len(text) == 4 else text + "-01"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _urlset_role(locs: Sequence[str]) -> str:
    """What an unnamed urlset lists, from its URLs (a sitemap named in robots.txt, say)."""
    kinds = set()
    for loc in locs:
        try:
            kinds.add(listing_kind(loc))
        except ValueError:
            return "posts"
    if kinds == {"category"}:
        return "categories"
    if kinds == {"author"}:
        return "users"
    return "other"


def _usable(listing: DiscoveredListing) -> bool:
    # A listing that answered 404 (or moved) is gone; a 5xx or no answer may be transient.
    return listing.status is None or listing.status == 200 or listing.status >= 500


def _parent(path: str) -> str:
    return path[: path.rstrip("/").rfind("/") + 1]


# --- one discovery pass ---------------------------------------------------------------------


class Findings:
    """What one discovery pass has found so far, and what it wants fetched next.

    The spider calls :meth:`start`, then one ``read_*`` or :meth:`failed` per answer, each
    returning the new fetches (never one twice); when nothing is pending it calls
    :meth:`author_fetches` (the last step), and at the end :meth:`result`.
    """

    def __init__(
        self,
        origin: str,
        *,
        archive_labels: Sequence[str] = (ARCHIVE_LABEL,),
        languages: Sequence[str] = LANGUAGES,
    ) -> None:
        self.origin = origin
        self.archive_labels = tuple(archive_labels)
        self.languages = tuple(languages)
        self._listings: dict[str, DiscoveredListing] = {}
        self._menus: list[list[MenuEntry]] = []
        self._roots: set[str] = set()
        self._translations: list[tuple[str, str]] = []
        self._homes: dict[str, str] = {}
        self._authors: dict[str, str | None] = {}  # author archive path → where it was seen
        self._sitemaps: dict[str, DiscoveredSitemap] = {}
        self._attempts: list[DiscoveryAttempt] = []
        self._requested: set[str] = set()
        self._sitemap_addresses = list(SITEMAP_ADDRESSES)
        self._top_sitemaps_pending = 0
        self._top_sitemap_read = False
        self._authors_derived = False

    # -- bookkeeping ---------------------------------------------------------------------

    def _site_path(self, url: str) -> str | None:
        """The path of a link to the crawled site (live or mirror host), None for other hosts."""
        if "://" not in url:
            return canonical_path(url).split("?", 1)[0]
        if not is_site_url(url, self.origin):
            return None
        return canonical_path(url).split("?", 1)[0]

    def _new(self, fetches: Iterable[DiscoveryFetch]) -> list[DiscoveryFetch]:
        fresh = []
        for fetch in fetches:
            if fetch.url in self._requested:
                continue
            self._requested.add(fetch.url)
            if fetch.step == "sitemap" and fetch.found_by != "index":
                self._top_sitemaps_pending += 1
            fresh.append(fetch)
        return fresh

    def _attempt(self, url: str, step: str, status: int | None, note: str = "") -> None:
        self._attempts.append(DiscoveryAttempt(url, _STEP_OF_FETCH[step], status, note))

    def _add(
        self, path: str, found_by: str, found_on: str | None, label: str | None
    ) -> DiscoveredListing:
        listing = self._listings.get(path)
        if listing is None:
            listing = self._listings[path] = DiscoveredListing(
                path=path,
                kind=listing_kind(path),
                language=path_language(path),
                label=label or None,
                found_by=found_by,
                found_on=found_on,
            )
        elif label and not listing.label:
            listing.label = label
        if listing.kind == "author":
            self._authors.setdefault(path, found_on)
        return listing

    def _listing_at(self, url: str) -> str | None:
        path = self._site_path(url)
        if path is None:
            return None
        try:
            return listing_path(path)
        except ValueError:
            return None

    # -- what pages tell -------------------------------------------------------------------

    def start(self) -> list[DiscoveryFetch]:
        """The first fetches: the home page's menus and robots.txt's sitemaps."""
        return self._new([DiscoveryFetch("/", "home"), DiscoveryFetch("/robots.txt", "robots")])

    def _read_links(
        self, url: str, html: str
    ) -> tuple[list[DiscoveryFetch], list[str], list[list[MenuEntry]]]:
        """Menus, language links and author links of a page: what they add, what to fetch (and
        the languages it links a translation in, and its menus)."""
        fetches: list[DiscoveryFetch] = []
        page_menus = menus(html, url)
        self._menus.extend(page_menus)
        for label in self.archive_labels:
            root = find_menu_entry(page_menus, label=label)
            root_path = self._listing_at(root.url) if root and root.url else None
            if root_path:
                self._roots.add(root_path)
        for entry in menu_listings(page_menus):
            path = self._listing_at(entry.url or "")
            if path is None:
                continue
            self._add(path, "menu", url, entry.label)
            if listing_kind(path) == "category":
                fetches.append(DiscoveryFetch(path, "listing"))
        page_listing = self._listing_at(url)
        translated = []
        for link in [*language_links(html, url), *alternate_links(html, url)]:
            target = self._site_path(link.url)
            if target is None:
                continue
            target_listing = self._listing_at(target)
            if target_listing is not None and link.translation:
                self._add(target_listing, "switcher", url, None)
                if page_listing is not None:
                    self._translations.append((page_listing, target_listing))
                    translated.append(link.language)
                if listing_kind(target_listing) == "category":
                    fetches.append(DiscoveryFetch(target_listing, "listing"))
            elif target_listing is None and _HOME.match(target):
                self._homes.setdefault(link.language, target)
                fetches.append(DiscoveryFetch(target, "home"))
        for author in author_links(html, url):
            path = self._listing_at(author)
            if path is not None:
                self._add(path, "author", url, None)
        return fetches, sorted(set(translated)), page_menus

    def read_home(self, url: str, html: str) -> list[DiscoveryFetch]:
        """A home page: its menus (the "Archives du CCME" entry, every category), its
        switcher (the other languages' homes), its author links."""
        fetches, _, page_menus = self._read_links(url, html)
        found = [
            entry
            for label in self.archive_labels
            if (entry := find_menu_entry(page_menus, label=label)) is not None
        ]
        listed = len(menu_listings(page_menus))
        if found:
            note = f"menu '{found[0].label}' with {len(found[0].children)} entries"
        else:
            note = f"menu has no '{self.archive_labels[0]}'"
        self._attempt(self._site_path(url) or url, "home", 200, f"{note}, {listed} listings")
        return self._new(fetches)

    def read_listing(self, url: str, requested: str, html: str, step: str) -> list[DiscoveryFetch]:
        """Page 1 of a listing discovery wanted to see: it exists, its label, its switcher
        (translations), its menus and author links."""
        if is_soft_404(html):
            return self.failed(requested, step, 404, "a 'not found' page")
        path = self._listing_at(url) or requested
        requested_listing = self._listings.get(requested)
        if path != requested and requested_listing is not None:
            # Moved (a redirect): the listing lives on under its new path.
            requested_listing.status = 301
            self._add(path, requested_listing.found_by, requested_listing.found_on, None)
        listing = self._add(path, "author" if step == "author" else "menu", url, None)
        page = extract_listing(html, url)
        listing.status = 200
        if page.category_label and not listing.label:
            listing.label = page.category_label
        fetches, translated, _ = self._read_links(url, html)
        note = f"{len(page.items)} posts on page 1"
        if translated:
            note += f", translations: {', '.join(translated)}"
        self._attempt(path, step, 200, note)
        return self._new(fetches)

    def read_robots(self, url: str, body: bytes) -> list[DiscoveryFetch]:
        """robots.txt: the sitemaps its ``Sitemap:`` lines name (else the usual addresses)."""
        named = [self._site_path(u) for u in sitemap_urls_in_robots(body, url)]
        paths = [p for p in named if p]
        note = f"Sitemap: {', '.join(paths)}" if paths else "no Sitemap line"
        if len(paths) < len(named):
            note += f" ({len(named) - len(paths)} on other hosts, not read)"
        self._attempt("/robots.txt", "robots", 200, note)
        if not paths:
            return self._new(self._next_sitemap_address())
        return self._new(DiscoveryFetch(p, "sitemap", "robots") for p in paths)

    def _next_sitemap_address(self) -> list[DiscoveryFetch]:
        if self._top_sitemap_read or not self._sitemap_addresses:
            return []
        path, found_by = self._sitemap_addresses.pop(0)
        return [DiscoveryFetch(path, "sitemap", found_by)]

    def _top_sitemap_done(self, read: bool) -> list[DiscoveryFetch]:
        self._top_sitemaps_pending -= 1
        self._top_sitemap_read = self._top_sitemap_read or read
        if self._top_sitemaps_pending == 0 and not self._top_sitemap_read:
            return self._next_sitemap_address()
        return []

    def read_sitemap(
        self, url: str, body: bytes | None, found_by: str, role: str | None
    ) -> list[DiscoveryFetch]:
        """A sitemap: an index names the category, user and post sitemaps; a category sitemap
        gives category listings, a user sitemap author archives; post sitemaps are kept for the
        run to read after its walks."""
        path = self._site_path(url) or url
        kind, entries = ("invalid", []) if body is None else parse_sitemap(body)
        fetches: list[DiscoveryFetch] = []
        if kind == "sitemapindex":
            self._sitemaps.setdefault(path, DiscoveredSitemap(path, "index", found_by, None))
            roles: Counter[str] = Counter()
            for entry in entries:
                child = self._site_path(entry["loc"])
                if child is None:
                    continue
                child_role = sitemap_role(child)
                roles[child_role] += 1
                self._sitemaps.setdefault(
                    child, DiscoveredSitemap(child, child_role, "index", path)
                )
                if child_role in ("categories", "users"):
                    fetches.append(DiscoveryFetch(child, "sitemap", "index", child_role))
            note = "index: " + (", ".join(f"{n} {r}" for r, n in sorted(roles.items())) or "empty")
        elif kind == "urlset":
            locs = [loc for e in entries for loc in (e["loc"], *e.get("alternate", ()))]
            what = role or sitemap_role(path)
            if what == "other":
                what = _urlset_role(locs)
            self._sitemaps.setdefault(path, DiscoveredSitemap(path, what, found_by, None))
            if what in ("categories", "users"):
                for loc in locs:
                    listing = self._listing_at(loc)
                    if listing is not None:
                        self._add(listing, "sitemap", path, None)
            note = f"{len(locs)} {what}"
        else:
            note = "not a sitemap"
        self._attempt(path, "sitemap", 200, note)
        if found_by != "index":
            fetches += self._top_sitemap_done(kind in ("sitemapindex", "urlset"))
        return self._new(fetches)

    def failed(
        self, url: str, step: str, status: int | None, reason: str, found_by: str | None = None
    ) -> list[DiscoveryFetch]:
        """A fetch that gave nothing: recorded, and the next sitemap address tried if it was
        the last hope of this one."""
        path = self._site_path(url) or url
        self._attempt(path, step, status, "" if status is not None and not reason else reason)
        if step in ("listing", "author"):
            listing = self._listings.get(self._listing_at(path) or "")
            if listing is not None and status is not None:
                listing.status = status
        if step == "robots":
            return self._new(self._next_sitemap_address())
        if step == "sitemap" and found_by != "index":
            return self._new(self._top_sitemap_done(False))
        return []

    def author_fetches(self) -> list[DiscoveryFetch]:
        """The last step: the author archives, in every language. An author seen in one language
        is looked for under every language's home (Polylang prefixes every archive with it)."""
        if self._authors_derived:
            return []
        self._authors_derived = True
        seen: dict[str, str | None] = {}
        for path, found_on in self._authors.items():
            seen.setdefault(without_language(path), found_on or path)
        fetches = []
        for base, found_on in seen.items():
            for language in self.languages:
                home = self._homes.get(language, home_path(language))
                candidate = listing_path(home.rstrip("/") + base)
                self._add(candidate, "author", found_on, None)
                fetches.append(DiscoveryFetch(candidate, "author"))
        if not seen:
            self._attempts.append(DiscoveryAttempt("author links", "author", None, "none"))
        return self._new(fetches)

    def result(self) -> DiscoveryResult:
        """Everything found, each listing with its role in the "Archives du CCME"."""
        roots = self._roots | self._translated(self._roots)
        archive: set[str] = set()
        while True:  # until nothing more is learnt
            before = (len(roots), len(archive))
            for root in roots:
                entry = find_menu_entry(self._menus, path=root)
                if entry is not None:
                    archive |= {p for c in entry.children if (p := self._listing_at(c.url or ""))}
            archive |= {
                path
                for path, listing in self._listings.items()
                if listing.found_by == "sitemap"
                and listing.kind == "category"
                and _parent(path) in roots
            }
            archive = (archive | self._translated(archive)) - roots
            # In a language whose archive category is unknown, the menu entry holding one of its
            # archive categories (a translation) is it: its other children belong too.
            rooted = {path_language(r) for r in roots}
            for entries in self._menus:
                for entry in walk_entries(entries):
                    path = self._listing_at(entry.url or "")
                    if path is None or path_language(path) in rooted:
                        continue
                    if {self._listing_at(c.url or "") for c in entry.children} & archive:
                        roots.add(path)
            roots |= self._translated(roots)
            archive -= roots
            if (len(roots), len(archive)) == before:
                break
        for path, listing in self._listings.items():
            listing.role = (
                "archive-root" if path in roots else "archive" if path in archive else "other"
            )
        return DiscoveryResult(
            listings=list(self._listings.values()),
            sitemaps=list(self._sitemaps.values()),
            attempts=list(self._attempts),
        )

    def _translated(self, paths: set[str]) -> set[str]:
        """Every translation of these listings (the switcher links both ways, transitively)."""
        found = set(paths)
        changed = True
        while changed:
            changed = False
            for a, b in self._translations:
                if (a in found) != (b in found):
                    found |= {a, b}
                    changed = True
        return found - paths


def read_answer(
    findings: Findings, response: Response, fetch: DiscoveryFetch, max_size: int
) -> list[DiscoveryFetch]:
    """Hand a 200 answer to the ``Findings`` step that asked for it; the fetches it adds.
    (The archive spider and the doctor spider run the same steps.)"""
    if fetch.step == "robots":
        return findings.read_robots(response.url, response.body)
    if fetch.step == "sitemap":
        body = sitemap_body(response, max_size)
        return findings.read_sitemap(response.url, body, fetch.found_by or "", fetch.role)
    if not isinstance(response, TextResponse):
        return findings.failed(fetch.url, fetch.step, response.status, "not an HTML page")
    if fetch.step == "home":
        return findings.read_home(response.url, response.text)
    return findings.read_listing(response.url, fetch.url, response.text, fetch.step)


# --- decisions ------------------------------------------------------------------------------


def plan_walks(
    listings: Iterable[DiscoveredListing], scope: str, languages: Sequence[str] = LANGUAGES
) -> WalkPlan:
    """The listings a run of ``scope`` walks.

    ``archive``: in each language, the children of "Archives du CCME" (or the archive category
    itself when its children are unknown); a language without either falls back on its author
    archives, a near-complete index of the site. ``site``: every category and author listing
    found, in every language. Listings that answered 404 are left out.
    """
    usable = [x for x in listings if _usable(x)]
    by_language = {lang: [x for x in usable if x.language == lang] for lang in languages}
    walk: list[str] = []
    author_languages: list[str] = []
    missing: list[str] = []
    for language, found in by_language.items():
        if scope == "site":
            chosen = [x for x in found if x.kind in ("category", "author")]
        else:
            chosen = [x for x in found if x.role == "archive"] or [
                x for x in found if x.role == "archive-root"
            ]
            if not chosen:
                chosen = [x for x in found if x.kind == "author"]
                if chosen:
                    author_languages.append(language)
        walk += [x.path for x in chosen]
        if not chosen:
            missing.append(language)
    archive_paths = [x.path for x in usable if x.role in ("archive", "archive-root")]
    return WalkPlan(
        scope=scope,
        listings=walk,
        archive_paths=archive_paths if scope == "archive" else [],
        author_languages=author_languages,
        missing_languages=missing,
    )


def rediscovery_reason(
    cache: DiscoveryCache,
    *,
    now: datetime,
    max_age_days: float,
    force: bool = False,
    scope: str = "archive",
    languages: Sequence[str] = LANGUAGES,
) -> str | None:
    """Why the cached discovery cannot be used for this run, or None when it can."""
    if force:
        return "asked to (--rediscover)"
    if cache.discovered_at is None:
        return "nothing discovered yet"
    age = now - datetime.fromisoformat(cache.discovered_at)
    if age.total_seconds() > max_age_days * 86_400:
        return (
            f"the listings were discovered {age.days} days ago "
            f"(more than CCME_DISCOVERY_MAX_AGE_DAYS={max_age_days:g})"
        )
    if cache.gone:
        return f"{cache.gone[0]} answered 404 on a walk"
    if not plan_walks(cache.listings, scope, languages).listings:
        return f"the cached listings give nothing to walk in scope {scope}"
    return None


def post_in_scope(url: str, category_path: str | None, plan: WalkPlan) -> bool:
    """Whether a post only a sitemap listed belongs to the crawl: in scope ``site`` every post
    does; in scope ``archive`` a post whose own category is an archive category (or below
    one), or any post of a language the author archives index."""
    if plan.scope != "archive":
        return True
    if path_language(url) in plan.author_languages:
        return True
    return category_path is not None and any(is_under(category_path, p) for p in plan.archive_paths)


def nothing_found_message(result: DiscoveryResult) -> str:
    """What was tried and what each answered, in one line:
    ``no listing found: / (200, menu has no 'Archives du CCME'), /wp-sitemap.xml (404), …``."""
    parts = []
    # In the order of the steps, whatever order the answers came in.
    order = list(_STEP_OF_FETCH.values())
    for attempt in sorted(result.attempts, key=lambda a: order.index(a.step)):
        answer = str(attempt.status) if attempt.status is not None else "no answer"
        if attempt.url == "author links":
            parts.append(f"author links: {attempt.note}")
            continue
        parts.append(f"{attempt.url} ({answer}{', ' + attempt.note if attempt.note else ''})")
    return "no listing found: " + (", ".join(parts) or "nothing could be fetched")


def answered_at_all(result: DiscoveryResult) -> bool:
    """False when no page of the site (robots.txt aside: the web server serves it even when
    WordPress is down) got an answer other than a server error: the site is down rather than
    changed."""
    return any(
        a.status is not None and a.status < 500 and a.step != "robots" for a in result.attempts
    )


def discovery_summary(report: DiscoveryReport) -> dict[str, Any]:
    """How the run got its listings, for the summary, ``crawl --json`` and ``crawl_runs``."""
    listings = {x.path: x for x in report.result.listings}
    walked = [listings.get(p) for p in report.plan.listings]
    found = [x for x in report.result.listings if _usable(x)]
    return {
        "source": report.source,
        "reason": report.reason,
        "scope": report.plan.scope,
        "listings_found": len(found),
        "found_by": dict(Counter(x.found_by for x in found)),
        "walked": report.plan.listings,
        "walked_by_language": dict(Counter(x.language for x in walked if x is not None)),
        "walked_by_found_by": dict(Counter(x.found_by for x in walked if x is not None)),
        "author_languages": report.plan.author_languages,
        "missing_languages": report.plan.missing_languages,
        "sitemaps": dict(Counter(s.role for s in report.result.sitemaps)),
        "message": report.message,
        "attempts": [
            {"url": a.url, "step": a.step, "status": a.status, "note": a.note}
            for a in report.result.attempts
        ],
    }
