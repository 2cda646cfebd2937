"""Language of a post: what the page declares, checked against the script of its text."""

from __future__ import annotations

import re

# Runs of each script: their lengths add up to the count of its characters, in a list of words
# rather than one string a character.
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]+")
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ’']+")
_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "et",
        "est",
        "une",
        "un",
        "dans",
        "pour",
        "sur",
        "au",
        "aux",
        "par",
        "qui",
        "que",
        "avec",
        "ont",
        "été",
        "ce",
        "cette",
        "il",
        "elle",
        "ils",
        "son",
        "sa",
        "ses",
        "leur",
        "plus",
        "pas",
        "ne",
    ]
)
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "are",
        "was",
        "were",
        "by",
        "this",
        "it",
        "its",
        "as",
        "from",
        "has",
        "have",
        "be",
        "an",
        "at",
        "which",
        "their",
        "not",
    ]
)
_SAMPLE = 3000  # characters of text enough to tell the script apart


def _primary(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary or None


def _latin_language(text: str) -> str | None:
    words = _WORD.findall(text.lower())
    fr = sum(map(_FR_WORDS.__contains__, words))
    en = sum(map(_EN_WORDS.__contains__, words))
    if fr == en:
        return None
    return "fr" if fr > en else "en"


def text_language(text: str) -> str | None:
    """ "ar", "fr" or "en" when the text says so clearly (script, then function words), else None."""
    sample = text[:_SAMPLE]
    arabic = sum(map(len, _ARABIC.findall(sample)))
    latin = sum(map(len, _LATIN.findall(sample)))
    if arabic + latin < 20:
        return None
    if arabic > 0.6 * (arabic + latin):
        return "ar"
    if latin > 0.8 * (arabic + latin):
        return _latin_language(sample)
    return None


def detect_language(
    html_lang: str | None, og_locale: str | None, text: str
) -> tuple[str | None, bool]:
    """(language, mismatch): the declared language unless the text clearly contradicts it.

    The site's templates declare the language of the interface, which sometimes differs from the
    post (an Arabic post filed under the French site); the text is the better witness then.
    """
    declared = _primary(html_lang) or _primary(og_locale)
    if declared not in ("fr", "ar", "en"):
        declared = None
    observed = text_language(text)
    if declared is None:
        return observed, False
    if observed is None or observed == declared:
        return declared, False
    # Only script contradictions are trusted; fr/en from function words is too weak to override.
    if observed == "ar" or declared == "ar":
        return observed, True
    return declared, False
