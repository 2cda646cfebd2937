"""is_soft_404: WordPress "not found" pages served with status 200."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction import is_soft_404


def test_article_is_not_soft_404(seed_html: bytes) -> None:
    assert is_soft_404(seed_html) is False


def test_error404_body_class() -> None:
    assert is_soft_404('<html><body class="error404"><p>Rien</p></body></html>') is True


@pytest.mark.parametrize("heading", ["Page not found", "Page introuvable", "الصفحة غير موجودة"])
def test_not_found_template(heading: str) -> None:
    html = f'<html><body><h1 class="page-title">{heading}</h1><p>Menu</p></body></html>'
    assert is_soft_404(html) is True


@pytest.mark.parametrize("html", ["", "   \n", b"", "<html><body>  </body></html>"])
def test_empty_page(html: str | bytes) -> None:
    assert is_soft_404(html) is True


def test_page_with_text_is_not_soft_404() -> None:
    assert is_soft_404("<html><body><p>Bonjour</p></body></html>") is False
