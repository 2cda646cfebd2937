"""Build the golden corpus: SmartMag article pages with hand-written expectations.

Run once (``python tests/golden/make_corpus.py``) and commit the output; the committed HTML and
JSON files *are* the corpus. Every page reuses the whole chrome of ``pages/000-seed.html`` (a
byte copy of the reference page): header, menus, off-canvas, share bars, related posts, the
sidebar with its 2025 dates and the three footers. Only the article itself varies.

The expectations below are written by hand from what each page says; the extractor is never
run here. Paragraph texts are shared constants so that a page's HTML and its expected body name
the same sentences.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent
PAGES = HERE / "pages"
EXPECTED = HERE / "expected"
SEED = PAGES / "000-seed.html"
ORIGIN = "https://www.ccme.org.ma"

SEED_SLUG = "le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation"
SEED_TITLE = "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération"
SEED_TIME = '<time class="post-date" datetime="2014-02-19T09:00:00+00:00">19 février 2014</time>'
SEED_CATEGORY = (
    '<a href="https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/" '
    'class="category term-color-53" rel="category">Médias et migration</a>'
)
CONTENT_OPEN = '<div class="post-content cf entry-content content-spacious">'
CONTENT_END = "<p>Source : MAP</p>"

# --- Paragraph pools (invented press-review style texts) -------------------------------------
FR = [
    "Le Conseil de la communauté marocaine à l’étranger (CCME) a organisé, samedi à Rabat, une rencontre consacrée aux compétences marocaines établies en Europe.",
    "Les participants ont souligné l’importance de la mobilisation des Marocains du monde dans les grands chantiers de développement engagés par le Royaume.",
    "Selon les organisateurs, plus de deux cents chercheurs, chefs d’entreprise et acteurs associatifs ont pris part aux travaux, répartis en quatre ateliers thématiques.",
    "Le secrétaire général du Conseil a rappelé que la diaspora compte près de cinq millions de personnes, dont une majorité installée en France, en Espagne, en Italie et en Belgique.",
    "Les débats ont porté notamment sur la reconnaissance des diplômes, la portabilité des droits sociaux et l’accès aux services consulaires.",
    "Une étude présentée à cette occasion révèle que les transferts des Marocains résidant à l’étranger ont atteint un niveau record au cours de l’année écoulée.",
    "Les jeunes nés à l’étranger expriment un attachement fort à la culture marocaine, tout en revendiquant pleinement leur citoyenneté dans les pays d’accueil.",
    "Plusieurs intervenants ont plaidé pour un meilleur enseignement de la langue arabe et de l’amazighe au profit des enfants de la deuxième et de la troisième génération.",
    "La rencontre s’est achevée par l’adoption d’une série de recommandations qui seront soumises aux départements ministériels concernés.",
    "En Espagne, le nombre de ressortissants marocains affiliés à la sécurité sociale a progressé de 4 % en un an, selon les chiffres officiels publiés lundi.",
    "Le ministère de l’Inclusion a précisé que les secteurs de l’agriculture, de la construction et de l’hôtellerie concentrent l’essentiel de ces emplois.",
    "Les associations de migrants saluent cette évolution mais dénoncent la précarité des contrats saisonniers et les difficultés d’accès au logement.",
    "À Bruxelles, une exposition retrace soixante ans d’immigration marocaine en Belgique à travers des photographies, des lettres et des témoignages filmés.",
    "Les commissaires de l’exposition ont voulu donner la parole aux pionniers arrivés dans les années 1960 pour travailler dans les mines du Limbourg.",
]
AR = [
    "نظم مجلس الجالية المغربية بالخارج، يوم السبت بالرباط، لقاء حول الكفاءات المغربية المقيمة في أوروبا ودورها في التنمية.",
    "وأكد المشاركون على أهمية تعبئة مغاربة العالم في الأوراش الكبرى التي أطلقتها المملكة خلال السنوات الأخيرة.",
    "وحسب المنظمين، فقد شارك في أشغال هذا اللقاء أزيد من مائتي باحث ومقاول وفاعل جمعوي توزعوا على أربع ورشات موضوعاتية.",
    "وذكر الأمين العام للمجلس بأن الجالية المغربية تضم قرابة خمسة ملايين شخص، يقيم أغلبهم في فرنسا وإسبانيا وإيطاليا وبلجيكا.",
    "وتناولت النقاشات بالخصوص قضايا الاعتراف بالشهادات ونقل الحقوق الاجتماعية والولوج إلى الخدمات القنصلية.",
    "وكشفت دراسة قدمت بهذه المناسبة أن تحويلات المغاربة المقيمين بالخارج بلغت مستوى قياسيا خلال السنة الماضية.",
    "ويعبر الشباب المزدادون بالخارج عن ارتباط قوي بالثقافة المغربية، مع تشبثهم الكامل بمواطنتهم في بلدان الإقامة.",
    "واختتم اللقاء بالمصادقة على مجموعة من التوصيات التي سترفع إلى القطاعات الحكومية المعنية.",
    "وفي إسبانيا، ارتفع عدد المغاربة المنخرطين في الضمان الاجتماعي بنسبة أربعة في المائة خلال سنة واحدة.",
]
EN = [
    "The Council of the Moroccan Community Abroad (CCME) hosted a meeting in Rabat on Saturday on Moroccan professionals living in Europe.",
    "Participants stressed the importance of involving Moroccans abroad in the major development projects launched by the Kingdom.",
    "According to the organisers, more than two hundred researchers, entrepreneurs and civil society actors took part in four thematic workshops.",
    "The Council’s secretary general recalled that the diaspora numbers nearly five million people, most of them living in France, Spain, Italy and Belgium.",
    "The discussions focused on the recognition of diplomas, the portability of social rights and access to consular services.",
    "A study presented at the meeting shows that remittances from Moroccans living abroad reached a record level last year.",
    "Young people born abroad express a strong attachment to Moroccan culture while fully claiming their citizenship in their host countries.",
]


def p(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def ps(texts: list[str]) -> str:
    return "\n".join(p(t) for t in texts)


@dataclass
class Case:
    name: str
    slug: str
    title_html: str  # as written in the page (entities allowed)
    title: str  # expected, by hand
    content: str  # inner HTML of .post-content
    body: list[str]  # expected body blocks, by hand
    source: str | None
    source_date: str | None
    published_at: str | None  # expected
    datetime_attr: str | None  # time.post-date@datetime; None = no machine-readable dates at all
    visible_date: str
    lang: str = "fr"  # "fr", "ar", "en"
    html_lang: str | None = None  # override of html@lang (a mis-declared page)
    category: str = "Médias et migration"
    category_slug: str = "medias-et-migration"
    post_id: int = 70000
    source_canonical: str | None = None
    flags: list[str] = field(default_factory=list)
    meta_date: bool = True  # article:published_time meta present (when datetime_attr is set)
    json_ld: bool = True
    time_attr: bool = True  # datetime attribute on the header's <time>
    charset: str = "utf-8"  # page encoding (declared in <meta charset>)
    seo: str = "yoast"  # head metadata: "yoast", "rankmath" (JSON-LD only) or "none" (core only)
    # Where the post id is written: article#post-N, body.postid-N, the shortlink, the REST link.
    post_id_markers: tuple[str, ...] = ("article", "body", "shortlink", "rest")
    source_url: str | None = None  # expected


def _json_ld(case: Case, url: str, published: str | None) -> str:
    article: dict[str, object] = {
        "@type": "NewsArticle",
        "@id": url + "#article",
        "author": {"name": "Equipe de rédaction"},
        "headline": case.title,
        "mainEntityOfPage": {"@id": url},
        "articleSection": [case.category],
        "inLanguage": {"fr": "fr-FR", "ar": "ar", "en": "en-US"}[case.lang],
    }
    if published:
        article["datePublished"] = published
        article["dateModified"] = "2023-10-24T10:52:37+00:00"
    graph = {"@context": "https://schema.org", "@graph": [article]}
    return (
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + json.dumps(graph, ensure_ascii=True, separators=(",", ":"))
        + "</script>"
    )


SUFFIX = " - CCME | Études et actualités sur les Marocains du monde"
YOAST_START = "<!-- This site is optimized with the Yoast SEO plugin"
YOAST_END = "<!-- / Yoast SEO plugin. -->"


def _rank_math_head(case: Case, url: str) -> list[str]:
    """Rank Math's head: its own tags and a JSON-LD @graph with a BlogPosting (no meta dates)."""
    locale = {"fr": "fr_FR", "ar": "ar_AR", "en": "en_US"}[case.lang]
    language = {"fr": "fr-FR", "ar": "ar", "en": "en-US"}[case.lang]
    author = f"{ORIGIN}/author/rajae-moumengmail-com/"
    posting: dict[str, object] = {
        "@type": "BlogPosting",
        "headline": case.title + " - CCME",
        "articleSection": case.category,
        "author": {"@id": author, "name": "Equipe de rédaction"},
        "publisher": {"@id": f"{ORIGIN}/#organization"},
        "name": case.title + " - CCME",
        "@id": url + "#richSnippet",
        "isPartOf": {"@id": url + "#webpage"},
        "inLanguage": language,
        "mainEntityOfPage": {"@id": url + "#webpage"},
    }
    if case.datetime_attr:
        posting["datePublished"] = case.datetime_attr
        posting["dateModified"] = case.datetime_attr
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": f"{ORIGIN}/#organization", "name": "CCME"},
            {"@type": "WebSite", "@id": f"{ORIGIN}/#website", "url": ORIGIN, "name": "CCME"},
            {"@type": "WebPage", "@id": url + "#webpage", "url": url, "inLanguage": language},
            {"@type": "Person", "@id": author, "name": "Equipe de rédaction", "url": author},
            posting,
        ],
    }
    return [
        "\t<!-- Search Engine Optimization by Rank Math - https://rankmath.com/ -->",
        f"\t<title>{case.title_html} - CCME</title>",
        f'\t<link rel="canonical" href="{url}" />',
        f'\t<meta property="og:locale" content="{locale}" />',
        '\t<meta property="og:type" content="article" />',
        f'\t<meta property="og:title" content="{html.escape(case.title)} - CCME" />',
        f'\t<meta property="og:url" content="{url}" />',
        '\t<meta property="og:site_name" content="CCME" />',
        f'\t<meta property="article:section" content="{html.escape(case.category)}" />',
        '\t<meta name="twitter:card" content="summary_large_image" />',
        '\t<script type="application/ld+json" class="rank-math-schema">'
        + json.dumps(graph, ensure_ascii=False, separators=(",", ":"))
        + "</script>",
        "\t<!-- /Rank Math WordPress SEO plugin -->",
    ]


