"""The content rules of record_from_page: what a fetched page must be to become a record."""

from __future__ import annotations

import zlib

import pytest

from ccme_crawler.items import ArticleRecord, PageFailure
from ccme_crawler.records import not_html, post_category_path, record_from_page

from .helpers import CATEGORY, EMPTY_POST, FETCHED_AT, PNG, SOFT_404, article_html, crawled_page


def _reason(result: ArticleRecord | PageFailure) -> str | None:
    return result.reason if isinstance(result, PageFailure) else None


def test_an_article_page_is_a_record() -> None:
    assert isinstance(record_from_page(crawled_page(article_html())), ArticleRecord)


def test_status_other_than_200_is_a_failure_named_by_status() -> None:
    assert _reason(record_from_page(crawled_page(article_html(), status=404))) == "http_404"


def test_image_content_type_is_not_html() -> None:
    assert _reason(record_from_page(crawled_page(PNG, "image/png"))) == "not_html"


def test_png_body_served_as_html_is_not_html() -> None:
    assert _reason(record_from_page(crawled_page(PNG, "text/html"))) == "not_html"


def test_pdf_body_without_content_type_is_not_html() -> None:
    assert _reason(record_from_page(crawled_page(b"%PDF-1.7\n%\xe2\xe3", None))) == "not_html"


def test_plain_text_content_type_is_not_html() -> None:
    assert _reason(record_from_page(crawled_page(article_html(), "text/plain"))) == "not_html"


def test_xhtml_content_type_is_html() -> None:
    page = crawled_page(article_html(), "application/xhtml+xml; charset=utf-8")
    assert isinstance(record_from_page(page), ArticleRecord)


def test_body_left_in_a_content_coding_scrapy_cannot_undo_is_not_html() -> None:
    assert not_html({"content-type": "text/html", "content-encoding": "zstd"}, b"(\xb5/\xfd") == (
        "body left in Content-Encoding zstd"
    )


def test_identity_content_coding_is_html() -> None:
    assert not_html({"content-type": "text/html", "content-encoding": "identity"}, b"<p>") is None


def test_not_html_failure_says_what_the_body_is() -> None:
    assert not_html({"content-type": "text/html"}, PNG) == ("body is a PNG image")


def test_not_html_failure_names_the_content_type() -> None:
    assert (
        not_html({"content-type": "application/pdf"}, b"%PDF-1.4") == "Content-Type application/pdf"
    )


def test_random_bytes_are_not_html() -> None:
    assert not_html({}, zlib.compress(article_html())) == "body is binary data"


def test_stray_control_characters_leave_a_page_html() -> None:
    damaged = article_html().replace(b"<title>", b"<title>\x00\x01\x1b[31m", 1)
    assert not_html({"content-type": "text/html"}, damaged) is None


def test_utf16_page_with_a_byte_order_mark_is_html() -> None:
    assert not_html({}, article_html().decode().encode("utf-16")) is None


def test_soft_404_is_a_failure() -> None:
    assert _reason(record_from_page(crawled_page(SOFT_404))) == "soft_404"


def test_no_title_and_no_text_is_no_content() -> None:
    assert _reason(record_from_page(crawled_page(EMPTY_POST))) == "no_content"


def test_failure_is_of_an_article() -> None:
    result = record_from_page(crawled_page(EMPTY_POST))
    assert isinstance(result, PageFailure) and result.kind == "article"


def test_failure_is_dated_by_the_fetch() -> None:
    result = record_from_page(crawled_page(PNG, "image/png"))
    assert isinstance(result, PageFailure) and result.failed_at == FETCHED_AT


# --- what a record carries ---


def _record() -> ArticleRecord:
    result = record_from_page(
        crawled_page(article_html(), headers={"ETag": '"v1"', "Last-Modified": "Wed, 19 Feb 2014"})
    )
    assert isinstance(result, ArticleRecord)
    return result


def test_record_carries_the_post_category_path() -> None:
    assert _record().category_path == CATEGORY


def test_record_carries_the_listing_category() -> None:
    assert _record().listing_category == CATEGORY


def test_record_carries_the_canonical_source() -> None:
    assert _record().source_canonical == "MAP"


def test_record_carries_the_etag() -> None:
    assert _record().etag == '"v1"'


def test_record_carries_the_last_modified_date() -> None:
    assert _record().last_modified == "Wed, 19 Feb 2014"


@pytest.mark.parametrize(
    ("category_url", "path"),
    [
        (
            "https://www.ccme.org.ma/category/archives-du-ccme/activites/",
            "/category/archives-du-ccme/activites/",
        ),
        ("https://www.ccme.org.ma/category/a/page/3/", "/category/a/"),
        ("http://127.0.0.1:8000/ar/category/x", "/ar/category/x/"),
        ("https://www.ccme.org.ma/tag/maroc/", None),
        ("mailto:x@ccme.org.ma", None),
        (None, None),
    ],
)
def test_post_category_path(category_url: str | None, path: str | None) -> None:
    assert post_category_path(category_url) == path
