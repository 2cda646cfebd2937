"""Pure functions from HTML to values (no Scrapy, no database). Missing values are None."""

from __future__ import annotations

from .article import content_hash, extract_article, is_soft_404
from .dates import parse_date_text
from .errors import ExtractionError
from .fallback import fallback_problem
from .sources import normalize_source, outlet_for_url

# Bumped whenever a change to extraction can change stored records; recorded in export manifests
# so that a dataset says which extractor produced it.
EXTRACTOR_VERSION = "2"

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractionError",
    "content_hash",
    "extract_article",
    "fallback_problem",
    "is_soft_404",
    "normalize_source",
    "outlet_for_url",
    "parse_date_text",
]
