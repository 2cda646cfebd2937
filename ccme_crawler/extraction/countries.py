"""The countries an article is about: country names, short forms and demonyms in fr/ar/en.

Names come from pycountry (ISO 3166-1 names and their French and Arabic translations) plus
``data/countries.json`` (usual short forms, demonyms, variants, exclusions and context rules).
Morocco is matched, so that its names are consumed (``maroco-belge``, ``المغربية``), but never
reported: every article on the site is about Moroccans.

Matching is token-based: the text is split into words, each folded (lowercase, accents removed;
Arabic alef/yaa/taa marbuta variants, diacritics and tatweel normalized), and at each word the
longest form starting there wins (``Guinée équatoriale`` before ``Guinée``). Arabic words are
also tried without their clitics (``و ف`` then ``ب ل ك``, and ``لل`` for ``ل`` + ``ال``).
Latin-script names (and English demonyms) count only when capitalized as in the gazetteer, so
``chiné`` is not ``Chine`` and a ``turkey`` is a bird.
"""

from __future__ import annotations

import gettext
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

# Morocco, and the Sahara, which the site treats as Morocco: the question is host countries.
NOT_REPORTED = frozenset({"MA", "EH"})
LANGUAGES = ("fr", "en", "ar")

_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
# Harakat, shadda, sukun, superscript alef, Quranic marks; tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}
)
_LATIN_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
# str.translate looks every character up in its table, which costs ten times a regex search
# for the few characters it changes: texts without any skip it.
_ARABIC_VARIANTS = re.compile("[" + "".join(map(chr, _ARABIC_FOLD)) + "]")
_LATIN_LIGATURES = re.compile("[" + "".join(map(chr, _LATIN_FOLD)) + "]")
# The Arabic block, which holds every mark and variant above.
_ARABIC_BLOCK = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W\d_]+")
# The words and the gaps between them in one C call: [gap, word, gap, word, …, gap].
_WORDS_AND_GAPS = re.compile(r"([^\W\d_]+)")
# Between the words of one name: spaces, hyphens, apostrophes, dots (U.S.), nothing that ends
# a phrase.
_INNER_GAP = re.compile(r"^[\s\-‐‑–'’.]{0,3}$")
_COMBINING_GAP = re.compile(r"^[\-‐‑]$")

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")

# Capitalized words that may stand before or after a country without making it a person's name.
_NOT_NAMES = frozenset(
    [
        "the",
        "in",
        "to",
        "from",
        "of",
        "and",
        "for",
        "with",
        "at",
        "on",
        "by",
        "as",
        "is",
        "was",
        "a",
        "an",
        "or",
        "but",
        "le",
        "la",
        "les",
        "l",
        "en",
        "au",
        "aux",
        "du",
        "de",
        "des",
        "d",
        "et",
        "pour",
        "avec",
        "vers",
        "dans",
        "sur",
        "par",
        "un",
        "une",
        "ou",
        "mais",
        "entre",
    ]
)
_FR_LANGUAGE_CUES = frozenset(
    [
        "en",
        "de",
        "d",
        "le",
        "l",
        "du",
        "parle",
        "parlent",
        "parler",
        "parlant",
        "apprendre",
        "apprend",
        "apprennent",
        "enseigner",
    ]
)
_EN_LANGUAGE_CUES = frozenset(
    [
        "speak",
        "speaks",
        "speaking",
        "spoke",
        "spoken",
        "learn",
        "learns",
        "learning",
        "learned",
        "learnt",
        "teach",
        "teaches",
        "teaching",
        "taught",
    ]
)


def fold_arabic(text: str) -> str:
    """Arabic spelling variants made one: alef forms, alef maqsura, taa marbuta; marks removed."""
    if _ARABIC_BLOCK.search(text) is None:  # one scan spares two on a text without Arabic
        return text
    text = _ARABIC_MARKS.sub("", text)
    return text.translate(_ARABIC_FOLD) if _ARABIC_VARIANTS.search(text) else text


