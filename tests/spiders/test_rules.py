"""The spider's stop/continue rules (pure functions, no Scrapy)."""

from __future__ import annotations

from dataclasses import replace

from ccme_crawler.spiders.rules import (
    ENDLESS_PAGES,
    ListingFacts,
    WalkLimits,
    WalkProgress,
    after_listing_page,
    article_verdict,
    listing_failure_ends_walk,
    next_listing_pages,
    walk_is_complete,
    walk_mode,
)

FRESH = WalkProgress(
    mode="complete",
    stale_pages=0,
    repeat_pages=0,
    reached_end=False,
    stopped=False,
    done_walking=False,
)
PAGE = ListingFacts(
    page=1, has_items=True, has_next=True, new_articles=3, unseen_articles=3, older_than_since=False
)
LIMITS = WalkLimits(lookahead=1, since=None, max_pages=5000)
NOTHING_NEW = replace(PAGE, new_articles=0)


def test_full_crawl_walks_full() -> None:
    assert walk_mode("full", has_complete_full_walk=True) == "full"


def test_category_walked_to_its_end_before_is_refreshed() -> None:
    assert walk_mode("auto", has_complete_full_walk=True) == "refresh"


def test_category_never_walked_to_its_end_is_completed() -> None:
    assert walk_mode("auto", has_complete_full_walk=False) == "complete"


def _verdict(
    *,
    scheduled: bool = False,
    published_at: str | None = "2024-05-01T00:00:00",
    since: str | None = None,
    stored: bool = False,
    walk_mode: str = "complete",
) -> str:
    return article_verdict(
        scheduled=scheduled,
        published_at=published_at,
        since=since,
        stored=stored,
        walk_mode=walk_mode,
    )


def test_new_post_is_fetched() -> None:
    assert _verdict() == "fetch"


def test_post_already_scheduled_in_this_run_is_skipped() -> None:
    assert _verdict(scheduled=True, stored=True) == "scheduled"


def test_post_older_than_since_is_skipped() -> None:
    assert _verdict(since="2025-01-01") == "older"


def test_post_on_the_since_day_is_fetched() -> None:
    assert _verdict(since="2024-05-01") == "fetch"


def test_post_without_a_date_is_fetched_despite_since() -> None:
    assert _verdict(since="2025-01-01", published_at=None) == "fetch"


def test_stored_post_is_skipped() -> None:
    assert _verdict(stored=True) == "stored"


def test_stored_post_is_fetched_again_by_a_full_walk() -> None:
    assert _verdict(stored=True, walk_mode="full") == "fetch"


def test_page_with_new_posts_continues_the_walk() -> None:
    assert after_listing_page(FRESH, PAGE, LIMITS).fetch_next is True


def test_page_with_nothing_new_counts_a_stale_page() -> None:
    assert after_listing_page(FRESH, NOTHING_NEW, LIMITS).stale_pages == 1


def test_page_with_new_posts_resets_the_stale_pages() -> None:
    assert after_listing_page(replace(FRESH, stale_pages=4), PAGE, LIMITS).stale_pages == 0


def test_refresh_stops_when_nothing_is_new_for_lookahead_pages() -> None:
    refresh = replace(FRESH, mode="refresh")
    assert after_listing_page(refresh, NOTHING_NEW, LIMITS).stop_reason == "nothing new"


def test_refresh_that_found_nothing_new_has_done_its_job() -> None:
    refresh = replace(FRESH, mode="refresh")
    assert after_listing_page(refresh, NOTHING_NEW, LIMITS).done_walking is True


def test_refresh_goes_on_within_its_lookahead() -> None:
    refresh = replace(FRESH, mode="refresh")
    limits = replace(LIMITS, lookahead=2)
    assert after_listing_page(refresh, NOTHING_NEW, limits).fetch_next is True


def test_complete_walk_goes_on_past_pages_with_nothing_new() -> None:
    assert after_listing_page(FRESH, NOTHING_NEW, LIMITS).fetch_next is True


def test_walk_reaching_since_stops() -> None:
    page = replace(PAGE, older_than_since=True)
    limits = replace(LIMITS, since="2025-01-01")
    assert after_listing_page(FRESH, page, limits).stop_reason == "older than 2025-01-01"


def test_walk_reaching_since_has_done_its_job() -> None:
    page = replace(PAGE, older_than_since=True)
    assert after_listing_page(FRESH, page, LIMITS).done_walking is True


