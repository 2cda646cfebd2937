"""Category listing pages: article links and pagination."""

from __future__ import annotations

import re

from parsel import Selector

from ccme_crawler.items import ListingItem, ListingPage
from ccme_crawler.urls import absolute, page_number_of

_ITEM_LINKS = (
    ".loop-list article.l-post h2.post-title a",
    "main article.l-post h2.post-title a",
    ".main-content article.l-post .post-title a",
)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return text or None


def extract_listing(html: str, url: str) -> ListingPage:
    """Article links (in page order), next page and last page number of a listing page."""
    sel = Selector(text=html or "<html></html>")
    content = sel.css(".main-content") or sel
    items: list[ListingItem] = []
    for css in _ITEM_LINKS:
        links = content.css(css)
        if links:
            break
    for link in links:
        href = link.attrib.get("href")
        if not href:
            continue
        post = link.xpath("ancestor::article[1]")
        items.append(
            ListingItem(
                url=absolute(url, href),
                title=_clean(" ".join(link.css("::text").getall())),
                published_at=post.css("time.post-date::attr(datetime)").get(),
            )
        )
    next_href = (
        sel.css("nav.main-pagination a.next::attr(href)").get()
        or sel.css("link[rel=next]::attr(href)").get()
    )
    # The label of the last page reads "1 800" (French thousands separator): use the hrefs.
    numbers = [
        page_number_of(absolute(url, href))
        for href in sel.css("nav.main-pagination a.page-numbers::attr(href)").getall()
    ]
    current = page_number_of(url)
    label = _clean(" ".join(sel.css("h1.archive-heading span::text").getall())) or _clean(
        sel.css("nav#breadcrumb span.current::text").get()
    )
    return ListingPage(
        items=items,
        next_url=absolute(url, next_href) if next_href else None,
        last_page=max([*numbers, current]) if items or numbers else None,
        page_number=current,
        category_label=label,
    )
