"""Navigation read from pages: menu entries, the Polylang switcher, author links."""

from __future__ import annotations

from ccme_crawler.extraction.menus import author_archive_links, language_switcher, menu_entry
from ccme_crawler.items import SwitcherEntry
from ccme_mirror import generate_site
from ccme_mirror.render import render_listing
from tests.conftest import REFERENCE_SITE

ORIGIN = "https://www.ccme.org.ma"
ARTICLE = (REFERENCE_SITE / "article-fr.html").read_text("utf-8")
LISTING = (REFERENCE_SITE / "category-fr.html").read_text("utf-8")


def test_menu_entry_finds_the_archive_and_its_children() -> None:
    entry = menu_entry(LISTING, ORIGIN + "/", ["Archives du CCME"])
    assert [(c.label, c.url) for c in entry.children] == [
        ("Activités", ORIGIN + "/category/archives-du-ccme/activites/"),
        ("Médias et migration", ORIGIN + "/category/archives-du-ccme/medias-et-migration/"),
        ("Actualités", ORIGIN + "/category/archives-du-ccme/actualites-archives-du-ccme/"),
    ]


def test_menu_entry_labels_match_without_case_or_accents() -> None:
    entry = menu_entry(LISTING, ORIGIN + "/", ["archives  DU ccme"])
    assert entry.url == ORIGIN + "/category/archives-du-ccme/"


def test_menu_entry_is_none_when_no_menu_has_it() -> None:
    assert menu_entry(LISTING, ORIGIN + "/", ["Archives of nothing"]) is None


def test_switcher_of_the_reference_links_the_homes() -> None:
    assert language_switcher(ARTICLE, ORIGIN + "/") == [
        SwitcherEntry("ar", ORIGIN + "/ar/", False),
        SwitcherEntry("en", ORIGIN + "/en/", False),
    ]


def test_switcher_of_a_translated_category_links_its_translations() -> None:
    site = generate_site(30, seed=1, variant="renamed")
    french = next(c for c in site.categories if c.language == "fr" and c.key == "medias")
    html = render_listing(site, french, 1, ORIGIN)
    found = {e.language: (e.url, e.translation) for e in language_switcher(html, ORIGIN + "/")}
    arabic = site.translation(french, "ar").path.lower()
    assert found == {
        "ar": (ORIGIN + arabic, True),
        "en": (ORIGIN + site.translation(french, "en").path, True),
    }


def test_author_links_from_json_ld() -> None:
    assert author_archive_links(ARTICLE, ORIGIN + "/") == [
        ORIGIN + "/author/rajae-moumengmail-com/"
    ]


def test_author_links_from_post_meta() -> None:
    site = generate_site(30, seed=1, variant="renamed")
    arabic = next(c for c in site.categories if c.language == "ar" and c.key == "medias")
    html = render_listing(site, arabic, 1, ORIGIN)
    assert author_archive_links(html, ORIGIN + "/") == [
        ORIGIN + "/ar/author/rajae-moumengmail-com/"
    ]
