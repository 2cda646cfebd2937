"""The story index compares signatures with numpy: its answers are those of datasketch's MinHash
LSH (candidates sharing a band, published within one window), then the best containment, the
oldest story on a tie."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash, MinHashLSH

from ccme_crawler import stories
from ccme_crawler.stories import StoryIndex, story_signature
from ccme_mirror import generate_site
from tools.story_thresholds import load_pairs

Article = tuple[int, str, str | None, bytes | None]


def _lsh_rebuild(articles: list[Article]) -> dict[int, int]:
    """Greedy assignment in order with datasketch's LSH: the reference."""
    lsh: dict[str, MinHashLSH] = {}
    kept: dict[int, tuple[int, np.ndarray, int | None]] = {}
    assigned: dict[int, int] = {}
    next_story = 1
    for key, language, published_at, signature in articles:
        day = stories.publication_day(published_at)
        story = None
        if signature is not None:
            shingles, values = (
                stories._HEADER.unpack_from(signature)[1],
                np.frombuffer(signature, dtype="<u4", offset=stories._HEADER.size),
            )
        if signature is not None and shingles >= stories.MIN_SHINGLES:
            minhash = MinHash(num_perm=stories.NUM_PERM, hashvalues=values, scheme="affine32")
            index = lsh.setdefault(
                language,
                MinHashLSH(
                    num_perm=stories.NUM_PERM,
                    params=stories._lsh_params(stories.CANDIDATE_THRESHOLD),
                ),
            )
            best = None
            for other in index.query(minhash):
                other_shingles, other_values, other_day = kept[other]
                if not stories.in_one_window(day, other_day):
                    continue
                jaccard = np.count_nonzero(values == other_values) / stories.NUM_PERM
                shared = jaccard * (shingles + other_shingles) / (1 + jaccard)
                containment = min(1.0, shared / min(shingles, other_shingles))
                rank = (containment, -assigned[other])
                if containment >= stories.MIN_CONTAINMENT and (best is None or rank > best):
                    best = rank
            story = -best[1] if best is not None else None
            index.insert(key, minhash)
            kept[key] = (shingles, values, day)
        if story is None:
            story, next_story = next_story, next_story + 1
        assigned[key] = story
    return assigned


def _articles() -> list[Article]:
    """The mirror's 400 articles (17 years: a window holds a few) and the labelled pairs'
    copies (within one month, a third of them undated), shuffled."""
    site = generate_site(400)
    articles: list[Article] = [
        (n, a.language, a.published_at, story_signature(a.body))
        for n, a in enumerate(site.articles)
    ]
    rng = random.Random(15)
    for n, pair in enumerate(load_pairs()):
        for side, (body, language) in enumerate((pair.a, pair.b)):
            day = rng.randrange(45)
            published_at = f"2014-06-{day + 1:02d}" if day < 30 else None
            articles.append((1000 + 2 * n + side, language, published_at, story_signature(body)))
    rng.shuffle(articles)
    return articles


def test_stories_are_those_of_minhash_lsh() -> None:
    articles = _articles()
    index = StoryIndex()
    ours = {
        key: index.assign(key, signature, language, published_at)
        for key, language, published_at, signature in articles
    }
    assert ours == _lsh_rebuild(articles)


def test_combining_marks_are_those_unicodedata_names() -> None:
    import sys
    import unicodedata

    from ccme_crawler.extraction import countries

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    kept = "".join(ch for ch in every if not unicodedata.combining(ch))
    assert countries._without_combining_marks(every) == kept


def test_signature_values_are_those_of_datasketch_minhash() -> None:
    body = load_pairs()[0].a[0]
    reference = MinHash(num_perm=stories.NUM_PERM, scheme="affine32")
    reference.update_batch([s.encode("utf-8") for s in stories.story_shingles(body)])
    signature = story_signature(body) or b""
    values = np.frombuffer(signature, dtype="<u4", offset=stories._HEADER.size)
    assert values.tolist() == reference.hashvalues.tolist()


def test_lsh_parameters_are_those_datasketch_picks() -> None:
    thresholds = [0.1, 0.2, 0.3, 0.5, 0.8]
    indexes = [MinHashLSH(threshold=t, num_perm=stories.NUM_PERM) for t in thresholds]
    assert [stories._lsh_params(t) for t in thresholds] == [(i.b, i.r) for i in indexes]