def fold_latin(text: str) -> str:
    """Lowercase with accents and ligatures folded (``Émirats`` → ``emirats``)."""
    text = text.casefold()
    if _LATIN_LIGATURES.search(text):
        text = text.translate(_LATIN_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return _without_combining_marks(text)


# The characters of non-zero canonical combining class (what ``unicodedata.combining`` tells one
# character at a time, far slower), as ranges for the Unicode version they were read from;
# another version reads them from its own unicodedata.
_COMBINING_UNICODE = "14.0.0"
_COMBINING_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x034E),
    (0x0350, 0x036F),
    (0x0483, 0x0487),
    (0x0591, 0x05BD),
    (0x05BF, 0x05BF),
    (0x05C1, 0x05C2),
    (0x05C4, 0x05C5),
    (0x05C7, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x0711, 0x0711),
    (0x0730, 0x074A),
    (0x07EB, 0x07F3),
    (0x07FD, 0x07FD),
    (0x0816, 0x0819),
    (0x081B, 0x0823),
    (0x0825, 0x0827),
    (0x0829, 0x082D),
    (0x0859, 0x085B),
    (0x0898, 0x089F),
    (0x08CA, 0x08E1),
    (0x08E3, 0x08FF),
    (0x093C, 0x093C),
    (0x094D, 0x094D),
    (0x0951, 0x0954),
    (0x09BC, 0x09BC),
    (0x09CD, 0x09CD),
    (0x09FE, 0x09FE),
    (0x0A3C, 0x0A3C),
    (0x0A4D, 0x0A4D),
    (0x0ABC, 0x0ABC),
    (0x0ACD, 0x0ACD),
    (0x0B3C, 0x0B3C),
    (0x0B4D, 0x0B4D),
    (0x0BCD, 0x0BCD),
    (0x0C3C, 0x0C3C),
    (0x0C4D, 0x0C4D),
    (0x0C55, 0x0C56),
    (0x0CBC, 0x0CBC),
    (0x0CCD, 0x0CCD),
    (0x0D3B, 0x0D3C),
    (0x0D4D, 0x0D4D),
    (0x0DCA, 0x0DCA),
    (0x0E38, 0x0E3A),
    (0x0E48, 0x0E4B),
    (0x0EB8, 0x0EBA),
    (0x0EC8, 0x0ECB),
    (0x0F18, 0x0F19),
    (0x0F35, 0x0F35),
    (0x0F37, 0x0F37),
    (0x0F39, 0x0F39),
    (0x0F71, 0x0F72),
    (0x0F74, 0x0F74),
    (0x0F7A, 0x0F7D),
    (0x0F80, 0x0F80),
    (0x0F82, 0x0F84),
    (0x0F86, 0x0F87),
    (0x0FC6, 0x0FC6),
    (0x1037, 0x1037),
    (0x1039, 0x103A),
    (0x108D, 0x108D),
    (0x135D, 0x135F),
    (0x1714, 0x1715),
    (0x1734, 0x1734),
    (0x17D2, 0x17D2),
    (0x17DD, 0x17DD),
    (0x18A9, 0x18A9),
    (0x1939, 0x193B),
    (0x1A17, 0x1A18),
    (0x1A60, 0x1A60),
    (0x1A75, 0x1A7C),
    (0x1A7F, 0x1A7F),
    (0x1AB0, 0x1ABD),
    (0x1ABF, 0x1ACE),
    (0x1B34, 0x1B34),
    (0x1B44, 0x1B44),
    (0x1B6B, 0x1B73),
    (0x1BAA, 0x1BAB),
    (0x1BE6, 0x1BE6),
    (0x1BF2, 0x1BF3),
    (0x1C37, 0x1C37),
    (0x1CD0, 0x1CD2),
    (0x1CD4, 0x1CE0),
    (0x1CE2, 0x1CE8),
    (0x1CED, 0x1CED),
    (0x1CF4, 0x1CF4),
    (0x1CF8, 0x1CF9),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20DC),
    (0x20E1, 0x20E1),
    (0x20E5, 0x20F0),
    (0x2CEF, 0x2CF1),
    (0x2D7F, 0x2D7F),
    (0x2DE0, 0x2DFF),
    (0x302A, 0x302F),
    (0x3099, 0x309A),
    (0xA66F, 0xA66F),
    (0xA674, 0xA67D),
    (0xA69E, 0xA69F),
    (0xA6F0, 0xA6F1),
    (0xA806, 0xA806),
    (0xA82C, 0xA82C),
    (0xA8C4, 0xA8C4),
    (0xA8E0, 0xA8F1),
    (0xA92B, 0xA92D),
    (0xA953, 0xA953),
    (0xA9B3, 0xA9B3),
    (0xA9C0, 0xA9C0),
    (0xAAB0, 0xAAB0),
    (0xAAB2, 0xAAB4),
    (0xAAB7, 0xAAB8),
    (0xAABE, 0xAABF),
    (0xAAC1, 0xAAC1),
    (0xAAF6, 0xAAF6),
    (0xABED, 0xABED),
    (0xFB1E, 0xFB1E),
    (0xFE20, 0xFE2F),
    (0x101FD, 0x101FD),
    (0x102E0, 0x102E0),
    (0x10376, 0x1037A),
    (0x10A0D, 0x10A0D),
    (0x10A0F, 0x10A0F),
    (0x10A38, 0x10A3A),
    (0x10A3F, 0x10A3F),
    (0x10AE5, 0x10AE6),
    (0x10D24, 0x10D27),
    (0x10EAB, 0x10EAC),
    (0x10F46, 0x10F50),
    (0x10F82, 0x10F85),
    (0x11046, 0x11046),
    (0x11070, 0x11070),
    (0x1107F, 0x1107F),
    (0x110B9, 0x110BA),
    (0x11100, 0x11102),
    (0x11133, 0x11134),
    (0x11173, 0x11173),
    (0x111C0, 0x111C0),
    (0x111CA, 0x111CA),
    (0x11235, 0x11236),
    (0x112E9, 0x112EA),
    (0x1133B, 0x1133C),
    (0x1134D, 0x1134D),
    (0x11366, 0x1136C),
    (0x11370, 0x11374),
    (0x11442, 0x11442),
    (0x11446, 0x11446),
    (0x1145E, 0x1145E),
    (0x114C2, 0x114C3),
    (0x115BF, 0x115C0),
    (0x1163F, 0x1163F),
    (0x116B6, 0x116B7),
    (0x1172B, 0x1172B),
    (0x11839, 0x1183A),
    (0x1193D, 0x1193E),
    (0x11943, 0x11943),
    (0x119E0, 0x119E0),
    (0x11A34, 0x11A34),
    (0x11A47, 0x11A47),
    (0x11A99, 0x11A99),
    (0x11C3F, 0x11C3F),
    (0x11D42, 0x11D42),
    (0x11D44, 0x11D45),
    (0x11D97, 0x11D97),
    (0x16AF0, 0x16AF4),
    (0x16B30, 0x16B36),
    (0x16FF0, 0x16FF1),
    (0x1BC9E, 0x1BC9E),
    (0x1D165, 0x1D169),
    (0x1D16D, 0x1D172),
    (0x1D17B, 0x1D182),
    (0x1D185, 0x1D18B),
    (0x1D1AA, 0x1D1AD),
    (0x1D242, 0x1D244),
    (0x1E000, 0x1E006),
    (0x1E008, 0x1E018),
    (0x1E01B, 0x1E021),
    (0x1E023, 0x1E024),
    (0x1E026, 0x1E02A),
    (0x1E130, 0x1E136),
    (0x1E2AE, 0x1E2AE),
    (0x1E2EC, 0x1E2EF),
    (0x1E8D0, 0x1E8D6),
    (0x1E944, 0x1E94A),
)


