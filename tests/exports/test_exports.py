"""Exports on real SQLite archives: every file matches its manifest, filters, safety."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from ccme_crawler.exports import (
    FORMULA_TRIGGERS,
    ArticleFilters,
    ExportError,
    ExportUsageError,
    check_file_name,
    export_articles,
    verify_export,
)
from tests.exports.helpers import ACTIVITES, ORIGIN, SCRIPT_TITLE, SPECS
from tests.helpers import run_cli

FORMATS = ["csv", "jsonl", "parquet", "sqlite"]


def read_rows(path: Path, fmt: str) -> list[dict[str, Any]]:
    """The rows of an export, read back with ordinary readers of each format."""
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM articles")]
    finally:
        conn.close()


def slugs(rows: list[dict[str, Any]]) -> set[str]:
    return {r["url"].removeprefix(ORIGIN).strip("/") for r in rows}


@pytest.mark.parametrize("fmt", FORMATS)
def test_rows_and_checksums_match_the_manifest(tmp_path: Path, archive: Path, fmt: str) -> None:
    out = tmp_path / "out"
    result = export_articles(archive, fmt, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    data = manifest["files"][0]
    rows = read_rows(out / data["path"], fmt)
    checksums = {f["path"]: (f["sha256"], f["bytes"]) for f in manifest["files"]}
    actual = {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size)
        for p in out.iterdir()
        if p.name != "manifest.json"
    }
    assert (
        len(rows),
        data["rows"],
        manifest["counts"]["articles"],
        checksums,
        verify_export(out / "manifest.json"),
        manifest == result.manifest,
    ) == (len(SPECS), len(SPECS), len(SPECS), actual, [], True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_cites_source_runs_and_versions(tmp_path: Path, archive: Path, fmt: str) -> None:
    manifest = export_articles(archive, fmt, tmp_path / "out").manifest
    assert {
        key: manifest[key]
        for key in ("source", "source_url", "license", "format", "extractor_version")
    } | {
        "runs": manifest["crawl_runs"]["ids"],
        "versions": manifest["crawl_runs"]["software_versions"],
        "first": manifest["published"]["first"],
        "title": bool(manifest["title"] and manifest["description"] and manifest["license_url"]),
    } == {
        "source": "Conseil de la communauté marocaine à l'étranger (CCME)",
        "source_url": "https://www.ccme.org.ma/",
        "license": manifest["license"],
        "format": fmt,
        "extractor_version": manifest["extractor_version"],
        "runs": [1, 2],
        "versions": ["0.0.9", "0.1.0"],
        "first": "2014-02-19T09:00:00+00:00",
        "title": True,
    }
    assert manifest["license"] and manifest["extractor_version"] and manifest["generated_at"]


def test_verify_notices_a_changed_file(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "csv", out)
    data = out / "articles.csv"
    data.write_bytes(data.read_bytes().replace(b"Maroc", b"Marok"))
    assert verify_export(out / "manifest.json") == [
        "articles.csv: SHA-256 differs from the manifest"
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"languages": ["ar"]}, {"arabe"}),
        ({"languages": ["fr", "en"], "since": "2018-01-01"}, {"anglais"}),
        ({"categories": [ACTIVITES]}, {"formule-moins", "anglais"}),
        ({"categories": [ORIGIN + ACTIVITES]}, {"formule-moins", "anglais"}),
        ({"categories": ["Activités"]}, {"formule-moins"}),
        (
            {"sources": ["map"]},
            {
                "cooperation-maroc-belgique",
                "script",
                "formule-egal",
                "formule-moins",
                "arabe",
                "sans-date",
            },
        ),
        ({"sources": ["Hespress English"]}, {"anglais"}),
        ({"since": "2016-01-01", "until": "2016-12-31"}, {"formule-plus", "formule-moins"}),
        (
            {"until": "2016-01-10"},
            {"cooperation-maroc-belgique", "script", "formule-egal", "formule-plus"},
        ),
        ({"languages": ["de"]}, set()),
    ],
)
@pytest.mark.parametrize("fmt", ["jsonl", "sqlite"])
def test_filters_pick_the_right_articles(
    tmp_path: Path, archive: Path, fmt: str, filters: dict[str, Any], expected: set[str]
) -> None:
    out = tmp_path / "out"
    result = export_articles(archive, fmt, out, ArticleFilters.parse(**filters))
    rows = read_rows(result.target.data_path, fmt)
    assert (slugs(rows), result.rows, result.manifest["filters"]) == (
        expected,
        len(expected),
        ArticleFilters.parse(**filters).as_manifest(),
    )


def test_sqlite_export_is_a_searchable_standalone_archive(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "sqlite", out, ArticleFilters.parse(sources=["MAP"]))
    db = out / "articles.sqlite"
    conn = sqlite3.connect(db)
    try:
        found = conn.execute(
            "SELECT a.url FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH 'cooperation'"
        ).fetchall()
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM crawl_runs), "
            "(SELECT count(*) FROM article_categories WHERE article_url NOT IN "
            "(SELECT url FROM articles)), (SELECT group_concat(name) FROM sources)"
        ).fetchone()
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    assert (found, counts, journal, sorted(p.name for p in out.iterdir())) == (
        [(f"{ORIGIN}/cooperation-maroc-belgique/",)],
        (1, 2, 0, "MAP"),
        "delete",
        ["articles.sqlite", "manifest.json", "metadata.json"],
    )


def test_csv_neutralizes_formulas_and_keeps_text(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "csv", out)
    raw = (out / "articles.csv").read_bytes()
    rows = read_rows(out / "articles.csv", "csv")
    titles = {r["url"].removeprefix(ORIGIN).strip("/"): r["title"] for r in rows}
    every_cell = [cell for r in rows for cell in r.values()]
    assert (
        raw[:3] != b"\xef\xbb\xbf",
        titles["formule-egal"],
        titles["formule-plus"],
        titles["formule-moins"],
        titles["formule-at"],
        titles["script"],
        titles["arabe"],
        [c for c in every_cell if c.startswith(FORMULA_TRIGGERS)],
    ) == (
        True,
        '\'=HYPERLINK("http://evil.example","clic")',
        "'+33 612 Marocains",
        "'-1 et @SUM(A1)",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        SCRIPT_TITLE,
        "الجالية المغربية بالخارج",
        [],
    )


def test_script_stays_text_in_jsonl(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "jsonl", out)
    text = (out / "articles.jsonl").read_text(encoding="utf-8")
    row = next(r for r in read_rows(out / "articles.jsonl", "jsonl") if "script" in r["url"])
    assert (
        row["title"],
        row["body"],
        SCRIPT_TITLE in text.replace('\\"', '"'),
        row["categories"],
    ) == (
        SCRIPT_TITLE,
        "<b>gras</b> & <i>x</i>",
        True,
        ["/category/archives-du-ccme/medias-et-migration/"],
    )


def test_parquet_types(tmp_path: Path, archive: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    export_articles(archive, "parquet", out)
    schema = pq.read_schema(out / "articles.parquet")
    categories = schema.field("categories").type
    assert (str(schema.field("word_count").type), str(categories.value_type)) == ("int64", "string")


def test_parquet_without_pyarrow_is_a_clear_error(
    tmp_path: Path, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ExportError, match=r"ccme-crawler\[parquet\]"):
        export_articles(archive, "parquet", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_reexport_replaces_and_leaves_no_temporary_files(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "jsonl", out)
    second = export_articles(archive, "jsonl", out, ArticleFilters.parse(languages=["en"]))
    assert (
        sorted(p.name for p in out.iterdir()),
        len(read_rows(out / "articles.jsonl", "jsonl")),
        second.rows,
        verify_export(out / "manifest.json"),
    ) == (["articles.jsonl", "manifest.json"], 1, 1, [])


def test_output_may_name_the_data_file(tmp_path: Path, archive: Path) -> None:
    result = export_articles(archive, "csv", tmp_path / "out" / "ccme-2026.csv")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ccme-2026.csv",
        "manifest.json",
    ]
    assert result.manifest["files"][0]["path"] == "ccme-2026.csv"


# --- nothing is written outside the chosen folder ---


@pytest.mark.parametrize(
    "name", ["", ".", "..", "../x.csv", "a/b.csv", "a\\b.csv", ".hidden.csv", "x\x00.csv"]
)
def test_file_names_with_a_folder_part_are_refused(name: str) -> None:
    with pytest.raises(ExportUsageError):
        check_file_name(name)


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "elsewhere" / "victim.csv"
    outside.parent.mkdir()
    outside.write_text("precious")
    (out / "articles.csv").symlink_to(outside)
    with pytest.raises(ExportUsageError, match="outside"):
        export_articles(archive, "csv", out)
    assert (outside.read_text(), sorted(p.name for p in out.iterdir())) == (
        "precious",
        ["articles.csv"],
    )


def test_a_manifest_symlink_out_of_the_folder_is_refused(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "manifest-target.json"
    (out / "manifest.json").symlink_to(outside)
    with pytest.raises(ExportUsageError, match="outside"):
        export_articles(archive, "csv", out)
    assert (outside.exists(), sorted(p.name for p in out.iterdir())) == (False, ["manifest.json"])


def test_another_export_in_the_folder_is_not_overwritten(tmp_path: Path, archive: Path) -> None:
    out = tmp_path / "out"
    export_articles(archive, "csv", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(ExportUsageError, match="another export"):
        export_articles(archive, "jsonl", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_output_that_is_a_file_is_refused(tmp_path: Path, archive: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    with pytest.raises(ExportUsageError, match="is a file"):
        export_articles(archive, "csv", target)
    assert target.read_text() == "mine"


# --- the command line ---


def test_cli_export_writes_and_reports(tmp_path: Path, archive: Path) -> None:
    result = run_cli(
        "export", "--db", str(archive), "--format", "jsonl", "--language", "ar", "--json"
    )
    manifest = json.loads(result.stdout)
    folder = archive.parent / "exports" / "jsonl"
    assert (
        result.returncode,
        manifest["counts"]["articles"],
        verify_export(folder / "manifest.json"),
    ) == (
        0,
        1,
        [],
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "xlsx"], "--format"),
        (["--format", "csv", "--since", "19/02/2014"], "--since"),
        (["--format", "csv", "--until", "2014-02-30"], "--until"),
        (["--format", "csv", "--since", "2015-01-01", "--until", "2014-01-01"], "after"),
        (["--format", "csv", "--category", "/tag/foo/"], "--category"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(
    tmp_path: Path, archive: Path, args: list[str], needle: str
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli("export", "--db", str(archive), "-o", str(tmp_path / "out"), *args)
    assert (
        result.returncode,
        needle in result.stderr,
        sorted(p.name for p in tmp_path.iterdir()),
    ) == (
        2,
        True,
        before,
    )


def test_cli_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("export", "--db", str(tmp_path / "nope.sqlite"), "--format", "csv")
    assert (result.returncode, "no such database" in result.stderr, list(tmp_path.iterdir())) == (
        1,
        True,
        [],
    )
