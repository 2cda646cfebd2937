"""Issue 13, end to end, on a mirror generated from a random seed (no other test has seen it):
the crawl with WARC on captures every same-site requisite its articles reference, once, and
counts them apart from pages; `import` of wget's WARC (and of a WACZ the `wacz` tool makes of
it) of the same mirror gives the articles the crawl stored, column for column, provenance aside.
(The replay of every article in pywb: test_pywb_replay.py; a later crawl's revisits and max-age
skip: tests/warc/test_requisites_crawl.py.)"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.helpers import rows
from tests.replay.conftest import ArchivedCrawl
from tests.warc.helpers import comparable_articles, import_files, referenced_assets

pytestmark = pytest.mark.integration


def captured_asset_paths(warc_dir: Path) -> Counter[str]:
    """How many response records the WARCs hold for each asset path."""
    found: Counter[str] = Counter()
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    target = urlsplit(record.rec_headers.get_header("WARC-Target-URI")).path
                    if target.startswith(("/wp-content/", "/wp-includes/")):
                        found[target] += 1
    return found


def wget_warc(crawled: ArchivedCrawl) -> Path:
    if crawled.wget_warc is None:
        pytest.skip("wget is not installed (apt-get install wget; .ci/run installs it)")
    return crawled.wget_warc


def test_every_referenced_requisite_is_captured_once(archived_crawl: ArchivedCrawl) -> None:
    expected = Counter(referenced_assets(archived_crawl.site))
    requested = Counter(
        {urlsplit(path).path: n for path, n in archived_crawl.asset_requests.items()}
    )
    assert (
        captured_asset_paths(archived_crawl.warc_dir),
        requested,
    ) == (expected, expected), f"seed {archived_crawl.seed}"


def test_summary_counts_requisites_and_no_page_failure(archived_crawl: ArchivedCrawl) -> None:
    summary = archived_crawl.summary
    requisites = summary["requisites"]
    assert (
        requisites["fetched"],
        requisites["revisits"],
        requisites["failed"],
        requisites["bytes"] > 100_000,
        summary["failures"],
        rows(archived_crawl.db, "SELECT url FROM page_failures"),
        rows(archived_crawl.db, "SELECT url FROM articles WHERE url LIKE '%/wp-%'"),
    ) == (
        sum(archived_crawl.asset_requests.values()),
        0,
        0,
        True,
        0,
        [],
        [],
    ), f"seed {archived_crawl.seed}"


def test_import_of_wget_warc_gives_the_articles_the_crawl_stored(
    archived_crawl: ArchivedCrawl,
) -> None:
    db = archived_crawl.folder / "from-wget.sqlite"
    import_files(db, archived_crawl.base_url, wget_warc(archived_crawl))
    crawled = comparable_articles(archived_crawl.db)
    assert (len(crawled), comparable_articles(db) == crawled) == (
        len(archived_crawl.site.expected_articles()),
        True,
    ), f"seed {archived_crawl.seed}"


def test_wget_import_keeps_provenance(archived_crawl: ArchivedCrawl) -> None:
    warc = wget_warc(archived_crawl)
    db = archived_crawl.folder / "provenance.sqlite"
    output = import_files(db, archived_crawl.base_url, warc)
    ids = set()
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                ids.add(record.rec_headers.get_header("WARC-Record-ID"))
    stored = rows(db, "SELECT url, warc_filename, warc_record_id FROM articles")
    provenance = rows(
        db, "SELECT url, source_file, record_id, captured_at, software FROM imported_captures"
    )
    assert (
        "written by Wget/" in output,
        {row["url"] for row in stored} == {row["url"] for row in provenance},
        all(row["warc_filename"] == str(warc) for row in stored),
        all(row["warc_record_id"] in ids for row in stored),
        all(row["software"].startswith("Wget/1.") for row in provenance),
        all(row["captured_at"] for row in provenance),
    ) == (True, True, True, True, True, True)


def test_wacz_made_by_the_wacz_tool_imports_the_same_articles(
    archived_crawl: ArchivedCrawl,
) -> None:
    wacz = archived_crawl.folder / "wget.wacz"
    made = subprocess.run(
        [
            str(Path(sys.executable).parent / "wacz"),
            "create",
            "-o",
            str(wacz),
            str(wget_warc(archived_crawl)),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    db = archived_crawl.folder / "from-wacz.sqlite"
    import_files(db, archived_crawl.base_url, wacz)
    assert comparable_articles(db) == comparable_articles(archived_crawl.db)
