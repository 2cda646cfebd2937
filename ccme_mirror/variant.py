"""How a mirror departs from the reconstruction: the knobs of a WordPress site a crawler cannot
guess (docs/mirror.md, "Variants").

``SiteVariant()`` (the default) is the mirror as it always was: the reference slugs, the
reference's French menus and language switcher on every page, Yoast, no sitemaps. A variant
turns on a WordPress site built from its categories: menus and Polylang switchers in three
languages, optional renamed slugs, sitemaps, other SEO plugins, Joomla slugs, shortlink links,
a hole in a listing, or a redesigned theme. ``VARIANTS`` holds the named ones (``python -m
ccme_mirror serve --variant NAME``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

SITEMAP_STYLES = ("none", "core", "yoast")
JSONLD_STYLES = ("yoast", "rankmath", "none")
HEADING_STYLES = ("theme", "core")
MARKUP_STYLES = ("smartmag", "redesigned", "redesigned-posts")
SLUG_STYLES = ("reference", "renamed")


@dataclass(frozen=True)
class SiteVariant:
    """Knobs of a mirror site. ``wordpress=False`` (the default) keeps the legacy rendering."""

    name: str = "default"
    # A WordPress site built from its categories: per-language menus, switchers that link
    # translations, archive roots and the other menu categories with a few posts each.
    wordpress: bool = False
    # "reference": the reconstruction's slugs; "renamed": random ones (from ``slug_seed``),
    # Arabic slugs in Arabic script.
    slugs: str = "reference"
    slug_seed: int = 0
    # Languages whose archive categories are Polylang translations of the French ones: the
    # switcher links them and their language's menu has the archive entry. A language left out
    # is reachable only through its author archive and the sitemaps.
    translations: tuple[str, ...] = ("ar", "en")
    # "none", "core" (/wp-sitemap.xml) or "yoast" (/sitemap_index.xml, also Rank Math's names).
    sitemaps: str = "none"
    robots_sitemap: bool = True  # a "Sitemap:" line in robots.txt (when there are sitemaps)
    posts_per_sitemap: int = 50
    # Author archives (/author/<nicename>/, /ar/author/…/, /en/author/…/): always served; with
    # author_links the listings and posts link them (SmartMag's "By <author>" meta).
    author_links: bool = False
    jsonld: str = "yoast"  # "yoast", "rankmath" (@graph with BlogPosting) or "none"
    headings: str = "theme"  # category headings: the theme's "Browsing: X" or core "Catégorie : X"
    joomla_slugs: bool = False  # Arabic posts under /ar/2013-03-19-17-13-35-3199/
    shortlink_links: bool = False  # listings link some posts as /?p=ID, /en/?p=ID (301)
    sitemap_hole: bool = False  # a post or two only the sitemaps list (no listing links it)
    # "redesigned": other listing classes, no post-title h1, no .entry-content;
    # "redesigned-posts": the posts only (listings as before).
    markup: str = "smartmag"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("sitemaps", SITEMAP_STYLES),
            ("jsonld", JSONLD_STYLES),
            ("headings", HEADING_STYLES),
            ("markup", MARKUP_STYLES),
            ("slugs", SLUG_STYLES),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, not {getattr(self, name)!r}")
        if not set(self.translations) <= {"ar", "en"}:
            raise ValueError(f"translations are of 'ar' and 'en', not {self.translations!r}")
        if self.sitemap_hole and self.sitemaps == "none":
            raise ValueError("a sitemap hole needs sitemaps")
        if self.posts_per_sitemap < 1:
            raise ValueError("posts_per_sitemap must be >= 1")
        needs_wordpress = (
            self.slugs != "reference"
            or self.joomla_slugs
            or self.sitemap_hole
            or self.shortlink_links
            or self.translations != ("ar", "en")
        )
        if needs_wordpress and not self.wordpress:
            raise ValueError("this variant needs wordpress=True (a site built from categories)")

    def describe(self) -> str:
        """The knobs that differ from the default, as ``name=value`` pairs."""
        default = SiteVariant()
        changed = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
            if f.name != "name" and getattr(self, f.name) != getattr(default, f.name)
        ]
        return ", ".join(changed) or "the reconstruction as it is"


_WORDPRESS = SiteVariant(name="wordpress", wordpress=True, author_links=True)

VARIANTS: dict[str, SiteVariant] = {
    v.name: v
    for v in (
        SiteVariant(),
        _WORDPRESS,
        # The slugs cannot be guessed; menus and switchers are the only way in.
        replace(_WORDPRESS, name="renamed", slugs="renamed", slug_seed=1),
        # Renamed, WordPress core sitemaps named in robots.txt, Joomla slugs for Arabic posts.
        replace(
            _WORDPRESS,
            name="core-sitemaps",
            slugs="renamed",
            slug_seed=2,
            sitemaps="core",
            joomla_slugs=True,
        ),
        # Renamed, Yoast sitemap index not named in robots.txt, Rank Math JSON-LD, core headings.
        replace(
            _WORDPRESS,
            name="rankmath",
            slugs="renamed",
            slug_seed=3,
            sitemaps="yoast",
            robots_sitemap=False,
            jsonld="rankmath",
            headings="core",
        ),
        # No translations: Arabic and English only through author archives (and no sitemaps).
        replace(_WORDPRESS, name="no-translations", slugs="renamed", slug_seed=4, translations=()),
        # Arabic untranslated, core sitemaps, no JSON-LD at all, shortlink links.
        replace(
            _WORDPRESS,
            name="partial",
            slugs="renamed",
            slug_seed=5,
            translations=("en",),
            sitemaps="core",
            jsonld="none",
            shortlink_links=True,
        ),
        # A post only the sitemap lists: no listing links it.
        replace(
            _WORDPRESS,
            name="sitemap-hole",
            slugs="renamed",
            slug_seed=6,
            sitemaps="yoast",
            sitemap_hole=True,
        ),
        # A theme change: listings and posts no longer carry the classes the crawler reads.
        replace(_WORDPRESS, name="redesigned", markup="redesigned"),
        replace(_WORDPRESS, name="redesigned-posts", markup="redesigned-posts"),
    )
}


def variant_named(name: str) -> SiteVariant:
    try:
        return VARIANTS[name]
    except KeyError:
        raise ValueError(f"no variant {name!r}; known: {', '.join(VARIANTS)}") from None
