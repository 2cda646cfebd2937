"""The crawl, reextract and extract make the same record (or failure) of the same page."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from ccme_crawler.items import ArticleRecord, PageFailure
from ccme_crawler.pipelines import ExtractArticlePipeline
from ccme_crawler.records import page_from_capture, record_from_file, record_from_page
from ccme_crawler.warc import CapturedPage, WarcWriter, iter_captured_pages
from tests.helpers import REFERENCE_SITE

from .helpers import EMPTY_POST, GOLDEN_PAGES, PNG, SOFT_404, response, spider

# name -> (body, Content-Type). Served without a charset: the page says it, as a file must.
PAGES: dict[str, tuple[bytes, str]] = {
    **{path.stem: (path.read_bytes(), "text/html") for path in sorted(GOLDEN_PAGES.glob("*.html"))},
    "reference-article": ((REFERENCE_SITE / "article-fr.html").read_bytes(), "text/html"),
    "soft-404": (SOFT_404, "text/html"),
    "empty-post": (EMPTY_POST, "text/html"),
    "png-as-html": (PNG, "text/html"),
}
# How the page was fetched, which differs between a crawl, a WARC and a file by design.
PROVENANCE = {
    "fetched_url",
    "final_url",
    "fetched_at",
    "etag",
    "last_modified",
    "warc",
    "failed_at",
}


def _url(name: str) -> str:
    return f"https://www.ccme.org.ma/{name}/"


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CapturedPage]:
    """Every page and an image, written to one WARC and read back."""
    directory = tmp_path_factory.mktemp("warc")
    with WarcWriter(directory) as writer:
        for name, (body, content_type) in {**PAGES, "image": (PNG, "image/png")}.items():
            writer.write_exchange(
                target_uri=_url(name),
                request_method="GET",
                request_headers=[],
                request_body=b"",
                protocol="HTTP/1.1",
                status=200,
                reason="OK",
                response_headers=[("Content-Type", content_type)],
                payload=body,
                fetched_at=datetime.now(UTC),
            )
    return {page.target_uri: page for page in iter_captured_pages(directory)}


def _by_crawl(name: str, body: bytes, content_type: str) -> ArticleRecord | PageFailure:
    url = _url(name)
    (page,) = spider().parse_article(response(url, body, content_type), url, None, None)
    pipeline = ExtractArticlePipeline(get_crawler(settings_dict={"CCME_EXTRACT_WORKERS": 0}))
    result: ArticleRecord | PageFailure = asyncio.run(pipeline.process_item(page))
    return result


def _by_reextract(name: str, captures: dict[str, CapturedPage]) -> ArticleRecord | PageFailure:
    return record_from_page(page_from_capture(captures[_url(name)], _url(name)))


def _comparable(result: ArticleRecord | PageFailure) -> dict[str, Any]:
    return {"type": type(result).__name__} | {
        k: v for k, v in asdict(result).items() if k not in PROVENANCE
    }


@pytest.mark.parametrize("name", list(PAGES))
def test_crawl_and_reextract_make_the_same_record(
    name: str, captures: dict[str, CapturedPage]
) -> None:
    assert _comparable(_by_reextract(name, captures)) == _comparable(_by_crawl(name, *PAGES[name]))


@pytest.mark.parametrize("name", list(PAGES))
def test_crawl_and_extract_make_the_same_record(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.html"
    path.write_bytes(PAGES[name][0])
    by_extract = record_from_file(path, _url(name))
    assert _comparable(by_extract) == _comparable(_by_crawl(name, *PAGES[name]))


def test_crawl_and_reextract_refuse_an_image_alike(captures: dict[str, CapturedPage]) -> None:
    by_crawl = _by_crawl("image", PNG, "image/png")
    assert _comparable(_by_reextract("image", captures)) == _comparable(by_crawl)