@lru_cache(maxsize=1)
def _combining_marks() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two classes, the Basic Multilingual Plane's and the others': re matches a class of BMP
    characters with a lookup table, one that holds others by trying each range."""
    ranges: Iterable[tuple[int, int]] = _COMBINING_RANGES
    if unicodedata.unidata_version != _COMBINING_UNICODE:
        marks = [c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
        ranges = [(c, c) for c in marks]

    def chars(pairs: Iterable[tuple[int, int]]) -> re.Pattern[str]:
        spans = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in pairs)
        return re.compile(f"[{spans}]")

    return (
        chars((a, min(b, 0xFFFF)) for a, b in ranges if a <= 0xFFFF),
        chars((max(a, 0x10000), b) for a, b in ranges if b > 0xFFFF),
    )


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # one range: one test a character


def _without_combining_marks(text: str) -> str:
    basic, other = _combining_marks()
    text = basic.sub("", text)
    return other.sub("", text) if _ASTRAL.search(text) else text


def fold_text(text: str) -> str:
    """Both foldings: the comparison form of a text in any of the site's languages."""
    return fold_latin(fold_arabic(unicodedata.normalize("NFC", text)))


def _is_arabic(word: str) -> bool:
    return _ARABIC_CHAR.match(word) is not None


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> str:
    # Cached: a text's vocabulary repeats, and an archive's far more.
    return fold_arabic(word) if _is_arabic(word) else fold_latin(word)


