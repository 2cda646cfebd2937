"""The gzip decoding of pages by ISA-L: the same response as Scrapy's own middleware gives."""

from __future__ import annotations

import gzip
import zlib

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from ccme_crawler import settings as project_settings
from ccme_crawler.middlewares import IsalHttpCompressionMiddleware

URL = "https://www.ccme.org.ma/fr/actualites/un-article/"
PAGE = (
    "<html><head><title>Un article</title></head><body><article>"
    + "Le Conseil de la communauté marocaine à l'étranger. مجلس الجالية " * 400
    + "</article></body></html>"
).encode()
MEMBER = gzip.compress(PAGE)


def _decoded(cls: type[HttpCompressionMiddleware], body: bytes, max_size: int = 0) -> Response:
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": max_size})
    middleware = cls.from_crawler(crawler)
    response = Response(
        URL,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
    )
    answer = middleware.process_response(Request(URL), response)
    assert isinstance(answer, Response)
    return answer


def test_a_gzip_page_is_inflated() -> None:
    assert _decoded(IsalHttpCompressionMiddleware, MEMBER).body == PAGE


def test_the_content_encoding_header_is_gone_as_with_scrapy() -> None:
    ours = _decoded(IsalHttpCompressionMiddleware, MEMBER)
    assert (
        ours.headers.to_unicode_dict()
        == _decoded(HttpCompressionMiddleware, MEMBER).headers.to_unicode_dict()
    )


def test_the_response_class_is_scrapys() -> None:
    ours = _decoded(IsalHttpCompressionMiddleware, MEMBER)
    assert type(ours) is type(_decoded(HttpCompressionMiddleware, MEMBER))


BODIES = {
    "zlib level 9": zlib.compressobj(9, zlib.DEFLATED, 31).compress(PAGE)
    + zlib.compressobj(9, zlib.DEFLATED, 31).flush(),
    "two members": MEMBER + gzip.compress(b"<p>encore</p>"),
    "cut short": MEMBER[: len(MEMBER) // 2],
    "checksum wrong": MEMBER[:-8] + bytes(8),
    "trailing zeros": MEMBER + bytes(16),
    "empty page": gzip.compress(b""),
}


@pytest.mark.parametrize("name", sorted(BODIES))
def test_the_body_is_scrapys_whatever_the_member(name: str) -> None:
    body = BODIES[name]
    try:
        expected: bytes | str = _decoded(HttpCompressionMiddleware, body).body
    except Exception as exc:  # Scrapy's failure, to be met in the same way
        expected = type(exc).__name__
    try:
        ours: bytes | str = _decoded(IsalHttpCompressionMiddleware, body).body
    except Exception as exc:
        ours = type(exc).__name__
    assert ours == expected


def test_a_body_over_the_size_limit_is_ignored_as_with_scrapy() -> None:
    with pytest.raises(IgnoreRequest, match="DOWNLOAD_MAXSIZE"):
        _decoded(IsalHttpCompressionMiddleware, MEMBER, max_size=len(PAGE) - 1)


def test_a_body_at_the_size_limit_is_inflated() -> None:
    assert _decoded(IsalHttpCompressionMiddleware, MEMBER, max_size=len(PAGE)).body == PAGE


def test_settings_replace_scrapys_compression_middleware() -> None:
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    scrapys = "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"
    assert (
        middlewares[scrapys],
        middlewares["ccme_crawler.middlewares.IsalHttpCompressionMiddleware"],
    ) == (None, 590)
