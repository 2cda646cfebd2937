"""Two crawls sharing one ``--warc`` folder (issue 12, item 11).

Before the fix the run that ended first indexed the other run's half-written file; the other
run then skipped it (its name was in the index): its later records were never indexed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_mirror import MirrorServer, generate_site, sample_site
from ccme_mirror.faults import delay
from tests.faults.helpers import wait_for_articles
from tests.helpers import crawl, run_cli, start_crawl

pytestmark = pytest.mark.integration

ARTICLES_ONLY = re.compile(r"^/(?!robots\.txt|category/)")


def _records(warc: Path) -> set[tuple[str, int]]:
    found = set()
    for path in warc.glob("*.warc.gz"):
        with path.open("rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type in ("response", "revisit"):
                    found.add((path.name, it.get_record_offset()))
    return found


def _indexed(warc: Path) -> set[tuple[str, int]]:
    lines = (warc / "index.cdxj").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines]
    return {(e["filename"], int(e["offset"])) for e in entries}


def test_two_crawls_sharing_a_warc_folder_index_every_record(tmp_path: Path) -> None:
    warc = tmp_path / "warc"
    with MirrorServer(generate_site(40, seed=1111)) as slow, MirrorServer(sample_site()) as fast:
        slow.set_fault(ARTICLES_ONLY, delay(0.5))  # 40 articles, 2 at a time: 10 s or more
        background = start_crawl(
            tmp_path / "a.sqlite", slow, "--warc", str(warc), concurrency=2, quiet=True
        )
        wait_for_articles(tmp_path / "a.sqlite", 2)
        first_done = crawl(tmp_path / "b.sqlite", fast, "--warc", str(warc))
        still_running = background.poll() is None  # the fast run ended while the slow one ran
        background.wait(timeout=120)
    verify = run_cli("verify", str(warc))
    assert (
        first_done["returncode"],
        still_running,
        background.returncode,
        sorted(_records(warc) - _indexed(warc)),
        verify.returncode,
    ) == (0, True, 0, [], 0)


def test_verify_reports_records_missing_from_the_index_and_repair_adds_them(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    warc = tmp_path / "warc"
    crawl(tmp_path / "ccme.sqlite", sample_server, "--warc", str(warc))
    index = warc / "index.cdxj"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(lines[::2]), encoding="utf-8")  # half the lines lost
    before = run_cli("verify", str(warc))
    repaired = run_cli("verify", "--repair", str(warc))
    assert (
        before.returncode,
        before.stderr.count("not_indexed"),
        repaired.returncode,
        _records(warc) <= _indexed(warc),
    ) == (1, len(lines) // 2, 0, True)
