"""Fixtures for the extraction unit tests: golden pages and small hand-made pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccme_crawler.extraction import extract_article
from ccme_crawler.items import ExtractedArticle
from tests.extraction.helpers import SEED_URL, golden_page, smartmag_page


@pytest.fixture(scope="session")
def seed_html() -> bytes:
    return golden_page("000-seed")


@pytest.fixture(scope="session")
def seed(seed_html: bytes) -> ExtractedArticle:
    return extract_article(seed_html, SEED_URL)


@pytest.fixture(scope="session")
def golden() -> Callable[[str], ExtractedArticle]:
    cache: dict[str, ExtractedArticle] = {}

    def load(name: str) -> ExtractedArticle:
        if name not in cache:
            cache[name] = extract_article(golden_page(name), f"https://www.ccme.org.ma/{name}/")
        return cache[name]

    return load


@pytest.fixture
def page() -> Callable[..., str]:
    return smartmag_page
