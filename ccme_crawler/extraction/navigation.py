"""What a page links to the site's listings: its menus, the Polylang language switcher, the
``hreflang`` alternates in its head and its author links. Pure functions, HTML in, values out.

Discovery (``ccme_crawler.discovery``) turns these links into listings; nothing here decides
which of them a crawl walks.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from parsel import Selector

from ccme_crawler.items import LanguageLink, MenuEntry
from ccme_crawler.urls import absolute, listing_kind, listing_path

# Menus as WordPress prints them: the theme's navigation bars (`ul.menu`), the off-canvas
# mobile menu (`ul.mobile-menu`) and menu widgets. Only outermost lists: sub-menus are read
# through their parent item.
_MENU_ROOTS = (
    "//ul[(contains(concat(' ', normalize-space(@class), ' '), ' menu ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' mobile-menu '))"
    " and not(ancestor::ul[contains(concat(' ', normalize-space(@class), ' '), ' menu ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' mobile-menu ')])]"
)
_SUB_MENU_ITEMS = "./ul[contains(concat(' ', normalize-space(@class), ' '), ' sub-menu ')]/li"
# Polylang's switcher, whether a menu item ("pll-parent-menu-item") or the widget's list.
_SWITCHER_CLASSES = frozenset({"lang-item", "pll-parent-menu-item"})
_LANG_CLASS = re.compile(r"^lang-item-([a-z]{2})$")


def _fold(text: str) -> str:
    """Case, accents and spacing folded away: "ARCHIVES  du  ccme" matches "Archives du CCME"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def labels_match(label: str | None, wanted: str) -> bool:
    """True when a menu label is ``wanted`` up to case, accents and whitespace."""
    return label is not None and _fold(label) == _fold(wanted)


def _text(selector: Selector) -> str:
    return " ".join(" ".join(selector.css("::text").getall()).replace("\u00a0", " ").split())


def _classes(selector: Selector) -> set[str]:
    return set((selector.attrib.get("class") or "").split())


def _menu_entry(item: Selector, base_url: str) -> MenuEntry | None:
    if _classes(item) & _SWITCHER_CLASSES:
        return None
    link = item.xpath("./a")
    if not link:
        return None
    href = (link[0].attrib.get("href") or "").strip()
    url = absolute(base_url, href) if href and not href.startswith("#") else None
    children = [
        entry
        for child in item.xpath(_SUB_MENU_ITEMS)
        if (entry := _menu_entry(child, base_url)) is not None
    ]
    return MenuEntry(url=url, label=_text(link[0]), children=children)


def menus(html: str, url: str) -> list[list[MenuEntry]]:
    """Every menu of the page (header, mobile, off-canvas widget…), each as its top-level entries
    with their sub-menus, in page order. The language switcher is left out."""
    sel = Selector(text=html or "<html></html>")
    found = []
    for root in sel.xpath(_MENU_ROOTS):
        entries = [e for li in root.xpath("./li") if (e := _menu_entry(li, url)) is not None]
        if entries:
            found.append(entries)
    return found


def walk_entries(entries: Iterable[MenuEntry]) -> Iterator[MenuEntry]:
    """Every entry of a menu tree, depth first."""
    for entry in entries:
        yield entry
        yield from walk_entries(entry.children)


def _entry_path(entry: MenuEntry) -> str | None:
    if entry.url is None:
        return None
    try:
        return listing_path(entry.url)
    except ValueError:
        return None


def find_menu_entry(
    page_menus: Iterable[list[MenuEntry]], *, label: str | None = None, path: str | None = None
) -> MenuEntry | None:
    """The menu entry labelled ``label`` (case, accents and spacing aside) or linking the
    listing ``path``, in any menu of the page, with the children of all its copies merged (the
    theme prints the same menu several times, not always with every level)."""
    matches = [
        entry
        for entries in page_menus
        for entry in walk_entries(entries)
        if (label is not None and labels_match(entry.label, label))
        or (path is not None and _entry_path(entry) == path)
    ]
    if not matches:
        return None
    children: dict[str, MenuEntry] = {}
    for match in matches:
        for child in match.children:
            children.setdefault(child.url or child.label, child)
    return MenuEntry(url=matches[0].url, label=matches[0].label, children=list(children.values()))


def menu_listings(page_menus: Iterable[list[MenuEntry]]) -> list[MenuEntry]:
    """The menu entries that link an archive listing (category, author, tag), once each."""
    seen: dict[str, MenuEntry] = {}
    for entries in page_menus:
        for entry in walk_entries(entries):
            path = _entry_path(entry)
            if path is not None:
                seen.setdefault(path, entry)
    return list(seen.values())


def _language_of(hreflang: str | None, classes: set[str]) -> str | None:
    if hreflang:
        primary = hreflang.strip().split("-")[0].lower()
        if re.fullmatch(r"[a-z]{2}", primary):
            return primary
    for name in classes:
        match = _LANG_CLASS.match(name)
        if match:
            return match.group(1)
    return None


def language_links(html: str, url: str) -> list[LanguageLink]:
    """The Polylang switcher's links to the page in other languages, once per language.

    A ``no-translation`` item links the language's home, not a translation of this page;
    the current language's item is left out.
    """
    sel = Selector(text=html or "<html></html>")
    found: dict[str, LanguageLink] = {}
    for item in sel.css("li.lang-item"):
        classes = _classes(item)
        if "current-lang" in classes:
            continue
        link = item.xpath("./a[@href]")
        if not link:
            continue
        language = _language_of(
            link[0].attrib.get("hreflang") or link[0].attrib.get("lang"), classes
        )
        href = link[0].attrib["href"].strip()
        if language is None or not href or href.startswith("#"):
            continue
        found.setdefault(
            language,
            LanguageLink(
                language=language,
                url=absolute(url, href),
                translation="no-translation" not in classes,
            ),
        )
    return list(found.values())


def alternate_links(html: str, url: str) -> list[LanguageLink]:
    """``<link rel="alternate" hreflang="…">`` of the head: translations of this page."""
    sel = Selector(text=html or "<html></html>")
    found: dict[str, LanguageLink] = {}
    for link in sel.xpath("//head/link[@hreflang and @href]"):
        if "alternate" not in (link.attrib.get("rel") or "").split():
            continue
        language = _language_of(link.attrib["hreflang"], set())
        if language is None:  # "x-default"
            continue
        found.setdefault(
            language,
            LanguageLink(
                language=language, url=absolute(url, link.attrib["href"]), translation=True
            ),
        )
    return list(found.values())


def _json_ld_nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _json_ld_nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _json_ld_nodes(child)


def _is_person(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    return kind == "Person" or (isinstance(kind, list) and "Person" in kind)


def author_links(html: str, url: str) -> list[str]:
    """Links to author archives, once each: ``a[rel=author]`` and the post meta's author links
    in page order, then the ``url`` of JSON-LD ``Person`` nodes."""
    sel = Selector(text=html or "<html></html>")
    hrefs = sel.xpath(
        "//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')"
        " or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' post-author ')]]"
        "/@href"
    ).getall()
    for script in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(script)
        except ValueError:
            continue  # a broken block says nothing about authors
        for node in _json_ld_nodes(data):
            if _is_person(node) and isinstance(node.get("url"), str):
                hrefs.append(node["url"])
    found: dict[str, str] = {}
    for href in hrefs:
        link = absolute(url, href)
        try:
            if listing_kind(link) == "author":
                found.setdefault(listing_path(link), link)
        except ValueError:
            continue  # not an author archive (a profile on another site, say)
    return list(found.values())
