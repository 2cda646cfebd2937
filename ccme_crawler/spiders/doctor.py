"""``doctor``: run discovery as a crawl does, then fetch one listing page and one article per
language, and hand what it got back (``ccme_crawler.doctor`` judges it).

Navigation only. Discovery is the crawl's own (``discovery.Findings``: the home pages' menus,
the switcher of each category found, robots.txt and the sitemaps, the author archives, in that
order); its result is yielded as a :class:`DiscoveryResult`. The listing of each language is
the first one a crawl of scope ``archive`` would walk (``discovery.plan_walks``); its page 1 and
the first article it lists are yielded as :class:`DoctorPage` items.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from ccme_crawler.discovery import Findings, plan_walks, read_answer
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import DiscoveryFetch, DiscoveryResult, DoctorPage
from ccme_crawler.spiders.archive import failure_reason
from ccme_crawler.urls import LANGUAGES, is_site_url, normalize_base_url, to_crawl_url

# Answers the doctor reads rather than lets Scrapy drop (redirects are still followed).
_READ_STATUSES = [400, 401, 403, 404, 410, 429, 500, 502, 503, 504]


class DoctorSpider(scrapy.Spider):
    name = "doctor"

    def __init__(self, base_url: str = "https://www.ccme.org.ma", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.origin = normalize_base_url(base_url)
        self.findings = Findings(self.origin)
        self.discovery_pending = 0

    @property
    def max_size(self) -> int:
        # The largest sitemap read once gunzipped (as a crawl reads it); no crawler: no limit.
        settings = getattr(self, "settings", None)
        return settings.getint("DOWNLOAD_MAXSIZE", 0) if settings is not None else 0

    async def start(self) -> AsyncIterator[Any]:
        for request in self._discovery_requests(self.findings.start()):
            yield request

    # -- discovery, the crawl's steps ---------------------------------------------------------

    def _discovery_requests(self, fetches: Iterable[DiscoveryFetch]) -> Iterator[scrapy.Request]:
        for fetch in fetches:
            self.discovery_pending += 1
            yield scrapy.Request(
                self.origin + fetch.url,
                callback=self.parse_discovery,
                errback=self.discovery_failed,
                cb_kwargs={"fetch": fetch},
                meta={"handle_httpstatus_list": _READ_STATUSES},
                dont_filter=True,
            )

    def parse_discovery(self, response: Response, fetch: DiscoveryFetch) -> Iterator[Any]:
        self.discovery_pending -= 1
        if response.status == 200:
            fetches = read_answer(self.findings, response, fetch, self.max_size)
        else:
            fetches = self.findings.failed(
                fetch.url, fetch.step, response.status, "", fetch.found_by
            )
        yield from self._discovery_requests(fetches)
        yield from self._discovery_progress()

    def discovery_failed(self, failure: Failure) -> Iterator[Any]:
        fetch: DiscoveryFetch = failure.request.cb_kwargs["fetch"]  # type: ignore[attr-defined]
        self.discovery_pending -= 1
        reason, status, _ = failure_reason(failure)
        fetches = self.findings.failed(
            fetch.url, fetch.step, status, "" if status else reason, fetch.found_by
        )
        yield from self._discovery_requests(fetches)
        yield from self._discovery_progress()

    def _discovery_progress(self) -> Iterator[Any]:
        if self.discovery_pending:
            return
        fetches = self.findings.author_fetches()  # the last step, once the others answered
        if fetches:
            yield from self._discovery_requests(fetches)
            return
        result = self.findings.result()
        yield result
        yield from self._listing_requests(result)

    # -- one listing and one article a language ----------------------------------------------

    def _listing_requests(self, result: DiscoveryResult) -> Iterator[Any]:
        found = {x.path: x for x in result.listings}
        plan = plan_walks(result.listings, "archive")
        for language in LANGUAGES:
            path = next((p for p in plan.listings if found[p].language == language), None)
            if path is None:
                continue  # the doctor reports the language as missing
            yield self._request(
                self.origin + path, self.parse_listing, "listing", found[path].found_by, language
            )

    def _request(
        self, url: str, callback: Any, kind: str, found_by: str, language: str
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
        encoding = response.encoding if isinstance(response, TextResponse) else None
        return DoctorPage(
            kind, language, response.url, found_by, response.status, response.body, "", encoding
        )

    def failed(self, failure: Failure) -> Iterator[DoctorPage]:
        request = failure.request  # type: ignore[attr-defined]
        kind, language, found_by = request.meta["doctor"]
        reason, status, detail = failure_reason(failure)
        error = f"{reason}: {detail}" if detail else reason
        yield DoctorPage(kind, language, request.url, found_by, status, b"", error)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        _, language, _ = response.meta["doctor"]
        for item in extract_listing(response.text, response.url).items:
            if is_site_url(item.url, self.origin):
                url = to_crawl_url(item.url, self.origin)
                yield self._request(url, self.parse_article, "article", "listing", language)
                return

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self._page(response)
