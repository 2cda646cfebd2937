"""The mirror's content model: categories, articles and the listings WordPress derives from them.

A :class:`MirrorArticle` is both what the mirror renders and the extraction result tests expect.
:class:`MirrorSite` orders each category newest first (``published_at``, then ``post_id``) and
pages it like WordPress (``per_page`` posts a page). :func:`generate_site` builds mirrors of any
size cheaply: generated articles keep their title and metadata in memory and produce their body
text on demand from a per-article seed.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlsplit

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
    path: str
    label: str
    language: str
    parent_label: str | None = "Archives du CCME"
    parent_path: str | None = "/category/archives-du-ccme/"

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


SOURCE_LINE_STYLES: tuple[str, ...] = ("plain", "br", "bold", "colon", "numeric")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _sort_key(article: MirrorArticle) -> tuple[float, int]:
    # Ascending order of this key is "newest first".
    return (-parse_iso(article.published_at).timestamp(), -article.post_id)


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class MirrorSite:
    """Categories and articles, with WordPress-like listings. Safe to mutate while serving."""

    def __init__(
        self,
        categories: Iterable[MirrorCategory],
        articles: Iterable[MirrorArticle] = (),
        *,
        per_page: int = 10,
        link_quirks: bool = True,
    ) -> None:
        if per_page < 1:
            raise ValueError("per_page must be >= 1")
        self.categories: list[MirrorCategory] = list(categories)
        self.articles: list[MirrorArticle] = []
        self.per_page = per_page
        self.link_quirks = link_quirks
        self._lock = threading.RLock()
        self._by_path: dict[str, MirrorArticle] = {}
        self._by_id: dict[int, MirrorArticle] = {}
        self._cat_by_path: dict[str, MirrorCategory] = {c.path: c for c in self.categories}
        self._listings: dict[str, list[MirrorArticle]] = {c.path: [] for c in self.categories}
        self._keys: dict[str, list[tuple[float, int]]] = {c.path: [] for c in self.categories}
        self._next_id = 1
        batch = list(articles)
        for article in batch:
            self._register(article)
        for path, items in self._listings.items():
            items.sort(key=_sort_key)
            self._keys[path] = [_sort_key(a) for a in items]

    # -- building -------------------------------------------------------------------------
    def _register(self, article: MirrorArticle, *, sorted_insert: bool = False) -> None:
        if article.slug_path in self._by_path:
            raise ValueError(f"duplicate article path: {article.slug_path}")
        if article.post_id <= 0:
            article.post_id = self._next_id
        if article.post_id in self._by_id:
            raise ValueError(f"duplicate post id: {article.post_id}")
        self._next_id = max(self._next_id, article.post_id + 1)
        self.articles.append(article)
        self._by_path[article.slug_path] = article
        self._by_id[article.post_id] = article
        seen: set[str] = set()
        for cat in article.categories:
            if cat.path in seen:
                continue
            seen.add(cat.path)
            if cat.path not in self._cat_by_path:
                continue  # a category the mirror does not list: the article is still served
            if sorted_insert:
                key = _sort_key(article)
                keys = self._keys[cat.path]
                pos = bisect.bisect_left(keys, key)
                keys.insert(pos, key)
                self._listings[cat.path].insert(pos, article)
            else:
                self._listings[cat.path].append(article)

    def add_article(self, article: MirrorArticle) -> None:
        """Publish an article: it appears in its categories at its place by date (the top for a
        new one), shifting the others one position down."""
        with self._lock:
            self._register(article, sorted_insert=True)

    def update_article(
        self,
        slug_path: str,
        *,
        paragraphs: list[str] | None = None,
        title: str | None = None,
        modified_at: str | None = None,
    ) -> None:
        """Change an article's content; its modification date moves (now, unless given)."""
        with self._lock:
            article = self.find(slug_path)
            if article is None:
                raise KeyError(slug_path)
            if paragraphs is not None:
                article.paragraphs = list(paragraphs)
            if title is not None:
                article.title = title
            article.modified_at = modified_at or _now_iso()

    # -- queries --------------------------------------------------------------------------
    def category(self, category_path: str) -> MirrorCategory | None:
        return self._cat_by_path.get(_normalize_path(category_path))

    def listing(self, category_path: str, page: int) -> list[MirrorArticle] | None:
        """Articles on page ``page`` (1-based) of a category, or None past the last page."""
        with self._lock:
            items = self._listings.get(_normalize_path(category_path))
            if items is None or page < 1 or page > self.last_page(category_path):
                return None
            start = (page - 1) * self.per_page
            return items[start : start + self.per_page]

    def last_page(self, category_path: str) -> int:
        with self._lock:
            items = self._listings.get(_normalize_path(category_path))
            if items is None:
                raise KeyError(category_path)
            return max(1, math.ceil(len(items) / self.per_page))

    def category_size(self, category_path: str) -> int:
        with self._lock:
            return len(self._listings[_normalize_path(category_path)])

    def newest(
        self, category_path: str, n: int, *, exclude: int | None = None
    ) -> list[MirrorArticle]:
        with self._lock:
            items = self._listings.get(_normalize_path(category_path), [])
            return [a for a in items[: n + 1] if a.post_id != exclude][:n]

    def find(self, canonical_url_or_path: str) -> MirrorArticle | None:
        text = canonical_url_or_path.strip()
        if "://" in text:
            text = urlsplit(text).path or "/"
        try:
            key = _normalize_path(text)
        except ValueError:
            return None
        return self._by_path.get(key)

    def find_by_id(self, post_id: int) -> MirrorArticle | None:
        return self._by_id.get(post_id)

    def expected_articles(self) -> list[MirrorArticle]:
        """Every distinct article listed in at least one category, newest first."""
        with self._lock:
            seen: dict[int, MirrorArticle] = {}
            for items in self._listings.values():
                for article in items:
                    seen.setdefault(article.post_id, article)
            return sorted(seen.values(), key=_sort_key)


