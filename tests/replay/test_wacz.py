"""`ccme-crawler package` builds a WACZ that the `wacz` tool validates, listing the articles as
pages and indexing their requisites."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ccme_mirror.assets import has_photo, photo_paths
from tests.helpers import rows, run_cli
from tests.replay.conftest import ArchivedCrawl

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def wacz_file(archived_crawl: ArchivedCrawl) -> Path:
    output = archived_crawl.folder / "ccme.wacz"
    if not output.exists():
        result = run_cli(
            "package",
            "--db",
            str(archived_crawl.db),
            "--warc",
            str(archived_crawl.warc_dir),
            "-o",
            str(output),
        )
        assert result.returncode == 0, result.stderr
    return output


def test_wacz_tool_validates_the_package(wacz_file: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "wacz"), "validate", "-f", str(wacz_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, "Validation succeeded" in result.stdout) == (0, True), (
        result.stdout + result.stderr
    )


def test_pages_list_every_article_as_captured(
    archived_crawl: ArchivedCrawl, wacz_file: Path
) -> None:
    with zipfile.ZipFile(wacz_file) as wacz:
        lines = wacz.read("pages/pages.jsonl").decode().splitlines()
    pages = {json.loads(line)["url"] for line in lines[1:]}
    articles = {r["final_url"] for r in rows(archived_crawl.db, "SELECT final_url FROM articles")}
    assert (json.loads(lines[0])["format"], pages) == ("json-pages-1.0", articles)


def test_index_holds_the_requisites_of_the_articles(
    archived_crawl: ArchivedCrawl, wacz_file: Path
) -> None:
    with zipfile.ZipFile(wacz_file) as wacz:
        index = wacz.read("indexes/index.cdxj").decode().splitlines()
    indexed = {json.loads(line.split(" ", 2)[2])["url"] for line in index}
    photos = {
        archived_crawl.base_url + path
        for article in archived_crawl.site.expected_articles()
        if has_photo(article)
        for path in photo_paths(article)[1:] + photo_paths(article, second=True)[1:]
    }
    theme = {
        f"{archived_crawl.base_url}/wp-content/themes/smart-mag/style.css?ver=10.2.1",
        f"{archived_crawl.base_url}/wp-content/themes/smart-mag/css/skin-ccme.css?ver=10.2.1",
        f"{archived_crawl.base_url}/wp-content/themes/smart-mag/fonts/ts-icons.woff2?ver=10.2.1",
        f"{archived_crawl.base_url}/wp-content/uploads/2023/10/logo-ccme.png",
    }
    assert (photos | theme) - indexed == set()
