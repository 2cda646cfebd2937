"""Story clusters: articles that carry one story share a ``story_id``.

The same MAP or AFP dispatch is republished by several outlets, under another title, trimmed,
with another closing line. Each body becomes a set of word shingles (after folding case, accents
and Arabic spelling variants, closing lines left out), summarised by a MinHash signature:
datasketch's "affine32" scheme (SHA-1 of each shingle, then 128 affine permutations), computed
here with numpy over all shingles at once. Within one language, a MinHash LSH index finds earlier articles whose
signatures are close; a candidate joins the story when the estimated share of the shorter body found in
the longer (containment) is high enough, so a copy cut to half its length still joins.

Assignment is greedy and in order: each article joins the story of its best match among the
articles assigned before it, or starts a new one. Only articles published at most
``STORY_WINDOW_DAYS`` apart are compared (undated articles only with undated ones): a rule on
the pair alone, so replaying the same articles in the same order (``rebuild``) gives the same
stories as assigning them one by one as they arrive, and the index need only hold the
signatures of the dates a crawl is working in. A refresh only needs the stored signatures,
never the archive's bodies.

Signatures are stored as bytes: a format byte, the number of shingles (uint32) and the MinHash
values (uint32 each), all little-endian. The LSH index is rebuilt from them in memory when
needed: that is cheap, and it keeps the thresholds free to change without recomputing anything.
Bodies too short to compare (fewer than ``MIN_SHINGLES`` shingles, or no shingle at all, when
they get no signature) get a story of their own.
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
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
# Copies of one dispatch are compared only when published at most this many days apart
# (docs/analysis.md): republications come within days, a weekly or monthly within weeks.
STORY_WINDOW_DAYS = 30
# With a loader, the articles held at most (about 9 MB) beside the spans a query needs: a crawl
# walks each category newest first, in parallel, so its queries need three spans a category
# (a few thousand articles on the mirror of 100,000); a refresh jumps about.
MAX_HELD_ARTICLES = 16_384
# And spans: the site's whole life is about 220 of them. Held articles are bounded above; a
# cap of 48 spans made a crawl of 2,000 articles, its categories' dates far apart, load spans
# 1,130 times (5,117 stored rows read back) where it needs 211 loads (docs/benchmarks.md).
MAX_HELD_SPANS = 512
# Held articles per array chunk: a span's first chunks are smaller (32, 64, 128 rows, or as
# many as it loads), so that a sparse span wastes little; then 256 (about 140 KB).
CHUNK_ROWS = 256
FIRST_CHUNK_ROWS = 32

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
    # The shorter slices end the zip: one shingle a run of SHINGLE_WORDS words.
    return set(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def story_signature(body: str) -> bytes | None:
    """The stored signature of a body, or None when it has not one shingle."""
    shingles = story_shingles(body)
    if not shingles:
        return None
    # datasketch's sha1_hash32: the first four bytes of each shingle's SHA-1, little-endian. A
    # CRC-32 costs a quarter (0.04 ms a body against 0.16), but every signature would change and
    # one labelled pair of the fixtures (Jaccard 0.25, found by LSH 84 % of the time) is missed.
    # Encoded in one call (a shingle holds no newline), hashed and digested in C: whole 20-byte
    # digests, of which every fifth uint32 is the first four bytes of one.
    encoded = "\n".join(shingles).encode("utf-8").split(b"\n")
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, encoded)))
    hashes = np.frombuffer(digests, dtype="<u4")[::_SHA1_WORDS].astype(np.uint32)
    a, b = _permutations()
    # One row a shingle, one column a permutation; uint32 arithmetic wraps, which is the
    # scheme's modulo 2**32.
    values: np.ndarray = (_fmix32(hashes)[:, None] * a + b).min(axis=0).astype("<u4")
    packed: bytes = values.tobytes()
    return _HEADER.pack(_FORMAT, len(shingles)) + packed


_DIGEST = operator.methodcaller("digest")
_SHA1_WORDS = hashlib.sha1().digest_size // 4


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
    return jaccard, float(_containment(jaccard, a.shingles, b.shingles))


def _containment(jaccard: Any, shingles_a: Any, shingles_b: Any) -> Any:
    """The estimated share of the smaller shingle set held in the larger, from the estimated
    Jaccard similarity and both sizes: numbers, or numpy arrays one pair an element."""
    shared = jaccard * (shingles_a + shingles_b) / (1 + jaccard)
    return np.minimum(1.0, shared / np.minimum(shingles_a, shingles_b))


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


def publication_day(published_at: str | None) -> int | None:
    """The day of a publication date (its first ten characters, ``YYYY-MM-DD``) as a day
    number, or None for an undated article (no date, or one that is not ISO 8601)."""
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10]).toordinal()
    except ValueError:
        return None


def in_one_window(day_a: int | None, day_b: int | None) -> bool:
    """Whether two articles are compared at all: both dated at most ``STORY_WINDOW_DAYS``
    apart, or both undated. A rule on the pair alone, so that any order of assignment sees the
    same candidates."""
    if day_a is None or day_b is None:
        return day_a is None and day_b is None
    return bool(_within_window(day_a, day_b))


def _within_window(days: Any, day: int) -> Any:
    """Whether dated articles are close enough to compare: numbers, or an array of days."""
    return np.abs(days - day) <= STORY_WINDOW_DAYS


class _Chunk:
    """Held articles in fixed arrays of ``capacity`` rows: a span grows by whole chunks, never by
    copying what it holds."""

    def __init__(self, capacity: int, hashed_bands: int) -> None:
        self.size, self.capacity = 0, capacity
        self.keys = np.empty(capacity, dtype=np.int64)
        self.days = np.empty(capacity, dtype=np.int32)
        self.languages = np.empty(capacity, dtype=np.int16)
        self.shingles = np.empty(capacity, dtype=np.uint32)
        self.stories = np.empty(capacity, dtype=np.int64)
        # False for removed articles and for those too short to compare (held for story_of).
        self.live = np.zeros(capacity, dtype=bool)
        self.values = np.empty((capacity, NUM_PERM), dtype=np.uint32)
        self.hashed_bands = np.empty((capacity if hashed_bands else 0, hashed_bands), np.uint64)


class StoryIndex:
    """Articles assigned to stories, with the signatures to compare new ones with.

    Articles are held by span: ``STORY_WINDOW_DAYS`` consecutive days of publication (undated
    articles are one span of their own). A query needs the spans its window touches (three, or
    the undated one). With a ``loader`` the index holds only the spans recent queries needed,
    up to ``MAX_HELD_SPANS`` spans and ``MAX_HELD_ARTICLES`` articles, and loads the others
    from storage when a query needs them, so its answers are those of an index holding
    everything. Without one it holds every article it was given.

    Candidates are those of datasketch's MinHash LSH with the same (bands, rows): an article of
    the query's language and window whose MinHash values equal the query's in every row of at
    least one band. Comparing a query with a whole chunk at once with numpy keeps a story's
    growth cheap: on a mirror of template text every article is a candidate of every other.
    Keys are integers (``articles.rowid``): a held article costs about 540 bytes, 512 of them
    its MinHash values.
    """

    def __init__(
        self,
        *,
        candidate_threshold: float = CANDIDATE_THRESHOLD,
        min_containment: float = MIN_CONTAINMENT,
        min_shingles: int = MIN_SHINGLES,
        loader: SpanLoader | None = None,
        next_story: int = 1,
    ) -> None:
        self.candidate_threshold = candidate_threshold
        self.min_containment = min_containment
        self.min_shingles = min_shingles
        self.bands, self.rows = _lsh_params(candidate_threshold)
        self._loader = loader
        self._next_story = next_story
        self._language_codes: dict[str | None, int] = {}
        # Span number (day // STORY_WINDOW_DAYS, None undated) → its chunks, least recently
        # used first.
        self._spans: OrderedDict[int | None, list[_Chunk]] = OrderedDict()
        self._held = 0
        # The chunk of each held article (one row a key: the others are marked removed).
        self._chunk_of: dict[int, _Chunk] = {}

    @classmethod
    def from_assignments(
        cls,
        rows: Iterable[tuple[int, str | None, str | None, int, bytes | None]],
        **thresholds: Any,
    ) -> StoryIndex:
        """An index holding stored assignments ``(key, language, published_at, story_id,
        signature)``, every one of them (no loader)."""
        index = cls(**thresholds)
        for key, language, published_at, story_id, signature in rows:
            day = publication_day(published_at)
            index._add(index._chunks_of(_span_of(day)), key, language, day, story_id, signature)
        return index

    @property
    def held(self) -> int:
        """The number of articles held in memory."""
        return self._held

    def story_of(self, key: int) -> int | None:
        """The story of a held article (None when it is not held)."""
        found = self._find(key)
        return None if found is None else int(found[0].stories[found[1]])

    def _find(self, key: int) -> tuple[_Chunk, int] | None:
        chunk = self._chunk_of.get(key)
        if chunk is None:
            return None
        return chunk, int(np.flatnonzero(chunk.keys[: chunk.size] == key)[0])

    def remove(self, key: int) -> None:
        """Forget an article (before assigning its changed body again)."""
        found = self._find(key)
        if found is not None:
            chunk, row = found
            chunk.live[row], chunk.keys[row] = False, _REMOVED
            del self._chunk_of[key]

    def assign(
        self, key: int, signature: bytes | None, language: str | None, published_at: str | None
    ) -> int:
        """The story of a new or changed article: that of its best earlier match within its
        window, or a new story of its own."""
        day = publication_day(published_at)
        needed = _spans_around(day)
        for span in needed:
            self._chunks_of(span)
        self.remove(key)
        story = None
        decoded = self._comparable(signature)
        if decoded is not None:
            story = self._best_story(needed, decoded, self._language_code(language), day)
        if story is None:
            story = self._next_story
        self._add(self._chunks_of(_span_of(day)), key, language, day, story, signature)
        self._evict(needed)
        return story

    def _chunks_of(self, span: int | None) -> list[_Chunk]:
        """The chunks of a span, loaded first when the index has a loader and lacks it."""
        chunks = self._spans.get(span)
        if chunks is not None:
            self._spans.move_to_end(span)
            return chunks
        chunks = self._spans[span] = []
        if self._loader is not None:
            stored = list(self._loader(_span_dates(span)))
            if stored:
                self._new_chunk(chunks, max(FIRST_CHUNK_ROWS, min(CHUNK_ROWS, len(stored))))
            for key, language, published_at, story_id, signature in stored:
                day = publication_day(published_at)
                if _span_of(day) == span:  # a date the SQL range holds but no calendar has
                    self._add(chunks, key, language, day, story_id, signature)
        return chunks

    def _new_chunk(self, chunks: list[_Chunk], capacity: int) -> None:
        chunks.append(_Chunk(capacity, self.bands if self.rows > 2 else 0))

    def _evict(self, needed: Iterable[int | None]) -> None:
        if self._loader is None:
            return
        keep = set(needed)
        for span in [span for span in self._spans if span not in keep]:
            if self._held <= MAX_HELD_ARTICLES and len(self._spans) <= MAX_HELD_SPANS:
                break
            for chunk in self._spans.pop(span):
                self._held -= chunk.size
                for key in chunk.keys[: chunk.size].tolist():
                    self._chunk_of.pop(key, None)

    def _language_code(self, language: str | None) -> int:
        return self._language_codes.setdefault(language, len(self._language_codes))

    def _comparable(self, signature: bytes | None) -> _Signature | None:
        """The decoded signature, or None when the body is too short to join or hold a story."""
        if signature is None:
            return None
        decoded = _decode(signature)
        return decoded if decoded.shingles >= self.min_shingles else None

    def _add(
        self,
        chunks: list[_Chunk],
        key: int,
        language: str | None,
        day: int | None,
        story: int,
        signature: bytes | None,
    ) -> None:
        self._next_story = max(self._next_story, story + 1)
        # A changed article's stored row, loaded under its new date while its old row is held.
        self.remove(key)
        if not chunks or chunks[-1].size == chunks[-1].capacity:
            self._new_chunk(chunks, min(CHUNK_ROWS, FIRST_CHUNK_ROWS << len(chunks)))
        chunk = chunks[-1]
        row = chunk.size
        decoded = self._comparable(signature)
        chunk.keys[row], chunk.stories[row] = key, story
        chunk.days[row] = _UNDATED if day is None else day
        chunk.languages[row] = self._language_code(language)
        chunk.live[row] = decoded is not None
        if decoded is not None:
            chunk.values[row], chunk.shingles[row] = decoded.values, decoded.shingles
            if self.rows > 2:
                chunk.hashed_bands[row] = self._band_keys(chunk.values[row : row + 1])[0]
        chunk.size += 1
        self._held += 1
        self._chunk_of[key] = chunk

    def _band_keys(self, values: np.ndarray) -> np.ndarray:
        """One key per band of each row of ``values`` (2-D): exact for bands of one or two
        values (two uint32 read as one uint64), the band's bytes hashed for wider ones."""
        width = self.bands * self.rows
        if self.rows == 1:
            return values[:, :width]
        if self.rows == 2:
            return values[:, :width].view(np.uint64)
        banded = values[:, :width].reshape(len(values), self.bands, self.rows)
        hashes = [[hash(band.tobytes()) for band in row] for row in banded]
        return np.array(hashes, dtype=np.int64).view(np.uint64)

    def _best_story(
        self, spans: Iterable[int | None], query: _Signature, language: int, day: int | None
    ) -> int | None:
        """The story of the candidate that contains the most of the query (at least
        ``min_containment``), the oldest story on a tie; None without one."""
        query_keys = self._band_keys(query.values[None, :])[0]
        width = self.bands * self.rows
        best: tuple[float, int] | None = None
        for span in spans:
            for chunk in self._spans[span]:
                n = chunk.size
                near = chunk.live[:n] & (chunk.languages[:n] == language)
                if day is not None:
                    near &= _within_window(chunk.days[:n].astype(np.int64), day)
                rows = np.flatnonzero(near)
                if rows.size == 0:
                    continue
                values = chunk.values[rows]
                stored = chunk.hashed_bands[rows] if self.rows > 2 else self._band_keys(values)
                hit = (stored == query_keys).any(axis=1)
                if self.rows > 2:  # hashed bands: keep only the exact matches
                    equal = values[:, :width] == query.values[:width]
                    hit &= equal.reshape(len(rows), self.bands, self.rows).all(axis=2).any(axis=1)
                rows, values = rows[hit], values[hit]
                if rows.size == 0:
                    continue
                jaccard = np.count_nonzero(values == query.values, axis=1) / NUM_PERM
                shingles = chunk.shingles[rows].astype(np.int64)
                containment = _containment(jaccard, query.shingles, shingles)
                joined = containment >= self.min_containment
                if not joined.any():
                    continue
                containment, stories = containment[joined], chunk.stories[rows][joined]
                top = float(containment.max())
                story = int(stories[containment == top].min())
                if best is None or (top, -story) > (best[0], -best[1]):
                    best = (top, story)
        return None if best is None else best[1]


