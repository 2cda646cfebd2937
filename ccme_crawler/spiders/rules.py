"""The spider's stop/continue rules, as pure functions of a walk's state and a page's facts.

No Scrapy, no database: the spider gathers the facts, calls these and applies the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

# Consecutive listing pages that bring nothing not already seen in this run before a walk is
# taken to be endless pagination.
ENDLESS_PAGES = 3


def walk_mode(crawl_mode: str, has_complete_full_walk: bool) -> str:
    """How a category is walked: "full" (everything again), "refresh" (until nothing new: it
    was walked to its end before) or "complete" (to the end, skipping stored articles)."""
    if crawl_mode == "full":
        return "full"
    return "refresh" if has_complete_full_walk else "complete"


def article_verdict(
    *,
    scheduled: bool,
    published_at: str | None,
    since: str | None,
    stored: bool,
    walk_mode: str,
) -> str:
    """What to do with one post a listing page links to.

    "scheduled" (already asked for in this run), "older" (published before ``since``),
    "stored" (already in the archive, and the walk is not a full one) or "fetch".
    """
    if scheduled:
        return "scheduled"
    if since and published_at and published_at[:10] < since:
        return "older"
    if stored and walk_mode != "full":
        return "stored"
    return "fetch"


@dataclass(frozen=True)
class WalkLimits:
    """What ends a walk early, from the run's options."""

    lookahead: int  # pages with nothing new before a refresh stops
    since: str | None
    max_pages: int


@dataclass(frozen=True)
class ListingFacts:
    """What one listing page said, as the walk needs it."""

    page: int
    has_items: bool
    has_next: bool
    new_articles: int  # posts to fetch
    unseen_articles: int  # posts no earlier page of this walk listed
    older_than_since: bool


@dataclass(frozen=True)
class WalkProgress:
    """The walk's state before the page."""

    mode: str
    stale_pages: int  # consecutive pages with nothing new
    repeat_pages: int  # consecutive pages listing nothing the walk had not seen
    reached_end: bool
    stopped: bool
    done_walking: bool


@dataclass(frozen=True)
class ListingDecision:
    """The walk's state after the page, and why it stops (if it does)."""

    stale_pages: int
    repeat_pages: int
    reached_end: bool
    stop_reason: str | None
    stop_stat: str | None  # the Scrapy stat counting this kind of stop, if any
    stopped: bool
    fetch_next: bool
    done_walking: bool


def after_listing_page(
    walk: WalkProgress, page: ListingFacts, limits: WalkLimits
) -> ListingDecision:
    """The walk's next step after one of its listing pages was read."""
    stale = 0 if page.new_articles else walk.stale_pages + 1
    repeat = 0 if page.unseen_articles else walk.repeat_pages + 1
    reached_end = walk.reached_end or not page.has_items or not page.has_next
    stop_reason = None
    stop_stat = None
    if walk.mode == "refresh" and stale >= limits.lookahead:
        stop_reason = "nothing new"
    elif page.older_than_since:
        stop_reason = f"older than {limits.since}"
    elif repeat >= ENDLESS_PAGES:
        stop_reason = "listing pages repeat (endless pagination?)"
        stop_stat = "ccme/endless_pagination"
    elif page.page >= limits.max_pages:
        stop_reason = f"page cap {limits.max_pages}"
        stop_stat = "ccme/page_cap"
    stopped = walk.stopped or (stop_reason is not None and not reached_end)
    # A refresh that found nothing new, or a walk that reached --since, has done its job; any
    # other early stop leaves the walk incomplete so that the next run walks it again.
    done = page.older_than_since or (walk.mode == "refresh" and stop_reason is not None)
    return ListingDecision(
        stale_pages=stale,
        repeat_pages=repeat,
        reached_end=reached_end,
        stop_reason=stop_reason,
        stop_stat=stop_stat,
        stopped=stopped,
        fetch_next=not stopped and not reached_end,
        done_walking=walk.done_walking or done or reached_end,
    )


def next_listing_pages(
    *, parallel: bool, page: int, last_page: int | None, scheduled_up_to: int, max_pages: int
) -> tuple[list[int], int]:
    """The listing pages to ask for after ``page``, and the new highest page asked for.

    Sequential: the next page. Parallel: every page at once from page 1's last page link (up
    to ``max_pages``), then one more whenever the archive grew past it.
    """
    if not parallel:
        return [page + 1], scheduled_up_to
    if page == 1 and last_page and last_page > 1:
        up_to = min(last_page, max_pages)
        return list(range(2, up_to + 1)), up_to
    if page >= scheduled_up_to:
        return [page + 1], page + 1
    return [], scheduled_up_to


def listing_failure_ends_walk(status: int | None, page: int) -> bool:
    """A listing page that failed ends its walk (rather than stopping it incomplete) when it is
    a 404 past page 1: WordPress answers 404 past the last page."""
    return status == 404 and page > 1


def walk_is_complete(
    *, completed: bool, pages_pending: int, articles_pending: int, done_walking: bool
) -> bool:
    """A walk completes once, when every listing page is read and every article it found is
    answered: a run killed before that walks the category again."""
    return not completed and not pages_pending and not articles_pending and done_walking
