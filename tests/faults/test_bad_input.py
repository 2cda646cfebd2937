"""Bad command-line input: one `Error:` line naming the problem, exit 2, nothing created.

Each case went through to Scrapy before (a traceback, exit 1, a database and a lock file left
behind, or a crawl that hangs and ignores SIGTERM); now it stops before anything is written.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer
from tests.conftest import REFERENCE_SITE, crawl, rows, run_cli

pytestmark = pytest.mark.integration

LONG_NAME = "x" * 300


def _refused(result: subprocess.CompletedProcess[str], needle: str) -> tuple[int, bool, bool]:
    """(exit status, one `Error:` line holding ``needle``, no traceback)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    return (
        result.returncode,
        len(errors) == 1 and needle in errors[0],
        "Traceback" not in result.stderr,
    )


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


CRAWL_CASES = [
    # item 18: paths and URLs
    (["--base-url", "http://127.0.0.1:99999"], "bad port"),
    (["--base-url", "http://127.0.0.1:abc"], "bad port"),
    (["--base-url", "http://127.0.0.1:0"], "bad port"),
    (["--base-url", "http://archivist:s3cret@127.0.0.1:9"], "user name or password"),
    (["--log-file", "{tmp}/missing/crawl.log"], "does not exist"),
    (["--log-file", "{tmp}"], "is a folder"),
    (["--warc", "{tmp}/a-file/warc"], "is a file, not a folder"),
    (["--warc", "{tmp}/" + LONG_NAME], "too long"),
    (["--db", "{tmp}/" + LONG_NAME + ".sqlite"], "too long"),
    # item 19: settings Scrapy would choke on
    (["-s", "RETRY_HTTP_CODES=abc"], "RETRY_HTTP_CODES"),
    (["-s", "RETRY_HTTP_CODES=500,9999"], "RETRY_HTTP_CODES"),
    (["-s", "ITEM_PIPELINES=x"], "ITEM_PIPELINES"),
    (["-s", 'ITEM_PIPELINES={"no.such.Pipeline": 100}'], "no.such.Pipeline"),
    (["-s", "LOG_LEVEL=NOPE"], "LOG_LEVEL"),
    (["-s", "TWISTED_REACTOR=x"], "TWISTED_REACTOR"),
    (["-s", "TWISTED_REACTOR=twisted.internet.reactor"], "TWISTED_REACTOR"),
    (["-s", "DOWNLOAD_TIMEOUT=-1"], "DOWNLOAD_TIMEOUT"),
    (["-s", "CONCURRENT_REQUESTS=0"], "CONCURRENT_REQUESTS"),
    (["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"], "CONCURRENT_REQUESTS_PER_DOMAIN"),
    (["-s", "CCME_MODE=weird"], "CCME_MODE"),
    (["-s", "ROBOTSTXT_OBEY=maybe"], "ROBOTSTXT_OBEY"),
    (["-s", "CCME_FAILURE_THRESHOLD=2"], "CCME_FAILURE_THRESHOLD"),
    (["-s", "CCME_LOCK_HELD=1"], "CCME_LOCK_HELD"),
    # settings that have an option are checked as that option
    (["-s", "CCME_BASE_URL=http://u:p@127.0.0.1:9"], "user name or password"),
    (["-s", "CCME_SINCE=2024-13-99"], "no such date"),
    (["-s", "LOG_FILE={tmp}/missing/crawl.log"], "does not exist"),
    # item 14: one date type
    (["--since", "2024-13-99"], "no such date"),
    (["--since", "２０２４-０１-０１"], "expected a date"),
    (["--since", "٢٠٢٤-٠١-٠١"], "expected a date"),
    (["--recheck", "--recheck-since", "2024-02-30"], "no such date"),
    # minor: --sample crawls its own site
    (["--sample", "--base-url", "http://127.0.0.1:9"], "--sample"),
]


@pytest.mark.parametrize(
    ("args", "needle"), CRAWL_CASES, ids=[" ".join(a)[:60] for a, _ in CRAWL_CASES]
)
def test_bad_crawl_input_is_one_line_exit_2_and_creates_nothing(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    before = _files(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    base = (
        [] if "--base-url" in args or "--sample" in args else ["--base-url", "http://127.0.0.1:9"]
    )
    db = [] if "--db" in args else ["--db", str(tmp_path / "ccme.sqlite")]
    result = run_cli("crawl", *db, *base, "--no-progress", *args, timeout=60)
    assert (*_refused(result, needle), _files(tmp_path)) == (2, True, True, before)


def test_credentials_never_reach_the_database(tmp_path: Path, sample_server: MirrorServer) -> None:
    db = tmp_path / "ccme.sqlite"
    crawl(db, sample_server)
    before = db.read_bytes()
    url = sample_server.base_url.replace("http://", "http://archivist:s3cret@")
    result = run_cli("crawl", "--db", str(db), "--base-url", url, "--no-progress", timeout=60)
    stored = json.dumps(rows(db, "SELECT * FROM crawl_runs"))
    assert (result.returncode, "s3cret" in stored, "s3cret" in result.stderr, db.read_bytes()) == (
        2,
        False,
        False,
        before,
    )


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: (p / "warc").mkdir(), "no .warc.gz files"),
        (lambda p: (p / "warc").write_text("a file"), "is a file"),
    ],
    ids=["empty-folder", "a-file"],
)
def test_package_without_warc_files_is_refused(tmp_path: Path, make, needle: str) -> None:  # type: ignore[no-untyped-def]
    make(tmp_path)
    before = _files(tmp_path)
    result = run_cli(
        "package", "--db", str(tmp_path / "ccme.sqlite"), "--warc", str(tmp_path / "warc"),
        "-o", str(tmp_path / "out.wacz"),
    )  # fmt: skip
    assert (*_refused(result, needle), _files(tmp_path)) == (2, True, True, before)


def test_extract_still_reads_a_saved_page() -> None:
    result = run_cli("extract", str(REFERENCE_SITE / "article-fr.html"))
    assert (result.returncode, json.loads(result.stdout)["language"]) == (0, "fr")


def test_a_query_starting_with_a_dash_goes_after_double_dash(
    tmp_path: Path, sample_server: MirrorServer
) -> None:
    db = tmp_path / "ccme.sqlite"
    crawl(db, sample_server)
    parsed_as_option = run_cli("search", "-maroc", "--db", str(db))
    after_dashes = run_cli("search", "--db", str(db), "--json", "--", "-maroc")
    assert (
        *_refused(parsed_as_option, "goes after '--'"),
        after_dashes.returncode,
        json.loads(after_dashes.stdout)["query"],
        "--" in run_cli("search", "--help").stdout,
    ) == (2, True, True, 0, "-maroc", True)


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("search", ["maroc", "--since", "２０２４-０１-０１"]),
        ("search", ["maroc", "--until", "2024-13-99"]),
        ("export", ["--format", "csv", "--since", "2024-02-30"]),
    ],
)
def test_search_and_export_take_the_same_dates_as_crawl(
    tmp_path: Path, command: str, args: list[str]
) -> None:
    db = tmp_path / "ccme.sqlite"
    result = run_cli(command, "--db", str(db), *args)
    assert (*_refused(result, "date"), _files(tmp_path)) == (2, True, True, [])