def _words(text: str) -> list[str]:
    return _WORD.findall(_ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)))


def _keys(text: str) -> tuple[str, ...]:
    return tuple(_fold_word(word) for word in _words(text))


# --- the gazetteer --------------------------------------------------------------------------------

NAME, DEMONYM, LANGUAGE, COMBINING = "name", "demonym", "language", "combining"


@dataclass(frozen=True, slots=True)
class _Rule:
    person: bool = False
    us_state: bool = False
    not_after: tuple[tuple[str, ...], ...] = ()
    not_before: tuple[tuple[str, ...], ...] = ()
    only_after: frozenset[str] = frozenset()
    prefix_ok: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Form:
    code: str | None  # None: a blocker, matched so that its words count for nothing
    keys: tuple[str, ...]
    # Per word: 0 any case, 1 capitalized, 2 all capitals (as the gazetteer writes it).
    capitals: tuple[int, ...]
    kind: str
    language: str
    rule: _Rule | None = None


def _capitals(text: str) -> tuple[int, ...]:
    def mode(word: str) -> int:
        if _is_arabic(word) or not word[0].isupper():
            return 0
        return 2 if len(word) > 1 and word.isupper() else 1

    return tuple(mode(word) for word in _words(text))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/countries.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _pycountry_names(language: str) -> Iterator[tuple[str, str]]:
    """(alpha-2, name) from pycountry: ISO name, official and common names, translated."""
    translate = (
        (lambda s: s)
        if language == "en"
        else gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]).gettext
    )
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if not english:
                continue
            name = re.sub(r"\([^)]*\)", "", translate(english)).strip()
            # "Iran, République islamique d'" is an index form, not what a text says.
            if not name or "," in name or "،" in name:
                continue
            if _is_arabic(name) != (language == "ar") or not _words(name):
                continue
            yield country.alpha_2, name


def _french_inflections(masculine: str) -> list[str]:
    if masculine.endswith("e"):
        return [masculine, masculine + "s"]
    if masculine.endswith(("s", "x")):
        return [masculine, masculine + "e", masculine + "es"]
    feminine = masculine + ("ne" if masculine.endswith(("ien", "éen", "on")) else "e")
    return [masculine, masculine + "s", feminine, feminine + "s"]