# ---------------------------------------------------------------------------------------------
# Generated mirrors
# ---------------------------------------------------------------------------------------------

ARCHIVE_CATEGORIES: tuple[MirrorCategory, ...] = (
    MirrorCategory("/category/archives-du-ccme/activites/", "Activités", "fr"),
    MirrorCategory("/category/archives-du-ccme/medias-et-migration/", "Médias et migration", "fr"),
    MirrorCategory("/category/archives-du-ccme/actualites-archives-du-ccme/", "Actualités", "fr"),
)
ARABIC_CATEGORY = MirrorCategory(
    "/ar/category/archives-ar/medias-et-migration-ar/",
    "الإعلام والهجرة",
    "ar",
    parent_label="أرشيف المجلس",
    parent_path="/ar/category/archives-ar/",
)
ENGLISH_CATEGORY = MirrorCategory(
    "/en/category/ccme-archives/media-and-migration/",
    "Media and migration",
    "en",
    parent_label="CCME Archives",
    parent_path="/en/category/ccme-archives/",
)


def default_categories() -> list[MirrorCategory]:
    """The three "Archives du CCME" categories plus the Arabic and English ones (fresh copies)."""
    return [
        MirrorCategory(c.path, c.label, c.language, c.parent_label, c.parent_path)
        for c in (*ARCHIVE_CATEGORIES, ARABIC_CATEGORY, ENGLISH_CATEGORY)
    ]


