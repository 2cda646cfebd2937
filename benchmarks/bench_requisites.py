"""Cost of capturing page requisites: requests and bytes of a crawl with ``--requisites site``
beside the same crawl with ``--requisites none``.

    python benchmarks/bench_requisites.py [--quick]

A generated mirror of 2,000 articles (500 with --quick), in a process of its own, is crawled
twice with WARC capture into fresh folders: once without requisites (the baseline), once with the
site's. Requests are counted by the mirror (by kind); bytes are the HTTP blocks the WARCs hold
(what was received, as received: gzip'd where the server gzip'd) and the WARC files' size.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import MirrorProcess, crawl_command, fresh_dir, print_rows, row, run_measured

BENCH = "requisites"


def sizes(quick: bool) -> int:
    return 500 if quick else 2_000


def received_bytes(warc_dir: Path) -> int:
    """HTTP response blocks (status line, headers, body as received) in the WARCs."""
    total = 0
    for path in sorted(warc_dir.glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    total += int(record.rec_headers.get_header("Content-Length") or 0)
    return total


def crawl(server: MirrorProcess, n: int, mode: str) -> dict[str, Any]:
    folder = fresh_dir(f"requisites-{n}-{mode}")
    server.reset()
    cmd = crawl_command(
        folder / "ccme.sqlite", server.base_url, warc_dir=folder / "warc", requisites=mode
    )
    measured = run_measured(cmd, server=server).check()
    summary = measured.json_line()
    warcs = sorted((folder / "warc").glob("*.warc.gz"))
    return {
        "summary": summary,
        "requests": server.counts(),
        "received": received_bytes(folder / "warc"),
        "warc_size": sum(p.stat().st_size for p in warcs),
        "seconds": measured.wall_seconds,
    }


def run(quick: bool = False) -> list[dict[str, Any]]:
    n = sizes(quick)
    with MirrorProcess(n) as server:
        none = crawl(server, n, "none")
        site = crawl(server, n, "site")
    if site["summary"]["articles_new"] != n or none["summary"]["articles_new"] != n:
        raise RuntimeError(
            f"crawls of {n} articles went wrong: {none['summary']}, {site['summary']}"
        )
    note = (
        f"{site['requests']['asset']} requisites for {n:,} articles "
        f"({site['requests']['asset'] / n:.2f} an article), "
        f"{site['summary']['requisites']['failed']} failed"
    )
    return [
        row(
            BENCH,
            f"requests, crawl of {n:,} articles with --requisites site",
            site["requests"]["total"],
            "",
            baseline=none["requests"]["total"],
            baseline_name="--requisites none",
            note=note,
        ),
        row(
            BENCH,
            "bytes received (HTTP responses in the WARCs)",
            site["received"] / 1e6,
            "MB",
            baseline=none["received"] / 1e6,
            baseline_name="--requisites none",
        ),
        row(
            BENCH,
            "WARC files on disk",
            site["warc_size"] / 1e6,
            "MB",
            baseline=none["warc_size"] / 1e6,
            baseline_name="--requisites none",
        ),
        row(
            BENCH,
            "wall time of the crawl (loopback, no politeness)",
            site["seconds"],
            "s",
            baseline=none["seconds"],
            baseline_name="--requisites none",
            note="bound by the mirror, which draws every photo (one process, pure Python)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="500 articles instead of 2,000")
    args = parser.parse_args()
    print_rows(BENCH, run(args.quick))


if __name__ == "__main__":
    main()