def _english_inflections(adjective: str) -> list[str]:
    if adjective.endswith(("sh", "ch", "ese", "s", "x", "z")):
        return [adjective]
    return [adjective, adjective + "s"]


def _with_article(form: str) -> list[str]:
    bare = form.removeprefix("ال")
    return [bare, "ال" + bare]


def _arabic_inflections(nisba: str) -> tuple[list[str], list[str]]:
    """(all forms, feminine singular forms) of a nisba, with and without the article."""
    feminine = _with_article(nisba + "ة")
    others = [f for suffix in ("", "ون", "ين", "ات") for f in _with_article(nisba + suffix)]
    return others + feminine, feminine


def _arabic_spellings(name: str) -> list[str]:
    # "البوسنة و الهرسك" is written "البوسنة والهرسك" too.
    joined = re.sub(r" و (\S)", r" و\1", name)
    return [name] if joined == name else [name, joined]


def _rule(spec: dict[str, Any]) -> _Rule:
    return _Rule(
        person=bool(spec.get("person")),
        us_state=bool(spec.get("us_state")),
        not_after=tuple(_keys(s) for s in spec.get("not_after", ())),
        not_before=tuple(_keys(s) for s in spec.get("not_before", ())),
        only_after=frozenset(k for s in spec.get("only_after", ()) for k in _keys(s)),
        prefix_ok=frozenset(fold_arabic(p) for p in spec.get("prefix_ok", ())),
    )


def _language_forms(language: str) -> Iterator[tuple[str | None, str, str]]:
    """(code, text, kind) of every form of one language, blockers with code None."""
    data = _data()
    languages = set(data.get("languages", {}).get(language, ()))
    extra = {code: entry.get(language, {}) for code, entry in data["countries"].items()}
    excluded = {
        (code, _keys(name)) for code, spec in extra.items() for name in spec.get("exclude", ())
    }
    for code, name in _pycountry_names(language):
        if (code, _keys(name)) not in excluded:
            yield code, name, NAME
    for code, spec in extra.items():
        for name in spec.get("names", ()):
            yield code, name, NAME
        for base in spec.get("demonyms", ()):
            if language == "fr":
                forms = _french_inflections(base)
                yield from ((code, f, DEMONYM) for f in forms[1:])
                yield code, forms[0], LANGUAGE if base in languages else DEMONYM
            elif language == "en":
                yield code, base, LANGUAGE if base in languages else DEMONYM
                yield from ((code, f, DEMONYM) for f in _english_inflections(base)[1:])
            else:
                forms, feminine = _arabic_inflections(base)
                kind = LANGUAGE if base in languages else DEMONYM
                yield from ((code, f, kind if f in feminine else DEMONYM) for f in forms)
        for form in spec.get("forms", ()):
            kind = LANGUAGE if form in languages else DEMONYM
            for text in _with_article(form) if language == "ar" else [form]:
                yield code, text, kind
        for prefix in spec.get("combining", ()):
            yield code, prefix, COMBINING
    for phrase in data.get("blockers", {}).get(language, ()):
        if language == "fr" and phrase.islower():
            texts = _french_inflections(phrase)
        elif language == "en" and phrase.endswith("an"):
            texts = [phrase, phrase + "s"]  # Latin Americans
        else:
            texts = [phrase]
        yield from ((None, text, NAME) for text in texts)


