"""Run every benchmark and print each figure beside its baseline, measured in the same run.

    python benchmarks/run_all.py [--quick] [--only NAME[,NAME…]]     (also: ./dev bench)

Benchmarks, in order: extraction, crawl, scale, storage, refresh, reextract (see
benchmarks/README.md). ``--quick`` uses small sizes (2,000 articles; 10,000 for the larger scale
point) and runs in a few minutes; the default sizes are the issue's (20,000 and 100,000 articles)
and take about an hour on two cores. Mirrors and crawls are shared between benchmarks: each size
is served and crawled once. Results also go to ``benchmarks/out/results-<mode>-<time>.{json,md}``.

A benchmark that fails is reported as such and the others still run; the exit status is 1 then.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    OUT,
    describe_machine,
    format_rows,
    machine,
    print_rows,
    row,
    stop_mirrors,
)

BENCHMARKS: dict[str, str] = {
    "extraction": "Extraction speed and accuracy, against trafilatura (golden corpus)",
    "crawl": "End-to-end crawl, against a bare Scrapy spider",
    "scale": "Scale: time per article and peak memory",
    "storage": "Storage: upserts and database size",
    "refresh": "Refresh cost in requests",
    "reextract": "Re-extraction of a crawl's WARCs",
}


# Issue 15: extraction alone, one core, against trafilatura on the same pages.
EXTRACTION_TARGET = 25.0


def extraction_rows(quick: bool) -> list[dict[str, Any]]:
    """bench_extraction.run() (another module's rows) in this script's row format."""
    module = importlib.import_module("bench_extraction")
    params = inspect.signature(module.run).parameters
    if "quick" in params:
        raw = module.run(quick=quick)
    elif "rounds" in params:
        raw = module.run(rounds=1 if quick else 3)
    else:
        raw = module.run()
    rows = []
    for r in raw:
        if "value" in r and "bench" in r:  # already in our format
            rows.append(r)
            continue
        metric = str(r.get("metric"))
        ours, base = r.get("ours"), r.get("trafilatura")
        if metric == "pages":
            continue
        speed = metric == "pages_per_second"
        ratio = r.get("ratio")
        met = None
        if speed and ratio is not None:
            met = ratio >= EXTRACTION_TARGET
        elif ours is not None and base is not None:
            met = ours >= base
        rows.append(
            row(
                "extraction",
                "pages/s on the golden corpus" if speed else f"accuracy: {metric}",
                ours,
                "pages/s" if speed else "",
                baseline=base,
                baseline_name="trafilatura",
                target=f"≥ {EXTRACTION_TARGET:g}×" if speed else "≥ trafilatura",
                met=met,
                ratio=ratio,
            )
        )
    return rows


def run_one(name: str, quick: bool, targets_only: bool = False) -> list[dict[str, Any]]:
    if name == "extraction":
        return extraction_rows(quick)
    module = importlib.import_module(f"bench_{name}")
    if targets_only and "targets_only" in inspect.signature(module.run).parameters:
        rows: list[dict[str, Any]] = module.run(quick=quick, targets_only=True)
    else:
        rows = module.run(quick=quick)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument(
        "--targets-only",
        action="store_true",
        help="only the runs the targets need (no WARC-off or sequential crawl variants)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only these (repeatable or comma-separated): {', '.join(BENCHMARKS)}",
    )
    args = parser.parse_args(argv)
    names = list(BENCHMARKS)
    if args.only:
        names = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    info = machine()
    mode = "quick" if args.quick else "full"
    started_at = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    print(f"ccme-crawler benchmarks ({mode}), {started_at}")
    print(f"machine: {describe_machine(info)}", flush=True)

    results: list[dict[str, Any]] = []
    failed: list[str] = []
    timings: dict[str, float] = {}
    try:
        for name in names:
            t0 = time.perf_counter()
            try:
                rows = run_one(name, args.quick, args.targets_only)
            except Exception as exc:
                traceback.print_exc()
                failed.append(name)
                rows = [row(name, "FAILED", None, "", note=f"{type(exc).__name__}: {exc}"[:300])]
            timings[name] = time.perf_counter() - t0
            print_rows(f"{BENCHMARKS[name]} ({timings[name]:.0f} s)", rows)
            results.extend(rows)
    finally:
        stop_mirrors()

    print("\n== all figures ==")
    print(format_rows(results))
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"results-{mode}-{started_at}"
    payload = {"mode": mode, "started_at": started_at, "machine": info, "seconds": timings}
    payload["rows"] = results
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    stem.with_suffix(".md").write_text(
        f"Machine: {describe_machine(info)}\n\n{format_rows(results, markdown=True)}\n"
    )
    print(f"\nresults: {stem.with_suffix('.json').relative_to(OUT.parent.parent)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
