"""The mirror's records: a category (or author archive) and an article.

A :class:`MirrorArticle` is both what the mirror renders and the extraction result tests expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ccme_crawler.urls import SITE_ORIGIN, canonical_path

# Paths already in canonical form (lower-case ASCII slug, upper-case percent escapes) skip the
# (slower) normalization, which matters when generating 100,000 articles.
_CANONICAL_SLUG = re.compile(r"^(?:[a-z0-9/_.\-]|%[0-9A-F]{2})+/$")


def _normalize_path(path: str) -> str:
    if path.startswith("/") and _CANONICAL_SLUG.match(path):
        return path
    return canonical_path(path).split("?", 1)[0]


@dataclass
class MirrorCategory:
    """A listing: a category (``kind="category"``) or an author archive (``kind="author"``)."""

    path: str
    label: str
    language: str
    parent_label: str | None = "Archives du CCME"
    parent_path: str | None = "/category/archives-du-ccme/"
    key: str | None = None  # Polylang translation group (taxonomy.TERMS), same in every language
    kind: str = "category"

    def __post_init__(self) -> None:
        self.path = _normalize_path(self.path)
        if self.parent_path is not None:
            self.parent_path = _normalize_path(self.parent_path)


@dataclass
class MirrorArticle:
    slug_path: str
    title: str
    published_at: str
    language: str
    category: MirrorCategory
    paragraphs: list[str]
    source: str | None
    source_date: str | None
    source_line_style: str = "plain"
    modified_at: str | None = None
    post_id: int = 0
    author: str = "Equipe de rédaction"
    extra_categories: list[MirrorCategory] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.slug_path = _normalize_path(self.slug_path)

    @property
    def url(self) -> str:
        """The canonical key of the article (always on the live site's origin)."""
        return SITE_ORIGIN + self.slug_path

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def categories(self) -> list[MirrorCategory]:
        return [self.category, *self.extra_categories]