@lru_cache(maxsize=8)
def _table(languages: tuple[str, ...]) -> dict[str, tuple[_Form, ...]]:
    """First word's key → the forms starting with it, longest first."""
    rules_spec = _data().get("rules", {})
    merged: dict[tuple[str, ...], _Form] = {}
    for language in languages:
        rules = {_keys(text): _rule(spec) for text, spec in rules_spec.get(language, {}).items()}
        for code, text, kind in _language_forms(language):
            spellings = _arabic_spellings(text) if language == "ar" else [text]
            for spelling in spellings:
                keys = _keys(spelling)
                if not keys:
                    continue
                # Names are proper nouns; French demonyms are lowercase adjectives too.
                latin_cased = language == "en" or kind in (NAME, COMBINING)
                capitals = _capitals(spelling) if latin_cased else (0,) * len(keys)
                form = _Form(code, keys, capitals, kind, language, rules.get(keys))
                previous = merged.get(keys)
                if previous is not None:
                    if previous.code != code:
                        raise ValueError(
                            f"{spelling!r} ({language}) names both {previous.code} and {code}"
                        )
                    # The laxest capitalization of the spellings wins (Guinée Équatoriale,
                    # Guinée équatoriale); a language reading is kept if any spelling has one.
                    form = _Form(
                        code,
                        keys,
                        tuple(map(min, previous.capitals, capitals)),
                        LANGUAGE if LANGUAGE in (previous.kind, kind) else previous.kind,
                        previous.language,
                        previous.rule or form.rule,
                    )
                merged[keys] = form
    table: dict[str, list[_Form]] = {}
    for form in merged.values():
        table.setdefault(form.keys[0], []).append(form)
    return {key: tuple(sorted(forms, key=lambda f: -len(f.keys))) for key, forms in table.items()}


def _languages_for(language: str | None) -> tuple[str, ...]:
    if language == "ar":
        return ("ar",)
    if language in ("fr", "en"):
        return (language, "ar")
    return LANGUAGES


# --- matching -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Text:
    raws: list[str]
    keys: list[str]
    gaps: list[str]  # gaps[i]: the text before word i; gaps[n]: the text after the last word


def _split(text: str) -> _Text:
    parts = _WORDS_AND_GAPS.split(_ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)))
    raws = parts[1::2]
    return _Text(raws, list(map(_fold_word, raws)), parts[0::2])


def _stems(key: str) -> Iterator[tuple[str, str]]:
    """(stem, prefix) readings of an Arabic word without its proclitics, least stripped first."""
    yield key, ""
    if key[0] not in "وفبلك":
        return
    for conjunction in _CONJUNCTIONS:
        for preposition in _PREPOSITIONS:
            prefix = conjunction + preposition
            if not prefix or not key.startswith(prefix):
                continue
            rest = key[len(prefix) :]
            if len(rest) >= 2:
                yield rest, prefix
            # لل: ل + ال, the article's alef dropped ("للمغاربة" = "ل" + "المغاربة").
            if preposition == "ل" and rest.startswith("ل") and len(rest) >= 3:
                yield "ا" + rest, prefix


def _capitalized(raw: str) -> bool:
    return raw[0].isupper()


def _case_ok(form: _Form, raws: list[str]) -> bool:
    for mode, raw in zip(form.capitals, raws, strict=True):
        if (mode == 1 and not _capitalized(raw)) or (mode == 2 and not raw.isupper()):
            return False
    return True


def _match_at(text: _Text, i: int, table: dict[str, tuple[_Form, ...]]) -> tuple[_Form, str] | None:
    n = len(text.keys)
    best: tuple[_Form, str] | None = None
    key = text.keys[i]
    for stem, prefix in _stems(key) if _is_arabic(key) else [(key, "")]:
        for form in table.get(stem, ()):
            size = len(form.keys)
            if best is not None and size <= len(best[0].keys):
                break
            if i + size > n:
                continue
            if any(text.keys[i + j] != form.keys[j] for j in range(1, size)):
                continue
            if any(not _INNER_GAP.match(text.gaps[i + j]) for j in range(1, size)):
                continue
            if prefix == "" and not _case_ok(form, text.raws[i : i + size]):
                continue
            if form.kind == COMBINING and not _COMBINING_GAP.match(text.gaps[i + size]):
                continue
            best = (form, prefix)
            break
    return best


def _follows(text: _Text, i: int, words: tuple[str, ...]) -> bool:
    start = i - len(words)
    return start >= 0 and tuple(text.keys[start:i]) == words


