"""The closing "Source : X" / date lines of an article, and canonical outlet names."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from .dates import is_date_line
from .text import normalize_inline

# "Source : X", "Sources: X", "Source :X", Arabic "المصدر : X"; the colon may be full-width.
# The outlet is capped at 150 characters so a paragraph that merely starts with "Source :" and
# runs on as prose is not mistaken for the closing line.
_SOURCE_LINE = re.compile(
    r"^\s*(?:sources?|المصدر|المصادر)\s*[:：]\s*(?P<name>\S.{0,149}?)\s*$",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(r"^\s*(?:sources?|المصدر|المصادر)\s*[:：]?\s*$", re.IGNORECASE)
_TRAILING = " \t.,;:·-–—"
_DOMAIN_SUFFIX = re.compile(r"\.(?:ma|com|fr|be|net|org|info|press\.ma|es|nl|de)$")
_NON_KEY = re.compile(r"[\W_]+", re.UNICODE)
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ـ": None, "’": "'"})


def match_source_line(line: str) -> str | None:
    """The outlet named by a closing source line (label removed, punctuation trimmed), else None."""
    match = _SOURCE_LINE.match(line)
    if match is None:
        return None
    name = match.group("name").strip(_TRAILING)
    return name or None


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_AR_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.strip().removeprefix("www.")
    text = _DOMAIN_SUFFIX.sub("", text)
    return _NON_KEY.sub("", text)


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    raw = json.loads(
        resources.files(__package__).joinpath("data/outlets.json").read_text(encoding="utf-8")
    )
    table: dict[str, str] = {}
    for canonical, spellings in raw.items():
        if canonical.startswith("_"):
            continue
        for spelling in [canonical, *spellings]:
            table[_key(spelling)] = canonical
    return table


def normalize_source(raw: str | None) -> str | None:
    """Canonical outlet name ("MAP" for "M.A.P.", "Maghreb Arabe Presse", "وكالة المغرب العربي للأنباء"…).

    Unknown outlets come back cleaned (label and trailing punctuation removed, whitespace
    collapsed) rather than dropped: the raw name is still the best information we have.
    """
    if not raw or not isinstance(raw, str):
        return None
    text = normalize_inline(raw)
    if _LABEL_ONLY.match(text):
        return None
    labelled = match_source_line(text)
    if labelled is not None:
        text = labelled
    text = text.strip(_TRAILING + "()[]«»\"'")
    if not text:
        return None
    return _aliases().get(_key(text), text)


def split_closing_lines(
    blocks: list[tuple[str, bool]],
) -> tuple[list[str], str | None, str | None, str | None]:
    """Take the closing source/date lines off the end of an article.

    ``blocks`` are (text, eligible) pairs in document order; only eligible blocks (not inside a
    blockquote, table, figure or list) may hold the closing lines. A line may be a whole block or
    one line of a block split by ``<br>``. Accepted endings: "date / Source", "Source / date",
    "Source" alone and a date alone as the very last line.

    Returns (remaining block texts, source, source_date, source_date_raw).
    """
    texts = [text for text, _ in blocks]
    # The last two eligible blocks, as (block index, line index, line) from the end.
    tail: list[tuple[int, int, str]] = []
    for index in range(len(blocks) - 1, max(len(blocks) - 3, -1), -1):
        text, eligible = blocks[index]
        if not eligible:
            break
        lines = text.split("\n")
        tail.extend((index, n, lines[n]) for n in range(len(lines) - 1, -1, -1))
        if len(tail) >= 2:
            break
    if not tail:
        return texts, None, None, None

    source: str | None = None
    date_value: str | None = None
    date_raw: str | None = None
    taken: list[tuple[int, int]] = []
    last_block, last_line, last = tail[0]
    previous = tail[1] if len(tail) > 1 else None

    name = match_source_line(last)
    if name is not None:
        source = name
        taken.append((last_block, last_line))
        if previous is not None and (value := is_date_line(previous[2])) is not None:
            date_value, date_raw = value, previous[2]
            taken.append((previous[0], previous[1]))
    elif (value := is_date_line(last)) is not None:
        date_value, date_raw = value, last
        taken.append((last_block, last_line))
        if previous is not None and (name := match_source_line(previous[2])) is not None:
            source = name
            taken.append((previous[0], previous[1]))
    if not taken:
        return texts, None, None, None

    for block_index in {b for b, _ in taken}:
        lines = texts[block_index].split("\n")
        drop = {n for b, n in taken if b == block_index}
        texts[block_index] = "\n".join(line for n, line in enumerate(lines) if n not in drop)
    return [t for t in texts if t], source, date_value, date_raw
