"""Run a real Scrapy crawl with WARC capture; executed in a subprocess by test_scrapy_capture.py.

usage: python crawl_helper.py BASE_URL WARC_DIR OUT_JSON [stock]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.crawler import CrawlerProcess

from ccme_crawler.warc.handler import DOWNLOAD_HANDLERS


class CaptureSpider(scrapy.Spider):
    name = "capture"
    custom_settings: ClassVar[dict[str, Any]] = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, base: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [
            f"{base}/page?a=1&b=%C3%A9",
            f"{base}/gz",
            f"{base}/chunked",
            f"{base}/redirect",
            f"{base}/missing",
            f"{base}/page?a=1&b=%C3%A9",
        ]

    def parse(self, response: scrapy.http.Response) -> Iterator[dict[str, Any]]:
        pointer = response.meta.get("ccme_warc")
        yield {
            "url": response.url,
            "request_url": response.request.url if response.request else None,
            "status": response.status,
            "body": response.body.decode("utf-8", "replace"),
            "headers": {
                name.decode().lower(): ", ".join(v.decode() for v in values)
                for name, values in response.headers.items()
            },
            "warc": {
                "filename": pointer.filename,
                "offset": pointer.offset,
                "length": pointer.length,
                "record_id": pointer.record_id,
                "payload_digest": pointer.payload_digest,
            }
            if pointer
            else None,
        }


def main() -> None:
    base, warc_dir, out = sys.argv[1:4]
    stock = len(sys.argv) > 4 and sys.argv[4] == "stock"
    settings: dict[str, Any] = {
        "CCME_WARC_DIR": warc_dir,
        "CCME_WARC_OPERATOR": "tests@example.org",
        "DOWNLOADER_MIDDLEWARES": {"ccme_crawler.warc.middleware.WarcCaptureMiddleware": 950},
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "FEEDS": {out: {"format": "json"}},
    }
    if not stock:
        settings["DOWNLOAD_HANDLERS"] = DOWNLOAD_HANDLERS
    process = CrawlerProcess(settings)
    process.crawl(CaptureSpider, base=base)
    process.start()


if __name__ == "__main__":
    main()
