"""Extraction benchmark: our extractor vs trafilatura on the golden corpus, in the same run.

    python benchmarks/bench_extraction.py [--rounds N]

Prints field accuracy (title, date, language, source, source_date, body token-F1) and pages per
second for both, with ratios. ``run()`` returns the rows for a run-all script. Trafilatura has
no source fields, so it scores only where the corpus expects None there. Dates are compared at
day precision for both (trafilatura reports dates only).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from ccme_crawler.extraction import extract_article  # noqa: E402

FIELDS = ("title", "published_at", "language", "source", "source_date", "body_f1")


def _load_scoring() -> ModuleType:
    name = "ccme_golden_scoring"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "golden" / "scoring.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def ours(html: bytes, url: str) -> dict[str, Any]:
    return dataclasses.asdict(extract_article(html, url))


def trafilatura_fields(html: bytes, url: str) -> dict[str, Any]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    language = data.get("language")
    return {
        "title": data.get("title"),
        "published_at": data.get("date"),
        "language": language.split("-")[0].lower() if isinstance(language, str) else None,
        "source": None,
        "source_date": None,
        "body": data.get("text") or "",
    }


def _accuracy(
    scoring: ModuleType, pages: list[Any], extract: Callable[[bytes, str], dict[str, Any]]
) -> dict[str, float]:
    scores = []
    for page in pages:
        got = extract(page.html, page.expected["url"])
        # Day precision for both extractors: trafilatura only reports dates.
        if isinstance(got.get("published_at"), str):
            got["published_at"] = got["published_at"][:10]
        want_date = page.expected.get("published_at")
        page_day = dataclasses.replace(
            page, expected={**page.expected, "published_at": want_date[:10] if want_date else None}
        )
        scores.append(scoring.score_page(page_day, got))
    return scoring.summarize(scores)


def _pages_per_second(
    pages: list[Any], extract: Callable[[bytes, str], dict[str, Any]], rounds: int
) -> float:
    for page in pages[:3]:  # warm-up: imports, caches
        extract(page.html, page.expected["url"])
    start = time.perf_counter()
    for _ in range(rounds):
        for page in pages:
            extract(page.html, page.expected["url"])
    return rounds * len(pages) / (time.perf_counter() - start)


def run(rounds: int = 3) -> list[dict[str, Any]]:
    """Rows of {metric, ours, trafilatura, ratio} measured in this run."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    scoring = _load_scoring()
    pages = scoring.load_corpus()
    acc_ours = _accuracy(scoring, pages, ours)
    acc_base = _accuracy(scoring, pages, trafilatura_fields)
    rows: list[dict[str, Any]] = []
    for name in FIELDS:
        a, b = acc_ours[name], acc_base[name]
        rows.append({"metric": name, "ours": a, "trafilatura": b, "ratio": a / b if b else None})
    speed_ours = _pages_per_second(pages, ours, rounds)
    speed_base = _pages_per_second(pages, trafilatura_fields, rounds)
    rows.append(
        {
            "metric": "pages_per_second",
            "ours": speed_ours,
            "trafilatura": speed_base,
            "ratio": speed_ours / speed_base,
        }
    )
    rows.append({"metric": "pages", "ours": len(pages), "trafilatura": len(pages), "ratio": 1.0})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| metric | ours | trafilatura | ratio |", "| --- | ---: | ---: | ---: |"]
    for row in rows:
        ratio = "n/a" if row["ratio"] is None else f"{row['ratio']:.2f}×"
        fmt = "{:.1f}" if row["metric"] == "pages_per_second" else "{:.3f}"
        if row["metric"] == "pages":
            fmt = "{:d}"
        lines.append(
            f"| {row['metric']} | {fmt.format(row['ours'])} | {fmt.format(row['trafilatura'])} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the corpus")
    args = parser.parse_args()
    print(format_table(run(args.rounds)))


if __name__ == "__main__":
    main()
