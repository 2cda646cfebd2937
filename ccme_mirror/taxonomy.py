"""The site's categories in three languages, their slugs and the menus that link them.

Every category is a *term* (a Polylang translation group) with a label and a slug per language.
The "Archives du CCME" root and its three children (labels as the seed confirms: Activités,
Médias et migration, Actualités) are the archive; Actualités › Notre Actualité…, Entretiens and
Visages de la diaspora are the site's other menu categories. Slugs are the reconstruction's, or
(``slugs="renamed"``) random words drawn from a seed, Arabic ones in Arabic script and
percent-encoded as WordPress stores them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from ccme_mirror.chrome import LanguageMenus, MenuItem
from ccme_mirror.model import MirrorCategory
from ccme_mirror.variant import SiteVariant

LANGUAGES = ("fr", "ar", "en")
ARCHIVE_ROOT = "archives"


@dataclass(frozen=True)
class Term:
    key: str
    parent: str | None
    archive: bool
    labels: dict[str, str]  # by language
    slugs: dict[str, str]  # the reconstruction's slug, by language
    posts: bool = True  # posts are filed here (not only in its children)


TERMS: tuple[Term, ...] = (
    Term(
        "archives",
        None,
        True,
        {"fr": "Archives du CCME", "ar": "أرشيف المجلس", "en": "CCME Archives"},
        {"fr": "archives-du-ccme", "ar": "archives-ar", "en": "ccme-archives"},
        posts=False,
    ),
    Term(
        "activites",
        "archives",
        True,
        {"fr": "Activités", "ar": "أنشطة", "en": "Activities"},
        {"fr": "activites", "ar": "activites-ar", "en": "activities"},
    ),
    Term(
        "medias",
        "archives",
        True,
        {"fr": "Médias et migration", "ar": "الإعلام والهجرة", "en": "Media and migration"},
        {"fr": "medias-et-migration", "ar": "medias-et-migration-ar", "en": "media-and-migration"},
    ),
    Term(
        "actualites-archives",
        "archives",
        True,
        {"fr": "Actualités", "ar": "مستجدات", "en": "Current affairs"},
        {
            "fr": "actualites-archives-du-ccme",
            "ar": "actualites-archives-ar",
            "en": "current-affairs",
        },
    ),
    Term(
        "actualites",
        None,
        False,
        {"fr": "Actualités", "ar": "الأخبار", "en": "News"},
        {"fr": "actualites", "ar": "actualites-ar", "en": "news"},
        posts=False,
    ),
    Term(
        "notre-actualite",
        "actualites",
        False,
        {"fr": "Notre Actualité", "ar": "أخبار المجلس", "en": "CCME news"},
        {"fr": "notre-actualite", "ar": "notre-actualite-ar", "en": "ccme-news"},
    ),
    Term(
        "immigration-marocaine",
        "actualites",
        False,
        {
            "fr": "Actualité de l’immigration marocaine",
            "ar": "أخبار الهجرة المغربية",
            "en": "Moroccan migration news",
        },
        {
            "fr": "actualite-de-limmigration-marocaine",
            "ar": "immigration-marocaine-ar",
            "en": "moroccan-migration-news",
        },
    ),
    Term(
        "immigration-monde",
        "actualites",
        False,
        {
            "fr": "Actualité de l’immigration dans le monde",
            "ar": "الهجرة في العالم",
            "en": "World migration news",
        },
        {
            "fr": "actualite-de-limmigration-dans-le-monde",
            "ar": "immigration-monde-ar",
            "en": "world-migration-news",
        },
    ),
    Term(
        "entretiens",
        None,
        False,
        {"fr": "Entretiens", "ar": "حوارات", "en": "Interviews"},
        {"fr": "entretiens", "ar": "entretiens-ar", "en": "interviews"},
    ),
    Term(
        "visages",
        None,
        False,
        {"fr": "Visages de la diaspora", "ar": "وجوه من الجالية", "en": "Faces of the diaspora"},
        {"fr": "visages-de-la-diaspora", "ar": "visages-ar", "en": "faces-of-the-diaspora"},
    ),
)
TERMS_BY_KEY = {t.key: t for t in TERMS}
# The menu entry a default crawl starts from, in each language.
ARCHIVE_LABELS = frozenset(TERMS_BY_KEY[ARCHIVE_ROOT].labels.values())

# Words renamed slugs are made of: none of them is a word of the reconstruction's slugs.
_SLUG_WORDS = {
    "fr": (
        "fonds", "memoire", "dossiers", "revue", "chroniques", "echos", "regards", "traces",
        "depeches", "carnets", "horizons", "passerelles", "veille", "documents", "recits",
        "lettres", "rubrique", "fil", "panorama", "tribunes", "escales", "reperes",
    ),
    "en": (
        "records", "digest", "stories", "voices", "chronicle", "notes", "desk", "review",
        "files", "echoes", "bulletin", "dispatches", "roundup", "briefs", "journal", "ledger",
    ),
    "ar": (
        "ذاكرة", "وثائق", "صحافة", "ملفات", "أصداء", "متابعات", "قضايا", "أرشيف", "مقالات",
        "تقارير", "رصد", "شؤون", "آفاق", "مختارات", "نشرة", "حصاد",
    ),
}  # fmt: skip


def _renamed_slugs(seed: int) -> dict[tuple[str, str], str]:
    """A slug for every (term, language): one to three random words, unique per language."""
    rng = random.Random(f"ccme-mirror-slugs:{seed}")
    slugs: dict[tuple[str, str], str] = {}
    for language in LANGUAGES:
        used: set[str] = set()
        for term in TERMS:
            while True:
                words = rng.sample(_SLUG_WORDS[language], rng.randint(1, 3))
                slug = "-".join(words)
                if slug not in used:
                    break
            used.add(slug)
            slugs[(term.key, language)] = quote(slug, safe="-") if language == "ar" else slug
    return slugs


@dataclass
class Taxonomy:
    """The categories of a site (every term in every language) and its menus."""

    categories: dict[tuple[str, str], MirrorCategory]  # (term key, language) → category
    menus: dict[str, LanguageMenus]

    def category(self, key: str, language: str) -> MirrorCategory:
        return self.categories[(key, language)]

    def post_categories(self, language: str, *, archive: bool) -> list[MirrorCategory]:
        """The categories posts are filed in, archive ones or the others, in term order."""
        return [
            self.categories[(t.key, language)] for t in TERMS if t.posts and t.archive == archive
        ]


def _prefix(language: str) -> str:
    return "" if language == "fr" else f"/{language}"


def build_categories(variant: SiteVariant) -> dict[tuple[str, str], MirrorCategory]:
    renamed = _renamed_slugs(variant.slug_seed) if variant.slugs == "renamed" else {}
    cats: dict[tuple[str, str], MirrorCategory] = {}
    for language in LANGUAGES:
        for term in TERMS:  # parents come before their children
            slug = renamed.get((term.key, language), term.slugs[language])
            parent = cats[(term.parent, language)] if term.parent else None
            base = parent.path if parent else f"{_prefix(language)}/category/"
            cats[(term.key, language)] = MirrorCategory(
                f"{base}{slug}/",
                term.labels[language],
                language,
                parent_label=parent.label if parent else None,
                parent_path=parent.path if parent else None,
                key=term.key,
            )
    return cats


# -- menus ------------------------------------------------------------------------------------

# Pages of each language's menus (label, path, children), as (label, path) pairs.
_ABOUT = {
    "fr": (
        ("Qui sommes nous", "Qui sommes-nous ?"),
        "/qui-sommes-nous/",
        (
            ("CCME", "/qui-sommes-nous/ccme/"),
            ("Président", "/qui-sommes-nous/president/"),
            ("Secrétaire Général", "/qui-sommes-nous/secretaire-general/"),
            ("Groupes de travail", "/qui-sommes-nous/groupes-de-travail/"),
        ),
    ),
    "ar": (
        ("من نحن", "من نحن ؟"),
        "/ar/qui-sommes-nous-ar/",
        (
            ("المجلس", "/ar/qui-sommes-nous-ar/ccme-ar/"),
            ("الرئيس", "/ar/qui-sommes-nous-ar/president-ar/"),
            ("الأمين العام", "/ar/qui-sommes-nous-ar/secretaire-general-ar/"),
            ("مجموعات العمل", "/ar/qui-sommes-nous-ar/groupes-de-travail-ar/"),
        ),
    ),
    "en": (
        ("About us", "About us"),
        "/en/about-us/",
        (
            ("CCME", "/en/about-us/ccme/"),
            ("President", "/en/about-us/president/"),
            ("Secretary General", "/en/about-us/secretary-general/"),
            ("Working groups", "/en/about-us/working-groups/"),
        ),
    ),
}
_PAGES = {
    "fr": {
        "home": "Accueil",
        "ressources": ("Ressources", "/ressources/"),
        "tail": (("Contactez-nous", "/contactez-nous/"), ("Partager une tribune", "/partager-une-tribune/")),
        "main-news-label": "Actualité du CCME",
    },
    "ar": {
        "home": "الرئيسية",
        "ressources": ("موارد", "/ar/ressources-ar/"),
        "tail": (("اتصل بنا", "/ar/contact-ar/"), ("شارك بمقال رأي", "/ar/tribune-ar/")),
        "main-news-label": "أخبار المجلس",
    },
    "en": {
        "home": "Home",
        "ressources": ("Resources", "/en/resources/"),
        "tail": (("Contact us", "/en/contact-us/"), ("Share an op-ed", "/en/share-an-op-ed/")),
        "main-news-label": "CCME news",
    },
}  # fmt: skip


def _term_item(
    cats: dict[tuple[str, str], MirrorCategory],
    key: str,
    language: str,
    labels: dict[str, str] | None = None,
) -> MenuItem:
    children = [_term_item(cats, t.key, language, labels) for t in TERMS if t.parent == key]
    label = (labels or {}).get(key) or cats[(key, language)].label
    return MenuItem(label, cats[(key, language)].path, "category", children)


def build_menus(
    cats: dict[tuple[str, str], MirrorCategory], language: str, *, with_categories: bool
) -> LanguageMenus:
    """A language's menus as the reference shows the French ones: the mobile menu (everything,
    "Archives du CCME" and its children included) and the main menu. Without
    ``with_categories`` (a language whose categories are not translations), pages only."""
    pages = _PAGES[language]
    (about_mobile, about_main), about_path, about_children = _ABOUT[language]
    home = MenuItem(str(pages["home"]), _prefix(language) + "/", "home")
    about = [MenuItem(label, path) for label, path in about_children]
    label, path = pages["ressources"]
    resources = MenuItem(label, path)
    tail = [MenuItem(label, path) for label, path in pages["tail"]]
    mobile = [
        home,
        MenuItem(about_mobile, about_path, "page", about),
        _term_item(cats, "actualites", language),
        _term_item(cats, "entretiens", language),
        _term_item(cats, ARCHIVE_ROOT, language),
        resources,
        _term_item(cats, "visages", language),
        *tail,
    ]
    main = [
        MenuItem(home.label, home.path, "home"),
        MenuItem(about_main, None, "custom", [MenuItem(i.label, i.path) for i in about]),
        _term_item(
            cats, "actualites", language, {"notre-actualite": str(pages["main-news-label"])}
        ),
        MenuItem(resources.label, resources.path),
    ]
    if not with_categories:
        mobile = [item for item in mobile if item.kind != "category"]
        main = [item for item in main if item.kind != "category"]
    if language == "fr":
        return LanguageMenus("fr", mobile, main)
    base = {"ar": 2000, "en": 3000}[language]
    return LanguageMenus(language, mobile, main, id_base=base, id_suffix=f"-{language}")


def translated(variant: SiteVariant) -> set[str]:
    """The languages whose categories are Polylang translations of each other (French always)."""
    return {"fr", *variant.translations}


@cache
def legacy_menus() -> LanguageMenus:
    """The reference's French menus (the reconstruction's slugs), which the legacy mirror prints
    on every page whatever its language."""
    return build_menus(build_categories(SiteVariant()), "fr", with_categories=True)


def build_taxonomy(variant: SiteVariant) -> Taxonomy:
    cats = build_categories(variant)
    menus = {
        language: build_menus(cats, language, with_categories=language in translated(variant))
        for language in LANGUAGES
    }
    return Taxonomy(cats, menus)


def reference_aliases(taxonomy: Taxonomy) -> dict[str, str]:
    """Reference category path → this site's path (for links the theme's footers hard-code)."""
    reference = build_categories(SiteVariant())
    return {
        reference[k].path: cat.path
        for k, cat in taxonomy.categories.items()
        if reference[k].path != cat.path
    }
