"""Re-extraction: articles per second of ``ccme-crawler reextract`` over the WARCs of a crawl.

    python benchmarks/bench_reextract.py [--quick]

Takes the WARCs written by our full crawl of a 20,000 article mirror (2,000 with --quick) and runs
``ccme-crawler reextract --warc DIR --db NEW.sqlite`` on them, with no network use (the mirror's
request count is checked to stay unchanged). Baselines, measured in the same run: reading the
same WARCs with warcio alone (every response payload, de-chunked and decoded), and the crawl that
wrote them. Until the ``reextract`` command exists this prints "not available yet".
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PYTHON,
    ROOT,
    fresh_dir,
    full_crawl,
    mirror,
    print_rows,
    row,
    run_measured,
)

BENCH = "reextract"
# Issue 15: articles per second, and the share of warcio's own read rate of the same WARCs.
TARGET_RATE = 600.0
TARGET_WARCIO = 0.2


def sizes(quick: bool) -> int:
    return 2_000 if quick else 20_000


def available() -> bool:
    result = subprocess.run(
        [PYTHON, "-m", "ccme_crawler", "reextract", "--help"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def warcio_read(warc_dir: Path) -> tuple[int, float]:
    """Response records read with warcio alone, payloads decoded: (count, seconds)."""
    from warcio.archiveiterator import ArchiveIterator

    started = time.perf_counter()
    count = 0
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response":
                    continue
                record.content_stream().read()  # de-chunked and content-decoded by warcio
                count += 1
    return count, time.perf_counter() - started


def run(quick: bool = False) -> list[dict[str, Any]]:
    n = sizes(quick)
    if not available():
        return [
            row(
                BENCH,
                f"articles/s re-extracting the WARCs of a {n:,} article crawl",
                None,
                "art/s",
                baseline_name="not available yet",
                note="`ccme-crawler reextract` does not exist yet in this tree",
            )
        ]
    crawl = full_crawl(n)
    assert crawl.warc_dir is not None
    server = mirror(n)
    before = server.counts()["total"]
    db = fresh_dir(f"reextract-{n}") / "ccme.sqlite"
    cmd = [PYTHON, "-m", "ccme_crawler", "reextract", "--warc", str(crawl.warc_dir)]
    measured = run_measured([*cmd, "--db", str(db)]).check()
    if server.counts()["total"] != before:
        raise RuntimeError("reextract made HTTP requests")
    conn = sqlite3.connect(db)
    stored = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    conn.close()
    if stored != n:
        raise RuntimeError(f"reextract stored {stored} articles, expected {n}")
    responses, warcio_seconds = warcio_read(crawl.warc_dir)
    rate = n / measured.wall_seconds
    crawl_rate = n / crawl.measured.wall_seconds
    warcio_rate = responses / warcio_seconds

    def share(seconds: float) -> str:
        return f"{seconds / measured.wall_seconds:.0%} of a core = {seconds * 1000 / n:.1f} ms"

    note = (
        f"{measured.wall_seconds:.1f} s, main process {share(measured.cpu_seconds)} an article, "
        f"extraction workers {share(measured.descendants_cpu_seconds)} an article, "
        f"peak RSS {measured.peak_rss_mb:.0f} MB; no request reached the mirror"
    )
    return [
        row(
            BENCH,
            f"articles/s re-extracting the WARCs of a {n:,} article crawl",
            rate,
            "art/s",
            baseline=crawl_rate,
            baseline_name="the crawl that wrote them",
            target=f"≥ {TARGET_RATE:g} art/s",
            met=rate >= TARGET_RATE,
            note=note,
        ),
        row(
            BENCH,
            "articles/s re-extracting, against reading the WARCs",
            rate,
            "art/s",
            baseline=warcio_rate,
            baseline_name="warcio read + decode alone",
            target=f"≥ {TARGET_WARCIO:g}×",
            met=rate / warcio_rate >= TARGET_WARCIO,
            note=f"warcio: {responses:,} responses in {warcio_seconds:.1f} s (in-process)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles instead of 20,000")
    args = parser.parse_args()
    print_rows("re-extraction", run(args.quick))


if __name__ == "__main__":
    main()
