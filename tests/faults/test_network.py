"""Faults of the network and the server: each ends in a named outcome, never a silent loss.

Every test crawls a fresh copy of the sample through the real CLI (``python -m ccme_crawler``)
into a real SQLite file, with a fault injected in the loopback server.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccme_crawler.middlewares import parse_retry_after
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import (
    Fault,
    every_page_exists,
    gzip_bomb,
    huge_page,
    redirect_to,
    reset_connection,
    respond,
    slow_drip,
    times,
    truncated,
)
from tests.faults.helpers import (
    NO_BREAKER,
    default_articles,
    failures,
    requests_for,
    stored_urls,
    victim,
)
from tests.helpers import ARCHIVE_PATHS, FAST_SETTINGS, crawl, rows, run_cli

pytestmark = pytest.mark.integration

# Article pages: not robots.txt, listings, nor the home pages and sitemaps discovery reads.
ARTICLES_ONLY = re.compile(r"^/(?!robots\.txt|category/|(?:ar/|en/)?$|wp-sitemap|sitemap_index)")


def _article_paths(server: MirrorServer) -> list[str]:
    return [r.path for r in server.requests if ARTICLES_ONLY.match(r.path)]


# --- 5xx storm -------------------------------------------------------------------------------


def test_5xx_storm_stops_early_as_site_down(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    server.set_fault(ARTICLES_ONLY, respond(503))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(
        db,
        server,
        "-s",
        "CCME_SITE_DOWN_AFTER=4",
        "-s",
        "CONCURRENT_REQUESTS=2",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    )
    recorded = failures(db)
    tries = _article_paths(server)
    assert (
        summary["returncode"],
        summary["finish_reason"],
        "site looks down" in summary["stderr"],
        stored_urls(db),
        # A run to the end would try every article twice (RETRY_TIMES=1).
        len(tries) < 2 * len(default_articles(server.site)),
        bool(recorded) and all(f[1:] == ("http_503", 503) for f in recorded.values()),
    ) == (3, "site_down", True, [], True, True)


def test_5xx_storm_retries_are_bounded_and_every_page_recorded(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    server.set_fault(ARTICLES_ONLY, respond(503))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, server, *NO_BREAKER)
    paths = _article_paths(server)
    expected = default_articles(server.site)
    assert (
        summary["returncode"],
        summary["failures_by_reason"],
        {u: f for u, f in failures(db).items() if u in expected}
        == dict.fromkeys(expected, ("article", "http_503", 503)),
        {paths.count(p) for p in paths},  # RETRY_TIMES=1: two tries per page, never more
        stored_urls(db),
    ) == (1, {"http_503": len(expected)}, True, {2}, [])


# --- one crawl, one fault per page ------------------------------------------------------------

# Faults that hit a single page each, all served in one crawl of the sample (one crawl is cheap
# enough to run once, and shows the faults do not disturb each other): name -> (fault factory,
# the reason recorded, or None when the page must end up stored).
_chain_counter = re.compile(r"^/chain/(\d+)/")


def _endless_chain(handler) -> bool:  # type: ignore[no-untyped-def]
    match = _chain_counter.match(handler.path)
    assert match is not None
    return redirect_to(f"/chain/{int(match.group(1)) + 1}/")(handler)


PAGE_FAULTS: dict[str, tuple[Callable[[str], list[tuple[str, Fault]]], str | None]] = {
    "reset": (lambda path: [(path, reset_connection())], "connection_lost"),
    "slow-drip": (lambda path: [(path, slow_drip(interval=0.2, max_seconds=8))], "timeout"),
    "short-body": (lambda path: [(path, truncated())], "truncated"),
    "huge-streamed": (lambda path: [(path, huge_page(8 * 1024 * 1024))], "too_large"),
    "huge-announced": (
        lambda path: [(path, huge_page(8 * 1024 * 1024, declare_length=True))],
        "too_large",
    ),
    "gzip-bomb": (lambda path: [(path, gzip_bomb())], "too_large"),
    "redirect-loop": (
        lambda path: [(path, redirect_to("/loop-b/")), ("/loop-b/", redirect_to(path))],
        "redirect_loop",
    ),
    "endless-redirect-chain": (
        lambda path: [(path, redirect_to("/chain/1/")), ("/chain/", _endless_chain)],
        "too_many_redirects",
    ),
    "robots-disallowed": (lambda path: [], "robots_disallowed"),
    "429-retry-after": (
        lambda path: [(path, times(1, respond(429, headers={"Retry-After": "1"})))],
        None,
    ),
}


@dataclass
class FaultyCrawl:
    server: MirrorServer
    db: Path
    summary: dict[str, Any]
    victims: dict[str, tuple[str, str]]  # fault name -> (canonical URL, path)


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyCrawl]:
    site = sample_site()
    with MirrorServer(site) as server:
        victims = {name: victim(site, index) for index, name in enumerate(PAGE_FAULTS)}
        for name, (make, _) in PAGE_FAULTS.items():
            for pattern, fault in make(victims[name][1]):
                server.set_fault(pattern, fault)
        server.robots_txt = f"User-agent: *\nDisallow: {victims['robots-disallowed'][1]}\n"
        db = tmp_path_factory.mktemp("faulty") / "ccme.sqlite"
        # Four connections at a time: the mirror's listen backlog is socketserver's default of
        # 5, and a SYN dropped from a full backlog is re-sent only after a second, which a
        # short DOWNLOAD_TIMEOUT would count against the page. The timeout leaves a loaded
        # machine time to stream a megabyte (a first try of a too-large page timing out was
        # retried, and the page fetched twice), and stays under the slow drip's 8 s.
        summary = crawl(
            db,
            server,
            "-s",
            "DOWNLOAD_TIMEOUT=4",
            "-s",
            "CONCURRENT_REQUESTS=4",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=4",
            "-s",
            "DOWNLOAD_MAXSIZE=1000000",
            "-s",
            "DOWNLOAD_WARNSIZE=0",
        )
        yield FaultyCrawl(server, db, summary, victims)


def test_faulty_pages_leave_the_rest_of_the_archive_whole(faulty_crawl: FaultyCrawl) -> None:
    lost = {url for name, (url, _) in faulty_crawl.victims.items() if PAGE_FAULTS[name][1]}
    stored = stored_urls(faulty_crawl.db)
    assert (
        faulty_crawl.summary["returncode"],
        sorted(stored) == sorted(default_articles(faulty_crawl.server.site) - lost),
        len(stored) == len(set(stored)),
        set(failures(faulty_crawl.db)) == lost,
    ) == (1, True, True, True)


@pytest.mark.parametrize(
    "name", [n for n, (_, reason) in PAGE_FAULTS.items() if reason is not None]
)
def test_page_fault_is_recorded_with_its_cause_and_never_stored(
    faulty_crawl: FaultyCrawl, name: str
) -> None:
    url, path = faulty_crawl.victims[name]
    tries = requests_for(faulty_crawl.server, path)
    expected_tries = {
        # RETRY_TIMES=1: two tries; Twisted re-sends a request once by itself when a reused
        # keep-alive connection dies under it, so a reset may show up to two requests a try.
        "reset": {2, 3, 4},
        "slow-drip": {2},
        "short-body": {2},
        "robots-disallowed": {0},  # never fetched
    }.get(name, {1})  # too large, redirects: not retried (the answer would be the same)
    assert (
        failures(faulty_crawl.db).get(url),
        url in stored_urls(faulty_crawl.db),
        tries in expected_tries,
    ) == (("article", PAGE_FAULTS[name][1], None), False, True)


def test_redirect_chain_is_cut_at_redirect_max_times(faulty_crawl: FaultyCrawl) -> None:
    chain = [r.path for r in faulty_crawl.server.requests if r.path.startswith("/chain/")]
    assert len(chain) == 10  # REDIRECT_MAX_TIMES: the 11th hop is never requested


def test_429_retry_after_waits_as_asked_then_stores(faulty_crawl: FaultyCrawl) -> None:
    url, path = faulty_crawl.victims["429-retry-after"]
    tries = [r for r in faulty_crawl.server.requests if r.path == path]
    assert (
        [r.status for r in tries],
        tries[1].time - tries[0].time >= 1.0,  # waited the second it was asked to
        url in stored_urls(faulty_crawl.db),
    ) == ([429, 200], True, True)


# --- 429 over the cap ------------------------------------------------------------------------


def test_429_retry_after_over_the_cap_ends_the_run_with_status_4(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    url, path = victim(server.site)
    server.set_fault(path, respond(429, headers={"Retry-After": "3600"}))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, server, "-s", "CCME_RETRY_AFTER_MAX=2")
    detail = rows(db, "SELECT detail FROM page_failures WHERE url = ?", (url,))
    assert (
        summary["returncode"],
        summary["finish_reason"],
        requests_for(server, path),
        failures(db).get(url),
        detail[0]["detail"] if detail else None,
    ) == (4, "rate_limited", 1, ("article", "http_429", 429), "HTTP 429 (Retry-After: 3600)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_header_forms(value: str, expected: float | None) -> None:
    now = 1445412450.0  # 2015-10-21 07:27:30 UTC
    assert parse_retry_after(value, now=now) == expected


# --- connection faults -----------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_retried_then_recorded(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    base = f"http://127.0.0.1:{_closed_port()}"
    result = run_cli(
        "crawl",
        "--db",
        str(db),
        "--base-url",
        base,
        "--no-progress",
        *FAST_SETTINGS,
        *NO_BREAKER,
        "-s",
        "ROBOTSTXT_OBEY=False",
        # Given listings: this is about retrying listing pages, not about discovery.
        *(arg for path in ARCHIVE_PATHS for arg in ("--category", path)),
    )
    reasons = {f[:2] for f in failures(db).values()}
    assert (
        result.returncode,
        "Gave up retrying" in result.stderr,
        reasons,
        len(failures(db)),
        stored_urls(db),
    ) == (1, True, {("listing", "connection_refused")}, 3, [])


def test_connection_refused_on_robots_txt_stops_the_run(tmp_path: Path) -> None:
    # RFC 9309 §2.3.1.4: robots.txt unreachable because of a network error = complete disallow.
    db = tmp_path / "ccme.sqlite"
    base = f"http://127.0.0.1:{_closed_port()}"
    result = run_cli("crawl", "--db", str(db), "--base-url", base, "--no-progress", *FAST_SETTINGS)
    robots = [f for f in failures(db).values() if f[0] == "robots"]
    assert (result.returncode, robots, stored_urls(db)) == (
        3,
        [("robots", "robots_unreachable", None)],
        [],
    )


# --- robots.txt ------------------------------------------------------------------------------


def test_robots_txt_answering_5xx_stops_the_run(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    server.set_fault("/robots.txt", respond(503))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, server)
    robots_url = server.url("/robots.txt")
    assert (
        summary["returncode"],
        summary["finish_reason"],
        {r.path for r in server.requests},  # nothing but robots.txt was fetched
        failures(db).get(robots_url),
        stored_urls(db),
    ) == (3, "robots_unavailable", {"/robots.txt"}, ("robots", "http_503", 503), [])


# --- endless pagination ----------------------------------------------------------------------


@pytest.mark.parametrize("cap", [None, 2])
def test_endless_pagination_stops(
    tmp_path: Path, fresh_sample_server: MirrorServer, cap: int | None
) -> None:
    server = fresh_sample_server
    server.set_fault("/category/", every_page_exists())
    db = tmp_path / "ccme.sqlite"
    extra = ("-s", f"CCME_MAX_LISTING_PAGES={cap}") if cap else ()
    # Given listings: the bound below counts the walks' pages, not discovery's.
    given = [arg for path in ARCHIVE_PATHS for arg in ("--category", path)]
    summary = crawl(db, server, *extra, *given)
    stored = stored_urls(db)
    listings = sum(1 for r in server.requests if r.path.startswith("/category/"))
    # Without a cap: the real pages, then three pages with nothing unseen, per category.
    bound = 3 * cap if cap else 4 + 3 * 3
    assert (
        summary["returncode"],
        summary["status"],
        sorted(stored) == sorted(default_articles(server.site)),
        len(stored) == len(set(stored)),
        listings <= bound,
    ) == (1, "incomplete", True, True, True)
