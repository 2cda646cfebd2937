"""A damaged WARC record in the middle of a file (issue 12, item 5).

Before the fix ``reextract`` stopped reading at the first damaged record and said "completed"
(exit 0), and ``package`` built a WACZ whose index lacked every page after it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, sample_site
from tests.faults.helpers import stored_urls
from tests.helpers import crawl, rows, run_cli

pytestmark = pytest.mark.integration


@dataclass
class Damaged:
    db: Path
    warc: Path
    victim: str  # the article whose record was damaged
    articles: set[str]


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Damaged]:
    tmp = tmp_path_factory.mktemp("damaged-warc")
    db, warc = tmp / "ccme.sqlite", tmp / "warc"
    with MirrorServer(sample_site()) as server:
        summary = crawl(db, server, "--warc", str(warc))
    assert summary["returncode"] == 0, summary["stderr"]
    pointers = rows(
        db, "SELECT url, warc_filename, warc_offset, warc_length FROM articles ORDER BY url"
    )
    # An article early in its file, so that most records come after the damage.
    row = min(pointers, key=lambda r: (r["warc_filename"], r["warc_offset"]))
    path = warc / row["warc_filename"]
    data = bytearray(path.read_bytes())
    for i in range(64):  # 64 flipped bytes inside that record's deflate stream
        data[row["warc_offset"] + row["warc_length"] // 2 + i] ^= 0x55
    path.write_bytes(bytes(data))
    yield Damaged(db, warc, row["url"], {r["url"] for r in pointers})
    shutil.rmtree(tmp, ignore_errors=True)


def test_reextract_skips_the_damaged_record_reads_the_rest_and_exits_non_zero(
    damaged: Damaged, tmp_path: Path
) -> None:
    rebuilt = tmp_path / "rebuilt.sqlite"
    result = run_cli("reextract", "--warc", str(damaged.warc), "--db", str(rebuilt))
    run = rows(rebuilt, "SELECT status, finish_reason FROM crawl_runs")[0]
    assert (
        result.returncode,
        "1 damaged WARC record" in result.stderr,
        run,
        set(stored_urls(rebuilt)) == damaged.articles - {damaged.victim},
    ) == (1, True, {"status": "incomplete", "finish_reason": "damaged_records"}, True)


def test_package_refuses_to_build_a_wacz_whose_index_lacks_pages(
    damaged: Damaged, tmp_path: Path
) -> None:
    output = tmp_path / "archive.wacz"
    result = run_cli(
        "package", "--db", str(damaged.db), "--warc", str(damaged.warc), "-o", str(output)
    )
    assert (result.returncode, "missing from the index" in result.stderr, output.exists()) == (
        1,
        True,
        False,
    )
