"""Generic extraction for pages that do not match the SmartMag template (old Joomla/K2 pages,
a future theme change). The result is always marked, never passed off as template output.

Nothing here is caught: a failure of trafilatura (or of a missing dependency such as
``lxml_html_clean``, which trafilatura's justext needs) is the page's failure, raised by
``extract_article`` as an ``ExtractionError`` and recorded, never an empty body.
"""

from __future__ import annotations

import logging

from lxml import html as lxml_html

METHOD = "fallback:trafilatura"


def fallback_blocks(tree: lxml_html.HtmlElement) -> list[str]:
    """Main-text paragraphs found by trafilatura, or [] when it finds no main text."""
    import trafilatura  # imported lazily: heavy, and only needed off the template path

    # trafilatura logs at WARNING on odd pages; the "fallback" flag is our report.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = trafilatura.extract(
        tree,
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text:
        return []
    return [line for line in text.split("\n") if line.strip()]


def fallback_problem() -> str | None:
    """Why the fallback extractor cannot run here (a missing dependency), or None when it can.

    For health checks before a crawl; extraction itself raises on the first page that needs it.
    """
    try:
        import trafilatura  # noqa: F401
    except Exception as error:  # an ImportError, or a dependency failing as it loads
        return f"{METHOD}: {type(error).__name__}: {error}"
    return None
