"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ccme_crawler.cli import main
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.faults import delay
from tests.helpers import ARCHIVE_PATHS, FAST_SETTINGS, REFERENCE_SITE, ROOT, crawl, rows, run_cli

SEED_URL = (
    "https://www.ccme.org.ma/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-"
    "de-cooperation/"
)


def test_docs_list_every_command() -> None:
    documented = set(
        re.findall(r"^## `ccme-crawler ([a-z-]+)", (ROOT / "docs/cli.md").read_text(), re.M)
    )
    assert documented == set(main.commands)


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert (result.returncode, "Usage:" in result.stdout) == (0, True)


def test_version() -> None:
    result = run_cli("--version")
    assert re.search(r"ccme-crawler, version \d+\.\d+", result.stdout)


def test_extract_prints_the_seed_record() -> None:
    result = run_cli("extract", str(REFERENCE_SITE / "article-fr.html"))
    record = json.loads(result.stdout)
    assert (
        record["url"],
        record["title"],
        record["published_at"][:10],
        record["language"],
        record["category"],
        record["source"],
        record["source_date"],
        record["body"].endswith("remonte à 1965."),
    ) == (
        SEED_URL,
        "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération",
        "2014-02-19",
        "fr",
        "Médias et migration",
        "MAP",
        "2014-02-18",
        True,
    )


def test_extract_uses_the_url_given(tmp_path: Path) -> None:
    result = run_cli(
        "extract", str(REFERENCE_SITE / "article-fr.html"), "--url", SEED_URL + "?amp=1#top"
    )
    assert json.loads(result.stdout)["url"] == SEED_URL


def test_extract_refuses_a_listing_page_clearly() -> None:
    result = run_cli("extract", str(REFERENCE_SITE / "category-fr.html"))
    assert result.returncode != 0 or json.loads(result.stdout)["extraction_method"] != "template"


def test_stats_reports_the_crawl(tmp_path: Path, sample_server: MirrorServer) -> None:
    db = tmp_path / "ccme.sqlite"
    crawl(db, sample_server)
    result = run_cli("stats", "--db", str(db), "--json")
    data = json.loads(result.stdout)
    total = rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert (data["articles"], sum(r["articles"] for r in data["by_language"])) == (total, total)


def test_stats_on_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("stats", "--db", str(tmp_path / "nope.sqlite"))
    assert (result.returncode, "no such database" in result.stderr) == (1, True)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--category", "/tag/foo/"], "--category"),
        (["--since", "19/02/2014"], "--since"),
        (["--base-url", "ftp://example"], "--base-url"),
        (["-s", "DOWNLOAD_DELAY=soon"], "DOWNLOAD_DELAY"),
        (["-s", "nonsense"], "NAME=VALUE"),
    ],
)
def test_bad_crawl_input_exits_2_and_writes_nothing(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    db = tmp_path / "ccme.sqlite"
    result = run_cli("crawl", "--db", str(db), "--base-url", "http://127.0.0.1:9", *args)
    if args[0] == "--base-url":
        result = run_cli("crawl", "--db", str(db), *args)
    assert (result.returncode, needle in result.stderr, list(tmp_path.iterdir())) == (2, True, [])


def test_crawl_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "ccme.sqlite"
    db.write_text("not a database")
    result = run_cli("crawl", "--db", str(db), "--base-url", "http://127.0.0.1:9")
    assert (result.returncode, "not an SQLite database" in result.stderr, db.read_text()) == (
        1,
        True,
        "not a database",
    )


def test_crawl_prints_a_readable_summary(tmp_path: Path, sample_server: MirrorServer) -> None:
    result = run_cli(
        "crawl",
        "--db",
        str(tmp_path / "c.sqlite"),
        "--base-url",
        sample_server.base_url,
        *FAST_SETTINGS,
    )
    assert (
        result.returncode,
        "articles new" in result.stdout,
        "pages fetched" in result.stdout,
    ) == (
        0,
        True,
        True,
    )


@pytest.mark.integration
def test_scrapy_crawl_archive_works_in_the_project(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    db = tmp_path / "scrapy.sqlite"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "archive",
            "-s",
            f"CCME_BASE_URL={sample_server.base_url}",
            "-s",
            f"CCME_DB_PATH={db}",
            *FAST_SETTINGS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    count = rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] if db.exists() else 0
    expected = {
        a.url
        for a in sample_server.site.expected_articles()
        if {c.path for c in a.categories} & set(ARCHIVE_PATHS)
    }
    assert (result.returncode, count) == (0, len(expected)), result.stderr[-3000:]


def test_scrapy_check_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "check", "archive"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_progress_line_shows_on_a_terminal(tmp_path: Path) -> None:
    with MirrorServer(sample_site()) as server:
        server.set_fault("/", delay(0.1))
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ccme_crawler",
                "crawl",
                "--db",
                str(tmp_path / "p.sqlite"),
                "--base-url",
                server.base_url,
                *FAST_SETTINGS,
                "-s",
                "CONCURRENT_REQUESTS=2",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
        os.close(master)
    assert "[ccme]" in b"".join(chunks).decode(errors="replace")


def test_no_progress_line_when_not_on_a_terminal(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    result = run_cli(
        "crawl",
        "--db",
        str(tmp_path / "q.sqlite"),
        "--base-url",
        sample_server.base_url,
        *FAST_SETTINGS,
    )
    assert (result.returncode, "[ccme]" in result.stderr, result.stderr.strip()) == (0, False, "")


def test_sample_crawl_covers_the_three_languages(tmp_path: Path) -> None:
    db = tmp_path / "sample.sqlite"
    result = run_cli("crawl", "--sample", "--db", str(db), "--json")
    languages = {r["language"] for r in rows(db, "SELECT DISTINCT language FROM articles")}
    total = rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert (result.returncode, languages, total) == (
        0,
        {"fr", "ar", "en"},
        len(sample_site().expected_articles()),
    )
