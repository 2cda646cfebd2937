"""Scheduled refresh: only what is new or changed, safely, unattended (real crawls, real files)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ccme_crawler.locking import RunLock
from ccme_mirror import MirrorArticle, MirrorServer, MirrorSite, sample_site
from ccme_mirror.faults import delay
from tests.helpers import ARCHIVE_PATHS, FAST_SETTINGS, ROOT, crawl, rows, start_crawl

pytestmark = pytest.mark.integration


def default_articles(site: MirrorSite) -> set[str]:
    wanted = set(ARCHIVE_PATHS)
    return {a.url for a in site.expected_articles() if {c.path for c in a.categories} & wanted}


def new_article(site: MirrorSite, number: int, category_index: int = 0) -> MirrorArticle:
    category = [c for c in site.categories if c.path in ARCHIVE_PATHS][category_index]
    return MirrorArticle(
        slug_path=f"/nouvel-article-numero-{number}/",
        title=f"Nouvel article numéro {number} sur les Marocains du monde",
        published_at=f"2026-11-{10 + number:02d}T10:00:00+01:00",
        language="fr",
        category=category,
        paragraphs=[
            f"Le Conseil a publié le rapport numéro {number} sur la mobilité des jeunes.",
            "Les auteurs soulignent le rôle des associations de la diaspora.",
        ],
        source="MAP",
        source_date=f"2026-11-{9 + number:02d}",
        post_id=900_000 + number,
    )


def kinds(server: MirrorServer) -> dict[str, int]:
    return {kind: server.count(kind) for kind in ("robots", "listing", "article", "other")}


@pytest.fixture
def crawled(tmp_path: Path):  # type: ignore[no-untyped-def]
    site = sample_site()
    with MirrorServer(site) as server:
        db = tmp_path / "ccme.sqlite"
        first = crawl(db, server)
        assert first["returncode"] == 0, first["stderr"][-2000:]
        server.reset_requests()
        yield site, server, db


def test_refresh_with_nothing_new_fetches_one_listing_page_per_category(crawled) -> None:  # type: ignore[no-untyped-def]
    _, server, db = crawled
    summary = crawl(db, server)
    assert (summary["returncode"], summary["articles_new"], kinds(server)) == (
        0,
        0,
        {"robots": 1, "listing": len(ARCHIVE_PATHS), "article": 0, "other": 0},
    )


@pytest.mark.parametrize("k", [1, 3])
def test_refresh_fetches_exactly_the_new_articles_within_budget(crawled, k: int) -> None:  # type: ignore[no-untyped-def]
    site, server, db = crawled
    for number in range(k):
        site.add_article(new_article(site, number, category_index=number % 3))
    summary = crawl(db, server)
    counted = kinds(server)
    assert (
        summary["articles_new"],
        counted["article"],
        counted["listing"] <= 2 * len(ARCHIVE_PATHS),
        counted["robots"] <= 1,
        {r["url"] for r in rows(db, "SELECT url FROM articles")} == default_articles(site),
    ) == (k, k, True, True, True)


def test_recheck_stores_changed_article_and_keeps_old_version(crawled) -> None:  # type: ignore[no-untyped-def]
    site, server, db = crawled
    target = sorted(default_articles(site))[0]
    article = site.find(target)
    assert article is not None
    old_body = article.body
    site.update_article(
        article.slug_path,
        paragraphs=[*article.paragraphs, "Paragraphe ajouté lors d'une mise à jour."],
        modified_at="2026-11-20T12:00:00+01:00",
    )
    summary = crawl(db, server, "--recheck")
    versions = rows(db, "SELECT url, version, body FROM article_versions")
    assert (summary["articles_updated"], versions) == (
        1,
        [{"url": target, "version": 1, "body": old_body}],
    )


def test_recheck_uses_conditional_requests(crawled) -> None:  # type: ignore[no-untyped-def]
    site, server, db = crawled
    summary = crawl(db, server, "--recheck")
    conditional = [
        r for r in server.requests if r.kind == "article" and "If-None-Match" in r.headers
    ]
    assert (summary["articles_not_modified"], len(conditional)) == (
        len(default_articles(site)),
        len(default_articles(site)),
    )


def test_second_concurrent_run_exits_75_without_touching_the_database(crawled) -> None:  # type: ignore[no-untyped-def]
    _, server, db = crawled
    before = db.read_bytes()
    with RunLock(db):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ccme_crawler",
                "crawl",
                "--db",
                str(db),
                "--base-url",
                server.base_url,
                *FAST_SETTINGS,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert (result.returncode, db.read_bytes() == before, server.count()) == (75, True, 0)


def test_lock_left_by_a_dead_process_is_taken_over(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    db = tmp_path / "ccme.sqlite"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Path(f"{db}.lock").write_text(f"{dead.pid}\n")
    summary = crawl(db, sample_server)
    assert (summary["returncode"], any("took over" in w for w in summary["warnings"])) == (0, True)


def _wait_for_articles(db: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=1)
                (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
                conn.close()
                if count >= at_least:
                    return
            except sqlite3.Error:
                pass
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} articles after {timeout}s")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_crawl_is_completed_by_the_next_run(tmp_path: Path, seed: int) -> None:
    site = sample_site()
    with MirrorServer(site) as server:
        server.set_fault("/", delay(0.05 * seed))
        db = tmp_path / "ccme.sqlite"
        process = start_crawl(db, server, concurrency=2)
        _wait_for_articles(db, 2 + seed)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        server.clear_faults()
        summary = crawl(db, server)
    urls = [r["url"] for r in rows(db, "SELECT url FROM articles")]
    runs = [r["status"] for r in rows(db, "SELECT status FROM crawl_runs ORDER BY id")]
    conn = sqlite3.connect(db)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    assert (
        summary["returncode"],
        sorted(urls) == sorted(default_articles(site)),
        len(urls) == len(set(urls)),
        runs,
        integrity,
    ) == (0, True, True, ["interrupted", "completed"], "ok")


def test_sigterm_stops_and_marks_the_run_interrupted(tmp_path: Path) -> None:
    site = sample_site()
    with MirrorServer(site) as server:
        server.set_fault("/", delay(0.2))
        db = tmp_path / "ccme.sqlite"
        process = start_crawl(db, server, concurrency=2)
        _wait_for_articles(db, 1)
        os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    runs = [r["status"] for r in rows(db, "SELECT status FROM crawl_runs")]
    assert (process.returncode, runs) == (130, ["interrupted"])


def test_refresh_fetches_no_shortlink_of_a_stored_post(tmp_path: Path) -> None:
    """Listings that link some posts as ``/?p=ID`` (301 to the permalink): the post is stored
    under its permalink, and a refresh finds it stored by its post id."""
    from ccme_mirror import generate_site

    site = generate_site(60, seed=20261201, variant="partial")
    db = tmp_path / "ccme.sqlite"

    def shortlinks(server: MirrorServer) -> list[str]:
        return [r.path for r in server.requests if "?p=" in r.path]

    with MirrorServer(site) as server:
        assert crawl(db, server)["returncode"] == 0
        assert shortlinks(server), "the variant's listings link no shortlink: nothing is tested"
        server.reset_requests()
        assert crawl(db, server)["returncode"] == 0
        assert shortlinks(server) == []