_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "subject": (
            "Les Marocains du monde",
            "Le CCME",
            "La diaspora marocaine",
            "Les jeunes MRE",
            "Les travailleurs migrants",
            "Les associations de la diaspora",
            "Les étudiants marocains",
            "Les entrepreneurs marocains",
            "Les chercheurs en migration",
            "Les femmes migrantes",
        ),
        "verb": (
            "mobilisés pour",
            "au cœur de",
            "face à",
            "engagés dans",
            "réunis autour de",
            "interpellés par",
            "partenaires de",
            "acteurs de",
        ),
        "object": (
            "l’opération Marhaba",
            "la réforme du code de la famille",
            "l’investissement au Maroc",
            "la mémoire de l’immigration",
            "l’enseignement de la langue arabe",
            "la participation politique",
            "la lutte contre les discriminations",
            "la protection sociale",
            "la culture marocaine",
            "les transferts de fonds",
            "le dialogue interreligieux",
            "la mobilité des compétences",
        ),
        "place": (
            "à Bruxelles",
            "à Paris",
            "à Madrid",
            "à Montréal",
            "à Rabat",
            "à Amsterdam",
            "à Turin",
            "à Düsseldorf",
            "à Dakar",
            "à Casablanca",
            "à Lyon",
            "à Barcelone",
        ),
        "sentence": (
            "{s} ont participé {p} à une rencontre consacrée à {o}.",
            "Selon les organisateurs, plus de {n} personnes ont pris part aux travaux.",
            "Les intervenants ont souligné l’importance de {o} pour les nouvelles générations.",
            "Un rapport publié cette semaine consacre un chapitre entier à {o}.",
            "{s} demandent un meilleur accompagnement des pouvoirs publics.",
            "Les débats ont également porté sur les difficultés administratives rencontrées par les familles.",
            "La rencontre s’est conclue par l’adoption d’une série de recommandations.",
            "Le programme prévoit l’organisation de {n} ateliers au cours de l’année.",
            "Plusieurs témoignages ont rappelé le parcours des premières générations d’émigrés.",
            "Les autorités locales ont salué une initiative qualifiée d’exemplaire.",
        ),
    },
    "ar": {
        "subject": (
            "مغاربة العالم",
            "مجلس الجالية المغربية بالخارج",
            "الجالية المغربية",
            "الشباب المغاربة",
            "العمال المهاجرون",
            "جمعيات المهجر",
            "الطلبة المغاربة",
            "الكفاءات المغربية",
        ),
        "verb": ("في قلب", "يناقشون", "يشاركون في", "يدعمون", "يواكبون"),
        "object": (
            "عملية مرحبا",
            "الاستثمار في المغرب",
            "ذاكرة الهجرة",
            "تعليم اللغة العربية",
            "المشاركة السياسية",
            "محاربة التمييز",
            "الحماية الاجتماعية",
            "الثقافة المغربية",
        ),
        "place": ("في بروكسيل", "في باريس", "في مدريد", "في مونتريال", "في الرباط", "في أمستردام"),
        "sentence": (
            "شارك {s} {p} في لقاء خصص لموضوع {o}.",
            "وحسب المنظمين، فقد حضر أكثر من {n} شخص أشغال هذا اللقاء.",
            "وأكد المتدخلون على أهمية {o} بالنسبة للأجيال الجديدة.",
            "ويطالب {s} بمواكبة أفضل من طرف السلطات العمومية.",
            "واختتم اللقاء بتبني مجموعة من التوصيات.",
            "ويتضمن البرنامج تنظيم {n} ورشة خلال السنة.",
        ),
    },
    "en": {
        "subject": (
            "Moroccans abroad",
            "The CCME",
            "The Moroccan diaspora",
            "Young Moroccans",
            "Migrant workers",
            "Diaspora associations",
            "Moroccan students",
            "Moroccan entrepreneurs",
        ),
        "verb": ("discuss", "mobilise for", "take part in", "call for", "support"),
        "object": (
            "Operation Marhaba",
            "investment in Morocco",
            "the memory of migration",
            "Arabic language teaching",
            "political participation",
            "the fight against discrimination",
            "social protection",
            "Moroccan culture",
        ),
        "place": (
            "in Brussels",
            "in Paris",
            "in Madrid",
            "in Montreal",
            "in Rabat",
            "in Amsterdam",
        ),
        "sentence": (
            "{s} met {p} for a conference on {o}.",
            "According to the organisers, more than {n} people attended the sessions.",
            "Speakers stressed the importance of {o} for the younger generations.",
            "{s} are calling for better support from public authorities.",
            "The meeting ended with the adoption of a set of recommendations.",
            "The programme includes {n} workshops over the year.",
        ),
    },
}
_SOURCES: dict[str, tuple[str, ...]] = {
    "fr": (
        "MAP",
        "Le Matin",
        "L’Économiste",
        "Le Monde",
        "Libération",
        "Yabiladi",
        "TelQuel",
        "Le360",
        "AFP",
        "La Libre Belgique",
    ),
    "ar": ("هسبريس", "الصباح", "وكالة المغرب العربي للأنباء", "المساء", "الأحداث المغربية"),
    "en": ("Reuters", "Morocco World News", "The Guardian", "AP", "BBC News"),
}


