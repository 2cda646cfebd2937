"""Scale: time per article and peak memory of our full crawl at two archive sizes.

    python benchmarks/bench_scale.py [--quick]

Our full crawl (extraction, SQLite, full-text index, WARC; parallel pagination, politeness off) of
generated mirrors of 20,000 and 100,000 articles (2,000 and 10,000 with --quick), each served by a
process of its own. The larger size is compared with the smaller one: time per article should
stay flat and peak memory (the crawler process's ``ru_maxrss``) grow by less than 1.5× for 5× the
articles, under 300 MB.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import full_crawl, print_rows, row

BENCH = "scale"
# "Flat": the larger archive may cost this much more per article (run-to-run noise on a loaded
# 2-core machine is about 5 %).
FLAT = 1.15
MEMORY_GROWTH = 1.5
MEMORY_CAP_MB = 300.0


def sizes(quick: bool) -> tuple[int, int]:
    return (2_000, 10_000) if quick else (20_000, 100_000)


def run(quick: bool = False) -> list[dict[str, Any]]:
    small_n, big_n = sizes(quick)
    small = full_crawl(small_n)
    big = full_crawl(big_n)
    per_small = small.measured.wall_seconds / small_n * 1000
    per_big = big.measured.wall_seconds / big_n * 1000
    mem_small = small.measured.peak_rss_mb
    mem_big = big.measured.peak_rss_mb
    return [
        row(
            BENCH,
            f"time per article at {big_n:,}",
            per_big,
            "ms",
            baseline=per_small,
            baseline_name=f"at {small_n:,}",
            target=f"flat (≤ {FLAT}×)",
            met=per_big / per_small <= FLAT,
            note=f"{big_n:,} articles in {big.measured.wall_seconds:.0f} s, "
            f"{small_n:,} in {small.measured.wall_seconds:.0f} s (wall, process start to exit)",
        ),
        row(
            BENCH,
            f"peak RSS at {big_n:,}",
            mem_big,
            "MB",
            baseline=mem_small,
            baseline_name=f"at {small_n:,}",
            target=f"< {MEMORY_GROWTH}× and < {MEMORY_CAP_MB:.0f} MB",
            met=mem_big / mem_small < MEMORY_GROWTH and mem_big < MEMORY_CAP_MB,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 and 10,000 articles")
    args = parser.parse_args()
    print_rows("scale", run(args.quick))


if __name__ == "__main__":
    main()
