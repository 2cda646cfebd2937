"""Pure functions from HTML to values (no Scrapy, no database). Missing values are None."""

from __future__ import annotations

from .article import content_hash, extract_article, is_soft_404
from .dates import parse_date_text
from .sources import normalize_source

__all__ = [
    "content_hash",
    "extract_article",
    "is_soft_404",
    "normalize_source",
    "parse_date_text",
]
