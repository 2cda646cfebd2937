"""parse_date_text: the site's visible date shapes in French, Arabic and English."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction import parse_date_text
from ccme_crawler.extraction.dates import is_date_line, normalize_iso_datetime


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("19 février 2014", "fr", "2014-02-19"),
        ("18 févr. 2014", "fr", "2014-02-18"),
        ("1er mai 2015", "fr", "2015-05-01"),
        ("18/02/2014", "fr", "2014-02-18"),
        ("18.02.2014", "fr", "2014-02-18"),
        ("2014-02-18", None, "2014-02-18"),
        ("03/04/2015", "fr", "2015-04-03"),  # ambiguous numeric dates are day-first
        ("mercredi 20 novembre 2024 03:23", "fr", "2024-11-20"),
        ("12 غشت 2015", "ar", "2015-08-12"),
        ("١٢ غشت ٢٠١٥", "ar", "2015-08-12"),
        ("5 يوليوز 2016", "ar", "2016-07-05"),
        ("14 شتنبر 2017", "ar", "2017-09-14"),
        ("2 دجنبر 2018", "ar", "2018-12-02"),
        ("19 أبريل 2018", "ar", "2018-04-19"),
        ("19 ابريل 2018", "ar", "2018-04-19"),
        ("٣ كانون الثاني ٢٠١٦", "ar", "2016-01-03"),
        ("٥ تشرين الأول ٢٠١٦", "ar", "2016-10-05"),
        ("١٠ آب ٢٠١٧", "ar", "2017-08-10"),
        ("7 أغسطس 2017", "ar", "2017-08-07"),
        ("July 3, 2016", "en", "2016-07-03"),
        ("3 July 2016", "en", "2016-07-03"),
        ("Thursday, 19 September 2019 22:15", "en", "2019-09-19"),
        ("Thursday, September 19, 2019", "en", "2019-09-19"),
        ("18-02-2014", None, "2014-02-18"),
        ("18/02/14", None, "2014-02-18"),
        ("3 Jul 2016", "en", "2016-07-03"),
        ("mercredi, 02 septembre 2015", "fr", "2015-09-02"),
        ("Wednesday, 07 June 2017", "en", "2017-06-07"),
        ("الأربعاء, 23 نونبر 2011", "ar", "2011-11-23"),
    ],
)
def test_visible_dates(text: str, language: str | None, expected: str) -> None:
    assert parse_date_text(text, language) == expected


@pytest.mark.parametrize(
    "text", ["", "Source : MAP", "31/02/2014", "il y a longtemps", "2014", "1 moharram 1440"]
)
def test_unreadable_text_gives_none(text: str) -> None:
    assert parse_date_text(text, "fr") is None


def test_date_line_must_be_only_a_date() -> None:
    assert is_date_line("Le 18 février 2014, le Conseil a publié un rapport.") is None


def test_date_line_accepts_trailing_period() -> None:
    assert is_date_line("18/02/2014.") == "2014-02-18"


def test_iso_timestamp_keeps_offset() -> None:
    assert normalize_iso_datetime("2018-04-19T09:00:00+01:00") == "2018-04-19T09:00:00+01:00"


def test_iso_zulu_becomes_offset() -> None:
    assert normalize_iso_datetime("2018-04-19T09:00:00Z") == "2018-04-19T09:00:00+00:00"


def test_iso_garbage_is_none() -> None:
    assert normalize_iso_datetime("hier") is None


# Closing date lines in the shapes of the real site: one assertion each.
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("8-12-2011", "2011-12-08"),  # D-MM-YYYY, day not zero-padded
        ("08-12-2011", "2011-12-08"),
        ("14/05/2016", "2016-05-14"),
        ("٨-١٢-٢٠١١", "2011-12-08"),  # Arabic-Indic digits
        ("١٤/٠٥/٢٠١٦", "2016-05-14"),
        ("\u200f8-12-2011\u200f", "2011-12-08"),  # right-to-left marks around it
        ("18 juin 2016", "2016-06-18"),
        ("18 févr. 2014", "2014-02-18"),
        ("3 sept. 2017", "2017-09-03"),
        ("March 3, 2016", "2016-03-03"),
        ("Mar. 3, 2016", "2016-03-03"),
        ("Jun 6, 2017", "2017-06-06"),
        ("3 March 2016", "2016-03-03"),
        ("(14/05/2016)", "2016-05-14"),
        ("mercredi, 02 septembre 2015", "2015-09-02"),
        ("Wednesday, 07 June 2017", "2017-06-07"),
        ("الأربعاء, 23 نونبر 2011", "2011-11-23"),
        ("22 نونبر 2011", "2011-11-22"),
    ],
)
def test_closing_date_lines(line: str, expected: str) -> None:
    assert is_date_line(line) == expected


def test_hijri_date_is_not_a_date_line() -> None:
    assert is_date_line("1 moharram 1440") is None


def test_render_clock_is_not_a_date_line() -> None:
    # Old pages print the render time at the top; a line with a time of day is not a date line.
    assert is_date_line("lundi 13 janvier 2025 01:09") is None
