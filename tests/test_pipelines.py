"""The extract and de-duplicate pipelines, fed the pages the spider yields (saved responses)."""

from __future__ import annotations

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from ccme_crawler.items import ArticleRecord, ListingEntry, PageFailure
from ccme_crawler.pipelines import DeduplicateArticlePipeline, ExtractArticlePipeline
from tests.records.helpers import EMPTY_POST, PNG, article_html, crawled_page


@pytest.fixture
def crawler() -> Crawler:
    return get_crawler()


def _stat(crawler: Crawler, name: str) -> object:
    assert crawler.stats is not None
    return crawler.stats.get_value(name)


def test_extract_turns_an_article_page_into_a_record(crawler: Crawler) -> None:
    item = ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(article_html()))
    assert isinstance(item, ArticleRecord)


def test_extract_counts_the_article(crawler: Crawler) -> None:
    ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(article_html()))
    assert _stat(crawler, "ccme/extraction/articles") == 1


def test_extract_counts_the_extraction_method(crawler: Crawler) -> None:
    ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(article_html()))
    assert _stat(crawler, "ccme/extraction/method/template") == 1


def test_extract_turns_an_image_into_a_not_html_failure(crawler: Crawler) -> None:
    item = ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(PNG, "image/png"))
    assert isinstance(item, PageFailure) and item.reason == "not_html"


def test_extract_counts_a_failure_by_reason(crawler: Crawler) -> None:
    ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(EMPTY_POST))
    assert (_stat(crawler, "ccme/failures"), _stat(crawler, "ccme/failures/no_content")) == (1, 1)


def test_extract_counts_no_extraction_for_a_failure(crawler: Crawler) -> None:
    ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(EMPTY_POST))
    assert _stat(crawler, "ccme/extraction/articles") is None


def test_extract_passes_other_items_through(crawler: Crawler) -> None:
    entry = ListingEntry("https://www.ccme.org.ma/a/", "/category/x/", "u", 0, "t")
    assert ExtractArticlePipeline.from_crawler(crawler).process_item(entry) is entry


def _record(crawler: Crawler) -> ArticleRecord:
    item = ExtractArticlePipeline.from_crawler(crawler).process_item(crawled_page(article_html()))
    assert isinstance(item, ArticleRecord)
    return item


def test_deduplicate_keeps_the_first_record(crawler: Crawler) -> None:
    record = _record(crawler)
    assert DeduplicateArticlePipeline.from_crawler(crawler).process_item(record) is record


def test_deduplicate_drops_a_second_record_of_the_article_with_a_reason(crawler: Crawler) -> None:
    pipeline = DeduplicateArticlePipeline.from_crawler(crawler)
    pipeline.process_item(_record(crawler))
    with pytest.raises(DropItem, match=r"duplicate of https://www\.ccme\.org\.ma/le-maroc"):
        pipeline.process_item(_record(crawler))


def test_deduplicate_counts_the_duplicate(crawler: Crawler) -> None:
    pipeline = DeduplicateArticlePipeline.from_crawler(crawler)
    pipeline.process_item(_record(crawler))
    with pytest.raises(DropItem):
        pipeline.process_item(_record(crawler))
    assert _stat(crawler, "ccme/duplicates") == 1
