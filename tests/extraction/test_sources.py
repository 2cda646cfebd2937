"""normalize_source and the closing source/date lines."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction import normalize_source
from ccme_crawler.extraction.sources import match_source_line, split_closing_lines


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
        ("Le Conseil cite une source : un diplomate", None),
    ],
)
def test_match_source_line(line: str, expected: str | None) -> None:
    assert match_source_line(line) == expected


def test_date_then_source() -> None:
    blocks = [("Texte.", True), ("18 févr. 2014", True), ("Source : MAP", True)]
    assert split_closing_lines(blocks) == (["Texte."], "MAP", "2014-02-18", "18 févr. 2014")


def test_date_and_source_in_one_block() -> None:
    blocks = [("Texte.", True), ("18 févr. 2014\nSource : MAP", True)]
    assert split_closing_lines(blocks) == (["Texte."], "MAP", "2014-02-18", "18 févr. 2014")


def test_source_then_date() -> None:
    blocks = [("Texte.", True), ("Source : MAP", True), ("18/02/2014", True)]
    assert split_closing_lines(blocks) == (["Texte."], "MAP", "2014-02-18", "18/02/2014")


def test_date_alone_at_the_end() -> None:
    blocks = [("Texte.", True), ("18/02/2014", True)]
    assert split_closing_lines(blocks) == (["Texte."], None, "2014-02-18", "18/02/2014")


def test_date_not_adjacent_to_source_is_body() -> None:
    blocks = [("18/02/2014", True), ("Texte.", True), ("Source : MAP", True)]
    assert split_closing_lines(blocks) == (["18/02/2014", "Texte."], "MAP", None, None)


def test_nested_block_is_never_the_source() -> None:
    blocks = [("Texte.", True), ("Source : Reuters", False)]
    assert split_closing_lines(blocks) == (["Texte.", "Source : Reuters"], None, None, None)


def test_no_closing_lines() -> None:
    assert split_closing_lines([("Texte.", True)]) == (["Texte."], None, None, None)
