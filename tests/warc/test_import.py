"""`ccme-crawler import` of WARCs written by independent tools — Debian's wget (`--warc-file`),
warcio's `capture_http`, a WACZ made by the `wacz` tool — gives the articles a crawl of the
same mirror stores, column for column (provenance aside)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_mirror import MirrorServer, sample_site
from tests.conftest import crawl, rows, run_cli

pytestmark = pytest.mark.integration

# Where and when a page was fetched, and which run wrote the row: what differs between a crawl
# and an import of another tool's capture of the same pages.
PROVENANCE = {
    "fetched_url",
    "final_url",
    "fetched_at",
    "warc_filename",
    "warc_offset",
    "warc_length",
    "warc_record_id",
    "warc_payload_digest",
    "first_stored_at",
    "changed_at",
    "run_id",
}
WGET = shutil.which("wget")
# Links every page carries that answer 404 on the mirror (REST API, feeds, RSD): not worth asking.
WGET_REJECT = r"/(wp-json|xmlrpc\.php|feed|comments)(/|\?|$)"

CAPTURE_SCRIPT = """
import sys
from urllib.parse import urljoin
from warcio.capture_http import capture_http
import requests  # after capture_http, as warcio asks
from ccme_crawler.extraction.listing import extract_listing

base, out, *categories = sys.argv[1:]
with capture_http(out):
    session = requests.Session()
    for category in categories:
        url = base + category
        while url:
            page = session.get(url)
            listing = extract_listing(page.text, page.url)
            for item in listing.items:
                session.get(urljoin(page.url, item.url))
            url = listing.next_url
"""


def articles(db: Path) -> list[dict[str, Any]]:
    # source_id is numbered by the database in the order outlets are first met: the outlet's
    # name stands for it.
    sql = """SELECT a.*, s.name AS source_name FROM articles a
        LEFT JOIN sources s ON s.id = a.source_id ORDER BY a.url"""
    return [
        {k: v for k, v in row.items() if k not in PROVENANCE and k != "source_id"}
        for row in rows(db, sql)
    ]


def import_files(db: Path, server_url: str, *files: Path) -> Any:
    result = run_cli("import", "--db", str(db), "--origin", server_url, *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The sample mirror, crawled once by ccme-crawler (the reference rows)."""
    folder = tmp_path_factory.mktemp("import")
    site = sample_site()
    with MirrorServer(site) as server:
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(folder / "crawl.sqlite", server, *categories)
        assert summary["returncode"] == 0, summary["stderr"][-2000:]
        yield server, folder


@pytest.fixture(scope="module")
def wget_warc(mirror) -> Path:  # type: ignore[no-untyped-def]
    if WGET is None:
        pytest.skip("wget is not installed (apt-get install wget): the wget WARC cannot be made")
    server, folder = mirror
    result = subprocess.run(
        [
            WGET,
            "--recursive",
            "--level=inf",
            "--page-requisites",
            "--delete-after",
            "--no-verbose",
            "--tries=1",
            "--timeout=10",
            f"--reject-regex={WGET_REJECT}",
            f"--warc-file={folder / 'wget'}",
            "--directory-prefix",
            str(folder / "wget-files"),
            *(server.url(c.path) for c in server.site.categories),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Exit status 8: some links answered 404 (the menus link pages the mirror does not have).
    assert result.returncode in (0, 8), result.stderr[-2000:]
    return folder / "wget.warc.gz"


def test_wget_warc_imports_the_articles_the_crawl_stores(mirror, wget_warc: Path) -> None:  # type: ignore[no-untyped-def]
    server, folder = mirror
    db = folder / "from-wget.sqlite"
    import_files(db, server.base_url, wget_warc)
    assert articles(db) == articles(folder / "crawl.sqlite")


def test_wget_import_keeps_provenance(mirror, wget_warc: Path) -> None:  # type: ignore[no-untyped-def]
    server, folder = mirror
    db = folder / "provenance.sqlite"
    result = import_files(db, server.base_url, wget_warc)
    ids = set()
    with wget_warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                ids.add(record.rec_headers.get_header("WARC-Record-ID"))
    stored = rows(db, "SELECT url, warc_filename, warc_record_id FROM articles")
    provenance = rows(
        db, "SELECT url, source_file, record_id, captured_at, software FROM imported_captures"
    )
    first = {}
    for row in provenance:
        first.setdefault(row["url"], row)
    assert (
        "written by Wget/" in result.stdout,
        {row["url"] for row in stored} == set(first),
        all(row["warc_filename"] == str(wget_warc) for row in stored),
        all(row["warc_record_id"] in ids for row in stored),
        all(row["software"].startswith("Wget/1.") for row in provenance),
        all(row["captured_at"] for row in provenance),
    ) == (True, True, True, True, True, True)


def test_wacz_made_by_the_wacz_tool_imports_the_same_articles(mirror, wget_warc: Path) -> None:  # type: ignore[no-untyped-def]
    server, folder = mirror
    wacz = folder / "wget.wacz"
    made = subprocess.run(
        [str(Path(sys.executable).parent / "wacz"), "create", "-o", str(wacz), str(wget_warc)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    db = folder / "from-wacz.sqlite"
    import_files(db, server.base_url, wacz)
    assert articles(db) == articles(folder / "crawl.sqlite")


def test_warcio_capture_http_warc_imports_the_articles_the_crawl_stores(mirror) -> None:  # type: ignore[no-untyped-def]
    server, folder = mirror
    warc = folder / "capture.warc.gz"
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            CAPTURE_SCRIPT,
            server.base_url,
            str(warc),
            *(c.path for c in server.site.categories),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    db = folder / "from-warcio.sqlite"
    import_files(db, server.base_url, warc)
    assert articles(db) == articles(folder / "crawl.sqlite")


def test_revisit_records_are_resolved_to_their_payload(tmp_path: Path) -> None:
    # ccme-crawler writes a revisit for an article fetched again unchanged: a second run's file
    # holds revisits only, whose payload is in the first run's file.
    site = sample_site()
    with MirrorServer(site) as server:
        for _ in range(2):
            crawl(tmp_path / "crawl.sqlite", server, "--warc", str(tmp_path / "warc"), "--full")
        base_url = server.base_url
    first, second = sorted((tmp_path / "warc").glob("*.warc.gz"))
    revisit_ids = set()
    with second.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "revisit":
                revisit_ids.add(record.rec_headers.get_header("WARC-Record-ID"))
    db = tmp_path / "imported.sqlite"
    import_files(db, base_url, first, second)
    from_revisits = rows(
        db, "SELECT url, outcome FROM imported_captures WHERE source_file = ?", (str(second),)
    )
    expected = len(rows(tmp_path / "crawl.sqlite", "SELECT url FROM articles"))
    assert (
        len(from_revisits),
        {r["outcome"] for r in from_revisits},
        all(
            r["record_id"] in revisit_ids
            for r in rows(
                db, "SELECT record_id FROM imported_captures WHERE source_file = ?", (str(second),)
            )
        ),
    ) == (expected, {"unchanged"}, True)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.zip"
    shutil.make_archive(str(tmp_path / "notes"), "zip", root_dir=tmp_path, base_dir=".")
    result = run_cli("import", "--db", str(tmp_path / "db.sqlite"), str(bogus))
    assert (result.returncode, "not a WACZ" in result.stderr) == (1, True)
