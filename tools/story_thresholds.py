"""Precision and recall of story clustering on the labelled pairs, for candidate thresholds.

    .venv/bin/python -m tools.story_thresholds

Each pair of tests/fixtures/story_pairs.json is assigned to a fresh ``StoryIndex`` (first copy,
then second, published the same day) with the real signatures; a pair is predicted "same
story" when both copies get one story_id. The chosen thresholds are also tried with the copies
``STORY_WINDOW_DAYS`` apart (the same outcomes) and one day more (no pair joins). Precision and recall count the pairs labelled same. The thresholds in use
(``ccme_crawler.stories``) are marked with ``*``; docs/analysis.md quotes this table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ccme_crawler import stories

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "story_pairs.json"


@dataclass(frozen=True)
class LabelledPair:
    a: tuple[str, str]  # (body, language)
    b: tuple[str, str]
    same: bool
    why: str


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def _copy(spec: dict[str, Any], fixture: dict[str, Any]) -> tuple[str, str]:
    if "body" in spec:
        return spec["body"], spec["language"]
    story = fixture["stories"][spec["story"]]
    paragraphs = list(story["paragraphs"][: spec.get("keep")])
    if "lead" in spec:
        paragraphs.insert(0, spec["lead"])
    if "closing" in spec:
        paragraphs.append(spec["closing"])
    body = "\n".join(paragraphs)
    for old, new in spec.get("edits", ()):
        if old not in body:
            raise ValueError(f"{spec['story']}: edit {old!r} matches nothing")
        body = body.replace(old, new)
    return body, story["language"]


def load_pairs(path: Path = FIXTURE) -> list[LabelledPair]:
    fixture = json.loads(path.read_text(encoding="utf-8"))
    return [
        LabelledPair(_copy(p["a"], fixture), _copy(p["b"], fixture), p["same"], p["why"])
        for p in fixture["pairs"]
    ]


PUBLISHED = date(2014, 6, 2)  # the first copy's date; the second is ``days_apart`` later


def predicted_same(pair: LabelledPair, *, days_apart: int = 0, **thresholds: Any) -> bool:
    index = stories.StoryIndex(**thresholds)
    (body_a, language_a), (body_b, language_b) = pair.a, pair.b
    first = index.assign(1, stories.story_signature(body_a), language_a, PUBLISHED.isoformat())
    later = (PUBLISHED + timedelta(days=days_apart)).isoformat()
    second = index.assign(2, stories.story_signature(body_b), language_b, later)
    return first == second


def evaluate(pairs: list[LabelledPair], *, days_apart: int = 0, **thresholds: Any) -> Scores:
    outcomes = [
        (pair.same, predicted_same(pair, days_apart=days_apart, **thresholds)) for pair in pairs
    ]
    return Scores(
        true_positives=sum(same and guess for same, guess in outcomes),
        false_positives=sum(guess and not same for same, guess in outcomes),
        false_negatives=sum(same and not guess for same, guess in outcomes),
    )


def main() -> None:
    pairs = load_pairs()
    print(f"{len(pairs)} labelled pairs, {sum(p.same for p in pairs)} of one story")
    chosen = {
        "candidate_threshold": stories.CANDIDATE_THRESHOLD,
        "min_containment": stories.MIN_CONTAINMENT,
        "min_shingles": stories.MIN_SHINGLES,
    }
    grid = [
        {**chosen, "candidate_threshold": candidate, "min_containment": containment}
        for candidate in (0.1, 0.2, 0.3, 0.4, 0.5)
        for containment in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    ] + [
        {**chosen, "min_shingles": n}
        for n in (10, 15, 20, 25, 30, 40)
        if n != chosen["min_shingles"]
    ]
    print("  LSH threshold  min containment  min shingles  precision  recall  false +  false -")
    for thresholds in grid:
        scores = evaluate(pairs, **thresholds)
        print(
            f"{'*' if thresholds == chosen else ' '} {thresholds['candidate_threshold']:<14} "
            f"{thresholds['min_containment']:<16} {thresholds['min_shingles']:<13} "
            f"{scores.precision:<10.2f} {scores.recall:<7.2f} "
            f"{scores.false_positives:<8} {scores.false_negatives}"
        )
    window = stories.STORY_WINDOW_DAYS
    for days in (window, window + 1):
        scores = evaluate(pairs, days_apart=days)
        print(
            f"\nThe chosen thresholds, copies {days} days apart: precision "
            f"{scores.precision:.2f}, recall {scores.recall:.2f}, "
            f"{scores.true_positives + scores.false_positives} pairs joined"
        )
    print("\nPairs the chosen thresholds get wrong:")
    for pair in pairs:
        if predicted_same(pair) != pair.same:
            a, b = (stories.story_signature(body) for body, _ in (pair.a, pair.b))
            figures = stories.similarity(a, b) if a and b else None
            print(f"  same={pair.same} {pair.why}: (jaccard, containment) = {figures}")


if __name__ == "__main__":
    main()
