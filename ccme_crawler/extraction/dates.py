"""Dates: machine-readable timestamps and the visible date text of the site (fr, ar, en).

Visible dates are parsed with exact, day-first regular expressions for the shapes the site
uses; they are fast and never guess. ``dateparser`` is only a last resort (it is slow and can
be over-eager), run in strict mode that requires a day, a month and a year.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Alef variants, hamza forms and diacritics vary between writers; compare on a folded form.
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None})
_AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
# Direction and zero-width marks that Word and RTL editors leave around dates and names.
DIRECTION_MARKS = re.compile("[\u200b-\u200f\u061c]")

_MONTHS: dict[str, int] = {}


def _add(month: int, *names: str) -> None:
    for name in names:
        _MONTHS[_fold(name)] = month


def _fold(text: str) -> str:
    return _AR_DIACRITICS.sub("", text.lower().translate(_AR_FOLD))


# French (long, abbreviated, with and without accents).
_add(1, "janvier", "janv", "jan")
_add(2, "février", "fevrier", "févr", "fevr", "fév", "fev")
_add(3, "mars")
_add(4, "avril", "avr")
_add(5, "mai")
_add(6, "juin")
_add(7, "juillet", "juil")
_add(8, "août", "aout", "aoû")
_add(9, "septembre", "sept", "sep")
_add(10, "octobre", "oct")
_add(11, "novembre", "nov")
_add(12, "décembre", "decembre", "déc", "dec")
# English.
_add(1, "january")
_add(2, "february", "feb")
_add(3, "march", "mar")
_add(4, "april", "apr")
_add(5, "may")
_add(6, "june", "jun")
_add(7, "july", "jul")
_add(8, "august", "aug")
_add(9, "september")
_add(10, "october")
_add(11, "november")
_add(12, "december")
# Arabic, Moroccan (Maghreb) names.
_add(1, "يناير")
_add(2, "فبراير", "فبراير")
_add(3, "مارس")
_add(4, "أبريل", "إبريل")
_add(5, "ماي", "مايو")
_add(6, "يونيو", "يونيه")
_add(7, "يوليوز", "يوليو", "يوليه")
_add(8, "غشت", "أغسطس")
_add(9, "شتنبر", "سبتمبر")
_add(10, "أكتوبر")
_add(11, "نونبر", "نوفمبر")
_add(12, "دجنبر", "ديسمبر")
# Arabic, Mashriq (Syriac-derived) names.
_add(1, "كانون الثاني")
_add(2, "شباط")
_add(3, "آذار")
_add(4, "نيسان")
_add(5, "أيار")
_add(6, "حزيران")
_add(7, "تموز")
_add(8, "آب")
_add(9, "أيلول")
_add(10, "تشرين الأول")
_add(11, "تشرين الثاني")
_add(12, "كانون الأول")

# Longest names first so "كانون الثاني" wins over shorter prefixes and "juillet" over "juil".
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True)).replace(
    r"\ ", r"\s+"
)
# Letters of the scripts we read, to stop a month name matching inside a longer word.
_W = r"a-zà-ÿ\u0600-\u06ff"
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\d{_W}])(\d{{1,2}})(?:er|e|st|nd|rd|th)?\s*(?:-\s*)?({_MONTH_ALT})(?![{_W}])\.?\s*,?\s*(?:-\s*)?(\d{{4}})(?!\d)"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![{_W}])({_MONTH_ALT})(?![{_W}])\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})(?!\d)"
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d])")

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "PREFER_DAY_OF_MONTH": "first",
    "DATE_ORDER": "DMY",
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def _make(year: int, month: int, day: int) -> str | None:
    if year < 100:  # two-digit years on the site are 2000s for 00–69, else 1900s
        year += 2000 if year < 70 else 1900
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _fold_text(text: str) -> str:
    return _fold(DIRECTION_MARKS.sub("", text.translate(_ARABIC_DIGITS)))


def _exact(folded: str) -> str | None:
    """Day-first parse of the known shapes, first match in the text wins."""
    best: tuple[int, str] | None = None
    for pattern, order in (
        (_DAY_MONTH_YEAR, "dmy"),
        (_MONTH_DAY_YEAR, "mdy"),
        (_ISO, "ymd"),
        (_NUMERIC, "num"),
    ):
        match = pattern.search(folded)
        if match is None:
            continue
        if order == "dmy":
            value = _make(int(match[3]), _MONTHS[_norm_month(match[2])], int(match[1]))
        elif order == "mdy":
            value = _make(int(match[3]), _MONTHS[_norm_month(match[1])], int(match[2]))
        elif order == "ymd":
            value = _make(int(match[1]), int(match[2]), int(match[3]))
        else:  # numeric dates on a francophone/arabophone site are day-first
            value = _make(int(match[4]), int(match[3]), int(match[1]))
        if value is not None and (best is None or match.start() < best[0]):
            best = (match.start(), value)
    return best[1] if best else None


def _norm_month(name: str) -> str:
    return re.sub(r"\s+", " ", name)


def parse_date_text(text: str, language: str | None) -> str | None:
    """Visible date text → ISO date ``YYYY-MM-DD``, or ``None`` when no full date is readable.

    Day-first for numeric dates; French, English and Arabic month names (Moroccan and Mashriq),
    Arabic-Indic digits; weekdays and times of day around the date are ignored.
    """
    if not text or not isinstance(text, str):
        return None
    folded = _fold_text(text[:500])
    value = _exact(folded)
    if value is not None:
        return value
    if len(folded) > 80 or not re.search(r"\d", folded):
        return None  # dateparser on long or digit-free text only invents dates
    return _dateparser(text.strip(), language)


@lru_cache(maxsize=2048)
def _dateparser(text: str, language: str | None) -> str | None:
    try:
        import dateparser  # imported lazily: slow to import and kept off the hot path

        languages = [language] if language in ("fr", "ar", "en") else ["fr", "ar", "en"]
        parsed = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd input; unreadable is None
        return None
    if parsed is None:
        return None
    return _make(parsed.year, parsed.month, parsed.day)


# A weekday may precede a closing date line ("mercredi, 02 septembre 2015"), on the folded text.
_WEEKDAY = re.compile(
    r"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
    r"|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعة|السبت|الاحد)\.?\s*[,،]?\s*"
)


def is_date_line(text: str) -> str | None:
    """ISO date when the whole line is just a date (the closing line of an article), else None.

    Surrounding punctuation and a leading weekday are allowed: ``8-12-2011``, ``(14/05/2016)``,
    ``mercredi, 02 septembre 2015``.
    """
    folded = _WEEKDAY.sub("", _fold_text(text).strip(" .,;:()[]-–—"), count=1)
    if not folded or len(folded) > 40:
        return None
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO, _NUMERIC):
        match = pattern.fullmatch(folded)
        if match is not None:
            return _exact(folded)
    return None


def normalize_iso_datetime(value: str | None) -> str | None:
    """A machine-readable timestamp as ISO 8601 (offset kept as written); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10:  # date only: do not invent a time of day
        return parsed.date().isoformat()
    return parsed.isoformat()
