"""normalize_source and the closing source/date lines."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction import normalize_source
from ccme_crawler.extraction.closing import Block, read_closing
from ccme_crawler.extraction.sources import (
    looks_like_outlet,
    match_source_line,
    outlet_for_url,
    split_name_and_date,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MAP", "MAP"),
        ("M.A.P", "MAP"),
        ("M.A.P.", "MAP"),
        ("map", "MAP"),
        ("Maghreb Arabe Presse", "MAP"),
        ("وكالة المغرب العربي للأنباء", "MAP"),
        ("Lematin.ma", "Le Matin"),
        ("Le Matin", "Le Matin"),
        ("Le Matin du Sahara", "Le Matin"),
        ("www.lematin.ma", "Le Matin"),
        ("Source : MAP", "MAP"),
        ("  Le Monde. ", "Le Monde"),
        ("Aujourd’hui le Maroc", "Aujourd'hui le Maroc"),
        ("هسبريس", "Hespress"),
        ("Un journal inconnu", "Un journal inconnu"),
        ("الاتحاد الاشتراكي", "Al Ittihad Al Ichtiraki"),
        ("الاتحاد الإشتراكي", "Al Ittihad Al Ichtiraki"),
        ("الإتحاد الإشتراكي", "Al Ittihad Al Ichtiraki"),
        ("جريدة الاتحاد الاشتراكي", "Al Ittihad Al Ichtiraki"),
        ("جريدة المساء", "Al Massae"),
        ("صحيفة الصباح", "Assabah"),
        ("المصدر/ جريدة العلم", "Al Alam"),
        ("Leseco.ma", "Les Inspirations ÉCO"),
        ("CCME (Summary)", "CCME"),
    ],
)
def test_normalize_source(raw: str, expected: str) -> None:
    assert normalize_source(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "Source :", "..."])
def test_normalize_source_empty(raw: str | None) -> None:
    assert normalize_source(raw) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Source : MAP", "MAP"),
        ("Source: MAP", "MAP"),
        ("Source :MAP", "MAP"),
        ("Sources : AFP, Le Monde", "AFP, Le Monde"),
        ("source : Le Monde.", "Le Monde"),
        ("المصدر : هسبريس", "هسبريس"),
        ("المصدر: هسبريس", "هسبريس"),
        ("المصدر/ جريدة الاتحاد الاشتراكي", "جريدة الاتحاد الاشتراكي"),
        ("المصدر /جريدة الصباح", "جريدة الصباح"),
        ("CCME (Summary)", "CCME"),
        ("Le Conseil cite une source : un diplomate", None),
    ],
)
def test_match_source_line(line: str, expected: str | None) -> None:
    assert match_source_line(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Matin - 18 juin 2016", ("Le Matin", "2016-06-18", "18 juin 2016")),
        ("18 juin 2016 - Le Matin", ("Le Matin", "2016-06-18", "18 juin 2016")),
        ("Hespress (14/05/2016)", ("Hespress", "2016-05-14", "14/05/2016")),
        (
            "Morocco World News – March 3, 2016",
            ("Morocco World News", "2016-03-03", "March 3, 2016"),
        ),
        ("Le Matin, 18 juin 2016", ("Le Matin", "2016-06-18", "18 juin 2016")),
        ("Al-Alam - 18-06-2016", ("Al-Alam", "2016-06-18", "18-06-2016")),
        ("22-11-2011 - جريدة العلم", ("جريدة العلم", "2011-11-22", "22-11-2011")),
        ("جريدة المساء (23/11/2011)", ("جريدة المساء", "2011-11-23", "23/11/2011")),
        ("AFP, Le Monde", None),
        ("18 juin 2016", None),
    ],
)
def test_split_name_and_date(text: str, expected: tuple[str, str, str] | None) -> None:
    assert split_name_and_date(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Le Matin", True),
        ("Le Petit Journal", True),
        ("جريدة العلم", True),
        ("Le Conseil a tenu sa réunion", False),
        ("Les participants ont salué l’initiative du Conseil", False),
    ],
)
def test_looks_like_outlet(name: str, expected: bool) -> None:
    assert looks_like_outlet(name) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://lematin.ma/journal/2016/x/1.html", "Le Matin"),
        ("https://www.hespress.com/x-123.html", "Hespress"),
        ("https://fr.hespress.com/x-123.html", "Hespress"),
        ("https://www.mapexpress.ma/actualite/x/", "MAP"),
        ("http://www.map.ma/fr/x", "MAP"),
        ("https://www.le360.ma/societe/x", "Le360"),
        ("https://leseco.ma/x/", "Les Inspirations ÉCO"),
        ("https://aujourdhui.ma/societe/x", "Aujourd'hui le Maroc"),
        ("https://medias24.com/x.html", "Médias24"),
        ("https://www.alyaoum24.com/123.html", "Alyaoum24"),
        ("https://www.example.org/x", None),
        ("https://notlematin.ma/x", None),
        ("not a url", None),
        ("http://[broken/x", None),
    ],
)
def test_outlet_for_url(url: str, expected: str | None) -> None:
    assert outlet_for_url(url) == expected


def _read(*blocks: tuple[str, bool]) -> tuple[list[str], str | None, str | None, str | None]:
    closing = read_closing([Block(text, eligible) for text, eligible in blocks])
    return closing.texts, closing.source, closing.source_date, closing.source_date_raw


def test_date_then_source() -> None:
    blocks = [("Texte.", True), ("18 févr. 2014", True), ("Source : MAP", True)]
    assert _read(*blocks) == (["Texte."], "MAP", "2014-02-18", "18 févr. 2014")


def test_date_and_source_in_one_block() -> None:
    assert _read(("Texte.", True), ("18 févr. 2014\nSource : MAP", True)) == (
        ["Texte."],
        "MAP",
        "2014-02-18",
        "18 févr. 2014",
    )


def test_source_then_date() -> None:
    blocks = [("Texte.", True), ("Source : MAP", True), ("18/02/2014", True)]
    assert _read(*blocks) == (["Texte."], "MAP", "2014-02-18", "18/02/2014")


def test_date_alone_at_the_end() -> None:
    assert _read(("Texte.", True), ("18/02/2014", True)) == (
        ["Texte."],
        None,
        "2014-02-18",
        "18/02/2014",
    )


def test_date_not_adjacent_to_source_is_body() -> None:
    blocks = [("18/02/2014", True), ("Texte.", True), ("Source : MAP", True)]
    assert _read(*blocks) == (["18/02/2014", "Texte."], "MAP", None, None)


def test_nested_block_is_never_the_source() -> None:
    blocks = [("Texte.", True), ("Source : Reuters", False)]
    assert _read(*blocks) == (["Texte.", "Source : Reuters"], None, None, None)


def test_no_closing_lines() -> None:
    assert _read(("Texte.", True)) == (["Texte."], None, None, None)
