"""Exports and search on a real crawl of the bundled sample site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccme_crawler.exports import verify_export
from ccme_mirror import MirrorServer
from tests.helpers import crawl, rows, run_cli

SEED_URL = (
    "https://www.ccme.org.ma/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-"
    "de-cooperation/"
)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, sample_server: MirrorServer) -> Path:
    db = tmp_path_factory.mktemp("sample") / "ccme.sqlite"
    summary = crawl(db, sample_server)
    assert summary["returncode"] == 0, summary["stderr"][-2000:]
    return db


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "sqlite"])
def test_every_format_of_a_crawl_matches_its_manifest(
    tmp_path: Path, crawled: Path, fmt: str
) -> None:
    out = tmp_path / fmt
    result = run_cli("export", "--db", str(crawled), "--format", fmt, "-o", str(out), "--json")
    manifest = json.loads(result.stdout)
    total = rows(crawled, "SELECT count(*) AS n FROM articles")[0]["n"]
    run_ids = [r["id"] for r in rows(crawled, "SELECT id FROM crawl_runs ORDER BY id")]
    assert (
        result.returncode,
        manifest["counts"]["articles"],
        manifest["crawl_runs"]["ids"],
        verify_export(out / "manifest.json"),
    ) == (0, total, run_ids, [])


def test_search_a_crawl_folds_accents(crawled: Path) -> None:
    result = run_cli("search", "cooperation belgique", "--db", str(crawled))
    assert (result.returncode, SEED_URL in result.stdout, "**coopération**" in result.stdout) == (
        0,
        True,
        True,
    )
