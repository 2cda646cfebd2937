"""Fixtures of the discovery tests: the reference pages and the hand-written ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REFERENCE_SITE

DISCOVERY_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discovery"
CATEGORY_FR_URL = "https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/"
CATEGORY_AR_URL = (
    "https://www.ccme.org.ma/ar/category/%d8%a3%d8%b1%d8%b4%d9%8a%d9%81-%d8%a7%d9%84%d9%85%d8%ac"
    "%d9%84%d8%b3/%d8%a7%d9%84%d8%a5%d8%b9%d9%84%d8%a7%d9%85/"
)
# The same paths as listing_path writes them (upper-case escapes).
AR_ROOT = "/ar/category/%D8%A3%D8%B1%D8%B4%D9%8A%D9%81-%D8%A7%D9%84%D9%85%D8%AC%D9%84%D8%B3/"
AR_MEDIA = AR_ROOT + "%D8%A7%D9%84%D8%A5%D8%B9%D9%84%D8%A7%D9%85/"
AR_ACTIVITIES = AR_ROOT + "%D8%A3%D9%86%D8%B4%D8%B7%D8%A9/"


def fixture_text(name: str) -> str:
    return (DISCOVERY_FIXTURES / name).read_text(encoding="utf-8")


def fixture_bytes(name: str) -> bytes:
    return (DISCOVERY_FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def category_fr_html() -> str:
    return (REFERENCE_SITE / "category-fr.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article_fr_html() -> str:
    return (REFERENCE_SITE / "article-fr.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def category_ar_html() -> str:
    return fixture_text("category-ar.html")


@pytest.fixture(scope="session")
def home_en_html() -> str:
    return fixture_text("home-en.html")
