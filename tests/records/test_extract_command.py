"""`ccme-crawler extract` applies the crawl's content rules to a saved file."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

from .helpers import ARTICLE_URL, EMPTY_POST, PNG


def _extract(tmp_path: Path, body: bytes, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "page.html"
    path.write_bytes(body)
    result = run_cli("extract", str(path), *args)
    return result.returncode, result.stdout, result.stderr


def test_extract_refuses_a_binary_file_as_not_html(tmp_path: Path) -> None:
    code, stdout, stderr = _extract(tmp_path, PNG)
    assert (code, stdout, "not an article (not_html: body is a PNG image)" in stderr) == (
        1,
        "",
        True,
    )


def test_extract_refuses_a_page_without_content(tmp_path: Path) -> None:
    code, _, stderr = _extract(tmp_path, EMPTY_POST, "--url", ARTICLE_URL)
    assert (code, "no_content" in stderr) == (1, True)
