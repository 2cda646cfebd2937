"""extract_listing: archive headings (theme and WordPress core wording), items, excerpts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccme_crawler.extraction.listing import extract_listing

REFERENCE = Path(__file__).parent.parent / "fixtures" / "reference"
CATEGORY_URL = "https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/"
AUTHOR_URL = "https://www.ccme.org.ma/author/rajae-moumengmail-com/page/90"


def _listing(heading: str, body_class: str = "archive", items: str = "") -> str:
    return (
        f'<html><body class="{body_class}"><div class="main-content">'
        f'<h1 class="archive-heading">{heading}</h1>'
        f'<div class="loop loop-list">{items}</div></div></body></html>'
    )


def _item(slug: str, excerpt: str) -> str:
    url = f"https://www.ccme.org.ma/{slug}/"
    return (
        '<article class="l-post list-post"><div class="content">'
        f'<h2 class="is-title post-title"><a href="{url}">Titre {slug}</a></h2>'
        '<div class="post-meta-items meta-below"><span class="meta-item date">'
        '<time class="post-date" datetime="2015-05-04T10:00:00+00:00">4 mai 2015</time></span></div>'
        f'<div class="excerpt"><p>{excerpt}</p></div>'
        f'<a href="{url}" class="read-more-link read-more-basic">Lire plus</a>'
        "</div></article>"
    )


@pytest.mark.parametrize(
    ("heading", "label", "kind"),
    [
        ("Browsing: <span>Médias et migration</span>", "Médias et migration", None),
        ("Catégorie&nbsp;: <span>Médias et migration</span>", "Médias et migration", "category"),
        ("Catégorie : Activités", "Activités", "category"),
        ("Category: Activities", "Activities", "category"),
        ("التصنيف: أنشطة", "أنشطة", "category"),
        (
            'Auteur/autrice : <span class="vcard">Equipe de rédaction</span>',
            "Equipe de rédaction",
            "author",
        ),
        ("الكاتب: Equipe de rédaction", "Equipe de rédaction", "author"),
        ("Author: Equipe de rédaction", "Equipe de rédaction", "author"),
        ("Étiquette : Diaspora", "Diaspora", "tag"),
        ("Tag: Diaspora", "Diaspora", "tag"),
        ("الوسم: الهجرة", "الهجرة", "tag"),
    ],
)
def test_archive_heading(heading: str, label: str, kind: str | None) -> None:
    page = extract_listing(_listing(heading), CATEGORY_URL)
    assert (page.category_label, page.archive_kind) == (label, kind)


def test_theme_heading_kind_from_body_class() -> None:
    html = _listing("Browsing: <span>Equipe de rédaction</span>", "archive author author-3")
    assert extract_listing(html, AUTHOR_URL).archive_kind == "author"


def test_reference_category_listing_kind() -> None:
    html = (REFERENCE / "category-fr.html").read_text(encoding="utf-8")
    assert extract_listing(html, CATEGORY_URL).archive_kind == "category"


def test_reference_category_listing_label() -> None:
    html = (REFERENCE / "category-fr.html").read_text(encoding="utf-8")
    assert extract_listing(html, CATEGORY_URL).category_label == "Médias et migration"


def test_excerpts_ending_with_suite_and_lire_plus_give_one_item_each() -> None:
    items = (
        _item("a", 'Un résumé…<a href="https://lematin.ma/x/1.html">Suite</a>')
        + _item("b", "Un autre résumé…Suite")
        + _item("c", "Read More")
    )
    html = _listing("Auteur/autrice : <span>Equipe de rédaction</span>", items=items)
    assert [item.url for item in extract_listing(html, AUTHOR_URL).items] == [
        "https://www.ccme.org.ma/a/",
        "https://www.ccme.org.ma/b/",
        "https://www.ccme.org.ma/c/",
    ]


def test_item_title_is_not_the_excerpt() -> None:
    html = _listing("Author: X", items=_item("a", "An excerpt…Suite"))
    assert extract_listing(html, AUTHOR_URL).items[0].title == "Titre a"
