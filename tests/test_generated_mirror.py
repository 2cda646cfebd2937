"""Crawls of generated mirrors that no other test has seen: same markup, other articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, generate_site
from tests.helpers import ARCHIVE_PATHS, crawl, rows

pytestmark = pytest.mark.integration

FIELDS = ("title", "published_at", "language", "body", "source", "source_date")


@pytest.fixture(scope="module", params=["sequential", "parallel"])
def generated_crawl(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    site = generate_site(240, seed=20261129)
    with MirrorServer(site) as server:
        db = tmp_path_factory.mktemp("generated") / "ccme.sqlite"
        summary = crawl(db, server, "-s", f"CCME_PAGINATION={request.param}")
        article_requests = server.count("article")
    wanted = set(ARCHIVE_PATHS)
    expected = {
        a.url: a for a in site.expected_articles() if {c.path for c in a.categories} & wanted
    }
    return db, summary, expected, article_requests


def test_every_article_stored_once(generated_crawl) -> None:  # type: ignore[no-untyped-def]
    db, summary, expected, _ = generated_crawl
    stored = [r["url"] for r in rows(db, "SELECT url FROM articles")]
    assert (summary["returncode"], sorted(stored)) == (0, sorted(expected))


def test_each_article_page_fetched_once(generated_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, expected, article_requests = generated_crawl
    # Redirected quirk links cost one extra request each; never a second fetch of a page.
    assert len(expected) <= article_requests <= len(expected) * 1.5


@pytest.mark.parametrize("field", FIELDS)
def test_field_right_on_every_article(generated_crawl, field: str) -> None:  # type: ignore[no-untyped-def]
    db, _, expected, _ = generated_crawl
    stored = {r["url"]: r[field] for r in rows(db, f"SELECT url, {field} FROM articles")}
    wrong = {
        url: (stored.get(url), getattr(article, field))
        for url, article in expected.items()
        if stored.get(url) != getattr(article, field)
    }
    assert wrong == {}


def test_since_stops_at_older_articles(tmp_path: Path) -> None:
    site = generate_site(120, seed=4)
    wanted = set(ARCHIVE_PATHS)
    expected = [a for a in site.expected_articles() if {c.path for c in a.categories} & wanted]
    dates = sorted(a.published_at[:10] for a in expected)
    since = dates[len(dates) // 2]
    with MirrorServer(site) as server:
        db = tmp_path / "ccme.sqlite"
        summary = crawl(db, server, "--since", since)
        listing_requests = server.count("listing")
    stored = rows(db, "SELECT published_at FROM articles")
    assert (
        summary["returncode"],
        all(r["published_at"][:10] >= since for r in stored),
        len(stored) == sum(1 for d in dates if d >= since),
        listing_requests < sum(site.last_page(c) for c in ARCHIVE_PATHS),
    ) == (0, True, True, True)


def test_log_file_gets_the_crawl_log(tmp_path: Path) -> None:
    site = generate_site(15, seed=5)
    with MirrorServer(site) as server:
        crawl(tmp_path / "ccme.sqlite", server, "--log-file", str(tmp_path / "crawl.log"))
    log = (tmp_path / "crawl.log").read_text()
    assert "Spider closed (finished)" in log
