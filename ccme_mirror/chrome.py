"""The site's navigation as WordPress prints it: nav menus (``Walker_Nav_Menu``) and the Polylang
language switcher, rendered from a menu model instead of being frozen in the templates.

The templates keep the reference's menus; :func:`chrome_template` swaps each of those blocks for
a placeholder once per template, and :func:`chrome_values` renders them for a page. Rendered
from the default model (the reference's French menus, the "no translation" switcher), the
blocks come out byte for byte as in the reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

# The menu blocks of the templates, by their <ul id>: which menu each one prints.
MENU_BLOCKS: dict[str, str] = {
    "menu-menu-mobile": "mobile",  # off-canvas menu
    "menu-menu-mobile-1": "mobile",  # the same menu again, in the off-canvas widget
    "menu-langues": "switcher",
    "menu-menu-principal": "main",
    "menu-langues-1": "switcher",  # mobile header
}
# First menu-item id of each block (WordPress numbers items children first, see _number).
_BLOCK_IDS = {
    "menu-menu-mobile": 1,
    "menu-menu-mobile-1": 20,
    "menu-langues": 39,
    "menu-menu-principal": 40,
    "menu-langues-1": 64,
}
_BLOCK_CLASS = {"menu-menu-mobile": "mobile-menu"}


@dataclass
class MenuItem:
    """One entry of a nav menu. ``kind``: "home", "page", "custom" (``href="#"`` when ``path`` is
    None) or "category" (a taxonomy item; ``path`` is the category's)."""

    label: str
    path: str | None
    kind: str = "page"
    children: list[MenuItem] = field(default_factory=list)


@dataclass
class LanguageMenus:
    """The menus of one language (Polylang keeps one set a language)."""

    language: str
    mobile: list[MenuItem]
    main: list[MenuItem]
    id_base: int = 1000  # menu-item ids start at id_base + the block's offset
    id_suffix: str = ""  # "-ar": ``<ul id="menu-menu-mobile-ar">``


@dataclass(frozen=True)
class SwitcherLink:
    """One language of the Polylang switcher: a translation of the page, or (``translated``
    False) the language's home with class ``no-translation``."""

    language: str
    path: str
    translated: bool


# Polylang's languages: term id, hreflang, name, order.
POLYLANG: dict[str, tuple[int, str, str]] = {
    "fr": (2, "fr-FR", "Français"),
    "ar": (4, "ar", "العربية"),
    "en": (8, "en-GB", "English"),
}

_TYPES = {
    "home": "menu-item-type-custom menu-item-object-custom",
    "custom": "menu-item-type-custom menu-item-object-custom",
    "page": "menu-item-type-post_type menu-item-object-page",
    "category": "menu-item-type-taxonomy menu-item-object-category",
}


def href_path(path: str) -> str:
    """WordPress writes percent-escapes of non-ASCII slugs in lower case."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), path)


def _number(items: list[MenuItem], first: int) -> tuple[list[tuple[MenuItem, int]], int]:
    """Menu-item ids as WordPress gave them on this site: children before their parent."""
    ids: list[tuple[MenuItem, int]] = []
    next_id = first
    for item in items:
        child_ids, next_id = _number(item.children, next_id)
        ids.extend(child_ids)
        ids.append((item, next_id))
        next_id += 1
    return ids, next_id


def _item_html(
    item: MenuItem, ids: dict[int, int], origin: str, current: dict[str, str], depth: int
) -> str:
    item_id = ids[id(item)]
    classes = f"menu-item {_TYPES[item.kind]}"
    if item.kind == "category" and item.path is not None:
        classes += current.get(item.path, "")
    if item.kind == "home":
        classes += " menu-item-home"
    if item.children:
        classes += " menu-item-has-children"
    classes += f" menu-item-{item_id}"
    href = "#" if item.path is None else origin + href_path(item.path)
    out = (
        f'<li id="menu-item-{item_id}" class="{classes}">'
        f'<a href="{href}">{escape(item.label, quote=False)}</a>'
    )
    if item.children:
        tabs = "\t" * depth
        inner = "".join(
            f"{tabs}\t{_item_html(child, ids, origin, current, depth + 1)}\n"
            for child in item.children
        )
        out += f'\n{tabs}<ul class="sub-menu">\n{inner}{tabs}</ul>\n{tabs}'
    return out + "</li>"


def render_menu(
    ul_id: str,
    ul_class: str,
    items: list[MenuItem],
    first_id: int,
    origin: str,
    current: dict[str, str],
) -> str:
    numbered, _ = _number(items, first_id)
    ids = {id(item): number for item, number in numbered}
    lis = "".join(_item_html(item, ids, origin, current, 0) + "\n" for item in items)
    return f'<ul id="{ul_id}" class="{ul_class}">{lis}</ul>'


def render_switcher(
    ul_id: str, item_id: int, language: str, links: list[SwitcherLink], origin: str
) -> str:
    """Polylang's switcher as a menu item: the current language, its others as a sub-menu."""
    name = POLYLANG[language][2]
    subs = []
    for n, link in enumerate(links):
        term, hreflang, label = POLYLANG[link.language]
        classes = f"lang-item lang-item-{term} lang-item-{link.language}"
        if n == 0:
            classes += " lang-item-first"
        if not link.translated:
            classes += " no-translation"
        classes += (
            f" menu-item menu-item-type-custom menu-item-object-custom"
            f" menu-item-{item_id}-{link.language}"
        )
        subs.append(
            f'\t<li id="menu-item-{item_id}-{link.language}" class="{classes}">'
            f'<a href="{origin}{href_path(link.path)}" hreflang="{hreflang}" lang="{hreflang}">'
            f"{label}</a></li>\n"
        )
    return (
        f'<ul id="{ul_id}" class="menu"><li id="menu-item-{item_id}" class="pll-parent-menu-item'
        " menu-item menu-item-type-custom menu-item-object-custom current-menu-parent"
        f' menu-item-has-children menu-item-{item_id}"><a href="#pll_switcher">{name}</a>\n'
        f'<ul class="sub-menu">\n{"".join(subs)}</ul>\n</li>\n</ul>'
    )


def chrome_values(
    menus: LanguageMenus,
    switcher_language: str,
    switcher: list[SwitcherLink],
    origin: str,
    current: dict[str, str],
) -> dict[str, str]:
    """The ``chrome:<ul id>`` placeholder values of a page."""
    values = {}
    for block, which in MENU_BLOCKS.items():
        first = menus.id_base + _BLOCK_IDS[block]
        ul_id = block.replace("menu-menu-mobile", f"menu-menu-mobile{menus.id_suffix}", 1)
        ul_id = ul_id.replace("menu-langues", f"menu-langues{menus.id_suffix}", 1)
        ul_id = ul_id.replace("menu-menu-principal", f"menu-menu-principal{menus.id_suffix}", 1)
        if which == "switcher":
            html = render_switcher(ul_id, first, switcher_language, switcher, origin)
        else:
            items = menus.mobile if which == "mobile" else menus.main
            html = render_menu(
                ul_id, _BLOCK_CLASS.get(block, "menu"), items, first, origin, current
            )
        values[f"chrome:{block}"] = html
    return values


def block_span(text: str, ul_id: str) -> tuple[int, int]:
    """Start and end of ``<ul id="ul_id" …>…</ul>`` (nested lists included)."""
    start = text.index(f'<ul id="{ul_id}"')
    depth = 0
    for match in re.finditer(r"<ul\b|</ul>", text[start:]):
        depth += 1 if match.group() == "<ul" else -1
        if depth == 0:
            return start, start + match.end()
    raise ValueError(f"unclosed <ul id={ul_id!r}>")


def chrome_template(text: str) -> str:
    """A template with every menu block replaced by its ``{{chrome:<ul id>}}`` placeholder."""
    for block in MENU_BLOCKS:
        start, end = block_span(text, block)
        text = text[:start] + "{{chrome:" + block + "}}" + text[end:]
    return text


def walk(items: list[MenuItem]) -> list[MenuItem]:
    """Every item of a menu tree, depth first."""
    out = []
    for item in items:
        out.append(item)
        out.extend(walk(item.children))
    return out
