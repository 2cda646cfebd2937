"""The meta-refresh check that decodes only pages whose bytes could hold a refresh."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from ccme_crawler import settings as project_settings
from ccme_crawler.middlewares import ByteCheckedMetaRefreshMiddleware

URL = "https://www.ccme.org.ma/fr/actualites/1/"
REFRESH_HEAD = '<html><head><meta http-equiv="{0}" content="0; url=/fr/ailleurs/"></head>'


def _middleware() -> ByteCheckedMetaRefreshMiddleware:
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    return ByteCheckedMetaRefreshMiddleware.from_crawler(crawler)


def _page(html: str, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(
        URL,
        body=html.encode(encoding),
        headers={"Content-Type": f"text/html; charset={encoding}"},
    )


@pytest.mark.parametrize("spelling", ["refresh", "Refresh", "REFRESH"])
def test_a_meta_refresh_is_followed_whatever_its_case(spelling: str) -> None:
    answer = _middleware().process_response(
        Request(URL), _page(REFRESH_HEAD.format(spelling) + "<body>x</body></html>")
    )
    assert isinstance(answer, Request) and answer.url == "https://www.ccme.org.ma/fr/ailleurs/"


def test_a_meta_refresh_in_utf16_is_followed() -> None:
    page = _page(REFRESH_HEAD.format("refresh") + "<body>مقال</body></html>", "utf-16-le")
    answer = _middleware().process_response(Request(URL), page)
    assert isinstance(answer, Request) and answer.url == "https://www.ccme.org.ma/fr/ailleurs/"


def test_a_page_without_refresh_is_returned_undecoded() -> None:
    page = _page("<html><head><title>Article</title></head><body>" + "é" * 50_000 + "</body>")
    answer = _middleware().process_response(Request(URL), page)
    assert answer is page and page._cached_ubody is None


def test_the_word_refresh_without_a_meta_tag_is_no_redirect() -> None:
    page = _page("<html><head><script>refresh()</script></head><body>x</body></html>")
    assert _middleware().process_response(Request(URL), page) is page


def test_settings_replace_scrapys_meta_refresh_middleware() -> None:
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert middlewares["ccme_crawler.middlewares.ByteCheckedMetaRefreshMiddleware"] == 580
