"""Pure functions from HTML to values (no Scrapy, no database). Missing values are None."""

from __future__ import annotations

from .article import content_hash, extract_article, is_soft_404
from .dates import parse_date_text
from .sources import normalize_source

# Bumped whenever a change to extraction can change stored records; recorded in export manifests
# so that a dataset says which extractor produced it.
EXTRACTOR_VERSION = "1"

__all__ = [
    "EXTRACTOR_VERSION",
    "content_hash",
    "extract_article",
    "is_soft_404",
    "normalize_source",
    "parse_date_text",
]
