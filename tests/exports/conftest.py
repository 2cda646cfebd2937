"""Archives on real SQLite files, built through Storage.upsert_article as the crawler builds them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccme_crawler.items import ArticleRecord, ExtractedArticle
from ccme_crawler.storage import Storage

ORIGIN = "https://www.ccme.org.ma"
MEDIAS = "/category/archives-du-ccme/medias-et-migration/"
ACTIVITES = "/category/archives-du-ccme/activites/"
SCRIPT_TITLE = "<script>alert('xss')</script> Migration et javascript:alert(1)"


@dataclass(frozen=True)
class Spec:
    slug: str
    title: str
    published_at: str | None
    language: str = "fr"
    category: str = MEDIAS
    label: str = "Médias et migration"
    source: str | None = "M.A.P"
    canonical: str | None = "MAP"
    body: str = "Un paragraphe.\n\nUn autre paragraphe."

    @property
    def url(self) -> str:
        return f"{ORIGIN}/{self.slug}/"


SPECS = [
    Spec(
        "cooperation-maroc-belgique",
        "Le Maroc et la Belgique signent des accords de coopération",
        "2014-02-19T09:00:00+00:00",
        body="La coopération bilatérale entre le Maroc et la Belgique.\n\nUn accord culturel.",
    ),
    Spec("script", SCRIPT_TITLE, "2015-03-01T10:00:00+00:00", body="<b>gras</b> & <i>x</i>"),
    Spec("formule-egal", '=HYPERLINK("http://evil.example","clic")', "2015-06-01T10:00:00+00:00"),
    Spec(
        "formule-plus",
        "+33 612 Marocains",
        "2016-01-10T10:00:00+00:00",
        source="Le Matin",
        canonical="Le Matin",
    ),
    Spec(
        "formule-moins",
        "-1 et @SUM(A1)",
        "2016-05-10T10:00:00+00:00",
        category=ACTIVITES,
        label="Activités",
    ),
    Spec(
        "formule-at",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "2017-01-01T00:00:00+00:00",
        source=None,
        canonical=None,
    ),
    Spec(
        "arabe",
        "الجالية المغربية بالخارج",
        "2017-07-07T07:00:00+00:00",
        language="ar",
        category="/ar/category/archives-du-ccme-ar/",
        label="أرشيف",
        source="و.م.ع",
        canonical="MAP",
        body="نص المقال عن الهجرة.",
    ),
    Spec(
        "anglais",
        "Moroccans abroad: a report",
        "2018-12-31T23:00:00+00:00",
        language="en",
        category=ACTIVITES,
        label="Activities",
        source="Hespress English",
        canonical="Hespress",
    ),
    Spec("sans-date", "Un article sans date lisible", None),
]


def make_record(spec: Spec, fetched_at: str = "2026-11-29T00:00:00+00:00") -> ArticleRecord:
    article = ExtractedArticle(
        url=spec.url,
        title=spec.title,
        published_at=spec.published_at,
        language=spec.language,
        category=spec.label,
        category_url=ORIGIN + spec.category,
        breadcrumb=["Accueil", spec.label],
        body=spec.body,
        source=spec.source,
        source_date=spec.published_at[:10] if spec.published_at else None,
        word_count=len(spec.body.split()),
        flags=[] if spec.published_at else ["date_unreadable"],
    )
    return ArticleRecord(
        article=article,
        content_hash=f"hash-{spec.slug}-{spec.body}",
        source_canonical=spec.canonical,
        listing_category=spec.category,
        category_path=spec.category,
        fetched_url=spec.url,
        final_url=spec.url,
        http_status=200,
        etag=None,
        last_modified=None,
        fetched_at=fetched_at,
    )


def build_archive(path: Path, specs: list[Spec] = SPECS) -> Path:
    with Storage.open(path) as store:
        first = store.start_run(
            mode="full", base_url=ORIGIN, categories=[MEDIAS], settings={}, software_version="0.0.9"
        )
        store.finish_run(first, "completed", {"articles_new": 5}, "finished")
        second = store.start_run(
            mode="auto",
            base_url=ORIGIN,
            categories=[ACTIVITES],
            settings={},
            software_version="0.1.0",
        )
        for n, spec in enumerate(specs):
            store.upsert_article(make_record(spec), run_id=first if n < 5 else second)
        store.finish_run(second, "completed", {"articles_new": len(specs) - 5}, "finished")
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    yield build_archive(tmp_path / "ccme.sqlite")
