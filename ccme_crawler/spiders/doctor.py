"""``doctor``: fetch what a crawl relies on, a little of each, and hand the pages back.

Navigation only, one step after the other: robots.txt; the sitemap it names (else
``/wp-sitemap.xml``, else ``/sitemap_index.xml``) and its users sitemap; the French home, whose
menu's "Archives du CCME" entry gives a listing; that listing's language switcher, which gives
the Arabic and English translations (else the author archives in those languages); page 1 of
each listing and its first article. Every answer is yielded as a :class:`DoctorPage`;
``ccme_crawler.doctor`` judges them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.extraction.menus import author_archive_links, language_switcher, menu_entry
from ccme_crawler.items import DoctorPage
from ccme_crawler.urls import is_site_url, normalize_base_url, to_crawl_url

ARCHIVE_LABELS = ("Archives du CCME",)
LANGUAGES = ("fr", "ar", "en")
SITEMAP_ADDRESSES = (
    ("/wp-sitemap.xml", "wp-core address"),
    ("/sitemap_index.xml", "seo-plugin address"),
)
# Answers the doctor reads rather than lets Scrapy drop (redirects are still followed).
_READ_STATUSES = [400, 401, 403, 404, 410, 429, 500, 502, 503, 504]


class DoctorSpider(scrapy.Spider):
    name = "doctor"

    def __init__(self, base_url: str = "https://www.ccme.org.ma", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.origin = normalize_base_url(base_url)
        self.sitemaps = list(SITEMAP_ADDRESSES)
        self.authors: list[str] = []  # author archive URLs seen (any language)
        self.homes: dict[str, str] = {}
        self.listing_switcher: dict[str, tuple[str, bool]] = {}
        self.pending_languages = list(LANGUAGES)
        self.menu_listing: str | None = None

    # -- plumbing ---------------------------------------------------------------------------

    def _local(self, url: str) -> str | None:
        """A link to the site as a URL on the host being checked (None: another site)."""
        if "://" not in url:
            return self.origin + url
        return to_crawl_url(url, self.origin) if is_site_url(url, self.origin) else None

    def _request(
        self, url: str, callback: Any, kind: str, found_by: str, language: str | None = None
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            dont_filter=True,
            meta={"handle_httpstatus_list": _READ_STATUSES, "doctor": (kind, language, found_by)},
        )

    def _page(self, response: Response) -> DoctorPage:
        kind, language, found_by = response.meta["doctor"]
        return DoctorPage(kind, language, response.url, found_by, response.status, response.body)

    def failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        kind, language, found_by = request.meta["doctor"]
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
        error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        yield DoctorPage(kind, language, request.url, found_by, status, b"", error)
        yield from self._after(kind, language)

    def _after(self, kind: str, language: str | None) -> Iterator[Any]:
        """The next step once a page of ``kind`` gave what it could."""
        if kind in ("robots", "sitemap"):
            yield from self._next_sitemap()
        elif kind in ("home", "listing"):
            yield from self._next_listing()

    # -- steps ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        yield self._request(self.origin + "/robots.txt", self.parse_robots, "robots", "address")

    def parse_robots(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
        if response.status == 200:
            named = [self._local(u) for u in sitemap_urls_from_robots(response.body)]
            if named:
                self.sitemaps = [(u, "robots.txt") for u in named if u]
        yield from self._next_sitemap()

    def _next_sitemap(self) -> Iterator[Any]:
        if self.sitemaps:
            where, found_by = self.sitemaps.pop(0)
            url = where if "://" in where else self.origin + where
            yield self._request(url, self.parse_sitemap, "sitemap", found_by)
            return
        if "fr" not in self.homes:
            self.homes["fr"] = self.origin + "/"
            yield self._request(self.origin + "/", self.parse_home, "home", "address", "fr")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
        if response.status != 200:
            yield from self._next_sitemap()
            return
        try:
            sitemap = Sitemap(response.body)
            entries = list(sitemap)
        except Exception:  # not XML: reported by the doctor as an unreadable sitemap
            entries, sitemap = [], None
        found_by = response.meta["doctor"][2]
        self.sitemaps = []  # one sitemap found: the usual addresses are not tried further
        if sitemap is not None and sitemap.type == "sitemapindex":
            for entry in entries:
                loc = self._local(entry["loc"])
                if loc and ("users" in loc or "author-sitemap" in loc):
                    self.sitemaps.append((loc, f"index ({found_by})"))
        elif sitemap is not None:
            for entry in entries:
                loc = self._local(entry["loc"])
                if loc and "/author/" in loc:
                    self.authors.append(loc)
        yield from self._next_sitemap()

    def parse_home(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
        html = response.text if response.status == 200 else ""
        for entry in language_switcher(html, response.url):
            if (local := self._local(entry.url)) is not None:
                self.homes.setdefault(entry.language, local)
        self.authors += [
            a for u in author_archive_links(html, response.url) if (a := self._local(u))
        ]
        archive = menu_entry(html, response.url, ARCHIVE_LABELS)
        if archive is not None:
            for child in [*archive.children, archive]:
                if child.url and (local := self._local(child.url)) and "/category/" in local:
                    self.menu_listing = local
                    break
        yield from self._next_listing()

    def _next_listing(self) -> Iterator[Any]:
        """The listing of the next language: French from the menu, the others through the
        French listing's switcher, any language through its author archive."""
        while self.pending_languages:
            language = self.pending_languages.pop(0)
            url, found_by = None, ""
            if language == "fr" and self.menu_listing:
                url, found_by = self.menu_listing, "menu 'Archives du CCME'"
            elif language in self.listing_switcher and self.listing_switcher[language][1]:
                url, found_by = self.listing_switcher[language][0], "language switcher"
            else:
                url, found_by = self._author_archive(language), "author archive"
            if url is not None:
                yield self._request(url, self.parse_listing, "listing", found_by, language)
                return
            yield DoctorPage("listing", language, "", "nothing", None, b"", "no listing found")

    def _author_archive(self, language: str) -> str | None:
        for url in self.authors:
            path = url[len(self.origin) :] if url.startswith(self.origin) else url
            nicename = path.rstrip("/").rsplit("/", 1)[-1]
            prefix = "" if language == "fr" else f"/{language}"
            return f"{self.origin}{prefix}/author/{nicename}/"
        return None

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
        _, language, _ = response.meta["doctor"]
        html = response.text if response.status == 200 else ""
        if language == "fr":
            for entry in language_switcher(html, response.url):
                if (local := self._local(entry.url)) is not None:
                    self.listing_switcher[entry.language] = (local, entry.translation)
        self.authors += [
            a for u in author_archive_links(html, response.url) if (a := self._local(u))
        ]
        items = extract_listing(html, response.url).items if html else []
        first = next((self._local(i.url) for i in items if self._local(i.url)), None)
        if first is not None:
            yield self._request(first, self.parse_article, "article", "listing", language)
        yield from self._next_listing()

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
