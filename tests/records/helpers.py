"""Pages for the record tests: fixture files as the crawl, a WARC and a saved file give them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from ccme_crawler.items import RawPage
from ccme_crawler.records import page_from_response
from ccme_crawler.spiders.archive import ArchiveSpider
from ccme_crawler.warc import CapturedPage, WarcWriter, iter_captured_pages
from tests.helpers import REFERENCE_SITE, ROOT

GOLDEN_PAGES = ROOT / "tests" / "golden" / "pages"
ARTICLE_URL = (
    "https://www.ccme.org.ma/"
    "le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation/"
)
CATEGORY = "/category/archives-du-ccme/medias-et-migration/"
LISTING_URL = "https://www.ccme.org.ma" + CATEGORY
HTML = "text/html; charset=UTF-8"
FETCHED_AT = "2026-01-02T03:04:05+00:00"
SOFT_404 = (
    b'<html><head><title>Page introuvable</title></head><body class="error404"></body></html>'
)
# A post page whose template holds nothing: no title, no text, only the site's header.
EMPTY_POST = b'<html><body class="single"><header>Accueil Contact</header></body></html>'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def article_html() -> bytes:
    return (REFERENCE_SITE / "article-fr.html").read_bytes()


def listing_html() -> bytes:
    return (REFERENCE_SITE / "category-fr.html").read_bytes()


def drain(output: AsyncIterator[Any]) -> list[Any]:
    """Everything an ``async def`` callback (the spider's ``parse_listing``) yields."""

    async def collect() -> list[Any]:
        return [item async for item in output]

    return asyncio.run(collect())


def response(
    url: str,
    body: bytes,
    content_type: str | None = HTML,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    meta: dict[str, object] | None = None,
) -> Response:
    """A response as Scrapy's downloader hands it to a callback (class chosen by Scrapy)."""
    all_headers = {**({"Content-Type": content_type} if content_type else {}), **(headers or {})}
    response_class = responsetypes.from_args(headers=all_headers, url=url, body=body)
    request = Request(url, meta={"ccme_fetched_at": FETCHED_AT, **(meta or {})})
    return response_class(url=url, status=status, headers=all_headers, body=body, request=request)


def crawled_page(
    body: bytes,
    content_type: str | None = HTML,
    *,
    url: str = ARTICLE_URL,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> RawPage:
    """The page the spider yields for an article found on page 1 of CATEGORY."""
    return page_from_response(
        response(url, body, content_type, status=status, headers=headers),
        url,
        CATEGORY,
        LISTING_URL,
    )


def spider(origin: str = "https://www.ccme.org.ma") -> ArchiveSpider:
    crawler = get_crawler(ArchiveSpider)
    instance = ArchiveSpider.from_crawler(crawler, base_url=origin)
    instance.known = set()
    return instance


def captured(
    directory: Path, url: str, body: bytes, content_type: str = HTML, status: int = 200
) -> CapturedPage:
    """Write one exchange to a WARC in ``directory`` and read it back as ``reextract`` does."""
    with WarcWriter(directory) as writer:
        writer.write_exchange(
            target_uri=url,
            request_method="GET",
            request_headers=[("User-Agent", "ccme-tests")],
            request_body=b"",
            protocol="HTTP/1.1",
            status=status,
            reason="OK",
            response_headers=[("Content-Type", content_type)],
            payload=body,
            fetched_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        )
    (page,) = [p for p in iter_captured_pages(directory) if p.target_uri == url]
    return page
