"""What a page's navigation links: a menu entry's sub-entries, the Polylang language switcher,
author archives. Pure functions, HTML in, values out (``doctor`` reads the site through them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

from parsel import Selector

from ccme_crawler.items import MenuLink, SwitcherEntry
from ccme_crawler.urls import absolute

_AUTHOR_PATH = re.compile(r"^(?:/[a-z]{2})?/author/[^/]+/?$")


def _fold(text: str) -> str:
    bare = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(bare.casefold().split())


def _text(sel: Selector) -> str:
    return " ".join(" ".join(sel.css("::text").getall()).replace("\u00a0", " ").split())


def menu_entry(html: str, url: str, labels: Iterable[str]) -> MenuLink | None:
    """The first menu entry (``ul.menu``, ``ul.mobile-menu``) labelled one of ``labels`` (case,
    accents and spacing aside), with its sub-menu's links; None when no menu has it."""
    wanted = {_fold(label) for label in labels}
    sel = Selector(text=html or "<html></html>")
    menus = sel.xpath(
        "//ul[contains(concat(' ', normalize-space(@class), ' '), ' menu ')"
        " or contains(concat(' ', normalize-space(@class), ' '), ' mobile-menu ')]"
    )
    for menu in menus:
        for item in menu.xpath("./li"):
            link = item.xpath("./a")
            if not link or _fold(_text(link[0])) not in wanted:
                continue
            children = [
                MenuLink(_text(a), absolute(url, a.attrib["href"]), [])
                for a in item.xpath("./ul/li/a[@href]")
                if not a.attrib["href"].startswith("#")
            ]
            href = link[0].attrib.get("href") or ""
            return MenuLink(_text(link[0]), absolute(url, href) if href else None, children)
    return None


def language_switcher(html: str, url: str) -> list[SwitcherEntry]:
    """The Polylang switcher's links, once per language: a translation of the page, or (class
    ``no-translation``) the language's home."""
    sel = Selector(text=html or "<html></html>")
    found: dict[str, SwitcherEntry] = {}
    for item in sel.css("li.lang-item"):
        classes = (item.attrib.get("class") or "").split()
        link = item.xpath("./a[@href]")
        if not link or "current-lang" in classes:
            continue
        code = (link[0].attrib.get("hreflang") or link[0].attrib.get("lang") or "")[:2].lower()
        if not code:
            code = next((c[10:] for c in classes if re.fullmatch(r"lang-item-[a-z]{2}", c)), "")
        if code and code not in found:
            found[code] = SwitcherEntry(
                code, absolute(url, link[0].attrib["href"]), "no-translation" not in classes
            )
    return list(found.values())


def author_archive_links(html: str, url: str) -> list[str]:
    """Links to author archives: ``a[rel=author]`` and JSON-LD ``Person`` urls, once each."""
    sel = Selector(text=html or "<html></html>")
    hrefs = sel.xpath("//a[contains(concat(' ', @rel, ' '), ' author ')]/@href").getall()
    for script in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script)
        except ValueError:
            continue
        nodes = data.get("@graph", [data]) if isinstance(data, dict) else data
        for node in nodes if isinstance(nodes, list) else []:
            kind = node.get("@type") if isinstance(node, dict) else None
            if (kind == "Person" or (isinstance(kind, list) and "Person" in kind)) and isinstance(
                node.get("url"), str
            ):
                hrefs.append(node["url"])
    found: list[str] = []
    for href in hrefs:
        link = absolute(url, href)
        path = re.sub(r"^[a-z]+://[^/]+", "", link)
        if _AUTHOR_PATH.match(path) and link not in found:
            found.append(link)
    return found
