"""The acceptance run of issue 12: a generated mirror no other test crawls, with glitching
listings, a held write lock, a bad link and an off-site redirect at once.

While anything is missing the run says it is incomplete (exit 1); within a refresh or two every
article is stored once and the run completes (exit 0).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, generate_site
from ccme_mirror.faults import (
    delay,
    listing_with_link,
    listing_without_posts,
    maintenance_page,
    redirect_off_site,
    respond,
    times,
)
from tests.faults.helpers import (
    default_articles,
    stored_urls,
    take_write_lock,
    victim,
    wait_for_articles,
)
from tests.helpers import crawl, rows, start_crawl

pytestmark = pytest.mark.integration

SEED = 90_210  # used by no other test; 90 posts, 5 a page
ARTICLES_ONLY = re.compile(r"^/(?!robots\.txt|category/)")


@pytest.fixture
def other_host() -> Iterator[MirrorServer]:
    with MirrorServer(generate_site(3, seed=5)) as server:
        server.set_fault("/", respond(200, "<html><body><h1>Injected</h1></body></html>"))
        yield server


def test_mixed_faults_are_told_honestly_and_a_refresh_or_two_completes_the_archive(
    tmp_path: Path, other_host: MirrorServer
) -> None:
    site = generate_site(90, seed=SEED, per_page=5)
    expected = default_articles(site)
    with MirrorServer(site) as server:
        server.set_fault(
            "/category/archives-du-ccme/activites/page/2/", times(1, maintenance_page())
        )
        server.set_fault(
            "/category/archives-du-ccme/medias-et-migration/page/3/",
            times(1, listing_without_posts()),
        )
        server.set_fault(
            "/category/archives-du-ccme/actualites-archives-du-ccme/page/2/",
            times(1, listing_with_link("http://[bad-link/")),
        )
        server.set_fault(victim(site, 3)[1], times(1, redirect_off_site(other_host.base_url)))
        server.set_fault(ARTICLES_ONLY, delay(0.2))  # the crawl outlasts the held lock
        db = tmp_path / "ccme.sqlite"
        first = start_crawl(db, server, "--json", "-s", "CCME_WRITE_WAIT=1", concurrency=2)
        wait_for_articles(db, 3)
        holder = take_write_lock(db)  # another process holds the write lock for 4 s
        time.sleep(4)
        holder.execute("ROLLBACK")
        holder.close()
        stdout, _ = first.communicate(timeout=180)
        summary = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
        later = []
        for _ in range(2):
            later.append(crawl(db, server)["returncode"])
            if later[-1] == 0:
                break
    stored = stored_urls(db)
    reasons = {r["reason"] for r in rows(db, "SELECT reason FROM page_failures")}
    assert (
        first.returncode,
        summary["status"],
        {"listing_not_a_listing", "listing_empty", "malformed_link", "offsite_redirect"}
        | {"storage_busy"}
        <= reasons,
        later[-1],
        sorted(stored) == sorted(expected),
        len(stored) == len(set(stored)),
        other_host.count(),
    ) == (1, "incomplete", True, 0, True, True, 0)