def _core_head(case: Case, url: str) -> list[str]:
    """No SEO plugin: WordPress core writes only the <title> ("Title &#8211; Site") and canonical."""
    return [
        f"\t<title>{case.title_html} &#8211; CCME | Études et actualités sur les Marocains du monde</title>",
        f'\t<link rel="canonical" href="{url}" />',
    ]


def _breadcrumb(case: Case, prefix: str) -> str:
    archives = {"fr": "Archives du CCME", "ar": "أرشيف المجلس", "en": "CCME Archives"}[case.lang]
    return (
        '<nav class="breadcrumbs is-full-width breadcrumbs-a" id="breadcrumb"><div class="inner ts-contain ">'
        f'<span><a href="{ORIGIN}/{prefix}"><span>Home</span></a></span><span class="delim">&raquo;</span>'
        f'<span><a href="{ORIGIN}/{prefix}category/archives-du-ccme/"><span>{archives}</span></a></span>'
        '<span class="delim">&raquo;</span>'
        f'<span><a href="{ORIGIN}/{prefix}category/archives-du-ccme/{case.category_slug}/"><span>{html.escape(case.category)}</span></a></span>'
        "</div></nav>"
    )


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old[:80]
    return text.replace(old, new)


def render(case: Case, template: str) -> tuple[str, str]:
    prefix = {"fr": "", "ar": "ar/", "en": "en/"}[case.lang]
    path = f"{prefix}{case.slug}"
    url = f"{ORIGIN}/{path}/"
    out = template
    lines = out.split("\n")
    # Head: <title>, og:title, og:description, locale, dates, JSON-LD.
    suffix = SUFFIX
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("<title>"):
            lines[i] = f"\t<title>{case.title_html}{suffix}</title>"
        elif stripped.startswith('<meta property="og:title"'):
            lines[i] = f'\t<meta property="og:title" content="{html.escape(case.title)}{suffix}" />'
        elif stripped.startswith('<meta property="og:description"'):
            first = case.body[0] if case.body else case.title
            lines[i] = f'\t<meta property="og:description" content="{html.escape(first[:160])}" />'
        elif stripped.startswith('<meta property="og:locale"'):
            locale = {"fr": "fr_FR", "ar": "ar_AR", "en": "en_US"}[case.lang]
            lines[i] = f'\t<meta property="og:locale" content="{locale}" />'
        elif stripped.startswith('<meta property="article:published_time"'):
            keep = case.datetime_attr and case.meta_date
            lines[i] = (
                f'\t<meta property="article:published_time" content="{case.datetime_attr}" />'
                if keep
                else ""
            )
        elif (
            stripped.startswith('<meta property="article:modified_time"') and not case.datetime_attr
        ):
            lines[i] = ""
        elif stripped.startswith('<script type="application/ld+json"'):
            lines[i] = "\t" + _json_ld(case, url, case.datetime_attr) if case.json_ld else ""
        elif stripped.startswith('<nav class="breadcrumbs'):
            lines[i] = _breadcrumb(case, prefix)
    if case.seo != "yoast":
        start = next(i for i, line in enumerate(lines) if line.strip().startswith(YOAST_START))
        end = next(i for i, line in enumerate(lines) if line.strip() == YOAST_END)
        head = _rank_math_head(case, url) if case.seo == "rankmath" else _core_head(case, url)
        lines[start : end + 1] = head
    out = "\n".join(lines)
    html_lang = case.html_lang or {"fr": "fr-FR", "ar": "ar", "en": "en-US"}[case.lang]
    direction = ' dir="rtl"' if html_lang.startswith("ar") else ""
    out = _replace_once(
        out,
        '<html lang="fr-FR" class="s-light site-s-light">',
        f'<html lang="{html_lang}"{direction} class="s-light site-s-light">',
    )
    # Header.
    out = _replace_once(
        out,
        f'<h1 class="is-title post-title">{SEED_TITLE}</h1>',
        f'<h1 class="is-title post-title">{case.title_html}</h1>',
    )
    cat_href = f"{ORIGIN}/{prefix}category/archives-du-ccme/{case.category_slug}/"
    out = _replace_once(
        out,
        SEED_CATEGORY,
        f'<a href="{cat_href}" class="category term-color-53" rel="category">{html.escape(case.category)}</a>',
    )
    attr = f' datetime="{case.datetime_attr}"' if case.datetime_attr and case.time_attr else ""
    out = _replace_once(out, SEED_TIME, f'<time class="post-date"{attr}>{case.visible_date}</time>')
    # Body.
    start = out.index(CONTENT_OPEN) + len(CONTENT_OPEN)
    end = out.index(CONTENT_END) + len(CONTENT_END)
    out = out[:start] + "\n\n" + case.content + "\n" + out[end:]
    # URLs, share links, ids.
    out = out.replace(f"ccme.org.ma/{SEED_SLUG}", f"ccme.org.ma/{path}")
    out = out.replace(f"ccme.org.ma%2F{SEED_SLUG}", f"ccme.org.ma%2F{quote(path, safe='')}")
    out = out.replace(quote(SEED_TITLE), quote(case.title))
    out = out.replace("60338", str(case.post_id))
    pid = case.post_id
    if "article" not in case.post_id_markers:
        out = _replace_once(out, f'<article id="post-{pid}" ', "<article ")
    if "body" not in case.post_id_markers:
        out = _replace_once(out, f" postid-{pid} ", " ")
    if "shortlink" not in case.post_id_markers:
        out = _replace_once(out, f"\t<link rel='shortlink' href='{ORIGIN}/?p={pid}' />\n", "")
    if "rest" not in case.post_id_markers:
        rest = f'\t<link rel="alternate" type="application/json" href="{ORIGIN}/wp-json/wp/v2/posts/{pid}" />\n'
        out = _replace_once(out, rest, "")
    if case.charset != "utf-8":
        out = out.replace('<meta charset="UTF-8" />', f'<meta charset="{case.charset}" />')
    return out, url


