"""Datasette serves the archive with the metadata the crawler writes: search, facets, escaping."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from ccme_crawler.exports import export_articles
from ccme_crawler.metadata import write_datasette_metadata
from tests.exports.helpers import ORIGIN, SCRIPT_TITLE


def get(ds: Datasette, path: str) -> Any:
    async def fetch() -> Any:
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


@pytest.fixture
def served(archive: Path) -> Datasette:
    metadata = write_datasette_metadata(archive)
    return Datasette([str(archive)], metadata=json.loads(metadata.read_text(encoding="utf-8")))


def test_metadata_file_sits_beside_the_database(archive: Path) -> None:
    path = write_datasette_metadata(archive)
    data = json.loads(path.read_text(encoding="utf-8"))
    view = data["databases"]["ccme"]["tables"]["articles_view"]
    assert (path.name, path.parent, view["facets"], view["fts_table"], data["source_url"]) == (
        "metadata.json",
        archive.parent,
        ["category", "language", "source", "year", {"array": "countries"}],
        "articles_fts",
        "https://www.ccme.org.ma/",
    )


def test_metadata_keeps_other_databases_entries(archive: Path) -> None:
    path = archive.parent / "metadata.json"
    path.write_text(json.dumps({"databases": {"other": {"title": "Mine"}}}))
    data = json.loads(write_datasette_metadata(archive).read_text(encoding="utf-8"))
    assert (data["databases"]["other"], "ccme" in data["databases"]) == ({"title": "Mine"}, True)


def test_search_finds_accent_folded_words(served: Datasette) -> None:
    view = get(served, "/ccme/articles_view.json?_search=cooperation&_shape=objects").json()
    table = get(served, "/ccme/articles.json?_search=COOPERATION&_shape=objects").json()
    expected = [f"{ORIGIN}/cooperation-maroc-belgique/"]
    assert ([r["url"] for r in view["rows"]], [r["url"] for r in table["rows"]]) == (
        expected,
        expected,
    )


def test_facets_on_category_language_source_year_and_country(served: Datasette) -> None:
    data = get(served, "/ccme/articles_view.json").json()
    facets = {
        name: {item["value"]: item["count"] for item in facet["results"]}
        for name, facet in data["facet_results"].items()
    }
    assert (
        sorted(facets),
        facets["language"],
        facets["year"]["2016"],
        facets["source"]["MAP"],
        facets["category"]["Activités"],
        facets["countries"],
    ) == (
        ["category", "countries", "language", "source", "year"],
        {"fr": 7, "ar": 1, "en": 1},
        2,
        6,
        1,
        {"BE": 1},
    )


@pytest.mark.parametrize(
    "page", ["/ccme/articles_view", "/ccme/articles", "/ccme/articles_view?_search=migration"]
)
def test_script_in_a_title_is_escaped_in_html(served: Datasette, page: str) -> None:
    response = get(served, page)
    assert (
        response.status_code,
        "<script>alert('xss')" in response.text,
        "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in response.text,
    ) == (200, False, True)


def test_row_page_escapes_script(served: Datasette) -> None:
    data = get(served, "/ccme/articles.json?_shape=objects&url__contains=/script/").json()
    assert data["rows"][0]["title"] == SCRIPT_TITLE
    page = get(served, "/ccme/articles?url__contains=/script/&_size=1")
    assert ("<script>alert" in page.text, "javascript:alert(1)" in page.text) == (False, True)
    assert 'href="javascript:' not in page.text


def test_a_search_with_fts_syntax_does_not_fail(served: Datasette) -> None:
    response = get(served, "/ccme/articles_view?_search=%22(unbalanced%20NEAR%20-")
    assert response.status_code == 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.integration
def test_datasette_serves_an_export_folder_out_of_the_box(tmp_path: Path, archive: Path) -> None:
    """`datasette FOLDER` (configuration-directory mode) picks up the metadata by itself."""
    folder = tmp_path / "export"
    export_articles(archive, "sqlite", folder)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(folder),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/articles/articles_view.json?_search=cooperation&_shape=objects"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    data = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert ([r["url"] for r in data["rows"]], sorted(data["facet_results"]), data["source"]) == (
        [f"{ORIGIN}/cooperation-maroc-belgique/"],
        ["category", "countries", "language", "source", "year"],
        "Conseil de la communauté marocaine à l'étranger (CCME)",
    )