def test_pages_that_repeat_stop_the_walk_as_endless_pagination() -> None:
    walk = replace(FRESH, repeat_pages=ENDLESS_PAGES - 1)
    page = replace(PAGE, unseen_articles=0)
    assert after_listing_page(walk, page, LIMITS).stop_stat == "ccme/endless_pagination"


def test_endless_pagination_leaves_the_walk_incomplete() -> None:
    walk = replace(FRESH, repeat_pages=ENDLESS_PAGES - 1)
    page = replace(PAGE, unseen_articles=0)
    assert after_listing_page(walk, page, LIMITS).done_walking is False


def test_page_cap_stops_the_walk() -> None:
    page = replace(PAGE, page=5000)
    assert after_listing_page(FRESH, page, LIMITS).stop_reason == "page cap 5000"


def test_page_cap_is_counted() -> None:
    page = replace(PAGE, page=5000)
    assert after_listing_page(FRESH, page, LIMITS).stop_stat == "ccme/page_cap"


def test_page_without_a_next_link_ends_the_walk() -> None:
    page = replace(PAGE, has_next=False)
    assert after_listing_page(FRESH, page, LIMITS).reached_end is True


def test_empty_page_ends_the_walk() -> None:
    page = replace(PAGE, has_items=False)
    assert after_listing_page(FRESH, page, LIMITS).reached_end is True


def test_walk_at_its_end_is_done() -> None:
    page = replace(PAGE, has_next=False)
    assert after_listing_page(FRESH, page, LIMITS).done_walking is True


def test_walk_at_its_end_asks_for_no_more_pages() -> None:
    page = replace(PAGE, has_next=False)
    assert after_listing_page(FRESH, page, LIMITS).fetch_next is False


def test_stop_at_the_last_page_does_not_mark_the_walk_stopped() -> None:
    page = replace(PAGE, page=5000, has_next=False)
    assert after_listing_page(FRESH, page, LIMITS).stopped is False


def test_stopped_walk_stays_stopped() -> None:
    assert after_listing_page(replace(FRESH, stopped=True), PAGE, LIMITS).stopped is True


def test_sequential_walk_asks_for_the_next_page() -> None:
    assert next_listing_pages(
        parallel=False, page=3, last_page=9, scheduled_up_to=1, max_pages=5000
    ) == ([4], 1)


def test_parallel_walk_asks_for_every_page_from_page_one() -> None:
    assert next_listing_pages(
        parallel=True, page=1, last_page=4, scheduled_up_to=1, max_pages=5000
    ) == ([2, 3, 4], 4)


def test_parallel_walk_asks_for_no_page_past_the_cap() -> None:
    assert next_listing_pages(
        parallel=True, page=1, last_page=40, scheduled_up_to=1, max_pages=3
    ) == ([2, 3], 3)


def test_parallel_walk_follows_an_archive_that_grew() -> None:
    assert next_listing_pages(
        parallel=True, page=4, last_page=None, scheduled_up_to=4, max_pages=5000
    ) == ([5], 5)


def test_parallel_walk_asks_for_nothing_from_a_page_already_covered() -> None:
    assert next_listing_pages(
        parallel=True, page=2, last_page=4, scheduled_up_to=4, max_pages=5000
    ) == ([], 4)


def test_404_past_page_one_ends_the_walk() -> None:
    assert listing_failure_ends_walk(404, page=2) is True


def test_404_on_page_one_is_a_failure() -> None:
    assert listing_failure_ends_walk(404, page=1) is False


def test_server_error_past_page_one_is_a_failure() -> None:
    assert listing_failure_ends_walk(500, page=2) is False


def test_walk_done_with_nothing_pending_is_complete() -> None:
    assert walk_is_complete(completed=False, pages_pending=0, articles_pending=0, done_walking=True)


def test_walk_with_articles_pending_is_not_complete() -> None:
    assert not walk_is_complete(
        completed=False, pages_pending=0, articles_pending=2, done_walking=True
    )


def test_walk_with_listing_pages_pending_is_not_complete() -> None:
    assert not walk_is_complete(
        completed=False, pages_pending=1, articles_pending=0, done_walking=True
    )


def test_walk_completes_only_once() -> None:
    assert not walk_is_complete(
        completed=True, pages_pending=0, articles_pending=0, done_walking=True
    )