def expected_of(case: Case, url: str) -> dict[str, object]:
    data: dict[str, object] = {
        "url": url,
        "title": case.title,
        "published_at": case.published_at,
        "language": case.lang,
        "category": case.category,
        "body": "\n\n".join(case.body),
        "source": case.source,
        "source_date": case.source_date,
        "source_url": case.source_url,
        "post_id": case.post_id,
        "extraction_method": "template",
    }
    if case.source_canonical:
        data["source_canonical"] = case.source_canonical
    if case.flags:
        data["flags"] = case.flags
    return data


# --- The cases ---------------------------------------------------------------------------------
D14 = "2014-02-19T09:00:00+00:00"


def fr_case(n: int, name: str, content: str, body: list[str], **kw: object) -> Case:
    defaults: dict[str, object] = {
        "slug": f"article-golden-{n:03d}-{name}",
        "title_html": f"Rencontre sur les compétences marocaines d’Europe ({n})",
        "title": f"Rencontre sur les compétences marocaines d’Europe ({n})",
        "published_at": "2015-03-21T10:30:00+00:00",
        "datetime_attr": "2015-03-21T10:30:00+00:00",
        "visible_date": "21 mars 2015",
        "post_id": 70000 + n,
        "source": None,
        "source_date": None,
    }
    defaults.update(kw)
    return Case(name=f"{n:03d}-{name}", content=content, body=body, **defaults)  # type: ignore[arg-type]


