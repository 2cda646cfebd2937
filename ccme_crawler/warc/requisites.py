"""Capture what each archived page needs to render: its requisites.

``RequisitesMiddleware`` is a spider middleware. With WARC capture on and ``CCME_REQUISITES``
``site`` (the default) or ``all``, every listing or article page the spider parses (HTML, status
200) adds requests for the stylesheets, scripts, images and icons it references
(``extraction.requisites.page_requisites``), and every stylesheet fetched adds what it imports or
references (``css_requisites``): fonts, background images, other stylesheets. The WARC capture
middleware records their exchanges like any other, so replay tools find them in the archive.

- ``site``: only requisites on the site's hosts or the host crawled; ``all``: off-site ones too
  (web fonts, embeds); ``none``: off.
- Each requisite URL is requested once per crawl (a set of hashes), as an ordinary Scrapy request
  (robots.txt, AutoThrottle, retries), with priority 5: after the articles a listing page found
  (10), before further listing pages (0), so that the queue stays short.
- At most ``CCME_REQUISITES_MAX`` requisite requests a run; past that they are counted as capped.
- A requisite captured by an earlier run less than ``CCME_REQUISITES_MAX_AGE_DAYS`` ago, into a
  WARC file still in the WARC folder, is not fetched again (table ``captured_requisites``);
  0 fetches every one, and an unchanged one is then written as a revisit record.
- Requisites never reach the item pipelines: they are not articles, and a requisite that fails is
  counted under ``ccme/requisites/failed/<reason>``, never as a page failure of the run.

Stats: ``ccme/requisites/{scheduled,fetched,failed,skipped_recent,capped}`` here;
``ccme/requisites/{responses,revisits,bytes}`` from the WARC capture middleware.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse

from ccme_crawler.extraction.requisites import css_requisites, page_requisites
from ccme_crawler.run import Run
from ccme_crawler.spiders.archive import failure_reason
from ccme_crawler.urls import SITE_HOSTS, is_site_url, normalize_base_url
from ccme_crawler.warc.naming import sorted_warcs

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

MODES = ("none", "site", "all")
KIND = "requisite"
PRIORITY = 5
# Pages whose requisites are captured (meta ccme_kind set by the spider).
PAGE_KINDS = frozenset({"article", "listing"})
DEFAULT_MAX = 100_000
DEFAULT_MAX_AGE_DAYS = 30

# What the run summary shows, read from the stats.
REQUISITE_COUNTERS: dict[str, str] = {
    "fetched": "ccme/requisites/fetched",
    "revisits": "ccme/requisites/revisits",
    "failed": "ccme/requisites/failed",
    "bytes": "ccme/requisites/bytes",
    "skipped_recent": "ccme/requisites/skipped_recent",
    "capped": "ccme/requisites/capped",
}


def requisite_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The requisite counters of a run (0 for those never set)."""
    return {name: int(stats.get(stat, 0)) for name, stat in REQUISITE_COUNTERS.items()}


