"""Scoring of extractions against the golden corpus (shared by the gate test and the benchmark).

Importable without pytest: ``benchmarks/bench_extraction.py`` loads it by path.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent
PAGES = GOLDEN / "pages"
EXPECTED = GOLDEN / "expected"

EXACT_FIELDS = ("title", "published_at", "language", "source", "source_date", "source_url")
BODY_F1_MIN = 0.98


@dataclass(frozen=True, slots=True)
class GoldenPage:
    name: str
    html: bytes
    expected: dict[str, Any]


def load_corpus() -> list[GoldenPage]:
    pages = []
    for expected_path in sorted(EXPECTED.glob("*.json")):
        page_path = PAGES / (expected_path.stem + ".html")
        pages.append(
            GoldenPage(
                name=expected_path.stem,
                html=page_path.read_bytes(),
                expected=json.loads(expected_path.read_text(encoding="utf-8")),
            )
        )
    return pages


def token_f1(predicted: str | None, expected: str | None) -> float:
    """F1 over whitespace tokens counted as multisets; two empty texts agree perfectly."""
    pred = Counter((predicted or "").split())
    gold = Counter((expected or "").split())
    if not pred and not gold:
        return 1.0
    overlap = sum((pred & gold).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def field_ok(name: str, got: Any, want: Any) -> bool:
    """Exact match, except published_at: a date-only expectation is compared at date precision."""
    if (
        name == "published_at"
        and isinstance(want, str)
        and isinstance(got, str)
        and len(want) == 10
    ):
        return got[:10] == want
    return bool(got == want)


@dataclass(slots=True)
class PageScore:
    name: str
    fields: dict[str, bool]
    body_f1: float
    mismatches: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def score_page(page: GoldenPage, got: dict[str, Any]) -> PageScore:
    """Compare one extraction (as a dict of fields) with its expectation."""
    want = page.expected
    fields: dict[str, bool] = {}
    mismatches: dict[str, tuple[Any, Any]] = {}
    for name in EXACT_FIELDS:
        ok = field_ok(name, got.get(name), want.get(name))
        fields[name] = ok
        if not ok:
            mismatches[name] = (got.get(name), want.get(name))
    return PageScore(page.name, fields, token_f1(got.get("body"), want.get("body")), mismatches)


def summarize(scores: list[PageScore]) -> dict[str, float]:
    """Per-field accuracy (share of pages right) and mean body F1."""
    n = len(scores) or 1
    summary = {name: sum(s.fields[name] for s in scores) / n for name in EXACT_FIELDS}
    summary["body_f1"] = sum(s.body_f1 for s in scores) / n
    return summary


def format_summary(summary: dict[str, float], pages: int) -> str:
    cells = "  ".join(f"{name}={value:.3f}" for name, value in summary.items())
    return f"golden corpus ({pages} pages): {cells}"
