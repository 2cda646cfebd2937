"""Outlets: the closing "Source : X" line, a source and its date on one line, canonical names.

The closing lines themselves (which lines of an article they are) are found in ``closing.py``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .dates import DIRECTION_MARKS, is_date_line
from .text import normalize_inline

_LABEL = r"(?:sources?|المصدر|المصادر)"
# "Source : X", "Sources: X", "Source :X", Arabic "المصدر : X" and "المصدر/ X" (a slash, as the
# migrated Arabic press items write it); the colon may be full-width. The outlet is capped at
# 150 characters so a paragraph that merely starts with "Source :" and runs on as prose is not
# mistaken for the closing line.
_SOURCE_LINE = re.compile(
    rf"^\s*{_LABEL}\s*[:：/]\s*(?P<name>\S.{{0,149}}?)\s*$",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(rf"^\s*{_LABEL}\s*[:：/]?\s*$", re.IGNORECASE)
# English summaries written by the CCME itself end with "CCME (Summary)".
_CCME_SUMMARY = re.compile(r"^\s*CCME\s*\(\s*(?:summary|résumé|resume|ملخص)\s*\)\s*$", re.I)
# Between an outlet and its date on one line: "Le Matin - 18 juin 2016", "X, March 3, 2016".
_NAME_DATE_SEPARATORS = re.compile(r"\s*[-–—,|]\s*")
_DATE_MAX = 60
# An unlabelled line that starts with a newspaper word names an outlet ("جريدة الصباح").
_NEWSPAPER_WORD = re.compile(r"^(?:جريدة|الجريدة|صحيفة|يومية|أسبوعية|اسبوعية|موقع)\s+")
_SENTENCE_PUNCT = re.compile(r"[.!?;:؟؛]")
_NAME_PARTICLES = frozenset(
    ["de", "du", "des", "la", "le", "les", "l'", "d'", "al", "el", "of", "the"]
)
_TRAILING = " \t.,;:·-–—"
_DOMAIN_SUFFIX = re.compile(r"\.(?:ma|com|fr|be|net|org|info|press\.ma|es|nl|de)$")
_NON_KEY = re.compile(r"[\W_]+", re.UNICODE)
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "’": "'"})
# After folding: a leading newspaper word is not part of the outlet's name.
_KEY_PREFIX = re.compile(r"^(?:جريده|الجريده|صحيفه|يوميه|اسبوعيه|موقع)\s+")


def _clean_name(name: str) -> str | None:
    name = normalize_inline(DIRECTION_MARKS.sub("", name)).strip(_TRAILING)
    return name or None


def match_source_line(line: str) -> str | None:
    """The outlet named by a closing source line (label removed, punctuation trimmed), else None.

    ``Source : X``, ``المصدر/ X``, and the CCME's own ``CCME (Summary)`` (the outlet is the CCME).
    """
    line = DIRECTION_MARKS.sub("", line)
    if _CCME_SUMMARY.match(line):
        return "CCME"
    match = _SOURCE_LINE.match(line)
    if match is None:
        return None
    return _clean_name(match.group("name"))


def split_name_and_date(text: str) -> tuple[str, str, str] | None:
    """(name, ISO date, date as written) when ``text`` is an outlet and its date, in either order.

    ``Le Matin - 18 juin 2016``, ``18 juin 2016 - Le Matin``, ``X (14/05/2016)``,
    ``X – March 3, 2016``. None when no part of the text is a whole date.
    """
    text = normalize_inline(DIRECTION_MARKS.sub("", text))
    if text.endswith(")") and "(" in text:
        opening = text.rindex("(")
        name, date_raw = text[:opening].strip(), text[opening + 1 : -1].strip()
        if name and (value := is_date_line(date_raw)) is not None:
            return _finish(name, value, date_raw)
    for separator in _NAME_DATE_SEPARATORS.finditer(text):
        before, after = text[: separator.start()], text[separator.end() :]
        if not before or not after:
            continue
        # A date line is short: long parts (a paragraph with commas) are not worth parsing.
        if len(after) <= _DATE_MAX and (value := is_date_line(after)) is not None:
            return _finish(before, value, after)
        if len(before) <= _DATE_MAX and (value := is_date_line(before)) is not None:
            return _finish(after, value, before)
    return None


def _finish(name: str, value: str, date_raw: str) -> tuple[str, str, str] | None:
    cleaned = _clean_name(name)
    if cleaned is None or is_date_line(cleaned) is not None:
        return None
    return cleaned, value, date_raw.strip(" .,;:()[]-–—")


def looks_like_outlet(name: str) -> bool:
    """Whether an unlabelled name is an outlet: a known one, one called a newspaper, or a short
    title-cased name that cannot be a sentence ("Le Petit Journal", not "Le Conseil a tenu")."""
    if _key(name) in _aliases():
        return True
    if _NEWSPAPER_WORD.match(name) and len(name) <= 80:
        return True
    words = name.split()
    if len(name) > 60 or any(ch.isdigit() for ch in name) or _SENTENCE_PUNCT.search(name):
        return False
    if not any(ch.isascii() and ch.isalpha() for ch in name):
        return len(words) <= 3  # Arabic script has no capitals to tell a name from a phrase
    return len(words) <= 5 and all(
        w[:1].isupper() or w[:1].isdigit() or w.casefold() in _NAME_PARTICLES for w in words
    )


def is_newspaper_line(line: str) -> str | None:
    """The outlet of an unlabelled line that names a newspaper ("جريدة الاتحاد الاشتراكي")."""
    name = _clean_name(line)
    if name and _NEWSPAPER_WORD.match(name) and len(name.split()) <= 5:
        return name
    return None


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_AR_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _KEY_PREFIX.sub("", DIRECTION_MARKS.sub("", text).strip().removeprefix("www."))
    text = _DOMAIN_SUFFIX.sub("", text)
    return _NON_KEY.sub("", text)


@lru_cache(maxsize=1)
def _outlet_data() -> dict[str, Any]:
    return json.loads(
        resources.files(__package__).joinpath("data/outlets.json").read_text(encoding="utf-8")
    )


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in _outlet_data().items():
        if canonical.startswith("_"):
            continue
        for spelling in [canonical, *spellings]:
            table[_key(spelling)] = canonical
    return table


def normalize_source(raw: str | None) -> str | None:
    """Canonical outlet name ("MAP" for "M.A.P.", "Maghreb Arabe Presse", "وكالة المغرب العربي للأنباء"…).

    A leading newspaper word and spelling variants do not matter: "جريدة الاتحاد الإشتراكي" and
    "الاتحاد الاشتراكي" are one outlet. Unknown outlets come back cleaned (label and trailing
    punctuation removed, whitespace collapsed) rather than dropped: the raw name is still the
    best information we have.
    """
    if not raw or not isinstance(raw, str):
        return None
    text = normalize_inline(DIRECTION_MARKS.sub("", raw))
    if _LABEL_ONLY.match(text):
        return None
    labelled = match_source_line(text)
    if labelled is not None:
        text = labelled
    text = text.strip(_TRAILING + "()[]«»\"'")
    if not text:
        return None
    return _aliases().get(_key(text), text)


def outlet_for_url(url: str | None) -> str | None:
    """The canonical outlet whose web domain (or a subdomain of it) serves ``url``, else None."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    domains: dict[str, str] = _outlet_data().get("_domains", {})
    labels = host.split(".")
    for start in range(len(labels) - 1):
        outlet = domains.get(".".join(labels[start:]))
        if outlet is not None:
            return outlet
    return None
