"""Refresh cost: requests made by a refresh that finds 0, 10 and 100 new articles.

    python benchmarks/bench_refresh.py [--quick]

Starts from the database of our full crawl of a 20,000 article mirror (2,000 with --quick), then,
on a mirror of its own (``serve --control``) to which new articles are published between runs
(``add N``: newest of all, spread over the three French categories), refreshes a copy of that
database each time. Requests are counted by the mirror itself (robots.txt, listings, articles).

The least a refresh can do is: robots.txt, in each category the listing pages holding its new
articles plus ``--lookahead`` (1) page with nothing new, and the new articles themselves.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ALL_CATEGORIES,
    MirrorProcess,
    crawl_command,
    fresh_dir,
    full_crawl,
    print_rows,
    row,
    run_measured,
)

BENCH = "refresh"
NEW = (0, 10, 100)
FRENCH = 3  # publish_new_articles spreads new articles over the French categories, in turn
LOOKAHEAD = 1
PER_PAGE = 10


def sizes(quick: bool) -> int:
    return 2_000 if quick else 20_000


def least_requests(new: int) -> int:
    per_category = [new // FRENCH + (1 if i < new % FRENCH else 0) for i in range(FRENCH)]
    per_category += [0] * (len(ALL_CATEGORIES) - FRENCH)
    listings = sum(math.ceil(k / PER_PAGE) + LOOKAHEAD for k in per_category)
    return 1 + listings + new


def run(quick: bool = False) -> list[dict[str, Any]]:
    n = sizes(quick)
    full = full_crawl(n)
    full_requests = full.pages  # responses downloaded, robots.txt included
    rows = []
    with MirrorProcess(n) as server:
        published = 0
        for new in NEW:
            server.add(new - published)
            published = new
            folder = fresh_dir(f"refresh-{n}-{new}")
            db = folder / "ccme.sqlite"
            shutil.copy(full.db, db)
            server.reset()
            cmd = crawl_command(db, server.base_url, warc_dir=folder / "warc")
            measured = run_measured(cmd, server=server).check()
            summary = measured.json_line()
            counts = server.counts()
            if summary.get("articles_new") != new:
                raise RuntimeError(f"refresh with {new} new articles stored {summary}")
            least = least_requests(new)
            rows.append(
                row(
                    BENCH,
                    f"requests, refresh finding {new} new of {n:,}",
                    counts["total"],
                    "",
                    baseline=full_requests,
                    baseline_name="full crawl",
                    target=f"≤ {least} (least possible)",
                    met=counts["total"] <= least,
                    note=f"{counts['listing']} listing pages, {counts['article']} articles, "
                    f"{counts['robots']} robots.txt, {counts['other']} other; "
                    f"{measured.wall_seconds:.1f} s against {full.measured.wall_seconds:.0f} s "
                    "for the full crawl",
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles instead of 20,000")
    args = parser.parse_args()
    print_rows("refresh", run(args.quick))


if __name__ == "__main__":
    main()
