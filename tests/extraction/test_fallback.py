"""The fallback extractor never fails silently: a failure is an ExtractionError, not an empty body.

A missing dependency is made real in a child interpreter: ``sys.modules[name] = None`` is how
Python itself marks a module that cannot be imported, so ``import lxml_html_clean`` (which
trafilatura's justext needs through ``lxml.html.clean``) raises ImportError there exactly as on
a machine where the package is not installed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from ccme_crawler.extraction import fallback_problem

from .conftest import PAGES

K2_PAGE = PAGES / "060-k2-fr.html"
K2_URL = (
    "https://ccme.org.ma/fr/medias-et-migration/vote-des-marocains-residant-a-l-etranger-loi-inique"
)

_WITHOUT_HTML_CLEAN = """
import json, sys
sys.modules["lxml_html_clean"] = None  # as if the package were not installed
from ccme_crawler.extraction import ExtractionError, extract_article, fallback_problem
html = open(sys.argv[1], "rb").read()
try:
    article = extract_article(html, sys.argv[2])
    print(json.dumps({"raised": False, "body": article.body}))
except ExtractionError as error:
    print(json.dumps({"raised": True, "reason": error.reason, "detail": error.detail,
                      "url": error.url, "problem": fallback_problem()}))
"""


def _run_without_html_clean(page: Path, url: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_HTML_CLEAN, str(page), url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def without_html_clean() -> dict[str, object]:
    return _run_without_html_clean(K2_PAGE, K2_URL)


def test_missing_dependency_raises_instead_of_an_empty_body(
    without_html_clean: dict[str, object],
) -> None:
    assert without_html_clean["raised"] is True


def test_missing_dependency_reason(without_html_clean: dict[str, object]) -> None:
    assert without_html_clean["reason"] == "fallback_failed"


def test_missing_dependency_detail_names_the_import_error(
    without_html_clean: dict[str, object],
) -> None:
    assert "ImportError" in str(without_html_clean["detail"])


def test_missing_dependency_error_carries_the_url(without_html_clean: dict[str, object]) -> None:
    assert without_html_clean["url"] == K2_URL


def test_fallback_problem_names_the_missing_dependency(
    without_html_clean: dict[str, object],
) -> None:
    assert "ImportError" in str(without_html_clean["problem"])


def test_template_pages_do_not_need_the_fallback() -> None:
    result = _run_without_html_clean(PAGES / "000-seed.html", "https://www.ccme.org.ma/x/")
    assert result["raised"] is False


def test_fallback_problem_is_none_when_installed() -> None:
    assert fallback_problem() is None


def test_html_clean_is_installed_as_a_declared_dependency() -> None:
    requirements = metadata.requires("ccme-crawler") or []
    assert any(r.replace(" ", "").startswith("lxml[html_clean]") for r in requirements)
