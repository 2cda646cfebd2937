"""The story window: only articles published at most STORY_WINDOW_DAYS apart are compared, and
an index that loads and forgets windows answers as one holding every article."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from ccme_crawler import stories
from ccme_crawler.stories import STORY_WINDOW_DAYS, StoryIndex, rebuild, story_signature

LONG = (
    "Les transferts des Marocains résidant à l’étranger ont atteint 59,2 milliards de dirhams à "
    "fin 2014, en hausse de 3,1 % par rapport à l’année précédente, selon les chiffres de "
    "l’Office des changes publiés lundi à Rabat."
)
FIRST = date(2015, 1, 20)

Stored = tuple[int, str | None, str | None, int, bytes | None]


def _second_story(days_apart: int | None, first: str | None = FIRST.isoformat()) -> bool:
    """Whether a copy published ``days_apart`` after the first (None: undated) joins it."""
    index = StoryIndex()
    story = index.assign(1, story_signature(LONG), "fr", first)
    later = None if days_apart is None else (FIRST + timedelta(days=days_apart)).isoformat()
    return index.assign(2, story_signature(LONG), "fr", later) == story


def test_copy_published_at_the_window_edge_joins() -> None:
    assert _second_story(STORY_WINDOW_DAYS)


def test_copy_published_a_day_past_the_window_does_not_join() -> None:
    assert not _second_story(STORY_WINDOW_DAYS + 1)


def test_copy_published_before_the_first_joins_within_the_window() -> None:
    assert _second_story(-STORY_WINDOW_DAYS)


def test_undated_copy_does_not_join_a_dated_one() -> None:
    assert not _second_story(None)


def test_dated_copy_does_not_join_an_undated_one() -> None:
    assert not _second_story(0, first=None)


def test_undated_copies_join_each_other() -> None:
    assert _second_story(None, first=None)


def test_unreadable_date_counts_as_undated() -> None:
    assert _second_story(None, first="le 3 mars")


def test_window_rule_is_on_the_pair() -> None:
    day = FIRST.toordinal()
    assert [
        stories.in_one_window(day, day + STORY_WINDOW_DAYS),
        stories.in_one_window(day + STORY_WINDOW_DAYS + 1, day),
        stories.in_one_window(None, None),
        stories.in_one_window(None, day),
    ] == [True, False, True, False]


def _signature(values: np.ndarray, shingles: int = 100) -> bytes:
    return stories._HEADER.pack(stories._FORMAT, shingles) + values.astype("<u4").tobytes()


def _synthetic(count: int, seed: int) -> list[tuple[int, str | None, str | None, bytes | None]]:
    """``count`` articles of 150 stories over three years: each a copy of its story's values
    with a random share replaced (some join, some do not), published up to 40 days from the
    story's date; a few undated, a few too short. In an order that walks newest first and jumps
    back in time every so often (as a crawl followed by refreshes and changed articles)."""
    rng = np.random.default_rng(seed)
    base_values = rng.integers(0, 2**32, size=(150, stories.NUM_PERM), dtype=np.uint64)
    base_days = rng.integers(0, 3 * 365, size=150)
    articles = []
    for key in range(count):
        story = int(rng.integers(150))
        values = base_values[story].copy()
        changed = rng.choice(stories.NUM_PERM, size=int(rng.integers(0, 110)), replace=False)
        values[changed] = rng.integers(0, 2**32, size=changed.size, dtype=np.uint64)
        day = FIRST + timedelta(days=int(base_days[story] + rng.integers(-40, 41)))
        published_at = None if rng.random() < 0.05 else f"{day.isoformat()}T09:00:00+01:00"
        shingles = 10 if rng.random() < 0.03 else int(rng.integers(60, 200))
        language = ["fr", "ar", "en"][int(rng.integers(3))]
        articles.append((key, language, published_at, _signature(values, shingles)))
    articles.sort(key=lambda a: a[2] or "", reverse=True)
    order = random.Random(seed)
    for _ in range(count // 20):
        articles.insert(order.randrange(count), articles.pop(order.randrange(count)))
    return articles


class _Store:
    """Stored assignments, as article_stories joined with articles answers them."""

    def __init__(self) -> None:
        self.rows: dict[int, Stored] = {}
        self.loads = 0

    def load(self, dates: tuple[str, str] | None) -> list[Stored]:
        self.loads += 1
        if dates is None:
            return [row for row in self.rows.values() if row[2] is None]
        first, end = dates
        return [row for row in self.rows.values() if row[2] and first <= row[2] < end]


def test_index_that_forgets_windows_assigns_as_one_holding_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 2,000 articles fit under the real cap: a small one makes the index forget and reload.
    monkeypatch.setattr(stories, "MAX_HELD_ARTICLES", 300)
    articles = _synthetic(2_000, seed=7)
    store = _Store()
    index = StoryIndex(loader=store.load)
    bounded, most_held = {}, 0
    for key, language, published_at, signature in articles:
        bounded[key] = index.assign(key, signature, language, published_at)
        store.rows[key] = (key, language, published_at, bounded[key], signature)
        most_held = max(most_held, index.held)
    assert (bounded, most_held < 1_000) == (rebuild(articles), True)


def test_forgotten_windows_are_loaded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories, "MAX_HELD_ARTICLES", 300)
    store = _Store()
    index = StoryIndex(loader=store.load)
    for key, language, published_at, signature in _synthetic(2_000, seed=7):
        story = index.assign(key, signature, language, published_at)
        store.rows[key] = (key, language, published_at, story, signature)
    assert store.loads > 37  # more than the three years' spans: some were loaded twice


def test_changed_article_loaded_from_storage_is_assigned_again() -> None:
    store = _Store()
    index = StoryIndex(loader=store.load)
    day = FIRST.isoformat()
    for key in (1, 2):
        story = index.assign(key, story_signature(LONG), "fr", day)
        store.rows[key] = (key, "fr", day, story, story_signature(LONG))
    reloaded = StoryIndex(loader=store.load, next_story=2)
    other = story_signature("Un texte entièrement différent " * 10)
    assert reloaded.assign(2, other, "fr", day) == 2


def test_rebuild_equals_one_by_one_assignment_with_a_loader() -> None:
    articles = _synthetic(600, seed=11)
    store = _Store()
    index = StoryIndex(loader=store.load)
    for key, language, published_at, signature in articles:
        story = index.assign(key, signature, language, published_at)
        store.rows[key] = (key, language, published_at, story, signature)
    assert {key: row[3] for key, row in store.rows.items()} == rebuild(articles)


def test_held_article_costs_under_600_bytes() -> None:
    index = StoryIndex.from_assignments(
        (key, language, published_at, 1, signature)
        for key, language, published_at, signature in _synthetic(stories.CHUNK_ROWS * 4, seed=3)
    )
    chunks = [chunk for span in index._spans.values() for chunk in span]
    arrays = [value for chunk in chunks for value in vars(chunk).values()]
    held_bytes = sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
    assert held_bytes / sum(chunk.capacity for chunk in chunks) < 600


def test_article_whose_date_changed_leaves_its_old_window() -> None:
    store = _Store()
    index = StoryIndex(loader=store.load)
    signature, old_day = story_signature(LONG), FIRST.isoformat()
    first_story = index.assign(1, signature, "fr", old_day)
    store.rows[1] = (1, "fr", old_day, first_story, signature)
    # Stored under its new date (articles is updated first), its old row still held.
    new_day = (FIRST + timedelta(days=200)).isoformat()
    store.rows[1] = (1, "fr", new_day, first_story, signature)
    index.assign(1, signature, "fr", new_day)
    assert index.assign(2, signature, "fr", old_day) != first_story


def test_index_under_its_caps_loads_each_span_of_the_sites_life_once() -> None:
    # Categories crawled side by side jump between dates years apart: every window of twenty
    # years, visited in turn again and again, is loaded once while the articles fit.
    days = [FIRST + timedelta(days=STORY_WINDOW_DAYS * n) for n in range(240)]
    store = _Store()
    index = StoryIndex(loader=store.load)
    for key in range(1, 2_001):
        index.assign(key, None, "fr", days[(key * 97) % len(days)].isoformat())
    needed = {stories._span_of(d.toordinal()) + step for d in days for step in (-1, 0, 1)}
    assert store.loads == len(needed)
