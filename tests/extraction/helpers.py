"""Helpers for the extraction unit tests: golden pages and small hand-made pages."""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent.parent / "golden" / "pages"
SEED_URL = (
    "https://www.ccme.org.ma/"
    "le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation/"
)


def golden_page(name: str) -> bytes:
    return (PAGES / f"{name}.html").read_bytes()


def smartmag_page(
    content: str,
    *,
    title: str = "Un titre",
    time: str = '<time class="post-date" datetime="2015-03-21T10:30:00+00:00">21 mars 2015</time>',
    lang: str = "fr-FR",
    head: str = "",
    sidebar: str = "",
) -> str:
    """A minimal page with the SmartMag single-post structure."""
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="UTF-8" />{head}</head>
<body class="single single-post postid-42">
<div class="the-post-header s-head-modern"><div class="post-meta">
<h1 class="is-title post-title">{title}</h1><div class="post-meta-items meta-below">
<span class="meta-item post-cat"><a href="https://www.ccme.org.ma/category/x/" class="category">Activités</a></span>
<span class="meta-item date">{time}</span></div></div></div>
<div class="the-post"><article id="post-42"><div class="post-content cf entry-content">{content}</div></article></div>
<aside class="main-sidebar">{sidebar}</aside></body></html>"""