def _precedes(text: _Text, end: int, words: tuple[str, ...]) -> bool:
    return tuple(text.keys[end : end + len(words)]) == words


def _name_word(text: _Text, j: int, table: dict[str, tuple[_Form, ...]]) -> bool:
    """Word j looks like part of a person's name: capitalized, not a function word or country."""
    if j < 0 or j >= len(text.keys):
        return False
    key = text.keys[j]
    return _capitalized(text.raws[j]) and key not in _NOT_NAMES and key not in table


def _counts(form: _Form, text: _Text, i: int, prefix: str, table: dict[str, Any]) -> bool:
    """The context rules: whether the form matched at word i names the country here."""
    end = i + len(form.keys)
    before = text.keys[i - 1] if i > 0 else ""
    rule = form.rule
    if rule is not None:
        if any(_follows(text, i, words) for words in rule.not_after):
            return False
        if any(_precedes(text, end, words) for words in rule.not_before):
            return False
        prefixed = bool(prefix) and any(p in prefix for p in rule.prefix_ok)
        if rule.only_after and before not in rule.only_after and not prefixed:
            return False
        if rule.person and (
            (text.gaps[i] == " " and _name_word(text, i - 1, table))
            or (text.gaps[end] == " " and _name_word(text, end, table))
        ):
            return False
        # "Atlanta, Georgia": a place, then a comma, then the state.
        if rule.us_state and text.gaps[i].strip() == "," and _name_word(text, i - 1, table):
            return False
    if form.kind == LANGUAGE:
        return not _language_context(form, text, i, end, before, prefix)
    return True


def _language_context(form: _Form, text: _Text, i: int, end: int, before: str, prefix: str) -> bool:
    """True where a demonym names a language: "cours de français", "in English", "بالفرنسية"."""
    if form.language == "fr":
        return not _capitalized(text.raws[i]) and before in _FR_LANGUAGE_CUES
    if form.language == "en":
        if before in _EN_LANGUAGE_CUES:
            return True
        # "in French." names the language; "in French cities" the country.
        followed_by_word = (
            end < len(text.keys) and text.gaps[end] == " " and not _capitalized(text.raws[end])
        )
        return before == "in" and not followed_by_word
    return before in {"اللغه", "لغه", "باللغه", "للغه", "بلغه", "واللغه"} or (
        prefix.endswith("ب") and form.keys[0].startswith("ال")
    )


def _scan(text: str, table: dict[str, tuple[_Form, ...]]) -> Iterator[str]:
    words = _split(text)
    keys = words.keys
    i = 0
    while i < len(keys):
        key = keys[i]
        # Most words start no form: skip them without the full match.
        if key not in table and not (key[0] in "وفبلك" and _is_arabic(key)):
            i += 1
            continue
        found = _match_at(words, i, table)
        if found is None:
            i += 1
            continue
        form, prefix = found
        if form.code is not None and _counts(form, words, i, prefix, table):
            yield form.code
        i += len(form.keys)


def extract_countries(title: str | None, body: str, language: str | None) -> list[tuple[str, int]]:
    """ISO 3166-1 alpha-2 codes of the countries named in title and body, with their mentions.

    Most mentioned first (ties: first mentioned first); Morocco is never listed. ``language``
    ("fr", "ar", "en" or None for unknown) picks the Latin-script gazetteer; Arabic words are
    always read with the Arabic one.
    """
    table = _table(_languages_for(language))
    counts: dict[str, int] = {}
    for text in (title or "", body or ""):
        for code in _scan(text, table):
            counts[code] = counts.get(code, 0) + 1
    order = {code: n for n, code in enumerate(counts)}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order[item[0]]))
    return [(code, n) for code, n in ranked if code not in NOT_REPORTED]


def country_codes() -> Iterable[str]:
    """Every code the gazetteer can report."""
    return sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in NOT_REPORTED)
