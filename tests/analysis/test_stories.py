"""Story clusters: signatures, the labelled pairs, short bodies, incremental = rebuild."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from ccme_crawler import stories
from ccme_crawler.stories import StoryIndex, rebuild, similarity, story_signature, story_words
from tools.story_thresholds import evaluate, load_pairs

LONG = (
    "Les transferts des Marocains résidant à l’étranger ont atteint 59,2 milliards de dirhams à "
    "fin 2014, en hausse de 3,1 % par rapport à l’année précédente, selon les chiffres de "
    "l’Office des changes publiés lundi à Rabat."
)


def test_labelled_pairs_precision_and_recall_at_least_as_documented() -> None:
    # docs/analysis.md: precision 1.00 and recall 1.00 on the 56 labelled pairs.
    scores = evaluate(load_pairs())
    assert (scores.precision, scores.recall) == (1.0, 1.0)


def test_labelled_set_has_forty_pairs_in_each_language_mix() -> None:
    pairs = load_pairs()
    languages = {pair.a[1] for pair in pairs}
    assert (len(pairs) >= 40, languages) == (True, {"fr", "ar", "en"})


DAY = "2014-06-02T10:00:00+01:00"


def test_short_bodies_never_share_a_story() -> None:
    index = StoryIndex()
    short = story_signature("Voir la vidéo de la cérémonie.")
    assigned = {index.assign(n, short, "fr", DAY) for n in range(5)}
    assert len(assigned) == 5


def test_empty_body_has_no_signature() -> None:
    assert story_signature("") is None


def test_identical_bodies_share_a_story() -> None:
    index = StoryIndex()
    first = index.assign(1, story_signature(LONG), "fr", DAY)
    assert index.assign(2, story_signature(LONG), "fr", DAY) == first


def test_stories_are_within_one_language() -> None:
    index = StoryIndex()
    first = index.assign(1, story_signature(LONG), "fr", DAY)
    assert index.assign(2, story_signature(LONG), "en", DAY) != first


def test_closing_line_is_left_out_of_the_words() -> None:
    assert story_words(LONG + "\n(MAP)")[-3:] == ["lundi", "a", "rabat"]


def test_words_are_folded() -> None:
    assert story_words("Émirats, l’ÉTÉ ; إسبانيا")[:4] == ["emirats", "l", "ete", "اسبانيا"]


def test_similarity_of_a_body_with_itself() -> None:
    signature = story_signature(LONG)
    assert similarity(signature, signature) == (1.0, 1.0)


def test_signature_of_another_format_is_refused() -> None:
    signature = bytearray(story_signature(LONG) or b"")
    signature[0] = 99
    with pytest.raises(ValueError, match="format 99"):
        similarity(bytes(signature), bytes(signature))


def test_new_story_ids_continue_after_stored_ones() -> None:
    index = StoryIndex.from_assignments([(1, "fr", DAY, 41, None)])
    assert index.assign(2, story_signature("Un autre texte, tout court."), "fr", DAY) == 42


def test_changed_article_is_assigned_again() -> None:
    index = StoryIndex()
    index.assign(1, story_signature(LONG), "fr", DAY)
    index.assign(2, story_signature(LONG), "fr", DAY)
    other = "Un texte entièrement différent " * 10
    assert index.assign(2, story_signature(other), "fr", DAY) != index.story_of(1)


def _archive() -> list[tuple[int, str, str, bytes | None]]:
    """Every copy of the labelled pairs as an article, in a shuffled but fixed order, published
    over three months: some copies of a story more than STORY_WINDOW_DAYS apart, most not."""
    rng = random.Random(14)
    articles = []
    for n, pair in enumerate(load_pairs()):
        for side, (body, language) in enumerate((pair.a, pair.b)):
            published = date(2014, 6, 1) + timedelta(days=rng.randrange(90))
            articles.append((2 * n + side, language, published.isoformat(), story_signature(body)))
    rng.shuffle(articles)
    return articles


def test_incremental_assignment_equals_rebuild() -> None:
    articles = _archive()
    half = len(articles) // 2
    # A first crawl stores the first half; a refresh loads the stored signatures and assigns
    # the rest without the first half's bodies.
    stored = rebuild(articles[:half])
    index = StoryIndex.from_assignments(
        (key, language, published_at, stored[key], signature)
        for key, language, published_at, signature in articles[:half]
    )
    incremental = dict(stored)
    for key, language, published_at, signature in articles[half:]:
        incremental[key] = index.assign(key, signature, language, published_at)
    assert incremental == rebuild(articles)


def test_rebuild_merges_republished_copies() -> None:
    assigned = rebuild(_archive())
    assert len(set(assigned.values())) < len(assigned)


def test_default_thresholds_are_the_documented_ones() -> None:
    assert (stories.CANDIDATE_THRESHOLD, stories.MIN_CONTAINMENT, stories.MIN_SHINGLES) == (
        0.2,
        0.6,
        20,
    )
