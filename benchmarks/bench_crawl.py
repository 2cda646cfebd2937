"""End-to-end crawl: our full crawl against a bare Scrapy spider, on the same loopback mirror.

    python benchmarks/bench_crawl.py [--quick]

A generated mirror (20,000 articles, 2,000 listing pages; 2,000 with --quick) is served by a
process of its own, politeness off. Measured in the same run, one after the other:

- the bare spider (``benchmarks/bare_spider.py``): the same URLs, nothing kept;
- our crawl, parallel pagination, everything on (extraction, SQLite, full-text index, WARC);
- our crawl with WARC off (what capture costs);
- our crawl following "next" links one by one (``CCME_PAGINATION=sequential``, the polite path),
  and the bare spider doing the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Measured,
    bare_command,
    crawl_command,
    fresh_dir,
    full_crawl,
    mirror,
    print_rows,
    row,
    run_measured,
)

BENCH = "crawl"


def sizes(quick: bool) -> int:
    return 2_000 if quick else 20_000


def _cpu_note(label: str, m: Measured, pages: int) -> str:
    """Where the core-seconds went: the crawl's process, its extraction workers, the mirror."""
    per_page = 1000 / pages

    def share(seconds: float) -> str:
        return f"{seconds / m.wall_seconds:.0%} of a core = {seconds * per_page:.1f} ms a page"

    workers = f", workers {share(m.descendants_cpu_seconds)}" if m.descendants_cpu_seconds else ""
    server = f", mirror {share(m.server_cpu_seconds)}" if m.server_cpu_seconds is not None else ""
    # How full these processes kept the machine's cores: below 100 % each, something waited.
    busy = m.cpu_seconds + m.descendants_cpu_seconds + (m.server_cpu_seconds or 0.0)
    cores = os.cpu_count() or 1
    return (
        f"{label}: {m.wall_seconds:.1f} s, main process {share(m.cpu_seconds)}{workers}{server}, "
        f"cores {busy / m.wall_seconds / cores:.0%} busy of {cores}, "
        f"peak RSS {m.peak_rss_mb:.0f} MB"
    )


# Issue 15: our full crawl against the bare spider's pages per second, same run.
TARGET = 0.85


def _our_crawl(
    articles: int, *, pagination: str, warc: bool, requisites: str = "none"
) -> tuple[int, Measured]:
    server = mirror(articles)
    suffix = ("-warc" if warc else "") + ("-requisites" if requisites != "none" else "")
    folder = fresh_dir(f"crawl-{articles}-{pagination}{suffix}")
    cmd = crawl_command(
        folder / "ccme.sqlite",
        server.base_url,
        pagination=pagination,
        warc_dir=folder / "warc" if warc else None,
        requisites=requisites,
    )
    measured = run_measured(cmd, server=server).check()
    summary = measured.json_line()
    if summary.get("articles_new") != articles:
        raise RuntimeError(f"{pagination} crawl stored {summary.get('articles_new')} articles")
    return int(summary["pages_fetched"]), measured


def _requisites_row(articles: int, bare_rate: float) -> dict[str, Any]:
    # The same crawl with the same-site requisites (the default with WARC on) beside it.
    pages, measured = _our_crawl(articles, pagination="parallel", warc=True, requisites="site")
    return row(
        BENCH,
        "pages/s, full crawl with page requisites (--requisites site)",
        pages / measured.wall_seconds,
        "pages/s",
        baseline=bare_rate,
        baseline_name="bare Scrapy spider (pages only)",
        note=_cpu_note("ours, requisites", measured, pages) + f"; {pages:,} responses",
    )


def run(quick: bool = False, targets_only: bool = False) -> list[dict[str, Any]]:
    """The target rows; without ``targets_only`` also the WARC-off and sequential variants."""
    articles = sizes(quick)
    server = mirror(articles)
    bare = run_measured(bare_command(server.base_url), server=server).check()
    bare_pages = int(bare.json_line()["downloader/response_count"])
    bare_rate = bare_pages / bare.wall_seconds

    ours = full_crawl(articles)
    listing = ours.summary["listing_pages"]
    rows = [
        row(
            BENCH,
            f"pages/s, full crawl of {articles:,} articles ({listing:,} listing pages)",
            ours.pages_per_second,
            "pages/s",
            baseline=bare_rate,
            baseline_name="bare Scrapy spider",
            target=f"≥ {TARGET:g}×",
            met=ours.pages_per_second / bare_rate >= TARGET,
            note=_cpu_note("ours", ours.measured, ours.pages)
            + "; "
            + _cpu_note("bare", bare, bare_pages),
        ),
        row(
            BENCH,
            "pages fetched (same URLs)",
            ours.pages,
            "",
            baseline=bare_pages,
            baseline_name="bare Scrapy spider",
            target="= 1×",
            met=ours.pages == bare_pages,
        ),
        _requisites_row(articles, bare_rate),
    ]
    if targets_only:
        return rows

    bare_seq = run_measured(bare_command(server.base_url, pagination="sequential"), server=server)
    bare_seq_pages = int(bare_seq.check().json_line()["downloader/response_count"])
    bare_seq_rate = bare_seq_pages / bare_seq.wall_seconds
    nowarc_pages, nowarc = _our_crawl(articles, pagination="parallel", warc=False)
    seq_pages, seq = _our_crawl(articles, pagination="sequential", warc=True)
    rows += [
        row(
            BENCH,
            "pages/s, full crawl with WARC off",
            nowarc_pages / nowarc.wall_seconds,
            "pages/s",
            baseline=bare_rate,
            baseline_name="bare Scrapy spider",
            note=_cpu_note("ours, WARC off", nowarc, nowarc_pages),
        ),
        row(
            BENCH,
            'pages/s, sequential pagination ("next" links one by one)',
            seq_pages / seq.wall_seconds,
            "pages/s",
            baseline=ours.pages_per_second,
            baseline_name="parallel pagination",
            note=_cpu_note("sequential", seq, seq_pages),
        ),
        row(
            BENCH,
            "pages/s, bare spider with sequential pagination",
            bare_seq_rate,
            "pages/s",
            baseline=bare_rate,
            baseline_name="bare, parallel pagination",
            note=_cpu_note("bare, sequential", bare_seq, bare_seq_pages),
        ),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles instead of 20,000")
    parser.add_argument("--targets-only", action="store_true", help="no crawl variants")
    args = parser.parse_args()
    print_rows("end-to-end crawl", run(args.quick, args.targets_only))


if __name__ == "__main__":
    main()
