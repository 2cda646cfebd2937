"""Quality gate: extraction on the golden corpus (tests/golden) must stay right.

Fails when title, published_at, language, source, source_date or source_url is wrong on any page, or when
the mean body token-F1 drops below 0.98. Per-field scores are printed even without ``-s``.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ccme_crawler.extraction import extract_article, normalize_source


def _load_scoring() -> ModuleType:
    # tests/ is not a package; load the shared scoring module by path (the benchmark does too).
    name = "ccme_golden_scoring"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, Path(__file__).parent / "golden" / "scoring.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


scoring = _load_scoring()
CORPUS = scoring.load_corpus()


def test_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 40


def test_golden_gate(capsys: pytest.CaptureFixture[str]) -> None:
    scores = []
    for page in CORPUS:
        article = extract_article(page.html, page.expected["url"])
        scores.append(scoring.score_page(page, dataclasses.asdict(article)))
    summary = scoring.summarize(scores)
    failures = [
        f"{s.name}: {field}: got {got!r}, expected {want!r}"
        for s in scores
        for field, (got, want) in s.mismatches.items()
    ]
    weak = sorted(scores, key=lambda s: s.body_f1)[:3]
    with capsys.disabled():
        print("\n" + scoring.format_summary(summary, len(scores)))
        print("  lowest body F1: " + ", ".join(f"{s.name}={s.body_f1:.3f}" for s in weak))
        for line in failures:
            print("  MISMATCH " + line)
    assert not failures, "\n".join(failures)
    assert summary["body_f1"] >= scoring.BODY_F1_MIN, summary


@pytest.mark.parametrize("page", CORPUS, ids=[p.name for p in CORPUS])
def test_golden_secondary_fields(page: object) -> None:
    """Category, method, post id, canonical outlet and expected flags, page by page."""
    want = page.expected  # type: ignore[attr-defined]
    article = extract_article(page.html, want["url"])  # type: ignore[attr-defined]
    got = {
        "category": article.category,
        "extraction_method": article.extraction_method,
        "post_id": article.post_id,
        "source_canonical": normalize_source(article.source),
        "flags": sorted(set(want.get("flags", [])) & set(article.flags)),
    }
    expected = {
        "category": want.get("category"),
        "extraction_method": want.get("extraction_method", got["extraction_method"]),
        "post_id": want.get("post_id", got["post_id"]),
        "source_canonical": want.get("source_canonical", got["source_canonical"]),
        "flags": sorted(want.get("flags", [])),
    }
    assert got == expected
