"""Full-text search: accents folded, highlighted snippets, filters, any query text is safe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccme_crawler.storage import Storage
from tests.exports.helpers import ORIGIN
from tests.helpers import run_cli


@pytest.fixture
def store(archive: Path) -> Storage:
    storage = Storage.open(archive, readonly=True)
    yield storage
    storage.close()


def urls(matches: list[dict[str, object]]) -> list[str]:
    return [str(m["url"]).removeprefix(ORIGIN).strip("/") for m in matches]


def test_unaccented_query_finds_accented_text_and_highlights_it(store: Storage) -> None:
    total, matches = store.search("cooperation", marks=("[", "]"))
    assert (
        total,
        urls(matches),
        matches[0]["title_highlighted"],
        "[coopération] bilatérale" in matches[0]["snippet"],
    ) == (
        1,
        ["cooperation-maroc-belgique"],
        "Le Maroc et la Belgique signent des accords de [coopération]",
        True,
    )


def test_words_are_anded_phrases_quoted_prefixes_and_or(store: Storage) -> None:
    assert (
        store.search("maroc belgique")[0],
        store.search("maroc japon")[0],
        store.search('"accord culturel"')[0],
        store.search('"culturel accord"')[0],
        store.search("coop*")[0],
        store.search("japon OR belgique")[0],
        store.search("الهجرة")[0],
    ) == (1, 0, 1, 0, 1, 1, 1)


def test_titles_rank_above_bodies(store: Storage) -> None:
    # "Migration" is in one title; "paragraphe" only in bodies.
    total, matches = store.search("migration OR paragraphe", limit=3)
    assert (total > 3, urls(matches)[0]) == (True, "script")


def test_search_filters(store: Storage) -> None:
    assert (
        set(urls(store.search("paragraphe", since="2016-01-01", until="2016-12-31")[1])),
        urls(store.search("paragraphe", languages=["en"])[1]),
        urls(store.search("paragraphe", sources=["Le Matin"])[1]),
        urls(store.search("paragraphe", categories=["/category/archives-du-ccme/activites/"])[1]),
    ) == (
        {"formule-plus", "formule-moins"},
        ["anglais"],
        ["formule-plus"],
        ["anglais", "formule-moins"],
    )


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "(",
        ")",
        "NEAR(a b)",
        "title:maroc",
        "^maroc",
        "a AND",
        "OR",
        "maroc OR",
        "-",
        "*",
        "'; DROP TABLE articles; --",
        "c++",
        "l'étranger",
        "NOT maroc",
        "{title body}: x",
    ],
)
def test_punctuation_and_fts_syntax_never_raise(store: Storage, query: str) -> None:
    total, matches = store.search(query)
    assert total == len(matches) or total > len(matches)


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(st.text(max_size=40))
def test_any_text_is_a_valid_query(store: Storage, query: str) -> None:
    total, _ = store.search(query)
    assert total >= 0


def test_cli_search_prints_highlighted_matches(archive: Path) -> None:
    result = run_cli("search", "cooperation", "--db", str(archive))
    assert (
        result.returncode,
        "1 matches" in result.stdout,
        "**coopération**" in result.stdout,
        f"{ORIGIN}/cooperation-maroc-belgique/" in result.stdout,
    ) == (0, True, True, True)


def test_cli_search_json_and_filters(archive: Path) -> None:
    result = run_cli("search", "paragraphe", "--db", str(archive), "--language", "en", "--json")
    data = json.loads(result.stdout)
    assert (result.returncode, data["total"], urls(data["matches"])) == (0, 1, ["anglais"])


def test_cli_search_bad_date_exits_2(archive: Path) -> None:
    result = run_cli("search", "maroc", "--db", str(archive), "--since", "hier")
    assert (result.returncode, "--since" in result.stderr) == (2, True)