SpanLoader = Callable[
    [tuple[str, str] | None], Iterable[tuple[int, str | None, str | None, int, bytes | None]]
]
"""The stored assignments ``(key, language, published_at, story_id, signature)`` of the
articles published from the first date to before the second (ISO dates), or of the undated
ones (None)."""

_UNDATED = np.iinfo(np.int32).min
_REMOVED = np.iinfo(np.int64).min


def _span_of(day: int | None) -> int | None:
    return None if day is None else day // STORY_WINDOW_DAYS


def _spans_around(day: int | None) -> list[int | None]:
    """The spans holding every article in the window of ``day``."""
    if day is None:
        return [None]
    first, last = (day - STORY_WINDOW_DAYS) // STORY_WINDOW_DAYS, (day + STORY_WINDOW_DAYS)
    return list(range(first, last // STORY_WINDOW_DAYS + 1))


def _span_dates(span: int | None) -> tuple[str, str] | None:
    if span is None:
        return None
    first = span * STORY_WINDOW_DAYS
    days = (first, first + STORY_WINDOW_DAYS)
    return tuple(date.fromordinal(max(1, d)).isoformat() for d in days)  # type: ignore[return-value]


def rebuild(
    articles: Iterable[tuple[int, str | None, str | None, bytes | None]], **thresholds: Any
) -> dict[int, int]:
    """Stories of ``(key, language, published_at, signature)`` assigned from scratch, in the
    order given."""
    index = StoryIndex(**thresholds)
    return {
        key: index.assign(key, signature, language, published_at)
        for key, language, published_at, signature in articles
    }
