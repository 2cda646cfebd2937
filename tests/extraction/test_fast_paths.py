"""The fast paths of extraction give what their plain forms give, on any text.

Each faster formulation (one substitution a block, a cheap test before a costly regex, a scan
that skips work) is checked against the plain one it replaced, written out here.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccme_crawler import stories
from ccme_crawler.extraction import closing, countries, language, text

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "story_pairs.json"

_PLAIN_SPACES = re.compile("[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Every kind of space and line break, letters of the three scripts, marks, the phrases and
# marks of continuation lines.
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\u00a0",
        "\u2003",
        "\u3000",
        "\u202f",
        "\x0b",
        "\x1c",
        "\u2028",
        "a",
        "É",
        "ſ",
        "İ",
        "ﬅ",
        "œ",
        "\u0301",
        "المغرب",
        "أ",
        "ة",
        "\u064b",
        "\u0640",
        "𝐀",
        "\U0001d165",
        "…",
        ".",
        "..",
        "»",
        "→",
        ">",
        "Suite",
        "lire la suite",
        "LIRE LA SUITE",
        "Read more (in French)",
        "read more (english)",
        "تتمة المقال",
        "الحوار",
        "(",
        ")",
    ]
)
TEXTS = st.lists(_PIECES, max_size=30).map("".join)


@FAST
@given(TEXTS)
def test_normalize_line_matches_one_space_a_run(value: str) -> None:
    assert text.normalize_line(value) == _PLAIN_SPACES.sub(" ", value).strip()


@FAST
@given(TEXTS)
def test_normalize_block_matches_line_by_line(value: str) -> None:
    lines = (_PLAIN_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    assert text.normalize_block(value) == "\n".join(line for line in lines if line)


@FAST
@given(TEXTS)
def test_plain_continuation_is_never_skipped_where_it_matches(value: str) -> None:
    found = closing._PLAIN_CONTINUATION.search(value) is not None
    assert not found or closing._may_continue(value)


def test_plain_continuation_after_a_phrase_is_still_found() -> None:
    assert closing.strip_continuation("La réunion a eu lieu. Lire la suite »", []) == (
        "La réunion a eu lieu.",
        None,
    )


@FAST
@given(TEXTS)
def test_script_counts_match_one_count_a_character(value: str) -> None:
    arabic = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
    latin = re.compile("[A-Za-z\u00c0-\u024f]")
    assert sum(map(len, language._ARABIC.findall(value))) == len(arabic.findall(value))
    assert sum(map(len, language._LATIN.findall(value))) == len(latin.findall(value))


@FAST
@given(TEXTS)
def test_fold_arabic_matches_the_full_folding(value: str) -> None:
    plain = countries._ARABIC_MARKS.sub("", value).translate(countries._ARABIC_FOLD)
    assert countries.fold_arabic(value) == plain


@FAST
@given(TEXTS)
def test_combining_marks_removed_from_every_plane(value: str) -> None:
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert countries._without_combining_marks(decomposed) == plain


def _plain_signature(body: str) -> bytes | None:
    """The signature as first written: slices of words, one SHA-1 a shingle."""
    words = stories.story_words(body)
    shingles = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    if not shingles:
        return None
    digests = b"".join([hashlib.sha1(s.encode("utf-8")).digest()[:4] for s in shingles])
    hashes = np.frombuffer(digests, dtype="<u4").astype(np.uint32)
    a, b = stories._permutations()
    values = (stories._fmix32(hashes)[:, None] * a + b).min(axis=0).astype("<u4")
    return stories._HEADER.pack(stories._FORMAT, len(shingles)) + values.tobytes()


@FAST
@given(
    st.lists(st.sampled_from(["le", "Maroc", "المغرب", "é", "à", "x\n", "2014", "_"]), max_size=40)
)
def test_signature_matches_one_hash_a_shingle(words: list[str]) -> None:
    body = " ".join(words)
    assert stories.story_signature(body) == _plain_signature(body)


def test_signatures_of_the_labelled_stories_match_one_hash_a_shingle() -> None:
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    bodies = ["\n".join(story["paragraphs"]) for story in fixture["stories"].values()]
    assert [stories.story_signature(b) for b in bodies] == [_plain_signature(b) for b in bodies]
