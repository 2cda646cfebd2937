"""Fetched pages (RawPage) from a Scrapy response, a WARC capture and a saved file."""

from __future__ import annotations

from pathlib import Path

from ccme_crawler.items import WarcPointer
from ccme_crawler.records import (
    capture_response,
    page_from_capture,
    page_from_file,
    page_from_response,
    response_headers,
)
from ccme_crawler.warc import CapturedPage
from tests.helpers import REFERENCE_SITE

from .helpers import (
    ARTICLE_URL,
    CATEGORY,
    FETCHED_AT,
    LISTING_URL,
    PNG,
    article_html,
    captured,
    crawled_page,
    response,
)

POINTER = WarcPointer("ccme-1.warc.gz", 10, 20, "<urn:uuid:x>", "sha1:X")
MIRROR_URL = "http://127.0.0.1:8000/le-maroc-et-la-belgique/"


# --- from a crawl response ---


def test_response_headers_are_lower_cased_and_joined() -> None:
    page = crawled_page(article_html(), headers={"X-Tag": "a", "ETag": '"v1"'})
    assert page.headers == {
        "content-type": "text/html; charset=UTF-8",
        "x-tag": "a",
        "etag": '"v1"',
    }


def test_response_page_is_fetched_from_the_first_url_of_its_redirects() -> None:
    crawled = response(MIRROR_URL, article_html(), meta={"redirect_urls": [MIRROR_URL + "%C2%AB"]})
    assert page_from_response(crawled, ARTICLE_URL, None, None).fetched_url == MIRROR_URL + "%C2%AB"


def test_response_page_ends_at_the_response_url() -> None:
    crawled = response(MIRROR_URL, article_html(), meta={"redirect_urls": [MIRROR_URL + "x"]})
    assert page_from_response(crawled, ARTICLE_URL, None, None).final_url == MIRROR_URL


def test_response_page_keeps_the_record_key_it_was_requested_for() -> None:
    assert page_from_response(response(MIRROR_URL, b""), ARTICLE_URL, None, None).url == ARTICLE_URL


def test_response_page_takes_its_fetch_time_from_the_capture() -> None:
    assert crawled_page(article_html()).fetched_at == FETCHED_AT


def test_response_page_carries_its_warc_pointer() -> None:
    crawled = response(MIRROR_URL, article_html(), meta={"ccme_warc": POINTER})
    assert page_from_response(crawled, ARTICLE_URL, None, None).warc == POINTER


def test_response_page_carries_its_listing() -> None:
    page = crawled_page(article_html())
    assert (page.listing_category, page.listing_url) == (CATEGORY, LISTING_URL)


def test_response_page_has_the_encoding_scrapy_decided() -> None:
    page = crawled_page(article_html(), "text/html; charset=windows-1252")
    assert page.encoding == "cp1252"


def test_binary_response_page_has_no_encoding() -> None:
    assert crawled_page(PNG, "image/png").encoding is None


# --- from a WARC capture ---


def test_capture_page_is_keyed_by_the_canonical_url_of_the_url_fetched(tmp_path: Path) -> None:
    capture = captured(tmp_path, MIRROR_URL, article_html())
    page = page_from_capture(capture, MIRROR_URL + "?utm_source=x")
    assert page.url == "https://www.ccme.org.ma/le-maroc-et-la-belgique/"


def test_capture_page_points_at_its_record(tmp_path: Path) -> None:
    capture = captured(tmp_path, ARTICLE_URL, article_html())
    assert page_from_capture(capture, ARTICLE_URL).warc == capture.pointer


def test_capture_page_takes_its_fetch_time_from_the_warc_date(tmp_path: Path) -> None:
    capture = captured(tmp_path, ARTICLE_URL, article_html())
    assert page_from_capture(capture, ARTICLE_URL).fetched_at == FETCHED_AT


def test_capture_page_has_the_headers_the_crawl_had(tmp_path: Path) -> None:
    capture = captured(tmp_path, ARTICLE_URL, article_html())
    assert page_from_capture(capture, ARTICLE_URL).headers == crawled_page(article_html()).headers


def test_capture_page_has_the_encoding_the_crawl_had(tmp_path: Path) -> None:
    content_type = "text/html; charset=iso-8859-1"
    capture = captured(tmp_path, ARTICLE_URL, article_html(), content_type)
    assert (
        page_from_capture(capture, ARTICLE_URL).encoding
        == crawled_page(article_html(), content_type).encoding
    )


def test_binary_capture_page_has_no_encoding(tmp_path: Path) -> None:
    capture = captured(tmp_path, ARTICLE_URL, PNG, "image/png")
    assert page_from_capture(capture, ARTICLE_URL).encoding is None


def _capture(headers: dict[str, str], body: bytes = b"plain words") -> CapturedPage:
    return CapturedPage(
        target_uri=ARTICLE_URL,
        status=200,
        reason="OK",
        protocol="HTTP/1.1",
        headers=headers,
        raw_headers=list(headers.items()),
        body=body,
        fetched_at=FETCHED_AT,
        pointer=POINTER,
        record_type="response",
    )


def test_capture_page_headers_are_those_of_its_scrapy_response() -> None:
    capture = _capture({"content-type": "text/html", "etag": '"v1"', "x-empty": ""})
    page = page_from_capture(capture, ARTICLE_URL)
    assert page.headers == response_headers(capture_response(capture))


def test_capture_page_with_non_ascii_headers_has_them_as_scrapy_reads_them_back() -> None:
    capture = _capture({"content-type": "text/html", "content-disposition": "inline; name=été"})
    page = page_from_capture(capture, ARTICLE_URL)
    assert page.headers == response_headers(capture_response(capture))


def test_capture_response_class_follows_content_disposition_without_content_type() -> None:
    capture = _capture({"content-disposition": "attachment; filename=page.html"})
    assert type(capture_response(capture)).__name__ == "HtmlResponse"


# --- from a saved file ---


def test_file_page_is_keyed_by_the_canonical_url_given() -> None:
    page = page_from_file(REFERENCE_SITE / "article-fr.html", ARTICLE_URL + "?amp=1#top")
    assert page.url == ARTICLE_URL


def test_file_page_has_no_headers() -> None:
    assert page_from_file(REFERENCE_SITE / "article-fr.html", ARTICLE_URL).headers == {}


def test_file_page_without_url_is_fetched_from_the_file() -> None:
    path = REFERENCE_SITE / "article-fr.html"
    assert page_from_file(path, None).fetched_url == path.resolve().as_uri()


def test_file_page_encoding_comes_from_the_page() -> None:
    assert page_from_file(REFERENCE_SITE / "article-fr.html", ARTICLE_URL).encoding == "utf-8"
