"""What pages link: menus, the language switcher, hreflang alternates, author links."""

from __future__ import annotations

import pytest

from ccme_crawler.extraction.navigation import (
    alternate_links,
    author_links,
    find_menu_entry,
    labels_match,
    language_links,
    menu_listings,
    menus,
)
from ccme_crawler.items import LanguageLink
from ccme_crawler.urls import listing_path
from tests.discovery.conftest import (
    AR_ACTIVITIES,
    AR_MEDIA,
    AR_ROOT,
    CATEGORY_AR_URL,
    CATEGORY_FR_URL,
)

# --- the reference listing page -------------------------------------------------------------


def test_every_menu_of_the_reference_page_is_read(category_fr_html: str) -> None:
    # Off-canvas mobile menu, its widget copy, the main menu, the two podcasts menus.
    assert len(menus(category_fr_html, CATEGORY_FR_URL)) == 5


def test_archive_entry_is_found_by_its_label(category_fr_html: str) -> None:
    entry = find_menu_entry(menus(category_fr_html, CATEGORY_FR_URL), label="Archives du CCME")
    assert entry is not None and listing_path(entry.url or "") == "/category/archives-du-ccme/"


def test_archive_entry_children_are_its_three_categories(category_fr_html: str) -> None:
    entry = find_menu_entry(menus(category_fr_html, CATEGORY_FR_URL), label="Archives du CCME")
    assert entry is not None
    assert [listing_path(c.url or "") for c in entry.children] == [
        "/category/archives-du-ccme/activites/",
        "/category/archives-du-ccme/medias-et-migration/",
        "/category/archives-du-ccme/actualites-archives-du-ccme/",
    ]


def test_menu_listings_are_the_category_links_once_each(category_fr_html: str) -> None:
    paths = [
        listing_path(e.url or "") for e in menu_listings(menus(category_fr_html, CATEGORY_FR_URL))
    ]
    assert (len(paths), len(set(paths)), "/category/visages-de-la-diaspora/" in paths) == (
        10,
        10,
        True,
    )


def test_switcher_without_translations_links_the_language_homes(category_fr_html: str) -> None:
    assert language_links(category_fr_html, CATEGORY_FR_URL) == [
        LanguageLink("ar", "https://www.ccme.org.ma/ar/", translation=False),
        LanguageLink("en", "https://www.ccme.org.ma/en/", translation=False),
    ]


def test_reference_page_has_no_hreflang_alternates(category_fr_html: str) -> None:
    assert alternate_links(category_fr_html, CATEGORY_FR_URL) == []


def test_reference_listing_page_has_no_author_link(category_fr_html: str) -> None:
    assert author_links(category_fr_html, CATEGORY_FR_URL) == []


def test_json_ld_person_of_the_reference_article_is_an_author_link(article_fr_html: str) -> None:
    assert author_links(article_fr_html, "https://www.ccme.org.ma/x/") == [
        "https://www.ccme.org.ma/author/rajae-moumengmail-com/"
    ]


# --- an Arabic category with an Arabic-script slug ------------------------------------------


def test_switcher_with_a_translation_links_it(category_ar_html: str) -> None:
    assert language_links(category_ar_html, CATEGORY_AR_URL) == [
        LanguageLink("fr", CATEGORY_FR_URL, translation=True),
        LanguageLink("en", "https://www.ccme.org.ma/en/", translation=False),
    ]


def test_hreflang_alternates_skip_x_default(category_ar_html: str) -> None:
    assert [link.language for link in alternate_links(category_ar_html, CATEGORY_AR_URL)] == [
        "fr",
        "ar",
    ]


def test_arabic_archive_entry_found_by_its_path(category_ar_html: str) -> None:
    entry = find_menu_entry(menus(category_ar_html, CATEGORY_AR_URL), path=AR_ROOT)
    assert entry is not None and entry.label == "أرشيف المجلس"


def test_arabic_children_raw_or_percent_encoded_get_one_path_form(category_ar_html: str) -> None:
    entry = find_menu_entry(menus(category_ar_html, CATEGORY_AR_URL), path=AR_ROOT)
    assert entry is not None
    assert [listing_path(c.url or "") for c in entry.children] == [AR_MEDIA, AR_ACTIVITIES]


def test_menu_placeholder_has_no_url(category_ar_html: str) -> None:
    (entries,) = menus(category_ar_html, CATEGORY_AR_URL)
    assert [e.url for e in entries if e.label == "روابط"] == [None]


def test_author_links_of_every_kind_once_each_and_only_author_archives(
    category_ar_html: str,
) -> None:
    assert author_links(category_ar_html, CATEGORY_AR_URL) == [
        "https://www.ccme.org.ma/ar/author/rajae-moumengmail-com/",
        "https://www.ccme.org.ma/ar/author/autre-auteur/",
    ]


def test_menu_label_in_another_case_and_spacing_matches(home_en_html: str) -> None:
    entry = find_menu_entry(
        menus(home_en_html, "https://www.ccme.org.ma/en/"), label="ccme archives"
    )
    assert entry is not None and len(entry.children) == 1


@pytest.mark.parametrize(
    ("label", "matches"),
    [
        ("Archives du CCME", True),
        ("ARCHIVES DU CCME", True),
        ("  Archives\u00a0du   CCME ", True),
        ("Archivés du CCME", True),
        ("Archives", False),
        (None, False),
    ],
)
def test_label_matching_is_tolerant(label: str | None, matches: bool) -> None:
    assert labels_match(label, "Archives du CCME") is matches