def _slugify_ascii(text: str) -> str:
    import unicodedata

    text = text.replace("’", "").replace("'", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _slug_for(title: str, language: str) -> str:
    if language == "ar":
        words = re.sub(r"[^\w\s-]", "", title).split()
        return quote("-".join(words), safe="-")
    return _slugify_ascii(title)


class _GeneratedArticle(MirrorArticle):
    """An article whose paragraphs are produced on demand (until they are replaced)."""

    _seed: int

    @property
    def paragraphs(self) -> list[str]:
        override: list[str] | None = self.__dict__.get("_paragraphs")
        if override is not None:
            return override
        return _generate_paragraphs(self.language, self._seed)

    @paragraphs.setter
    def paragraphs(self, value: list[str] | None) -> None:
        if value is not None:
            self.__dict__["_paragraphs"] = list(value)


def _generate_paragraphs(language: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = _WORDS[language]
    paragraphs = []
    for _ in range(rng.randint(3, 7)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            template = rng.choice(words["sentence"])
            sentences.append(
                template.format(
                    s=rng.choice(words["subject"]),
                    p=rng.choice(words["place"]),
                    o=rng.choice(words["object"]),
                    n=rng.randint(2, 900),
                )
            )
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _casablanca_offset(moment: datetime) -> timedelta:
    try:
        from zoneinfo import ZoneInfo

        offset = moment.astimezone(ZoneInfo("Africa/Casablanca")).utcoffset()
        return offset if offset is not None else timedelta(0)
    except Exception:  # no tz database: Morocco has been on UTC+1 since late 2018
        return timedelta(hours=1) if moment.year >= 2019 else timedelta(0)


def _local_iso(moment_utc: datetime) -> str:
    offset = _casablanca_offset(moment_utc)
    local = (moment_utc + offset).replace(tzinfo=None)
    sign = "+" if offset >= timedelta(0) else "-"
    hours, rem = divmod(abs(int(offset.total_seconds())), 3600)
    return f"{local.isoformat(timespec='seconds')}{sign}{hours:02d}:{rem // 60:02d}"


def generate_site(
    n_articles: int,
    *,
    seed: int = 0,
    categories: list[MirrorCategory] | None = None,
    link_quirks: bool = True,
    languages: Iterable[str] = ("fr", "ar", "en"),
    per_page: int = 10,
) -> MirrorSite:
    """A deterministic mirror of ``n_articles`` posts spread over the categories.

    French posts go to the French categories, Arabic and English ones to categories of their
    language (languages without a category are skipped). About 3 % of the posts also appear in a
    second category of their language. Dates run from 2008 to mid-2025, oldest post first.
    """
    cats = list(categories) if categories is not None else default_categories()
    langs = [lang for lang in languages if any(c.language == lang for c in cats)]
    if not langs:
        raise ValueError("no category matches the requested languages")
    by_lang = {lang: [c for c in cats if c.language == lang] for lang in langs}
    weights = {"fr": 0.8, "ar": 0.12, "en": 0.08}
    lang_weights = [weights.get(lang, 0.1) for lang in langs]
    rng = random.Random(seed)
    start = datetime(2008, 6, 1, tzinfo=UTC)
    end = datetime(2025, 6, 30, tzinfo=UTC)
    step = (end - start) / max(1, n_articles)
    used: set[str] = set()
    articles: list[MirrorArticle] = []
    for i in range(n_articles):
        lang = rng.choices(langs, lang_weights)[0]
        words = _WORDS[lang]
        category = rng.choice(by_lang[lang])
        extra = []
        if len(by_lang[lang]) > 1 and rng.random() < 0.03:
            extra = [rng.choice([c for c in by_lang[lang] if c is not category])]
        moment = start + step * i + timedelta(seconds=rng.randint(0, 3000))
        published = _local_iso(moment.replace(microsecond=0))
        title = (
            f"{rng.choice(words['subject'])} {rng.choice(words['verb'])} "
            f"{rng.choice(words['object'])} {rng.choice(words['place'])}"
        )
        slug = _slug_for(title, lang)
        prefix = "" if lang == "fr" else f"/{lang}"
        path = f"{prefix}/{slug}/"
        n = 2
        while path in used:
            path = f"{prefix}/{slug}-{n}/"
            n += 1
        used.add(path)
        has_source = rng.random() < 0.85
        source = rng.choice(_SOURCES[lang]) if has_source else None
        source_date = None
        if has_source and rng.random() < 0.9:
            source_date = (
                date.fromisoformat(published[:10]) - timedelta(days=rng.randint(0, 2))
            ).isoformat()
        article = _GeneratedArticle(
            slug_path=path,
            title=title,
            published_at=published,
            language=lang,
            category=category,
            paragraphs=None,  # type: ignore[arg-type]  # generated on demand
            source=source,
            source_date=source_date,
            source_line_style=SOURCE_LINE_STYLES[rng.randrange(len(SOURCE_LINE_STYLES))],
            post_id=100_000 + i,
            extra_categories=extra,
        )
        article._seed = seed * 1_000_003 + i
        articles.append(article)
    return MirrorSite(cats, articles, per_page=per_page, link_quirks=link_quirks)
