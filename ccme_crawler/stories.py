"""Story clusters: articles that carry one story share a ``story_id``.

The same MAP or AFP dispatch is republished by several outlets, under another title, trimmed,
with another closing line. Each body becomes a set of word shingles (after folding case, accents
and Arabic spelling variants, closing lines left out), summarised by a MinHash signature:
datasketch's "affine32" scheme (SHA-1 of each shingle, then 128 affine permutations), computed
here with numpy over all shingles at once. Within one language, a MinHash LSH index finds earlier articles whose
signatures are close; a candidate joins the story when the estimated share of the shorter body found in
the longer (containment) is high enough, so a copy cut to half its length still joins.

Assignment is greedy and in order: each article joins the story of its best match among the
articles assigned before it, or starts a new one. Replaying the same articles in the same order
(``rebuild``) therefore gives the same stories as assigning them one by one as they arrive, and
a refresh only needs the stored signatures, never the archive's bodies.

Signatures are stored as bytes: a format byte, the number of shingles (uint32) and the MinHash
values (uint32 each), all little-endian. The LSH index is rebuilt from them in memory when
needed: that is cheap, and it keeps the thresholds free to change without recomputing anything.
Bodies too short to compare (fewer than ``MIN_SHINGLES`` shingles, or no shingle at all, when
they get no signature) get a story of their own.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ccme_crawler.extraction.countries import fold_text

SHINGLE_WORDS = 3
NUM_PERM = 128
# Chosen on tests/fixtures/story_pairs.json with tools/story_thresholds.py (docs/analysis.md).
MIN_SHINGLES = 20
CANDIDATE_THRESHOLD = 0.2
MIN_CONTAINMENT = 0.6

_FORMAT = 1  # bump when the shingles or the hashing change: stored signatures must be redone
_HEADER = struct.Struct("<BI")
_WORD = re.compile(r"\w+")
_CLOSING_WORDS = 8  # a last line shorter than this is a closing line ("(MAP)", "Lire la suite")


def story_words(body: str) -> list[str]:
    """The folded words of a body without its short closing lines (they differ between copies)."""
    lines = [line for line in (body or "").split("\n") if line.strip()]
    for _ in range(2):
        if len(lines) > 1 and len(_WORD.findall(lines[-1])) < _CLOSING_WORDS:
            lines.pop()
    return _WORD.findall(fold_text("\n".join(lines)))


def story_shingles(body: str) -> set[str]:
    words = story_words(body)
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def story_signature(body: str) -> bytes | None:
    """The stored signature of a body, or None when it has not one shingle."""
    shingles = story_shingles(body)
    if not shingles:
        return None
    # datasketch's sha1_hash32: the first four bytes of each shingle's SHA-1, little-endian. A
    # CRC-32 costs a quarter (0.04 ms a body against 0.16), but every signature would change and
    # one labelled pair of the fixtures (Jaccard 0.25, found by LSH 84 % of the time) is missed.
    digests = b"".join([hashlib.sha1(s.encode("utf-8")).digest()[:4] for s in shingles])
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    a, b = _permutations()
    # One row a shingle, one column a permutation; uint32 arithmetic wraps, which is the
    # scheme's modulo 2**32.
    values: np.ndarray = (_fmix32(hashes)[:, None] * a + b).min(axis=0).astype("<u4")
    packed: bytes = values.tobytes()
    return _HEADER.pack(_FORMAT, len(shingles)) + packed


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer, the bijection datasketch's affine32 scheme mixes hashes with
    before its permutations."""
    s1, m1, s2, m2 = _FMIX32
    h = (h ^ (h >> s1)) * m1
    h = (h ^ (h >> s2)) * m2
    mixed: np.ndarray = h ^ (h >> s1)
    return mixed


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the affine permutations ``a*h + b mod 2**32``, ``a`` odd: those datasketch's
    MinHash draws for affine32 with its default seed 1 (numpy's legacy RandomState stream is
    frozen, so they never change)."""
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


@dataclass(frozen=True, slots=True)
class _Signature:
    shingles: int
    values: np.ndarray  # the MinHash values, uint32


def _decode(signature: bytes) -> _Signature:
    version, shingles = _HEADER.unpack_from(signature)
    if version != _FORMAT or len(signature) != _HEADER.size + 4 * NUM_PERM:
        raise ValueError(f"story signature of format {version}; recompute with `stories --rebuild`")
    values = np.frombuffer(signature, dtype="<u4", offset=_HEADER.size)
    return _Signature(shingles, values.astype(np.uint32))


def similarity(a: bytes, b: bytes) -> tuple[float, float]:
    """(estimated Jaccard similarity, estimated containment of the smaller in the larger)."""
    return _similarity(_decode(a), _decode(b))


def _similarity(a: _Signature, b: _Signature) -> tuple[float, float]:
    jaccard = np.count_nonzero(a.values == b.values) / NUM_PERM
    shared = jaccard * (a.shingles + b.shingles) / (1 + jaccard)
    return jaccard, min(1.0, shared / min(a.shingles, b.shingles))


@lru_cache(maxsize=16)
def _lsh_params(threshold: float) -> tuple[int, int]:
    """(bands, rows) of datasketch's ``MinHashLSH(threshold)``: those minimizing the mean of the
    false positive and false negative probabilities (datasketch integrates with scipy, which
    takes seconds to import; a fine trapezoid grid gives the same choice)."""
    low, high = np.linspace(0.0, threshold, 4001), np.linspace(threshold, 1.0, 4001)

    def integral(y: np.ndarray, s: np.ndarray) -> float:
        return float(((y[1:] + y[:-1]) / 2 * np.diff(s)).sum())

    def error(bands: int, rows: int) -> float:
        false_positive = integral(1 - (1 - low**rows) ** bands, low)
        false_negative = integral((1 - high**rows) ** bands, high)
        return 0.5 * false_positive + 0.5 * false_negative

    pairs = [(b, r) for b in range(1, NUM_PERM + 1) for r in range(1, NUM_PERM // b + 1)]
    return min(pairs, key=lambda pair: error(*pair))


def _grown(array: np.ndarray, rows: int) -> np.ndarray:
    """``array`` in a new array of ``rows`` rows, the ones added zeroed (np.resize would
    allocate a whole copy more than asked for and keep it as the view's base)."""
    grown = np.zeros((rows, *array.shape[1:]), dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class _Signatures:
    """The comparable signatures of one language, as arrays compared with numpy.

    The candidates are those of datasketch's MinHash LSH with the same (bands, rows): an article
    whose MinHash values are equal to the query's in every row of at least one band. Comparing
    one query with every stored signature at once keeps a story's growth cheap: on a mirror of
    template text, where every article is a candidate of every other, looking candidates up in
    LSH buckets and comparing them one by one cost more than the rest of the crawl.
    """

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        self.size = 0
        self.values = np.empty((16, NUM_PERM), dtype=np.uint32)
        # Bands of one or two values are compared as they lie in ``values`` (two uint32 read as
        # one uint64); wider ones by a hash of each, kept here.
        self.hashed_bands = np.empty((16 if rows > 2 else 0, bands), dtype=np.uint64)
        self.shingles = np.empty(16, dtype=np.uint32)
        self.stories = np.empty(16, dtype=np.int64)
        self.live = np.zeros(16, dtype=bool)
        self.row_of: dict[Hashable, int] = {}

    def _band_keys(self, values: np.ndarray) -> np.ndarray:
        """One key per band of each row of ``values`` (2-D): exact for bands of one or two
        values, the band's bytes hashed for wider ones."""
        width = self.bands * self.rows
        if self.rows == 1:
            return values[:, :width]
        if self.rows == 2:
            return values[:, :width].view(np.uint64)
        banded = values[:, :width].reshape(len(values), self.bands, self.rows)
        hashes = [[hash(band.tobytes()) for band in row] for row in banded]
        return np.array(hashes, dtype=np.int64).view(np.uint64)

    def add(self, key: Hashable, signature: _Signature, story: int) -> None:
        if self.size == len(self.live):
            # Half again, not twice: the index is a crawl's largest memory.
            grow = len(self.live) * 3 // 2
            self.values = _grown(self.values, grow)
            if self.rows > 2:
                self.hashed_bands = _grown(self.hashed_bands, grow)
            self.shingles = _grown(self.shingles, grow)
            self.stories = _grown(self.stories, grow)
            self.live = _grown(self.live, grow)
        row = self.size
        self.values[row] = signature.values
        if self.rows > 2:
            self.hashed_bands[row] = self._band_keys(self.values[row : row + 1])[0]
        self.shingles[row], self.stories[row], self.live[row] = signature.shingles, story, True
        self.row_of[key] = row
        self.size += 1

    def remove(self, key: Hashable) -> None:
        row = self.row_of.pop(key, None)
        if row is not None:
            self.live[row] = False

    def best_story(self, query: _Signature, min_containment: float) -> int | None:
        """The story of the candidate that contains the most of the query (at least
        ``min_containment``), the oldest story on a tie; None without one."""
        n = self.size
        if n == 0:
            return None
        values = query.values
        stored = self.hashed_bands[:n] if self.rows > 2 else self._band_keys(self.values[:n])
        hit = (stored == self._band_keys(values[None, :])[0]).any(axis=1) & self.live[:n]
        rows = np.flatnonzero(hit)
        if rows.size == 0:
            return None
        if self.rows > 2:  # hashed bands: keep only the exact matches
            equal_rows = (
                self.values[rows, : self.bands * self.rows] == values[: self.bands * self.rows]
            )
            exact = equal_rows.reshape(len(rows), self.bands, self.rows).all(axis=2).any(axis=1)
            rows = rows[exact]
            if rows.size == 0:
                return None
        # The same arithmetic as _similarity, one candidate per element.
        jaccard = np.count_nonzero(self.values[rows] == values, axis=1) / NUM_PERM
        shingles = self.shingles[rows].astype(np.int64)
        shared = jaccard * (query.shingles + shingles) / (1 + jaccard)
        containment = np.minimum(1.0, shared / np.minimum(query.shingles, shingles))
        joined = containment >= min_containment
        if not joined.any():
            return None
        containment, stories = containment[joined], self.stories[rows][joined]
        return int(stories[containment == containment.max()].min())


class StoryIndex:
    """Articles assigned to stories, with the signatures of each language to compare with."""

    def __init__(
        self,
        *,
        candidate_threshold: float = CANDIDATE_THRESHOLD,
        min_containment: float = MIN_CONTAINMENT,
        min_shingles: int = MIN_SHINGLES,
    ) -> None:
        self.candidate_threshold = candidate_threshold
        self.min_containment = min_containment
        self.min_shingles = min_shingles
        self._languages: dict[str, _Signatures] = {}
        self._language_of: dict[Hashable, str] = {}
        self._stories: dict[Hashable, int] = {}
        self._next_story = 1

    @classmethod
    def from_assignments(
        cls, rows: Iterable[tuple[Hashable, str | None, int, bytes | None]], **thresholds: Any
    ) -> StoryIndex:
        """An index holding stored assignments ``(key, language, story_id, signature)``."""
        index = cls(**thresholds)
        for key, language, story_id, signature in rows:
            index._add(key, language, story_id, signature)
        return index

    def __len__(self) -> int:
        return len(self._stories)

    def story_of(self, key: Hashable) -> int | None:
        return self._stories.get(key)

    def _signatures_of(self, language: str | None) -> _Signatures:
        name = language or "?"
        if name not in self._languages:
            self._languages[name] = _Signatures(*_lsh_params(self.candidate_threshold))
        return self._languages[name]

    def _add(
        self, key: Hashable, language: str | None, story: int, signature: bytes | None
    ) -> None:
        self._stories[key] = story
        self._next_story = max(self._next_story, story + 1)
        decoded = self._comparable(signature)
        if decoded is not None:
            self._signatures_of(language).add(key, decoded, story)
            self._language_of[key] = language or "?"

    def _comparable(self, signature: bytes | None) -> _Signature | None:
        """The decoded signature, or None when the body is too short to join or hold a story."""
        if signature is None:
            return None
        decoded = _decode(signature)
        return decoded if decoded.shingles >= self.min_shingles else None

    def remove(self, key: Hashable, language: str | None = None) -> None:
        """Forget an article (before assigning its changed body again)."""
        self._stories.pop(key, None)
        name = self._language_of.pop(key, None)
        if name is not None:
            self._languages[name].remove(key)

    def assign(self, key: Hashable, signature: bytes | None, language: str | None) -> int:
        """The story of a new article: its best earlier match's, or a new story of its own."""
        if key in self._stories:
            self.remove(key, language)
        story = None
        decoded = self._comparable(signature)
        if decoded is not None:
            story = self._signatures_of(language).best_story(decoded, self.min_containment)
        if story is None:
            story = self._next_story
        self._add(key, language, story, signature)
        return story


def rebuild(
    articles: Iterable[tuple[Hashable, str | None, bytes | None]], **thresholds: Any
) -> dict[Hashable, int]:
    """Stories of ``(key, language, signature)`` assigned from scratch, in the order given."""
    index = StoryIndex(**thresholds)
    return {key: index.assign(key, signature, language) for key, language, signature in articles}
