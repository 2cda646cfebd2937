"""The pure decisions of a run: which listings a scope walks, when to rediscover, which
sitemap posts belong to the crawl, what to say when nothing was found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ccme_crawler.discovery import (
    answered_at_all,
    nothing_found_message,
    plan_walks,
    post_in_scope,
    rediscovery_reason,
)
from ccme_crawler.items import (
    DiscoveredListing,
    DiscoveryAttempt,
    DiscoveryCache,
    DiscoveryResult,
    WalkPlan,
)
from ccme_crawler.urls import listing_kind, path_language

NOW = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)


def listing(path: str, role: str = "other", status: int | None = 200) -> DiscoveredListing:
    return DiscoveredListing(
        path, listing_kind(path), path_language(path), None, "menu", "/", role, status
    )


FOUND = [
    listing("/category/archives-du-ccme/", "archive-root", 404),
    listing("/category/archives-du-ccme/activites/", "archive"),
    listing("/category/archives-du-ccme/medias-et-migration/", "archive"),
    listing("/category/actualites/", "other"),
    listing("/author/equipe/", "other"),
    listing("/ar/category/archives-ar/", "archive-root"),
    listing("/ar/author/equipe/", "other"),
    listing("/en/author/equipe/", "other"),
    listing("/en/tag/migration/", "other"),
]


def test_archive_scope_walks_the_archive_categories_where_known() -> None:
    assert plan_walks(FOUND, "archive").listings == [
        "/category/archives-du-ccme/activites/",
        "/category/archives-du-ccme/medias-et-migration/",
        "/ar/category/archives-ar/",
        "/en/author/equipe/",
    ]


def test_archive_root_is_walked_when_its_children_are_unknown() -> None:
    assert "/ar/category/archives-ar/" in plan_walks(FOUND, "archive").listings


def test_language_without_archive_falls_back_on_its_author_archives() -> None:
    assert plan_walks(FOUND, "archive").author_languages == ["en"]


def test_language_with_nothing_is_missing() -> None:
    only_french = [x for x in FOUND if x.language == "fr"]
    assert plan_walks(only_french, "archive").missing_languages == ["ar", "en"]


def test_site_scope_walks_every_category_and_author_archive_but_not_tags() -> None:
    assert plan_walks(FOUND, "site").listings == [
        "/category/archives-du-ccme/activites/",
        "/category/archives-du-ccme/medias-et-migration/",
        "/category/actualites/",
        "/author/equipe/",
        "/ar/category/archives-ar/",
        "/ar/author/equipe/",
        "/en/author/equipe/",
    ]


def test_listing_that_answered_404_is_never_walked() -> None:
    assert "/category/archives-du-ccme/" not in plan_walks(FOUND, "site").listings


def test_listing_whose_probe_got_a_server_error_is_kept() -> None:
    flaky = [listing("/category/archives-du-ccme/activites/", "archive", 503)]
    assert plan_walks(flaky, "archive").listings == ["/category/archives-du-ccme/activites/"]


def test_archive_paths_hold_the_archive_categories_and_roots() -> None:
    assert plan_walks(FOUND, "archive").archive_paths == [
        "/category/archives-du-ccme/activites/",
        "/category/archives-du-ccme/medias-et-migration/",
        "/ar/category/archives-ar/",
    ]


# --- rediscovery ----------------------------------------------------------------------------


def cache(age_days: float = 1, gone: list[str] | None = None) -> DiscoveryCache:
    at = (NOW - timedelta(days=age_days)).isoformat(timespec="seconds")
    return DiscoveryCache(at, FOUND, [], gone or [])


def test_fresh_cache_is_used() -> None:
    assert rediscovery_reason(cache(), now=NOW, max_age_days=30) is None


def test_nothing_cached_means_discovery() -> None:
    empty = DiscoveryCache(None, [], [], [])
    assert rediscovery_reason(empty, now=NOW, max_age_days=30) == "nothing discovered yet"


def test_old_cache_means_rediscovery() -> None:
    reason = rediscovery_reason(cache(age_days=31), now=NOW, max_age_days=30)
    assert reason is not None and reason.startswith("the listings were discovered 31 days ago")


def test_gone_listing_means_rediscovery() -> None:
    reason = rediscovery_reason(
        cache(gone=["/category/archives-du-ccme/activites/"]), now=NOW, max_age_days=30
    )
    assert reason == "/category/archives-du-ccme/activites/ answered 404 on a walk"


def test_rediscover_flag_means_rediscovery() -> None:
    assert rediscovery_reason(cache(), now=NOW, max_age_days=30, force=True) is not None


def test_cache_with_nothing_to_walk_means_rediscovery() -> None:
    useless = DiscoveryCache(NOW.isoformat(), [listing("/tag/x/")], [], [])
    assert rediscovery_reason(useless, now=NOW, max_age_days=30) is not None


# --- sitemap posts in scope -----------------------------------------------------------------

ARCHIVE = WalkPlan(
    "archive",
    ["/category/archives-du-ccme/activites/", "/en/author/equipe/"],
    ["/category/archives-du-ccme/activites/", "/ar/category/archives-ar/"],
    ["en"],
    [],
)


@pytest.mark.parametrize(
    ("url", "category", "expected"),
    [
        ("https://www.ccme.org.ma/x/", "/category/archives-du-ccme/activites/", True),
        ("https://www.ccme.org.ma/x/", "/category/archives-du-ccme/activites/sous/", True),
        ("https://www.ccme.org.ma/x/", "/category/actualites/", False),
        ("https://www.ccme.org.ma/x/", None, False),
        ("https://www.ccme.org.ma/ar/x/", "/ar/category/archives-ar/sub/", True),
        ("https://www.ccme.org.ma/en/x/", None, True),  # English is indexed by author archives
    ],
)
def test_post_in_archive_scope(url: str, category: str | None, expected: bool) -> None:
    assert post_in_scope(url, category, ARCHIVE) is expected


def test_every_post_is_in_site_scope() -> None:
    site = WalkPlan("site", ["/category/x/"], [], [], [])
    assert post_in_scope("https://www.ccme.org.ma/x/", "/category/other/", site) is True


# --- nothing found --------------------------------------------------------------------------

TRIED = DiscoveryResult(
    [],
    [],
    [
        DiscoveryAttempt("/", "menu", 200, "menu has no 'Archives du CCME', 0 listings"),
        DiscoveryAttempt("/robots.txt", "robots", 200, "no Sitemap line"),
        DiscoveryAttempt("/wp-sitemap.xml", "sitemap", 404),
        DiscoveryAttempt("/sitemap_index.xml", "sitemap", None, "timeout"),
        DiscoveryAttempt("author links", "author", None, "none"),
    ],
)


def test_nothing_found_says_what_was_tried_and_what_answered() -> None:
    assert nothing_found_message(TRIED) == (
        "no listing found: / (200, menu has no 'Archives du CCME', 0 listings), "
        "/robots.txt (200, no Sitemap line), /wp-sitemap.xml (404), "
        "/sitemap_index.xml (no answer, timeout), author links: none"
    )


def test_a_site_that_answered_is_a_changed_site() -> None:
    assert answered_at_all(TRIED) is True


def test_a_site_that_only_failed_is_down() -> None:
    down = DiscoveryResult(
        [],
        [],
        [
            DiscoveryAttempt("/", "menu", 503),
            DiscoveryAttempt("/robots.txt", "robots", 200, "no Sitemap line"),
            DiscoveryAttempt("/wp-sitemap.xml", "sitemap", None, "connection_refused"),
        ],
    )
    assert answered_at_all(down) is False
