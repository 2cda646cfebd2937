"""A bare Scrapy spider: the baseline of the end-to-end crawl benchmark.

    python benchmarks/bare_spider.py --base-url http://127.0.0.1:PORT [--category PATH]...
        [--pagination parallel|sequential] [-s NAME=VALUE]...

It fetches the same URLs as ``ccme-crawler crawl`` on a mirror (robots.txt, every listing page of
each category, every article at its canonical URL, so no redirects) with the same Scrapy settings
(User-Agent, headers, concurrency, reactor), and keeps nothing: no extraction, no database, no
WARC. Article links are found with one CSS selector. It prints one JSON line of Scrapy stats.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from ccme_crawler.urls import (  # noqa: E402
    canonical_article_url,
    listing_page_url,
    to_crawl_url,
)
from ccme_mirror.site import ARCHIVE_CATEGORIES  # noqa: E402

# Scrapy's and ours, minus what makes ours ours (pipelines, extension, WARC capture).
_OURS_ONLY = ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "DOWNLOAD_HANDLERS")
_ITEM_LINKS = "article.l-post h2.post-title a::attr(href)"
_LAST_PAGE = "nav.main-pagination a.page-numbers:not(.next):not(.prev)::text"
_NEXT = "nav.main-pagination a.next::attr(href)"


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url: str, categories: list[str], pagination: str, **kw: Any) -> None:
        super().__init__(**kw)
        self.base_url = base_url.rstrip("/")
        self.categories = categories
        self.pagination = pagination

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for category in self.categories:
            yield self._listing(category, 1)

    def _listing(self, category: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            listing_page_url(self.base_url, category, page),
            callback=self.parse_listing,
            cb_kwargs={"category": category, "page": page},
            dont_filter=True,
        )

    def parse_listing(self, response: Response, category: str, page: int) -> Iterator[Any]:
        for href in response.css(_ITEM_LINKS).getall():
            url = to_crawl_url(canonical_article_url(response.urljoin(href)), self.base_url)
            # Articles before further listing pages, as ArchiveSpider schedules them.
            yield scrapy.Request(url, callback=self.parse_article, priority=10)
        next_href = response.css(_NEXT).get()
        if next_href is None:
            return
        if self.pagination == "sequential":
            yield self._listing(category, page + 1)
        elif page == 1:
            numbers = [
                int(t.replace("\xa0", "").replace(" ", ""))
                for t in response.css(_LAST_PAGE).getall()
                if t.replace("\xa0", "").replace(" ", "").isdigit()
            ]
            for number in range(2, max(numbers, default=1) + 1):
                yield self._listing(category, number)

    def parse_article(self, response: Response) -> None:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--category", action="append", dest="categories")
    parser.add_argument("--pagination", choices=("parallel", "sequential"), default="parallel")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.setmodule("ccme_crawler.settings", priority="project")
    for name in _OURS_ONLY:
        settings.set(name, {}, priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(
        crawler,
        base_url=args.base_url,
        categories=args.categories or [c.path for c in ARCHIVE_CATEGORIES],
        pagination=args.pagination,
    )
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(json.dumps({k: v for k, v in stats.items() if isinstance(v, int | float | str)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
