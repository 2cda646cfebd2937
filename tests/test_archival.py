"""WARC capture of a real crawl, verification, re-extraction and WACZ packaging, end to end."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_crawler.extraction.requisites import is_requisite_url
from ccme_crawler.urls import is_discovery_url
from ccme_mirror import MirrorServer, sample_site
from tests.helpers import crawl, rows, run_cli

pytestmark = pytest.mark.integration

# Columns that say when a row was written, which differs between a crawl and its re-extraction.
BOOKKEEPING = {"first_stored_at", "changed_at", "run_id"}


@pytest.fixture(scope="module")
def archived_crawl(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("archive")
    with MirrorServer(sample_site()) as server:
        db = tmp / "ccme.sqlite"
        summary = crawl(db, server, "--warc", str(tmp / "warc"))
        requests = list(server.requests)
    assert summary["returncode"] == 0, summary["stderr"][-3000:]
    return tmp, db, tmp / "warc", summary, requests


def _records(warc_dir: Path) -> list[tuple[str, str, int | None]]:
    found = []
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                status = None
                if record.http_headers is not None and record.rec_type in ("response", "revisit"):
                    status = int(record.http_headers.get_statuscode())
                found.append(
                    (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), status)
                )
    return found


def test_one_response_record_per_fetched_page(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, warc_dir, _, requests = archived_crawl
    # A page fetched twice with the same bytes (robots.txt: once for the rules, once by
    # discovery for its Sitemap lines) is a response, then a revisit.
    responses = Counter(
        uri for kind, uri, _ in _records(warc_dir) if kind in ("response", "revisit")
    )
    fetched = Counter(r.path for r in requests)
    assert sorted(
        (uri.split("/", 3)[3] if uri.count("/") >= 3 else "", n) for uri, n in responses.items()
    ) == sorted((path.lstrip("/"), n) for path, n in fetched.items())


def test_warcs_pass_warcio_check(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, warc_dir, _, _ = archived_crawl
    files = [str(p) for p in sorted(warc_dir.glob("*.warc.gz"))]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (bool(files), result.returncode) == (True, 0), result.stdout + result.stderr


def test_verify_command_passes(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    _, _, warc_dir, _, _ = archived_crawl
    result = run_cli("verify", str(warc_dir))
    assert (result.returncode, result.stdout.strip().endswith("ok")) == (0, True)


def test_every_article_points_at_its_capture(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    _, db, warc_dir, _, _ = archived_crawl
    articles = rows(db, "SELECT url, warc_filename, warc_offset, warc_record_id FROM articles")
    ids = {}
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                ids[record.rec_headers.get_header("WARC-Record-ID")] = (path.name, record.rec_type)
    assert all(
        ids.get(a["warc_record_id"]) == (Path(a["warc_filename"]).name, "response")
        for a in articles
    )


def test_reextraction_gives_the_same_articles_table(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    tmp, db, warc_dir, _, _ = archived_crawl
    rebuilt = tmp / "rebuilt.sqlite"
    result = run_cli("reextract", "--warc", str(warc_dir), "--db", str(rebuilt))
    assert result.returncode == 0, result.stderr

    def table(path: Path) -> list[dict]:  # type: ignore[type-arg]
        return [
            {k: v for k, v in row.items() if k not in BOOKKEEPING}
            for row in rows(path, "SELECT * FROM articles ORDER BY url")
        ]

    assert table(rebuilt) == table(db)


def test_reextraction_keeps_listing_categories(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    tmp, db, warc_dir, _, _ = archived_crawl
    rebuilt = tmp / "rebuilt-categories.sqlite"
    run_cli("reextract", "--warc", str(warc_dir), "--db", str(rebuilt))
    sql = """SELECT ac.article_url, c.path, ac.relation FROM article_categories ac
        JOIN categories c ON c.id = ac.category_id ORDER BY 1, 2, 3"""
    assert rows(rebuilt, sql) == rows(db, sql)


@pytest.fixture(scope="module")
def reextracted(archived_crawl) -> Path:  # type: ignore[no-untyped-def]
    tmp, _, warc_dir, _, _ = archived_crawl
    rebuilt = tmp / "rebuilt-analysis.sqlite"
    result = run_cli("reextract", "--warc", str(warc_dir), "--db", str(rebuilt))
    assert result.returncode == 0, result.stderr
    return rebuilt


# What storage writes beside each article row: the same from the WARCs as from the crawl.
BESIDE_ARTICLES = {
    "countries": "SELECT article_url, code, mentions, rank FROM article_countries ORDER BY 1, 2",
    "stories": "SELECT article_url, story_id, signature FROM article_stories ORDER BY 1",
    "listings": "SELECT article_url, category_path FROM listing_entries ORDER BY 1, 2",
    "sources": """SELECT s.name, a.raw FROM sources s
        JOIN source_aliases a ON a.source_id = s.id ORDER BY 1, 2""",
    "checks": "SELECT url, http_status, etag, last_modified FROM article_checks ORDER BY 1",
}


@pytest.mark.parametrize("table", sorted(BESIDE_ARTICLES))
def test_reextraction_gives_the_same_rows_beside_the_articles(
    archived_crawl,  # type: ignore[no-untyped-def]
    reextracted: Path,
    table: str,
) -> None:
    _, db, _, _, _ = archived_crawl
    sql = BESIDE_ARTICLES[table]
    expected = rows(db, sql)
    assert (bool(expected), rows(reextracted, sql)) == (True, expected)


def test_package_builds_a_wacz_with_pages(archived_crawl) -> None:  # type: ignore[no-untyped-def]
    tmp, db, warc_dir, summary, _ = archived_crawl
    output = tmp / "ccme.wacz"
    result = run_cli("package", "--db", str(db), "--warc", str(warc_dir), "-o", str(output))
    with zipfile.ZipFile(output) as wacz:
        names = set(wacz.namelist())
        pages = wacz.read("pages/pages.jsonl").decode().splitlines()
    assert (
        result.returncode,
        {"datapackage.json", "indexes/index.cdxj", "pages/pages.jsonl"} <= names,
        len(pages) - 1,
    ) == (0, True, summary["articles_new"])


def test_verify_names_a_damaged_record_and_repair_restores_a_cut_file(
    tmp_path: Path, archived_crawl
) -> None:  # type: ignore[no-untyped-def]
    _, _, warc_dir, _, _ = archived_crawl
    copy = tmp_path / "warc"
    copy.mkdir()
    (source,) = sorted(warc_dir.glob("*.warc.gz"))[:1]
    data = source.read_bytes()
    cut = copy / source.name
    cut.write_bytes(data[: len(data) - 500])
    broken = run_cli("verify", str(copy))
    repaired = run_cli("verify", "--repair", str(copy))
    assert (broken.returncode, source.name in broken.stderr, repaired.returncode) == (1, True, 0)


def test_recrawl_writes_revisit_records_for_identical_pages(tmp_path: Path) -> None:
    with MirrorServer(sample_site()) as server:
        db = tmp_path / "ccme.sqlite"
        crawl(db, server, "--warc", str(tmp_path / "warc"))
        crawl(db, server, "--warc", str(tmp_path / "warc"), "--full")
    kinds = Counter(
        kind
        for kind, uri, status in _records(tmp_path / "warc")
        # Articles only: not listings, nor the home pages discovery reads, nor page requisites
        # (tests/warc/test_requisites_crawl.py).
        if status == 200
        and "/category/" not in uri
        and not is_discovery_url(uri)
        and not is_requisite_url(uri)
    )
    conn = sqlite3.connect(db)
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    conn.close()
    assert (kinds["response"], kinds["revisit"]) == (articles, articles)
