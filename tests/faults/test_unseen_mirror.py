"""A generated mirror no other test crawls, with faults mixed in: the acceptance run of issue 6.

Every reachable article must be stored once, every failure recorded with its cause, and the exit
status must tell a scheduler what happened; the next run, with the faults gone, completes the
archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccme_mirror import MirrorServer, generate_site, render
from ccme_mirror.faults import reset_connection, respond, times
from tests.faults.helpers import default_articles, failures, integrity, stored_urls, victim
from tests.helpers import crawl, rows

pytestmark = pytest.mark.integration

SEED = 60_611  # used by no other test


@dataclass
class Runs:
    expected: set[str]
    permanent: dict[str, tuple[str, str, int]]  # url -> recorded failure
    transient: set[str]
    db: Path
    first: dict[str, Any]
    second: dict[str, Any]
    first_stored: list[str]
    first_failures: dict[str, tuple[str, str, int | None]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    site = generate_site(60, seed=SEED)
    with MirrorServer(site) as server:
        pages = [victim(site, i) for i in range(6)]
        # Transient faults: retried within the run (RETRY_TIMES=2), then served.
        server.set_fault(pages[0][1], times(2, respond(503)))
        server.set_fault(pages[1][1], times(2, respond(503, headers={"Retry-After": "1"})))
        server.set_fault(pages[2][1], times(1, reset_connection()))
        server.set_fault("/category/archives-du-ccme/activites/page/2/", times(1, respond(502)))
        # Permanent faults: recorded with their cause.
        server.set_fault(pages[3][1], respond(500))
        server.set_fault(pages[4][1], respond(200, render.render_404(server.link_origin)))
        server.set_fault(pages[5][1], respond(404, render.render_404(server.link_origin)))
        db = tmp_path_factory.mktemp("unseen") / "ccme.sqlite"
        first = crawl(db, server, "-s", "RETRY_TIMES=2")
        first_stored = stored_urls(db)
        first_failures = failures(db)
        server.clear_faults()  # the site recovers: the same pages now answer
        second = crawl(db, server, "-s", "RETRY_TIMES=2")
        yield Runs(
            expected=default_articles(site),
            permanent={
                pages[3][0]: ("article", "http_500", 500),
                pages[4][0]: ("article", "soft_404", 200),
                pages[5][0]: ("article", "http_404", 404),
            },
            transient={pages[0][0], pages[1][0], pages[2][0]},
            db=db,
            first=first,
            second=second,
            first_stored=first_stored,
            first_failures=first_failures,
        )


def test_every_reachable_article_stored_once(runs: Runs) -> None:
    assert (
        sorted(runs.first_stored) == sorted(runs.expected - set(runs.permanent)),
        len(runs.first_stored) == len(set(runs.first_stored)),
        runs.transient <= set(runs.first_stored),
    ) == (True, True, True)


def test_every_failure_recorded_with_its_cause(runs: Runs) -> None:
    assert runs.first_failures == runs.permanent


def test_exit_status_says_pages_failed(runs: Runs) -> None:
    assert (runs.first["returncode"], runs.first["status"], runs.first["failures_by_reason"]) == (
        1,
        "completed",
        {"http_500": 1, "soft_404": 1, "http_404": 1},
    )


def test_next_run_completes_the_archive_without_duplicates(runs: Runs) -> None:
    stored = stored_urls(runs.db)
    unresolved = rows(runs.db, "SELECT url FROM page_failures WHERE resolved_at IS NULL")
    assert (
        runs.second["returncode"],
        sorted(stored) == sorted(runs.expected),
        len(stored) == len(set(stored)),
        unresolved,
        integrity(runs.db),
    ) == (0, True, True, [], "ok")
