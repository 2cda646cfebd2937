"""Page requisites in a real crawl of a generated mirror no other test crawls: each one the
articles reference is captured once, never stored as an article, never a page failure; a later
crawl skips what it captured recently or writes revisits for what did not change."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_crawler.warc import write_cdxj
from ccme_mirror import MirrorServer, generate_site
from ccme_mirror.faults import respond
from tests.helpers import crawl, rows, run_cli
from tests.warc.helpers import referenced_assets

pytestmark = pytest.mark.integration

MISSING = "/wp-content/uploads/2023/10/logo-ccme-blanc.png"
# Referenced by stylesheets only: found when a stylesheet is fetched, not when it is skipped.
FROM_STYLESHEETS = {
    "/wp-content/themes/smart-mag/css/skin-ccme.css",
    "/wp-content/themes/smart-mag/fonts/ts-icons.woff2",
    "/wp-content/themes/smart-mag/fonts/ts-icons.woff",
    "/wp-content/themes/smart-mag/images/paper.png",
    "/wp-content/themes/smart-mag/images/head-rule.svg",
}


@dataclass
class Crawled:
    server: MirrorServer
    folder: Path
    summary: dict
    asset_requests: Counter[str]


def expected_assets(server: MirrorServer) -> Counter[str]:
    return Counter(referenced_assets(server.site))


def warc_records(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in sorted((folder / "warc").glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    found.append((record.rec_type, urlsplit(uri).path))
    return found


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("requisites")
    site = generate_site(60, seed=913)
    with MirrorServer(site) as server:
        server.set_fault(MISSING, respond(404, "<p>gone</p>"))
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(folder / "ccme.sqlite", server, "--warc", str(folder / "warc"), *categories)
        assets = Counter(
            urlsplit(r.path).path for r in server.requests if r.path.startswith("/wp-")
        )
        yield Crawled(server, folder, summary, assets)


def test_crawl_succeeds_with_every_article(crawled: Crawled) -> None:
    assert (crawled.summary["returncode"], crawled.summary["articles_new"]) == (
        0,
        len(crawled.server.site.expected_articles()),
    ), crawled.summary["stderr"][-2000:]


def test_every_same_site_requisite_is_requested_once(crawled: Crawled) -> None:
    assert crawled.asset_requests == expected_assets(crawled.server)


def test_every_requisite_is_in_the_warc_once(crawled: Crawled) -> None:
    captured = Counter(
        path for kind, path in warc_records(crawled.folder) if path.startswith("/wp-")
    )
    assert captured == expected_assets(crawled.server)


def test_requisites_are_not_articles_nor_page_failures(crawled: Crawled) -> None:
    db = crawled.folder / "ccme.sqlite"
    urls = [r["url"] for r in rows(db, "SELECT url FROM articles")]
    failures = rows(db, "SELECT url FROM page_failures")
    assert ([u for u in urls if "/wp-" in u], failures, crawled.summary["failures"]) == ([], [], 0)


def test_summary_counts_requisites_apart_from_pages(crawled: Crawled) -> None:
    requisites = crawled.summary["requisites"]
    fetched = sum(crawled.asset_requests.values())
    pages = len([r for r in crawled.server.requests if not r.path.startswith("/wp-")])
    assert (
        requisites["fetched"],
        requisites["failed"],
        requisites["bytes"] > 100_000,
        crawled.summary["pages_fetched"],
    ) == (fetched - 1, 1, True, pages)


def test_captured_requisites_table_names_the_warc_file(crawled: Crawled) -> None:
    table = rows(crawled.folder / "ccme.sqlite", "SELECT url, warc_file FROM captured_requisites")
    files = {p.name for p in (crawled.folder / "warc").glob("*.warc.gz")}
    assert (
        len(table),
        all(row["warc_file"] in files for row in table),
        any(row["url"].endswith(MISSING) for row in table),
    ) == (sum(crawled.asset_requests.values()) - 1, True, False)


def _recrawl(crawled: Crawled, name: str, *extra: str) -> tuple[dict, Counter[str]]:
    db = crawled.folder / f"{name}.sqlite"
    db.write_bytes((crawled.folder / "ccme.sqlite").read_bytes())
    crawled.server.reset_requests()
    categories = [arg for c in crawled.server.site.categories for arg in ("--category", c.path)]
    summary = crawl(
        db, crawled.server, "--warc", str(crawled.folder / "warc"), "--full", *categories, *extra
    )
    assets = Counter(
        urlsplit(r.path).path for r in crawled.server.requests if r.path.startswith("/wp-")
    )
    return summary, assets


def test_later_crawl_skips_requisites_captured_recently(crawled: Crawled) -> None:
    summary, assets = _recrawl(crawled, "recent")
    assert (summary["returncode"], dict(assets), summary["requisites"]["skipped_recent"]) == (
        0,
        {MISSING: 1},  # only the one that failed is asked for again
        sum(crawled.asset_requests.values()) - 1 - len(FROM_STYLESHEETS),
    )


def test_later_crawl_with_max_age_zero_writes_revisits_for_unchanged_assets(
    crawled: Crawled,
) -> None:
    before = Counter(kind for kind, path in warc_records(crawled.folder) if path.startswith("/wp-"))
    summary, assets = _recrawl(crawled, "refetch", "-s", "CCME_REQUISITES_MAX_AGE_DAYS=0")
    after = Counter(kind for kind, path in warc_records(crawled.folder) if path.startswith("/wp-"))
    # The 404 page is the same bytes too: a revisit, like every asset that did not change.
    assert (
        assets == crawled.asset_requests,
        after["response"] - before["response"],
        after["revisit"] - before["revisit"],
        summary["requisites"]["revisits"],
    ) == (True, 0, sum(assets.values()), sum(assets.values()))


def test_none_fetches_no_requisite(crawled: Crawled) -> None:
    summary, assets = _recrawl(crawled, "none", "--requisites", "none")
    assert (summary["returncode"], assets, summary["requisites"]) == (0, Counter(), None)


def test_robots_txt_applies_to_requisites(tmp_path: Path) -> None:
    site = generate_site(12, seed=914)
    with MirrorServer(site, robots_txt="User-agent: *\nDisallow: /wp-content/uploads/\n") as server:
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(
            tmp_path / "db.sqlite", server, "--warc", str(tmp_path / "warc"), *categories
        )
        uploads = [r.path for r in server.requests if r.path.startswith("/wp-content/uploads/")]
    conn = sqlite3.connect(tmp_path / "db.sqlite")
    (failures,) = conn.execute("SELECT count(*) FROM page_failures").fetchone()
    conn.close()
    assert (
        summary["returncode"],
        uploads,
        summary["requisites"]["failed"] > 0,
        failures,
    ) == (0, [], True, 0)


@pytest.mark.parametrize("mode", ["site", "all"])
def test_requisites_without_warc_capture_is_a_usage_error(tmp_path: Path, mode: str) -> None:
    result = run_cli(
        "crawl",
        "--db",
        str(tmp_path / "db.sqlite"),
        "--base-url",
        "http://127.0.0.1:9",
        "--requisites",
        mode,
    )
    assert (
        result.returncode,
        "add --warc" in result.stderr,
        (tmp_path / "db.sqlite").exists(),
    ) == (
        2,
        True,
        False,
    )


def test_failing_requisites_do_not_make_the_site_look_down(tmp_path: Path) -> None:
    site = generate_site(15, seed=915)
    with MirrorServer(site) as server:
        server.set_fault("/wp-", respond(503, "<p>busy</p>"))
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(
            tmp_path / "db.sqlite",
            server,
            "--warc",
            str(tmp_path / "warc"),
            "-s",
            "CCME_SITE_DOWN_AFTER=3",
            *categories,
        )
    assert (
        summary["returncode"],
        summary["finish_reason"],
        summary["articles_new"],
        summary["requisites"]["failed"] > 3,
    ) == (0, "finished", len(site.expected_articles()), True)


def test_index_of_a_recrawl_is_what_the_indexer_reads_from_its_warcs(
    crawled: Crawled, tmp_path: Path
) -> None:
    # Articles, requisites, a 404, robots.txt and sitemaps; then revisits of all of them.
    warcs = tmp_path / "warc"
    shutil.copytree(crawled.folder / "warc", warcs)
    db = tmp_path / "ccme.sqlite"
    db.write_bytes((crawled.folder / "ccme.sqlite").read_bytes())
    categories = [arg for c in crawled.server.site.categories for arg in ("--category", c.path)]
    crawl(
        db,
        crawled.server,
        "--warc",
        str(warcs),
        "--full",
        *categories,
        "-s",
        "CCME_REQUISITES_MAX_AGE_DAYS=0",
    )
    rebuilt = write_cdxj(warcs, tmp_path / "rebuilt.cdxj")
    assert (warcs / "index.cdxj").read_text() == rebuilt.read_text()