def is_stylesheet(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return "text/css" in content_type or (
        not content_type and urlsplit(response.url).path.endswith(".css")
    )


class RequisitesMiddleware:
    """Schedules the requisites of every fetched page (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.mode = str(settings.get("CCME_REQUISITES") or "site").lower()
        if self.mode not in MODES:
            raise ValueError(f"CCME_REQUISITES={self.mode!r}: expected one of {', '.join(MODES)}")
        warc_dir = settings.get("CCME_WARC_DIR")
        if not warc_dir or self.mode == "none":
            raise NotConfigured  # no message: a normal case, Scrapy would log it as a warning
        self.warc_dir = Path(warc_dir)
        self.origin = normalize_base_url(settings.get("CCME_BASE_URL"))
        self.max_requests = settings.getint("CCME_REQUISITES_MAX", DEFAULT_MAX)
        self.max_age_days = settings.getfloat("CCME_REQUISITES_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS)
        assert crawler.stats is not None
        self.stats = crawler.stats
        # hash() of each requisite URL asked for in this run, and of those captured recently.
        self.seen: set[int] = set()
        self.recent: set[int] = set()
        self.scheduled = 0
        self._warned_cap = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self) -> None:
        if self.max_age_days <= 0:
            return
        since = (datetime.now(UTC) - timedelta(days=self.max_age_days)).isoformat()
        present = (
            {path.name for path in sorted_warcs(self.warc_dir)} if self.warc_dir.exists() else set()
        )
        self.recent = {
            hash(url)
            for url, warc_file in Run.of(self.crawler).storage.requisites_captured_since(since)
            if warc_file in present
        }

    # -- spider output ----------------------------------------------------------------------

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from result
        yield from self._page_requests(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            yield item
        for request in self._page_requests(response):
            yield request

    def _page_requests(self, response: Response) -> Iterator[scrapy.Request]:
        if (
            response.meta.get("ccme_kind") not in PAGE_KINDS
            or response.status != 200
            or not isinstance(response, TextResponse)
        ):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if content_type and "html" not in content_type:
            return
        yield from self._requests(page_requisites(response.text, response.url), response.url)

    def _requests(self, urls: Iterable[str], page_url: str) -> Iterator[scrapy.Request]:
        for found in urls:
            url = self._on_crawl_host(found)
            if self.mode == "site" and not is_site_url(url, self.origin):
                continue
            key = hash(url)
            if key in self.seen:
                continue
            self.seen.add(key)
            if key in self.recent:
                self.stats.inc_value("ccme/requisites/skipped_recent")
                continue
            if self.max_requests and self.scheduled >= self.max_requests:
                self.stats.inc_value("ccme/requisites/capped")
                if not self._warned_cap:
                    self._warned_cap = True
                    logger.warning(
                        "CCME_REQUISITES_MAX (%d) reached: further requisites are not fetched",
                        self.max_requests,
                    )
                continue
            self.scheduled += 1
            self.stats.inc_value("ccme/requisites/scheduled")
            yield scrapy.Request(
                url,
                callback=self.requisite_fetched,
                errback=self.requisite_failed,
                headers={"Accept": "*/*"},
                meta={"ccme_kind": KIND, "ccme_requisite_of": page_url},
                priority=PRIORITY,
                dont_filter=True,  # self.seen already asks for each URL once
            )

    def _on_crawl_host(self, url: str) -> str:
        """A requisite linked on the live site's host, put on the host crawled (a mirror), with
        its path and query as written."""
        parts = urlsplit(url)
        if (parts.hostname or "").lower() in SITE_HOSTS and not url.startswith(self.origin + "/"):
            crawl = urlsplit(self.origin)
            return urlunsplit((crawl.scheme, crawl.netloc, parts.path, parts.query, ""))
        return url

    # -- requisite responses ------------------------------------------------------------------

    def requisite_fetched(self, response: Response) -> Iterator[scrapy.Request]:
        self.stats.inc_value("ccme/requisites/fetched")
        pointer = response.meta.get("ccme_warc")
        if pointer is not None and response.status == 200:
            redirects = response.meta.get("redirect_urls") or []
            Run.of(self.crawler).storage.record_captured_requisite(
                redirects[0] if redirects else response.url,
                response.meta.get("ccme_fetched_at") or datetime.now(UTC).isoformat(),
                pointer.payload_digest,
                pointer.filename,
            )
        if (
            response.status == 200
            and isinstance(response, TextResponse)
            and is_stylesheet(response)
        ):
            yield from self._requests(css_requisites(response.text, response.url), response.url)

    def requisite_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        reason, _, detail = failure_reason(failure)
        self.stats.inc_value("ccme/requisites/failed")
        self.stats.inc_value(f"ccme/requisites/failed/{reason}")
        logger.info(
            "Requisite %s of %s not captured: %s",
            request.url,
            request.meta.get("ccme_requisite_of"),
            detail,
        )
