"""Generic extraction for pages that do not match the SmartMag template (old Joomla/K2 pages,
a future theme change). The result is always marked, never passed off as template output."""

from __future__ import annotations

import logging

from lxml import html as lxml_html

METHOD = "fallback:trafilatura"


def fallback_blocks(tree: lxml_html.HtmlElement) -> list[str]:
    """Main-text paragraphs found by trafilatura, or [] when it finds nothing."""
    try:
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
    except Exception:  # a third-party failure must not lose the page: report an empty body
        return []
    if not text:
        return []
    return [line for line in text.split("\n") if line.strip()]
