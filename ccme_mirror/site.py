"""The mirror's content model: categories, articles and the listings WordPress derives from them.

A :class:`MirrorArticle` is both what the mirror renders and the extraction result tests expect.
:class:`MirrorSite` orders each category newest first (``published_at``, then ``post_id``) and
pages it like WordPress (``per_page`` posts a page). :func:`generate_site` builds mirrors of any
size cheaply: generated articles keep their title and metadata in memory and produce their body
text on demand from a per-article seed.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote, urlsplit

from ccme_mirror.chrome import LanguageMenus, walk
from ccme_mirror.model import MirrorArticle, MirrorCategory, _normalize_path
from ccme_mirror.taxonomy import (
    ARCHIVE_LABELS,
    LANGUAGES,
    build_taxonomy,
    legacy_menus,
    reference_aliases,
)
from ccme_mirror.variant import SiteVariant, variant_named

SOURCE_LINE_STYLES: tuple[str, ...] = ("plain", "br", "bold", "colon", "numeric")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _sort_key(article: MirrorArticle) -> tuple[float, int]:
    # Ascending order of this key is "newest first".
    return (-parse_iso(article.published_at).timestamp(), -article.post_id)


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Author archives are at /author/<user_nicename>/: WordPress made this one from an e-mail login.
AUTHOR_NICENAMES = {"Equipe de rédaction": "rajae-moumengmail-com"}
SCOPES = ("archive", "site")


def author_nicename(author: str) -> str:
    return AUTHOR_NICENAMES.get(author) or _slugify_ascii(author) or "author"


def author_path(author: str, language: str) -> str:
    prefix = "" if language == "fr" else f"/{language}"
    return f"{prefix}/author/{author_nicename(author)}/"


class MirrorSite:
    """Categories and articles, with WordPress-like listings. Safe to mutate while serving."""

    def __init__(
        self,
        categories: Iterable[MirrorCategory],
        articles: Iterable[MirrorArticle] = (),
        *,
        per_page: int = 10,
        link_quirks: bool = True,
        variant: SiteVariant | None = None,
        menus: dict[str, LanguageMenus] | None = None,
        hidden: Iterable[int] = (),
        path_aliases: dict[str, str] | None = None,
    ) -> None:
        if per_page < 1:
            raise ValueError("per_page must be >= 1")
        self.categories: list[MirrorCategory] = list(categories)
        self.articles: list[MirrorArticle] = []
        self.per_page = per_page
        self.link_quirks = link_quirks
        self.variant = variant or SiteVariant()
        # Menus by language; None: the reference's French menus on every page (render.py).
        self.menus = menus
        # Posts no listing links (served, and in the sitemaps): a hole in the listings.
        self.hidden: set[int] = set(hidden)
        # Reference category paths the theme's templates hard-code → this site's paths.
        self.path_aliases: dict[str, str] = dict(path_aliases or {})
        self.authors: dict[str, MirrorCategory] = {}  # author archive path → its listing
        self._lock = threading.RLock()
        self._by_path: dict[str, MirrorArticle] = {}
        self._by_id: dict[int, MirrorArticle] = {}
        self._cat_by_path: dict[str, MirrorCategory] = {c.path: c for c in self.categories}
        self._by_key: dict[tuple[str, str], MirrorCategory] = {
            (c.key, c.language): c for c in self.categories if c.key is not None
        }
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
        if article.post_id in self.hidden:
            return
        for path in self._listing_paths(article):
            if sorted_insert:
                key = _sort_key(article)
                keys = self._keys[path]
                pos = bisect.bisect_left(keys, key)
                keys.insert(pos, key)
                self._listings[path].insert(pos, article)
            else:
                self._listings[path].append(article)

    def _listing_paths(self, article: MirrorArticle) -> list[str]:
        """Every listing of the post: its categories and their parents (a parent category's
        archive lists its children's posts, as WordPress does), and its author archive."""
        paths: list[str] = []
        for cat in article.categories:
            path: str | None = cat.path
            while path is not None and path in self._cat_by_path and path not in paths:
                paths.append(path)  # categories the mirror does not list are skipped
                path = self._cat_by_path[path].parent_path
        author = author_path(article.author, article.language)
        if author not in self.authors:
            self.authors[author] = MirrorCategory(
                author, article.author, article.language, None, None, kind="author"
            )
            self._listings[author] = []
            self._keys[author] = []
        paths.append(author)
        return paths

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

    def menus_for(self, language: str) -> LanguageMenus:
        """The menus of a page in ``language``: the site's, or the reference's French ones."""
        if self.menus is None:
            return legacy_menus()
        return self.menus[language]

    def archive_listing(self, path: str) -> MirrorCategory | None:
        """The category or author archive at ``path``."""
        key = _normalize_path(path)
        return self._cat_by_path.get(key) or self.authors.get(key)

    def translation(self, category: MirrorCategory, language: str) -> MirrorCategory | None:
        """The category's Polylang translation into ``language``, if the site links them."""
        if category.key is None or not self.variant.wordpress:
            return None
        linked = {"fr", *self.variant.translations}
        if category.language not in linked or language not in linked:
            return None
        return self._by_key.get((category.key, language))

    def menu_archive_paths(self, language: str) -> list[str]:
        """The categories of ``language`` under the "Archives du CCME" entry of the menus its
        home prints (render.menus_for): the archive a default crawl walks in that language."""
        found: list[str] = []
        for item in walk(self.menus_for(language).mobile):
            if item.kind == "category" and item.label in ARCHIVE_LABELS:
                for child in walk(item.children):
                    cat = self._cat_by_path.get(child.path or "")
                    if cat is not None and cat.language == language:
                        found.append(cat.path)
        return found

    def authors_discoverable(self) -> bool:
        """Whether a crawler can learn the author archives: linked from listings, or listed
        in a users sitemap."""
        return self.variant.author_links or self.variant.sitemaps != "none"

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

    def newest_in_language(self, language: str, n: int) -> list[MirrorArticle]:
        """The ``n`` newest listed posts of a language (a home page's)."""
        with self._lock:
            listed = (
                a for a in self.articles if a.language == language and a.post_id not in self.hidden
            )
            return heapq.nsmallest(n, listed, key=_sort_key)

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

    def expected_articles(self, scope: str | None = None) -> list[MirrorArticle]:
        """The articles a crawl must store, newest first.

        ``None``: every distinct article listed in at least one category. ``"site"`` (``crawl
        --scope site``): every post the site lists, in a category, an author archive or (with
        sitemaps) only a sitemap. ``"archive"`` (a default crawl): in each language, the posts
        of the categories its menus file under "Archives du CCME" (menu_archive_paths); a
        language without them falls back on its author archive when a crawler can find it;
        posts only the sitemaps list count where their category or language does.
        """
        if scope is not None and scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
        with self._lock:
            seen: dict[int, MirrorArticle] = {}
            in_sitemaps = self.variant.sitemaps != "none"
            hidden = [self._by_id[i] for i in sorted(self.hidden)] if in_sitemaps else []
            if scope is None:
                for cat in self.categories:
                    for article in self._listings[cat.path]:
                        seen.setdefault(article.post_id, article)
            elif scope == "site":
                for items in self._listings.values():
                    for article in items:
                        seen.setdefault(article.post_id, article)
                for article in hidden:
                    seen.setdefault(article.post_id, article)
            else:
                for language in sorted({a.language for a in self.articles}):
                    archive = set(self.menu_archive_paths(language))
                    if archive:
                        chosen = [a for p in archive for a in self._listings[p]]
                        chosen += [a for a in hidden if {p for p in self._ancestry(a)} & archive]
                    elif self.authors_discoverable():
                        chosen = [
                            a
                            for cat in self.authors.values()
                            if cat.language == language
                            for a in self._listings[cat.path]
                        ]
                        chosen += [a for a in hidden if a.language == language]
                    else:
                        chosen = []
                    for article in chosen:
                        seen.setdefault(article.post_id, article)
            return sorted(seen.values(), key=_sort_key)

    def _ancestry(self, article: MirrorArticle) -> list[str]:
        """The article's category paths and their ancestors (registered or not)."""
        paths = []
        for cat in article.categories:
            path: str | None = cat.path
            while path is not None and path not in paths:
                paths.append(path)
                parent = self._cat_by_path.get(path)
                path = parent.parent_path if parent is not None else None
        return paths


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


# Picks a generated post's language, category and extra categories from the site's random
# stream (the post's index is given so that quotas can be kept).
_Chooser = Callable[[random.Random, int], tuple[str, MirrorCategory, list[MirrorCategory]]]


def generate_site(
    n_articles: int,
    *,
    seed: int = 0,
    categories: list[MirrorCategory] | None = None,
    link_quirks: bool = True,
    languages: Iterable[str] = ("fr", "ar", "en"),
    per_page: int = 10,
    variant: SiteVariant | str | None = None,
) -> MirrorSite:
    """A deterministic mirror of ``n_articles`` posts spread over the categories.

    French posts go to the French categories, Arabic and English ones to categories of their
    language (languages without a category are skipped). About 3 % of the posts also appear in a
    second category of their language. Dates run from 2008 to mid-2025, oldest post first.

    With a WordPress ``variant`` (a :class:`SiteVariant` or a name in ``variant.VARIANTS``) the
    site is built from its taxonomy instead (``categories`` must be None): see
    :func:`_generate_wordpress_site`.
    """
    if isinstance(variant, str):
        variant = variant_named(variant)
    if variant is not None and variant.wordpress:
        if categories is not None:
            raise ValueError("a WordPress variant builds its own categories")
        return _generate_wordpress_site(
            n_articles,
            seed=seed,
            variant=variant,
            link_quirks=link_quirks,
            languages=tuple(languages),
            per_page=per_page,
        )
    cats = list(categories) if categories is not None else default_categories()
    langs = [lang for lang in languages if any(c.language == lang for c in cats)]
    if not langs:
        raise ValueError("no category matches the requested languages")
    by_lang = {lang: [c for c in cats if c.language == lang] for lang in langs}
    weights = {"fr": 0.8, "ar": 0.12, "en": 0.08}
    lang_weights = [weights.get(lang, 0.1) for lang in langs]

    def choose(rng: random.Random, i: int) -> tuple[str, MirrorCategory, list[MirrorCategory]]:
        lang = rng.choices(langs, lang_weights)[0]
        category = rng.choice(by_lang[lang])
        extra = []
        if len(by_lang[lang]) > 1 and rng.random() < 0.03:
            extra = [rng.choice([c for c in by_lang[lang] if c is not category])]
        return lang, category, extra

    articles = _generate_articles(n_articles, seed, choose)
    return MirrorSite(cats, articles, per_page=per_page, link_quirks=link_quirks, variant=variant)


def _generate_articles(n_articles: int, seed: int, choose: _Chooser) -> list[MirrorArticle]:
    rng = random.Random(seed)
    start = datetime(2008, 6, 1, tzinfo=UTC)
    end = datetime(2025, 6, 30, tzinfo=UTC)
    step = (end - start) / max(1, n_articles)
    used: set[str] = set()
    articles: list[MirrorArticle] = []
    for i in range(n_articles):
        lang, category, extra = choose(rng, i)
        words = _WORDS[lang]
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
    return articles


def joomla_slug(article: MirrorArticle, rng: random.Random) -> str:
    """An old-site path: the Joomla item's creation time (a migration, months or years after the
    post's date: neither a title nor a date) and its id, ``/ar/2013-03-19-17-13-35-3199/``."""
    created = parse_iso(article.published_at) + timedelta(
        days=rng.randint(200, 900), seconds=rng.randint(0, 86_399)
    )
    return f"/{article.language}/{created:%Y-%m-%d-%H-%M-%S}-{rng.randint(1000, 9999)}/"


def _generate_wordpress_site(
    n_articles: int,
    *,
    seed: int,
    variant: SiteVariant,
    link_quirks: bool,
    languages: tuple[str, ...],
    per_page: int,
) -> MirrorSite:
    """A WordPress site built from its taxonomy (taxonomy.py): the archive's three categories
    and the other menu categories in every language, menus linking them, Polylang switchers.

    Most posts go to the archive categories; each other category gets one post first (so that
    ``--scope site`` has something to find there). About 60 % of the posts are French, 25 %
    Arabic, 15 % English. With ``joomla_slugs`` Arabic posts keep old-site paths; with
    ``sitemap_hole`` one French and one Arabic archive post are listed nowhere but in the
    sitemaps.
    """
    taxonomy = build_taxonomy(variant)
    langs = [lang for lang in LANGUAGES if lang in languages]
    if not langs:
        raise ValueError("no language to generate")
    weights = {"fr": 0.6, "ar": 0.25, "en": 0.15}
    lang_weights = [weights[lang] for lang in langs]
    archive = {lang: taxonomy.post_categories(lang, archive=True) for lang in langs}
    others = {lang: taxonomy.post_categories(lang, archive=False) for lang in langs}

    def choose(rng: random.Random, i: int) -> tuple[str, MirrorCategory, list[MirrorCategory]]:
        lang = rng.choices(langs, lang_weights)[0]
        pending = [lang for lang in langs if others[lang]]
        if pending and i % 3 == 1:  # every third post fills the other categories first
            lang = pending[(i // 3) % len(pending)]
            return lang, others[lang].pop(0), []
        category = rng.choice(archive[lang])
        extra = []
        if rng.random() < 0.04:
            extra = [rng.choice([c for c in archive[lang] if c is not category])]
        return lang, category, extra

    articles = _generate_articles(n_articles, seed, choose)
    rng = random.Random(f"ccme-mirror-variant:{seed}")
    if variant.joomla_slugs:
        for article in articles:
            if article.language == "ar":
                article.slug_path = joomla_slug(article, rng)
    hidden: list[int] = []
    if variant.sitemap_hole:
        archive_paths = {c.path for cats in archive.values() for c in cats}
        for lang in ("fr", "ar"):
            candidates = [
                a for a in articles if a.language == lang and a.category.path in archive_paths
            ]
            if candidates:
                hidden.append(candidates[len(candidates) // 2].post_id)
    return MirrorSite(
        list(taxonomy.categories.values()),
        articles,
        per_page=per_page,
        link_quirks=link_quirks,
        variant=variant,
        menus=taxonomy.menus,
        hidden=hidden,
        path_aliases=reference_aliases(taxonomy),
    )
