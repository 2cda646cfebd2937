"""`ccme-crawler import` of a WARC written by warcio's `capture_http` gives the articles a crawl
of the same mirror stores, column for column (provenance aside); revisits are resolved; a file
that is no archive is refused. (Debian's wget and a WACZ made by the `wacz` tool, on a mirror no
other test has seen: tests/replay/test_done_when.py.)"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_mirror import MirrorServer, sample_site
from tests.helpers import crawl, rows, run_cli
from tests.warc.helpers import comparable_articles, import_files

pytestmark = pytest.mark.integration

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
    assert comparable_articles(db) == comparable_articles(folder / "crawl.sqlite")


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