CASES: list[Case] = [
    fr_case(
        1,
        "source-no-space",
        ps(FR[0:3]) + "\n<p>18 février 2014</p>\n<p>Source: MAP</p>",
        FR[0:3],
        source="MAP",
        source_date="2014-02-18",
        source_canonical="MAP",
    ),
    fr_case(
        2,
        "sources-plural",
        ps(FR[3:6]) + "\n<p>Sources : AFP, Le Monde</p>",
        FR[3:6],
        source="AFP, Le Monde",
    ),
    fr_case(
        3,
        "source-no-space-after",
        ps(FR[6:9]) + "\n<p>Source :Le Matin</p>",
        FR[6:9],
        source="Le Matin",
        source_canonical="Le Matin",
    ),
    fr_case(
        4,
        "bold-label",
        ps(FR[9:12]) + "\n<p><strong>Source</strong> : Lematin.ma</p>",
        FR[9:12],
        source="Lematin.ma",
        source_canonical="Le Matin",
    ),
    fr_case(
        5,
        "date-br-source",
        ps(FR[0:2]) + "\n<p>18 févr. 2014<br />\nSource : M.A.P</p>",
        FR[0:2],
        source="M.A.P",
        source_date="2014-02-18",
        source_canonical="MAP",
    ),
    fr_case(
        6,
        "date-slashes",
        ps(FR[2:5]) + "\n<p>18/02/2014</p>\n<p>Source : Yabiladi</p>",
        FR[2:5],
        source="Yabiladi",
        source_date="2014-02-18",
    ),
    fr_case(
        7,
        "date-dots",
        ps(FR[5:8]) + "\n<p>09.03.2015</p>\n<p>Source : Le360</p>",
        FR[5:8],
        source="Le360",
        source_date="2015-03-09",
    ),
    fr_case(
        8,
        "date-iso",
        ps(FR[8:11]) + "\n<p>2015-03-20</p>\n<p>Source : TelQuel</p>",
        FR[8:11],
        source="TelQuel",
        source_date="2015-03-20",
    ),
    fr_case(9, "no-source", ps(FR[11:14]), FR[11:14]),
    fr_case(
        10,
        "figure-caption-source",
        p(FR[0])
        + '\n<figure id="attachment_1" class="wp-caption aligncenter"><img src="https://www.ccme.org.ma/wp-content/uploads/2015/03/photo.jpg" alt="Photo" width="600" height="400" /><figcaption class="wp-caption-text">Source : Reuters</figcaption></figure>\n'
        + ps(FR[1:3]),
        FR[0:3],
    ),
    fr_case(
        11,
        "table-source",
        ps(FR[9:11])
        + "\n<table><tbody><tr><td>Secteur</td><td>Affiliés</td></tr><tr><td>Agriculture</td><td>85 000</td></tr><tr><td>Source : ministère de l’Inclusion</td><td></td></tr></tbody></table>\n"
        + p(FR[11])
        + "\n<p>Source : EFE</p>",
        [
            FR[9],
            FR[10],
            "Secteur",
            "Affiliés",
            "Agriculture",
            "85 000",
            "Source : ministère de l’Inclusion",
            FR[11],
        ],
        source="EFE",
        source_canonical="EFE",
    ),
    fr_case(
        12,
        "blockquote-source-mid",
        p(FR[4])
        + "\n<blockquote><p>« Nous voulons être des acteurs, pas des spectateurs. »</p><p>Source : un participant</p></blockquote>\n"
        + ps(FR[5:7]),
        [
            FR[4],
            "« Nous voulons être des acteurs, pas des spectateurs. »",
            "Source : un participant",
            FR[5],
            FR[6],
        ],
    ),
    fr_case(
        13,
        "list-items",
        p(FR[4])
        + "\n<ul>\n<li>la reconnaissance des diplômes ;</li>\n<li>la portabilité des droits sociaux ;</li>\n<li>l’accès aux services consulaires.</li>\n</ul>\n"
        + p(FR[8])
        + "\n<p>Source : Le360</p>",
        [
            FR[4],
            "la reconnaissance des diplômes ;",
            "la portabilité des droits sociaux ;",
            "l’accès aux services consulaires.",
            FR[8],
        ],
        source="Le360",
        source_canonical="Le360",
    ),
    fr_case(
        14,
        "subheadings",
        p(FR[0])
        + "\n<h2>Une diaspora jeune</h2>\n"
        + p(FR[6])
        + "\n<h3>Des recommandations</h3>\n"
        + p(FR[8])
        + "\n<p>21 mars 2015</p>\n<p>Source : Aujourd’hui le Maroc</p>",
        [FR[0], "Une diaspora jeune", FR[6], "Des recommandations", FR[8]],
        source="Aujourd’hui le Maroc",
        source_date="2015-03-21",
        source_canonical="Aujourd'hui le Maroc",
    ),
    fr_case(
        15,
        "video-only",
        '<p><iframe title="CCME" width="640" height="360" src="https://www.youtube.com/embed/abcdefghijk?feature=oembed" frameborder="0" allowfullscreen></iframe></p>',
        [],
        flags=["empty_body"],
    ),
    fr_case(
        16,
        "title-entities",
        ps(FR[12:14]) + "\n<p>Source : Le Soir</p>",
        FR[12:14],
        title_html="Maroc&nbsp;: l&#8217;&laquo;&nbsp;exception&nbsp;&raquo; migratoire &amp; ses défis",
        title="Maroc : l’« exception » migratoire & ses défis",
        source="Le Soir",
    ),
    fr_case(
        17,
        "source-then-date",
        ps(FR[1:4]) + "\n<p>Source : Maghreb Arabe Presse</p>\n<p>20/03/2015</p>",
        FR[1:4],
        source="Maghreb Arabe Presse",
        source_date="2015-03-20",
        source_canonical="MAP",
    ),
    fr_case(
        18, "date-alone", ps(FR[3:5]) + "\n<p>20 mars 2015</p>", FR[3:5], source_date="2015-03-20"
    ),
    fr_case(
        19,
        "group-wrapper",
        '<div class="wp-block-group"><div class="wp-block-group__inner-container">'
        + ps(FR[7:9])
        + "\n<p>Source : L’Opinion</p></div></div>",
        FR[7:9],
        source="L’Opinion",
        source_canonical="L'Opinion",
    ),
    fr_case(
        20,
        "suite-link",
        p(FR[9])
        + f'\n<p>{FR[10]} <a href="https://www.ccme.org.ma/fr/medias-et-migration/50666">…Suite</a></p>',
        # A link word, not text; the link stays on the site, so it names no outlet.
        [FR[9], FR[10]],
    ),
    fr_case(
        21,
        "inline-chrome",
        p(FR[0])
        + '\n<div class="code-block code-block-1"><ins class="adsbygoogle">Publicité</ins></div>\n'
        + p(FR[1])
        + '\n<div class="post-share post-share-b"><a class="service s-facebook" href="#"><span class="label">Facebook</span></a></div>\n<script>var x = "Source : fake";</script>\n'
        + p(FR[2])
        + "\n<p>Source : Médias24</p>",
        FR[0:3],
        source="Médias24",
        source_canonical="Médias24",
    ),
    fr_case(
        22,
        "wp-caption-div",
        p(FR[12])
        + '\n<div id="attachment_2" class="wp-caption alignnone"><img src="https://www.ccme.org.ma/wp-content/uploads/2016/01/expo.jpg" alt="Exposition" /><p class="wp-caption-text">Photo : D.R.</p></div>\n'
        + p(FR[13])
        + "\n<p>Source : La Libre Belgique</p>",
        FR[12:14],
        source="La Libre Belgique",
    ),
    fr_case(
        23,
        "source-link",
        ps(FR[5:7]) + '\n<p>Source : <a href="https://www.medias24.com/">Médias 24</a></p>',
        FR[5:7],
        source="Médias 24",
        source_canonical="Médias24",
    ),
    fr_case(
        24,
        "pre-block",
        p(FR[2])
        + "\n<pre>Ateliers :\n1. Recherche\n2. Entreprise</pre>\n"
        + p(FR[3])
        + "\n<p>Source : MAP.</p>",
        [FR[2], "Ateliers :\n1. Recherche\n2. Entreprise", FR[3]],
        source="MAP",
        source_canonical="MAP",
    ),
    fr_case(
        25,
        "visible-date-only",
        ps(FR[0:2]) + "\n<p>Source : MAP</p>",
        FR[0:2],
        source="MAP",
        datetime_attr=None,
        published_at="2015-03-03",
        visible_date="3 mars 2015",
    ),
    fr_case(
        26,
        "json-ld-date-only",
        ps(FR[3:5]),
        FR[3:5],
        datetime_attr="2016-05-02T08:00:00+00:00",
        published_at="2016-05-02T08:00:00+00:00",
        visible_date="2 mai 2016",
        meta_date=False,
        time_attr=False,
    ),
    fr_case(
        27,
        "meta-date-only",
        ps(FR[5:7]),
        FR[5:7],
        datetime_attr="2016-06-07T08:00:00+00:00",
        published_at="2016-06-07T08:00:00+00:00",
        visible_date="7 juin 2016",
        json_ld=False,
        time_attr=False,
    ),
    fr_case(
        28,
        "quotes-title",
        ps(FR[6:8]) + "\n<p>Source : Le Matin du Sahara</p>",
        FR[6:8],
        title_html="Les jeunes Marocains d’Europe, « passeurs » de culture",
        title="Les jeunes Marocains d’Europe, « passeurs » de culture",
        source="Le Matin du Sahara",
        source_canonical="Le Matin",
    ),
    fr_case(
        29,
        "one-paragraph",
        p(FR[13]) + "\n<p>Source : Jeune Afrique</p>",
        [FR[13]],
        source="Jeune Afrique",
    ),
    fr_case(
        30,
        "blockquote-quote",
        p(FR[1])
        + '\n<blockquote class="wp-block-quote"><p>Les compétences existent, il faut leur ouvrir des portes.</p><cite>Un participant</cite></blockquote>\n'
        + p(FR[2])
        + "\n<p>Source : Hespress</p>",
        [
            FR[1],
            "Les compétences existent, il faut leur ouvrir des portes.",
            "Un participant",
            FR[2],
        ],
        source="Hespress",
        source_canonical="Hespress",
    ),
    fr_case(
        31,
        "nested-list",
        p(FR[4])
        + "\n<ol><li>Premier axe<ul><li>diplômes</li><li>droits sociaux</li></ul></li><li>Second axe</li></ol>\n<p>Source : L'Economiste</p>",
        [FR[4], "Premier axe", "diplômes", "droits sociaux", "Second axe"],
        source="L'Economiste",
        source_canonical="L'Economiste",
    ),
    fr_case(
        32,
        "nbsp-body",
        "<p>Le\u00a0Conseil a\u00a0publié un rapport&nbsp;: « Les Marocains du monde en chiffres ».</p>\n"
        + p(FR[5])
        + "\n<p>Source&nbsp;: MAP</p>",
        ["Le Conseil a publié un rapport : « Les Marocains du monde en chiffres ».", FR[5]],
        source="MAP",
        source_canonical="MAP",
    ),
    fr_case(
        33,
        "source-bold-in-br-paragraph",
        ps(FR[10:12]) + "\n<p>20/03/2015<br><strong>Source :</strong> Médias24</p>",
        FR[10:12],
        source="Médias24",
        source_date="2015-03-20",
    ),
    fr_case(
        34,
        "trailing-empty-paragraphs",
        ps(FR[0:2]) + "\n<p>Source : MAP</p>\n<p>&nbsp;</p>\n<p> </p>",
        FR[0:2],
        source="MAP",
        source_canonical="MAP",
    ),
    fr_case(
        35,
        "ad-after-source",
        ps(FR[2:4]) + "\n<p>21/03/2015</p>\n<p>Source : Le Monde</p>\n"
        '<div class="code-block code-block-2"><script>/* ad */</script><ins class="adsbygoogle">Annonce</ins></div>',
        FR[2:4],
        source="Le Monde",
        source_date="2015-03-21",
    ),
    fr_case(
        36,
        "windows-1252",
        ps(FR[4:6]) + "\n<p>20 mars 2015</p>\n<p>Source : Libération</p>",
        FR[4:6],
        title_html="Les Marocains d’Europe et l’été",
        title="Les Marocains d’Europe et l’été",
        source="Libération",
        source_date="2015-03-20",
        source_canonical="Libération",
        charset="windows-1252",
    ),
    # Arabic pages.
    Case(
        name="040-ar-map",
        slug="ar-golden-040",
        lang="ar",
        title_html="لقاء حول الكفاءات المغربية المقيمة في أوروبا",
        title="لقاء حول الكفاءات المغربية المقيمة في أوروبا",
        content=ps(AR[0:4])
        + "\n<p>18 فبراير 2014</p>\n<p>المصدر : وكالة المغرب العربي للأنباء</p>",
        body=AR[0:4],
        source="وكالة المغرب العربي للأنباء",
        source_date="2014-02-18",
        source_canonical="MAP",
        published_at=D14,
        datetime_attr=D14,
        visible_date="19 فبراير 2014",
        category="الإعلام والهجرة",
        post_id=71040,
    ),
    Case(
        name="041-ar-visible-moroccan-date",
        slug="ar-golden-041",
        lang="ar",
        title_html="تحويلات مغاربة العالم تبلغ مستوى قياسيا",
        title="تحويلات مغاربة العالم تبلغ مستوى قياسيا",
        content=ps(AR[4:7]) + "\n<p>١١ غشت ٢٠١٥</p>\n<p>المصدر: هسبريس</p>",
        body=AR[4:7],
        source="هسبريس",
        source_date="2015-08-11",
        source_canonical="Hespress",
        published_at="2015-08-12",
        datetime_attr=None,
        visible_date="12 غشت 2015",
        category="الإعلام والهجرة",
        post_id=71041,
    ),
    Case(
        name="042-ar-mashriq-source-date",
        slug="ar-golden-042",
        lang="ar",
        title_html="الشباب المغربي في الخارج والثقافة الأم",
        title="الشباب المغربي في الخارج والثقافة الأم",
        content=ps(AR[6:9]) + "\n<p>٣ كانون الثاني ٢٠١٦</p>\n<p>المصدر : الجزيرة</p>",
        body=AR[6:9],
        source="الجزيرة",
        source_date="2016-01-03",
        source_canonical="Al Jazeera",
        published_at="2016-01-04T11:00:00+00:00",
        datetime_attr="2016-01-04T11:00:00+00:00",
        visible_date="4 يناير 2016",
        category="الإعلام والهجرة",
        post_id=71042,
    ),
    Case(
        name="043-ar-visible-mashriq-date",
        slug="ar-golden-043",
        lang="ar",
        title_html="ندوة حول الهجرة والتنمية",
        title="ندوة حول الهجرة والتنمية",
        content=ps(AR[0:2]) + "\n<p>المصدر : الصباح</p>",
        body=AR[0:2],
        source="الصباح",
        source_date=None,
        source_canonical="Assabah",
        published_at="2016-10-05",
        datetime_attr=None,
        visible_date="٥ تشرين الأول ٢٠١٦",
        category="أنشطة",
        category_slug="activites",
        post_id=71043,
    ),
    Case(
        name="044-ar-date-br-source",
        slug="ar-golden-044",
        lang="ar",
        title_html="مغاربة إسبانيا والضمان الاجتماعي",
        title="مغاربة إسبانيا والضمان الاجتماعي",
        content=ps(AR[7:9]) + "\n<p>5 يوليوز 2016<br />المصدر : المساء</p>",
        body=AR[7:9],
        source="المساء",
        source_date="2016-07-05",
        source_canonical="Al Massae",
        published_at="2016-07-06T09:00:00+00:00",
        datetime_attr="2016-07-06T09:00:00+00:00",
        visible_date="6 يوليوز 2016",
        category="الإعلام والهجرة",
        post_id=71044,
    ),
    Case(
        name="045-ar-declared-fr",
        slug="ar-golden-045",
        lang="ar",
        html_lang="fr-FR",
        title_html="المجلس يشارك في المعرض الدولي للكتاب",
        title="المجلس يشارك في المعرض الدولي للكتاب",
        content=ps(AR[1:5]),
        body=AR[1:5],
        source=None,
        source_date=None,
        published_at="2017-02-10T10:00:00+00:00",
        datetime_attr="2017-02-10T10:00:00+00:00",
        visible_date="10 février 2017",
        post_id=71045,
        flags=["language_mismatch"],
    ),
    Case(
        name="046-ar-shtanbar",
        slug="ar-golden-046",
        lang="ar",
        title_html="لقاء تواصلي مع مغاربة إيطاليا",
        title="لقاء تواصلي مع مغاربة إيطاليا",
        content=ps(AR[2:5]) + "\n<p>المصدر : وكالة المغرب العربي للأنباء</p>\n<p>14 شتنبر 2017</p>",
        body=AR[2:5],
        source="وكالة المغرب العربي للأنباء",
        source_date="2017-09-14",
        source_canonical="MAP",
        published_at="2017-09-15",
        datetime_attr=None,
        visible_date="15 شتنبر 2017",
        category="الإعلام والهجرة",
        post_id=71046,
    ),
    Case(
        name="047-ar-ab-numeric",
        slug="ar-golden-047",
        lang="ar",
        title_html="معرض حول ستين سنة من الهجرة",
        title="معرض حول ستين سنة من الهجرة",
        content=ps(AR[5:8]) + "\n<p>10/08/2017</p>\n<p>المصدر : رويترز</p>",
        body=AR[5:8],
        source="رويترز",
        source_date="2017-08-10",
        source_canonical="Reuters",
        published_at="2017-08-10",
        datetime_attr=None,
        visible_date="١٠ آب ٢٠١٧",
        category="الإعلام والهجرة",
        post_id=71047,
    ),
    Case(
        name="048-ar-no-source",
        slug="ar-golden-048",
        lang="ar",
        title_html="توصيات لقاء الرباط",
        title="توصيات لقاء الرباط",
        content=ps(AR[3:9]),
        body=AR[3:9],
        source=None,
        source_date=None,
        published_at="2018-04-19T09:00:00+01:00",
        datetime_attr="2018-04-19T09:00:00+01:00",
        visible_date="19 أبريل 2018",
        category="الإعلام والهجرة",
        post_id=71048,
    ),
    Case(
        name="049-ar-kanun-awwal-br",
        slug="ar-golden-049",
        lang="ar",
        title_html="الجالية المغربية في ألمانيا",
        title="الجالية المغربية في ألمانيا",
        content=ps(AR[0:3]) + "\n<p>المصدر : فرانس برس<br />١٢ كانون الأول ٢٠١٨</p>",
        body=AR[0:3],
        source="فرانس برس",
        source_date="2018-12-12",
        source_canonical="AFP",
        published_at="2018-12-13T10:00:00+01:00",
        datetime_attr="2018-12-13T10:00:00+01:00",
        visible_date="13 دجنبر 2018",
        category="الإعلام والهجرة",
        post_id=71049,
    ),
    # English pages.
    Case(
        name="050-en-mwn",
        slug="en-golden-050",
        lang="en",
        title_html="CCME hosts meeting on Moroccan professionals in Europe",
        title="CCME hosts meeting on Moroccan professionals in Europe",
        content=ps(EN[0:3]) + "\n<p>July 3, 2016</p>\n<p>Source: Morocco World News</p>",
        body=EN[0:3],
        source="Morocco World News",
        source_date="2016-07-03",
        source_canonical="Morocco World News",
        published_at="2016-07-04T09:00:00+00:00",
        datetime_attr="2016-07-04T09:00:00+00:00",
        visible_date="July 4, 2016",
        category="Media and migration",
        post_id=72050,
    ),
    Case(
        name="051-en-visible-date",
        slug="en-golden-051",
        lang="en",
        title_html="Remittances from Moroccans abroad hit a record",
        title="Remittances from Moroccans abroad hit a record",
        content=ps(EN[3:6]) + "\n<p>Source: Reuters</p>",
        body=EN[3:6],
        source="Reuters",
        source_date=None,
        source_canonical="Reuters",
        published_at="2016-07-03",
        datetime_attr=None,
        visible_date="July 3, 2016",
        category="Media and migration",
        post_id=72051,
    ),
    Case(
        name="052-en-day-month",
        slug="en-golden-052",
        lang="en",
        title_html="Young Moroccans abroad and their culture",
        title="Young Moroccans abroad and their culture",
        content=ps(EN[4:7]) + "\n<p>3 July 2016</p>\n<p>Source: AFP</p>",
        body=EN[4:7],
        source="AFP",
        source_date="2016-07-03",
        source_canonical="AFP",
        published_at="2016-07-05T10:00:00+00:00",
        datetime_attr="2016-07-05T10:00:00+00:00",
        visible_date="July 5, 2016",
        category="Media and migration",
        post_id=72052,
    ),
    Case(
        name="053-en-no-source",
        slug="en-golden-053",
        lang="en",
        title_html="Rabat: the CCME welcomes journalism students",
        title="Rabat: the CCME welcomes journalism students",
        content=ps(EN[0:2] + EN[5:7]),
        body=EN[0:2] + EN[5:7],
        source=None,
        source_date=None,
        published_at="2019-11-12T12:00:00+01:00",
        datetime_attr="2019-11-12T12:00:00+01:00",
        visible_date="November 12, 2019",
        category="Activities",
        category_slug="activites",
        post_id=72053,
    ),
    Case(
        name="054-en-bold-label",
        slug="en-golden-054",
        lang="en",
        title_html="Diaspora skills &amp; development",
        title="Diaspora skills & development",
        content=ps(EN[1:4]) + "\n<p><b>Source</b>: BBC News</p>",
        body=EN[1:4],
        source="BBC News",
        source_date=None,
        source_canonical="BBC",
        published_at="2018-02-01T08:00:00+00:00",
        datetime_attr="2018-02-01T08:00:00+00:00",
        visible_date="February 1, 2018",
        category="Media and migration",
        post_id=72054,
    ),
    # --- Shapes of the real site (REAL-SITE.md): closing lines as migrated posts write them ---
    fr_case(
        70,
        "source-dash-date",
        ps(FR[0:3]) + "\n<p>Source : Le Matin - 18 juin 2016</p>",
        FR[0:3],
        source="Le Matin",
        source_date="2016-06-18",
        source_canonical="Le Matin",
    ),
    fr_case(
        71,
        "date-dash-source",
        ps(FR[3:6]) + "\n<p>18 juin 2016 - Le Matin</p>",
        FR[3:6],
        source="Le Matin",
        source_date="2016-06-18",
        source_canonical="Le Matin",
    ),
    fr_case(
        72,
        "source-paren-date",
        ps(FR[6:8]) + "\n<p>Source : L’Opinion (14/05/2016)</p>",
        FR[6:8],
        source="L’Opinion",
        source_date="2016-05-14",
        source_canonical="L'Opinion",
    ),
    fr_case(
        73,
        "suite-offsite",
        p(FR[9])
        + f'\n<p>{FR[10]} <a href="https://lematin.ma/journal/2016/espagne-affilies/251234.html" target="_blank" rel="noopener">…Suite</a></p>',
        [FR[9], FR[10]],
        source="Le Matin",
        source_canonical="Le Matin",
        source_url="https://lematin.ma/journal/2016/espagne-affilies/251234.html",
    ),
    fr_case(
        74,
        "suite-dots-unknown-outlet",
        p(FR[12])
        + f'\n<p>{FR[13]}<a href="https://www.lepetitjournal.com/bruxelles/exposition-immigration-marocaine-123">...Suite</a></p>',
        [FR[12], FR[13]],
        source_url="https://www.lepetitjournal.com/bruxelles/exposition-immigration-marocaine-123",
    ),
    fr_case(
        75,
        "photo-credits",
        '<p><img class="aligncenter size-full" src="https://www.ccme.org.ma/wp-content/uploads/2016/06/rencontre.jpg" alt="" width="600" height="400" /></p>\n'
        "<p><em>Photo : MAP</em></p>\n"
        + ps(FR[0:2])
        + '\n<p style="text-align: right;">ph. DR</p>\n<p>Crédit photo : AFP</p>\n<p>Source : Le360</p>',
        FR[0:2],
        source="Le360",
        source_canonical="Le360",
    ),
    fr_case(
        76,
        "div-blocks-right-aligned",
        "\n".join(f"<div>{html.escape(t, quote=False)}</div>" for t in FR[3:6])
        + '\n<div style="text-align: right;"><strong>20/06/2016</strong></div>\n'
        '<div style="text-align: right;"><em>Source : L’Economiste</em></div>',
        FR[3:6],
        source="L’Economiste",
        source_date="2016-06-20",
        source_canonical="L'Economiste",
    ),
    fr_case(
        77,
        "one-paragraph-br",
        "<p>"
        + "<br />\n".join(html.escape(t, quote=False) for t in FR[6:9])
        + "<br />\n9-06-2016<br />\nSource : MAP</p>",
        ["\n".join(FR[6:9])],
        source="MAP",
        source_date="2016-06-09",
        source_canonical="MAP",
    ),
    fr_case(
        78,
        "gutenberg-blocks",
        "<!-- wp:paragraph -->\n" + p(FR[4]) + "\n<!-- /wp:paragraph -->\n"
        '<h2 class="wp-block-heading">Trois chantiers</h2>\n'
        '<ul class="wp-block-list"><li>la reconnaissance des diplômes ;</li><li>la portabilité des droits sociaux.</li></ul>\n'
        '<blockquote class="wp-block-quote"><p>Les compétences existent, il faut leur ouvrir des portes.</p><cite>Un participant</cite></blockquote>\n'
        '<figure class="wp-block-table"><table class="has-fixed-layout"><tbody><tr><td>Pays</td><td>Affiliés</td></tr><tr><td>Espagne</td><td>290 000</td></tr></tbody></table><figcaption class="wp-element-caption">Source : ministère de l’Inclusion</figcaption></figure>\n'
        '<figure class="wp-block-pullquote"><blockquote><p>Une diaspora jeune et qualifiée.</p><cite>Le Conseil</cite></blockquote></figure>\n'
        + p(FR[8])
        + '\n<p class="has-text-align-right"><strong>Source : Médias24</strong></p>',
        [
            FR[4],
            "Trois chantiers",
            "la reconnaissance des diplômes ;",
            "la portabilité des droits sociaux.",
            "Les compétences existent, il faut leur ouvrir des portes.",
            "Un participant",
            "Pays",
            "Affiliés",
            "Espagne",
            "290 000",
            "Une diaspora jeune et qualifiée.",
            "Le Conseil",
            FR[8],
        ],
        source="Médias24",
        source_canonical="Médias24",
    ),
    fr_case(
        79,
        "rank-math",
        ps(FR[10:12]) + "\n<p>Source : Yabiladi</p>",
        FR[10:12],
        source="Yabiladi",
        source_canonical="Yabiladi",
        seo="rankmath",
        time_attr=False,
        datetime_attr="2016-06-18T11:20:00+01:00",
        published_at="2016-06-18T11:20:00+01:00",
        visible_date="18 juin 2016",
    ),
    # Arabic press items migrated from the old site (2011), at Joomla timestamp slugs.
    Case(
        name="080-ar-slash-source-joomla-slug",
        slug="2013-03-19-17-13-35-3199",
        lang="ar",
        title_html="مغاربة العالم والانتخابات التشريعية",
        title="مغاربة العالم والانتخابات التشريعية",
        content=p(AR[0])
        + f'\n<p>{AR[1]} <a href="https://www.alittihad.info/ar/mre-2011/3199" target="_blank">تتمة المقال</a></p>'
        + "\n<p>8-12-2011</p>\n<p>المصدر/ جريدة الاتحاد الاشتراكي</p>",
        body=AR[0:2],
        source="جريدة الاتحاد الاشتراكي",
        source_date="2011-12-08",
        source_canonical="Al Ittihad Al Ichtiraki",
        source_url="https://www.alittihad.info/ar/mre-2011/3199",
        published_at="2011-12-09T10:00:00+00:00",
        datetime_attr="2011-12-09T10:00:00+00:00",
        visible_date="9 دجنبر 2011",
        category="الإعلام والهجرة",
        post_id=71080,
    ),
    Case(
        name="081-ar-inline-outlet",
        slug="2013-03-19-17-13-36-3200",
        lang="ar",
        title_html="الجالية المغربية بإيطاليا تطالب بتمثيلية سياسية",
        title="الجالية المغربية بإيطاليا تطالب بتمثيلية سياسية",
        content=p(AR[2])
        + f'\n<p>{AR[3]} … <a href="https://www.alittihad.info/ar/mre-2011/3200">تتمة</a> عن جريدة الإتحاد الإشتراكي</p>',
        body=AR[2:4],
        source="جريدة الإتحاد الإشتراكي",
        source_date=None,
        source_canonical="Al Ittihad Al Ichtiraki",
        source_url="https://www.alittihad.info/ar/mre-2011/3200",
        published_at="2011-12-10T10:00:00+00:00",
        datetime_attr="2011-12-10T10:00:00+00:00",
        visible_date="10 دجنبر 2011",
        category="الإعلام والهجرة",
        post_id=71081,
    ),
    Case(
        name="082-ar-one-paragraph-br-hiwar",
        slug="ar-golden-082",
        lang="ar",
        title_html="حوار مع باحث في قضايا الهجرة",
        title="حوار مع باحث في قضايا الهجرة",
        content='<p style="text-align: right;">'
        + f"{AR[4]}<br />\n{AR[5]} ... "
        + '<a href="https://www.hespress.com/interview-migration-2016-123.html">الحوار</a><br />\n'
        + "14/05/2016<br />\n<strong>المصدر : هسبريس</strong></p>",
        body=[f"{AR[4]}\n{AR[5]} ..."],
        source="هسبريس",
        source_date="2016-05-14",
        source_canonical="Hespress",
        source_url="https://www.hespress.com/interview-migration-2016-123.html",
        published_at="2016-05-15T09:00:00+00:00",
        datetime_attr="2016-05-15T09:00:00+00:00",
        visible_date="15 ماي 2016",
        category="الإعلام والهجرة",
        post_id=71082,
    ),
    Case(
        name="083-ar-indic-digits-emphasis",
        slug="2013-03-19-17-13-37-3201",
        lang="ar",
        title_html="مهاجرون مغاربة في هولندا",
        title="مهاجرون مغاربة في هولندا",
        content=ps(AR[6:8])
        + '\n<p style="text-align: right;"><em>٨-١٢-٢٠١١</em></p>\n<p style="text-align: right;"><em>المصدر: الصباح</em></p>',
        body=AR[6:8],
        source="الصباح",
        source_date="2011-12-08",
        source_canonical="Assabah",
        published_at="2011-12-08T12:00:00+00:00",
        datetime_attr="2011-12-08T12:00:00+00:00",
        visible_date="8 دجنبر 2011",
        category="الإعلام والهجرة",
        post_id=71083,
    ),
    Case(
        name="084-ar-no-seo-weekday",
        slug="2013-03-19-17-13-38-3202",
        lang="ar",
        title_html="ندوة حول الهجرة والتنمية بالرباط",
        title="ندوة حول الهجرة والتنمية بالرباط",
        content=ps(AR[0:3]) + "\n<p>المصدر : جريدة المساء (23/11/2011)</p>",
        body=AR[0:3],
        source="جريدة المساء",
        source_date="2011-11-23",
        source_canonical="Al Massae",
        published_at="2011-11-23",
        datetime_attr=None,
        visible_date="الأربعاء, 23 نونبر 2011",
        seo="none",
        post_id_markers=("body",),
        category="الإعلام والهجرة",
        post_id=71084,
    ),
    Case(
        name="085-ar-divs-photo-credit",
        slug="ar-golden-085",
        lang="ar",
        title_html="وفد من المجلس في بروكسيل",
        title="وفد من المجلس في بروكسيل",
        content='<div dir="rtl">الصورة: و.م.ع</div>\n'
        + "\n".join(f'<div dir="rtl">{t}</div>' for t in AR[3:6])
        + '\n<div dir="rtl">المصدر/ وكالة المغرب العربي للأنباء</div>',
        body=AR[3:6],
        source="وكالة المغرب العربي للأنباء",
        source_date=None,
        source_canonical="MAP",
        published_at="2016-02-02T10:00:00+00:00",
        datetime_attr="2016-02-02T10:00:00+00:00",
        visible_date="2 فبراير 2016",
        category="الإعلام والهجرة",
        post_id=71085,
    ),
    Case(
        name="086-ar-date-dash-newspaper",
        slug="2013-03-19-17-13-39-3203",
        lang="ar",
        title_html="المغاربة المقيمون بفرنسا والتقاعد",
        title="المغاربة المقيمون بفرنسا والتقاعد",
        content=ps(AR[6:9]) + "\n<p>22-11-2011 - جريدة العلم</p>",
        body=AR[6:9],
        source="جريدة العلم",
        source_date="2011-11-22",
        source_canonical="Al Alam",
        published_at="2011-11-22T10:00:00+00:00",
        datetime_attr="2011-11-22T10:00:00+00:00",
        visible_date="22 نونبر 2011",
        category="الإعلام والهجرة",
        post_id=71086,
    ),
    # English posts.
    Case(
        name="090-en-ccme-summary",
        slug="en-golden-090",
        lang="en",
        title_html="Moroccans abroad and the new consular services",
        title="Moroccans abroad and the new consular services",
        content=ps(EN[0:3]) + "\n<p>CCME (Summary)</p>",
        body=EN[0:3],
        source="CCME",
        source_date=None,
        source_canonical="CCME",
        published_at="2018-03-05T10:00:00+00:00",
        datetime_attr="2018-03-05T10:00:00+00:00",
        visible_date="March 5, 2018",
        category="Media and migration",
        post_id=72090,
    ),
    Case(
        name="091-en-read-more-french",
        slug="en-golden-091",
        lang="en",
        title_html="Belgium: an exhibition on sixty years of Moroccan migration",
        title="Belgium: an exhibition on sixty years of Moroccan migration",
        content=ps(EN[3:5])
        + "\n<p>Source: Hespress</p>\n"
        + f'<p><a href="{ORIGIN}/belgique-une-exposition-retrace-soixante-ans-dimmigration-marocaine/">Read more (French)</a></p>',
        body=EN[3:5],
        source="Hespress",
        source_date=None,
        source_canonical="Hespress",
        published_at="2018-04-10T10:00:00+00:00",
        datetime_attr="2018-04-10T10:00:00+00:00",
        visible_date="April 10, 2018",
        category="Media and migration",
        post_id=72091,
    ),
    Case(
        name="092-en-source-dash-month",
        slug="en-golden-092",
        lang="en",
        title_html="Diaspora remittances reach a new high",
        title="Diaspora remittances reach a new high",
        content=ps(EN[5:7]) + "\n<p>Source: Morocco World News – March 3, 2016</p>",
        body=EN[5:7],
        source="Morocco World News",
        source_date="2016-03-03",
        source_canonical="Morocco World News",
        published_at="2016-03-04T09:00:00+00:00",
        datetime_attr="2016-03-04T09:00:00+00:00",
        visible_date="March 4, 2016",
        category="Media and migration",
        post_id=72092,
    ),
    Case(
        name="093-en-amp-trailers",
        slug="en-golden-093",
        lang="en",
        title_html="Rabat: the CCME welcomes journalism students (AMP)",
        title="Rabat: the CCME welcomes journalism students (AMP)",
        content='<figure class="wp-block-image size-large"><img src="https://www.ccme.org.ma/wp-content/uploads/2019/11/students.jpg" alt="" /><figcaption class="wp-element-caption">Photo: CCME</figcaption></figure>\n'
        + ps(EN[0:2])
        + "\n<p>Photo: CCME</p>\n<p>Source: Reuters</p>\n<p>&nbsp;</p>\n"
        "<div>WordPress Lightbox</div>\n"
        f'<div class="amp-mobile-version-switcher"><a rel="nofollow" href="{ORIGIN}/en/en-golden-093/?noamp=mobile">Exit mobile version</a></div>',
        body=EN[0:2],
        source="Reuters",
        source_date=None,
        source_canonical="Reuters",
        published_at="2019-11-12T12:00:00+01:00",
        datetime_attr="2019-11-12T12:00:00+01:00",
        visible_date="November 12, 2019",
        category="Activities",
        category_slug="activites",
        post_id=72093,
    ),
    Case(
        name="094-en-no-seo-weekday",
        slug="en-golden-094",
        lang="en",
        title_html="Young Moroccans in Europe and their heritage",
        title="Young Moroccans in Europe and their heritage",
        content=ps(EN[4:7]) + "\n<p>Source: MWN - Jun 6, 2017</p>",
        body=EN[4:7],
        source="MWN",
        source_date="2017-06-06",
        source_canonical="Morocco World News",
        published_at="2017-06-07",
        datetime_attr=None,
        visible_date="Wednesday, 07 June 2017",
        seo="none",
        post_id_markers=("shortlink",),
        category="Media and migration",
        post_id=72094,
    ),
    Case(
        name="095-en-short-month-date-line",
        slug="en-golden-095",
        lang="en",
        title_html="Moroccan workers in Spain: affiliations up",
        title="Moroccan workers in Spain: affiliations up",
        content=ps(EN[1:3]) + "\n<p>Mar. 3, 2016</p>\n<p>Source: AFP</p>",
        body=EN[1:3],
        source="AFP",
        source_date="2016-03-03",
        source_canonical="AFP",
        published_at="2016-03-04T09:00:00+00:00",
        datetime_attr="2016-03-04T09:00:00+00:00",
        visible_date="March 4, 2016",
        category="Media and migration",
        post_id=72095,
        post_id_markers=("rest",),
    ),
    # A French post of a site without any SEO plugin: only the visible date, with a weekday.
    fr_case(
        100,
        "no-seo-weekday",
        ps(FR[1:4]) + "\n<p>Source : Aujourd’hui le Maroc</p>",
        FR[1:4],
        source="Aujourd’hui le Maroc",
        source_canonical="Aujourd'hui le Maroc",
        seo="none",
        datetime_attr=None,
        published_at="2015-09-02",
        visible_date="mercredi, 02 septembre 2015",
        post_id_markers=("shortlink",),
    ),
]


