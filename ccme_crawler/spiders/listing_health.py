"""Is a listing page what the walk expected? Pure decisions, no Scrapy, no database.

A walk ends at the last page page 1 announced (its pagination's highest number). Anything
that looks like an end before then (a maintenance page served with 200, WordPress's "not found"
page served with 200, a real listing with no posts, a 404) is a glitch of the site, not the end
of the category: the spider records it as a failure of kind ``listing`` and leaves the walk
incomplete, so that the next run walks the category again rather than stop there for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccme_crawler.items import ListingPage


@dataclass(frozen=True, slots=True)
class ListingFault:
    reason: str  # "listing_not_a_listing", "listing_empty" or "listing_404_before_end"
    detail: str


def announced_last_page(known: int | None, listing: ListingPage) -> int | None:
    """The highest page number the walk's pages have announced so far."""
    numbers = [n for n in (known, listing.last_page) if n]
    return max(numbers) if numbers else None


def _before_end(page: int, announced_last: int | None) -> bool:
    return announced_last is not None and page <= announced_last


def listing_fault(
    listing: ListingPage, page: int, announced_last: int | None
) -> ListingFault | None:
    """Why a listing page that answered 200 is not a page of the walk, or None when it is one.

    ``announced_last`` is the last page the walk's earlier pages announced (None before page 1
    answered). A page past it with no posts is the normal end of a walk.
    """
    if listing.items:
        return None
    if listing.not_found:
        return ListingFault(
            "listing_not_a_listing", "answered 200 with WordPress's 'not found' page"
        )
    looks_like_a_listing = bool(
        listing.archive_kind or listing.category_label or listing.last_page or listing.next_url
    )
    if not looks_like_a_listing:
        # A maintenance page, a login wall, a page of another site: never an end.
        return ListingFault(
            "listing_not_a_listing", "answered 200 with a page that is not an archive listing"
        )
    if _before_end(page, announced_last) or listing.next_url is not None:
        return ListingFault(
            "listing_empty",
            f"a listing with no posts on page {page} of {announced_last or '?'} announced",
        )
    return None


def listing_404_fault(page: int, announced_last: int | None) -> ListingFault | None:
    """A 404 on page ``page`` (> 1): None past the announced last page, where WordPress answers
    404 at the end of a walk; a failure before it. (A 404 on page 1 is an ``http_404``.)"""
    if not _before_end(page, announced_last):
        return None
    return ListingFault(
        "listing_404_before_end",
        f"HTTP 404 on page {page}, before the last page announced ({announced_last or '?'})",
    )