# --- Pages in another layout (old Joomla/K2 site): the fallback extractor's job ---------------
K2_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta http-equiv="content-type" content="text/html; charset=utf-8" />
<title>{title}</title>
<meta name="generator" content="Joomla! - Open Source Content Management" />
<link href="/templates/ccme/css/template.css" rel="stylesheet" type="text/css" />
</head>
<body class="site com_k2 view-item">
<div id="header">{topbar}<a href="/{prefix}" class="logo"><img src="/images/logo.png" alt="CCME" /></a>
<ul class="menu"><li><a href="/{prefix}">{home}</a></li><li><a href="/{prefix}medias-et-migration">{menu}</a></li><li><a href="/{prefix}maj">MAJ</a></li></ul></div>
<div id="main">
<div id="k2Container" class="itemView">
<div class="itemHeader">
{date_before}<h2 class="itemTitle">{title}</h2>{date_after}
</div>
<div class="itemBody">
<div class="itemFullText">
{content}
</div>
</div>
<div class="itemLinks"><div class="itemCategory"><span>{published_in}</span> <a href="/{prefix}medias-et-migration">{category}</a></div></div>
</div>
<div class="moduletable notice"><p>{notice}</p></div>
</div>
<div id="sidebar"><div class="moduletable"><h3>{latest}</h3><ul class="latestnews">
<li><a href="/{prefix}medias-et-migration/50666">{other1}</a> <span class="date">{other_date}</span></li>
<li><a href="/{prefix}medias-et-migration/30889">{other2}</a> <span class="date">{other_date}</span></li>
</ul></div></div>
<div id="footer"><p>© CCME - Conseil de la communauté marocaine à l'étranger</p></div>
</body>
</html>
"""

K2_CASES = [
    {
        "name": "060-k2-fr",
        "url": "https://ccme.org.ma/fr/medias-et-migration/vote-des-marocains-residant-a-l-etranger-loi-inique",
        "lang": "fr-fr",
        "prefix": "fr/",
        "home": "Accueil",
        "menu": "Médias et migration",
        "title": "Vote des Marocains résidant à l'étranger : loi inique",
        "date": "mercredi 20 novembre 2024 03:23",
        "paragraphs": [FR[1], FR[3], FR[4], FR[7]],
        "source_line": "Source : Le Monde",
        "published_in": "Publié dans",
        "category": "Médias et migration",
        "notice": "Cette revue de presse ne prétend pas à l'exhaustivité et ne reflète pas la position du CCME.",
        "latest": "Derniers articles",
        "other1": "Pour l'implication des Marocains résidant à l'étranger",
        "other2": "Une autre brève",
        "other_date": "mardi 19 novembre 2024",
        "expected": {
            "language": "fr",
            "published_at": "2024-11-20",
            "source": "Le Monde",
            "source_date": None,
            "category": "Médias et migration",
        },
    },
    {
        "name": "061-k2-en",
        "url": "https://www.ccme.org.ma/en/activities/53941",
        "lang": "en-gb",
        "prefix": "en/",
        "home": "Home",
        "menu": "Activities",
        "title": "The CCME at the International Book Fair",
        "date": "Thursday, 19 September 2019 22:15",
        "paragraphs": [EN[0], EN[2], EN[4], EN[6]],
        "source_line": None,
        "published_in": "Published in",
        "category": "Activities",
        "notice": "This press review does not claim to be exhaustive.",
        "latest": "Latest news",
        "other1": "What's new at the CCME",
        "other2": "Another item",
        "other_date": "Wednesday, 18 September 2019",
        "expected": {
            "language": "en",
            "published_at": "2019-09-19",
            "source": None,
            "source_date": None,
            "category": "Activities",
        },
    },
    {
        # Old page: the render clock at the top is not the date; the item date (with a weekday)
        # sits under the title; the summary ends with a "…Suite" link.
        "name": "101-k2-fr-render-clock",
        "url": "https://ccme.org.ma/fr/activites/45012",
        "lang": "fr-fr",
        "prefix": "fr/",
        "home": "Accueil",
        "menu": "Activités",
        "topbar": '<div class="date-time">lundi 13 janvier 2025 01:09</div>',
        "title": "Le CCME au Salon international de l'édition et du livre",
        "date": "mercredi, 02 septembre 2015",
        "date_under_title": True,
        "paragraphs": [FR[0], FR[2], FR[5]],
        "content_html": ps([FR[0], FR[2]])
        + f'\n<p>{html.escape(FR[5], quote=False)} <a href="https://lematin.ma/journal/2015/siel/230001.html">…Suite</a></p>',
        "source_line": None,
        "published_in": "Publié dans",
        "category": "Activités",
        "notice": "Cette revue de presse ne prétend pas à l'exhaustivité et ne reflète pas la position du CCME.",
        "latest": "Derniers articles",
        "other1": "Pour l'implication des Marocains résidant à l'étranger",
        "other2": "Une autre brève",
        "other_date": "mardi, 01 septembre 2015",
        "expected": {
            "language": "fr",
            "published_at": "2015-09-02",
            "source": None,
            "source_date": None,
            "category": "Activités",
        },
    },
    {
        # Old Arabic press review: render clock and Hijri date at the top, the item date
        # "الأربعاء, 23 نونبر 2011" under the title, closing lines "D-MM-YYYY" / "المصدر/ …".
        "name": "102-k2-ar-hijri",
        "url": "https://www.ccme.org.ma/ar/revue-de-presse-ar/12794",
        "lang": "ar-aa",
        "dir": "rtl",
        "prefix": "ar/",
        "home": "الرئيسية",
        "menu": "الإعلام والهجرة",
        "topbar": '<div class="date-time">الإثنين 13 يناير 2025 01:09</div><div class="hijri">1 moharram 1440</div>',
        "title": "مغاربة إسبانيا والأزمة الاقتصادية",
        "date": "الأربعاء, 23 نونبر 2011",
        "date_under_title": True,
        "paragraphs": AR[0:3],
        "content_html": ps(AR[0:3]) + "\n<p>22-11-2011</p>\n<p>المصدر/ جريدة الاتحاد الاشتراكي</p>",
        "source_line": None,
        "published_in": "نشر في",
        "category": "الإعلام والهجرة",
        "notice": "هذه القراءة في الصحف لا تدعي الشمولية ولا تعبر عن موقف المجلس.",
        "latest": "آخر المقالات",
        "other1": "المغاربة المقيمون بالخارج والإصلاحات",
        "other2": "خبر آخر",
        "other_date": "الثلاثاء, 22 نونبر 2011",
        "expected": {
            "language": "ar",
            "published_at": "2011-11-23",
            "source": "جريدة الاتحاد الاشتراكي",
            "source_date": "2011-11-22",
            "source_canonical": "Al Ittihad Al Ichtiraki",
            "category": "الإعلام والهجرة",
        },
    },
]


def render_k2(case: dict[str, object]) -> tuple[str, dict[str, object]]:
    paragraphs = list(case["paragraphs"])  # type: ignore[call-overload]
    content = str(case.get("content_html") or ps(paragraphs))
    if case["source_line"]:
        content += "\n" + p(str(case["source_line"]))
    # Old pages put the item date above the title or, with a weekday, under it; some print the
    # time the page was rendered (and a Hijri date) in a bar at the top.
    date = f'<span class="itemDateCreated">{html.escape(str(case["date"]), quote=False)}</span>'
    under = bool(case.get("date_under_title"))
    page = K2_TEMPLATE.format(
        content=content,
        topbar=case.get("topbar", ""),
        dir=case.get("dir", "ltr"),
        date_before="" if under else date + "\n",
        date_after="\n" + date if under else "",
        **{
            k: html.escape(str(v), quote=False)
            for k, v in case.items()
            if isinstance(v, str) and k not in ("content_html", "topbar", "dir", "date")
        },
    )
    exp = dict(case["expected"])  # type: ignore[call-overload]
    expected = {
        "url": case["url"],
        "title": case["title"],
        "body": "\n\n".join(paragraphs),
        "source_url": None,
        **exp,
        "extraction_method": "fallback:trafilatura",
        "flags": ["fallback"],
    }
    return page, expected


SEED_EXPECTED = {
    "url": f"{ORIGIN}/{SEED_SLUG}/",
    "title": SEED_TITLE,
    "published_at": D14,
    "language": "fr",
    "category": "Médias et migration",
    "source": "MAP",
    "source_date": "2014-02-18",
    "source_canonical": "MAP",
    "source_url": None,
    "post_id": 60338,
    "extraction_method": "template",
}


def seed_body() -> str:
    """The seed body as the ground-truth text prints it (shared/seed), blank-line separated."""
    seed_txt = (HERE.parent / "fixtures" / "reference" / "seed.txt").read_text(encoding="utf-8")
    lines = seed_txt.split("\n")
    start = next(
        i for i, line in enumerate(lines) if line.startswith("Le Maroc et la Belgique ont signé")
    )
    end = next(i for i, line in enumerate(lines) if line.endswith("remonte à 1965."))
    chunk = "\n".join(lines[start : end + 1])
    return "\n\n".join(part.strip() for part in chunk.split("\n\n") if part.strip())


def write_json(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    template = SEED.read_text(encoding="utf-8")
    write_json(EXPECTED / "000-seed.json", {**SEED_EXPECTED, "body": seed_body()})
    for case in CASES:
        page, url = render(case, template)
        (PAGES / f"{case.name}.html").write_bytes(page.encode(case.charset, "xmlcharrefreplace"))
        write_json(EXPECTED / f"{case.name}.json", expected_of(case, url))
    for k2 in K2_CASES:
        page, expected = render_k2(k2)
        (PAGES / f"{k2['name']}.html").write_text(page, encoding="utf-8")
        write_json(EXPECTED / f"{k2['name']}.json", expected)
    print(f"{1 + len(CASES) + len(K2_CASES)} golden pages written to {PAGES}")


if __name__ == "__main__":
    main()
