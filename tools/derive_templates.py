"""Derive the mirror's page templates from the reference markup (a maintenance script).

Run ``python tools/derive_templates.py [REFERENCE_DIR]`` (default ``tests/fixtures/reference``)
to rebuild ``article.html``, ``listing.html``, ``error404.html``, ``related_item.html`` and
``listing_item.html`` in ``ccme_mirror/templates/`` from ``article-fr.html`` and
``category-fr.html``. Only the parts that depend on the post or the listing are replaced by
``{{placeholders}}``; the chrome (head, menus, headers, share bars, sidebar, footers, search
modal, scripts) is kept byte for byte, with the origin ``https://www.ccme.org.ma`` turned into
``{{origin}}``. Then run ``tools/build_sample.py`` to re-render the sample shipped with the product.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "ccme_mirror" / "templates"
ORIGIN = "https://www.ccme.org.ma"
SITE_NAME = "CCME | Études et actualités sur les Marocains du monde"
SEED_SLUG = "le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation"
SEED_URL = f"{ORIGIN}/{SEED_SLUG}/"
SEED_URL_ENC = "https%3A%2F%2Fwww.ccme.org.ma%2F" + SEED_SLUG + "%2F"
SEED_TITLE = "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération"
SEED_TITLE_ENC = (
    "Le%20Maroc%20et%20la%20Belgique%20signent%20plusieurs%20accords%20et%20conventions"
    "%20de%20coop%C3%A9ration"
)
CAT_PATH = "/category/archives-du-ccme/medias-et-migration/"


def sub1(pattern: str, repl: str, text: str, flags: int = re.S) -> str:
    """Replace exactly one match (fail loudly when the reference changed)."""
    new, n = re.subn(pattern, lambda _m: repl, text, count=1, flags=flags)
    if n != 1:
        raise SystemExit(f"pattern not found: {pattern[:80]!r}")
    return new


def between(text: str, start: str, end: str) -> tuple[int, int]:
    i = text.index(start)
    j = text.index(end, i) + len(end)
    return i, j


def common(text: str) -> str:
    text = sub1(
        r'<html lang="fr-FR" class=',
        '<html lang="{{html_lang}}"{{html_dir}} class=',
        text,
    )
    text = sub1(r"<title>.*?</title>", "<title>{{title_full}}</title>", text)
    text = sub1(
        r'<link rel="canonical" href="[^"]*" />',
        '<link rel="canonical" href="{{canonical}}" />',
        text,
    )
    text = sub1(r'og:locale" content="fr_FR"', 'og:locale" content="{{og_locale}}"', text)
    text = sub1(r'og:title" content="[^"]*"', 'og:title" content="{{title_full}}"', text)
    text = sub1(r'og:url" content="[^"]*"', 'og:url" content="{{canonical}}"', text)
    text = sub1(
        r'(<script type="application/ld\+json" class="yoast-schema-graph">).*?(</script>)',
        '<script type="application/ld+json" class="yoast-schema-graph">{{jsonld}}</script>',
        text,
    )
    text = sub1(
        r'html\[lang="fr-FR"\] \.ccme-footer-ar, html\[lang="fr-FR"\] \.ccme-footer-en \{ display: none; \}',
        "{{footer_css}}",
        text,
    )
    text = sub1(r'<body class="[^"]*">', '<body class="{{body_class}}">', text)
    text = sub1(
        r'<nav class="breadcrumbs is-full-width breadcrumbs-a" id="breadcrumb">.*?</nav>',
        "{{breadcrumbs}}",
        text,
    )
    text = text.replace('"is_rtl":false', '"is_rtl":{{is_rtl}}')
    # Menu items pointing at categories get their "current-…" classes from the page.
    current = r"(?: current-[a-z-]+)*"

    def menu(m: re.Match[str]) -> str:
        path = m.group(3)[len(ORIGIN) :]
        return f"{m.group(1)}{{{{mc:{path}}}}}{m.group(2)}{m.group(3)}"

    text = re.sub(
        r'(class="menu-item menu-item-type-taxonomy menu-item-object-category)'
        + current
        + r'( (?:menu-item-has-children )?menu-item-\d+"><a href=")('
        + re.escape(ORIGIN)
        + r'/category/[^"]+)',
        menu,
        text,
    )
    return text


def finish(text: str) -> str:
    text = text.replace(SITE_NAME, "{{site_name}}")
    text = text.replace(ORIGIN, "{{origin}}")
    text = text.replace(ORIGIN.replace("/", "\\/"), "{{origin_js}}")
    return text


def derive_article(src: str) -> tuple[str, str]:
    text = common(src)
    text = sub1(
        r'og:description" content="[^"]*"', 'og:description" content="{{description}}"', text
    )
    for prop, name in (("published_time", "published_gmt"), ("modified_time", "modified_gmt")):
        text = sub1(
            rf'article:{prop}" content="[^"]*"', f'article:{prop}" content="{{{{{name}}}}}"', text
        )
    text = sub1(r'name="author" content="[^"]*"', 'name="author" content="{{author}}"', text)
    text = sub1(r'twitter:data1" content="[^"]*"', 'twitter:data1" content="{{author}}"', text)
    text = sub1(
        r'twitter:data2" content="[^"]*"', 'twitter:data2" content="{{reading_time}}"', text
    )
    text = text.replace("/wp/v2/posts/60338", "/wp/v2/posts/{{post_id}}")
    text = text.replace("?p=60338", "?p={{post_id}}")
    # Related posts: one item becomes a sub-template.
    i, j = between(text, '<article class="l-post grid-sm-post grid-post">', "</article>")
    item = text[i:j]
    last_end = text.rindex("</article>", 0, text.index("</section>", j)) + len("</article>")
    text = text[:i] + "{{related}}" + text[last_end:]
    item = item.replace(
        "https://www.ccme.org.ma/tourisme-la-hausse-des-arrivees-des-marocains-du-monde-compense-la-diminution-des-touristes-etrangers/",
        "{{url}}",
    )
    item = item.replace(
        "Tourisme : la hausse des arrivées des Marocains du monde compense la diminution des touristes étrangers",
        "{{title}}",
    )
    item = sub1(
        r'<time class="post-date" datetime="[^"]*">[^<]*</time>',
        '<time class="post-date" datetime="{{datetime}}">{{date_text}}</time>',
        item,
    )
    # Post header, article and content.
    text = sub1(
        r'<h1 class="is-title post-title">[^<]*</h1>',
        '<h1 class="is-title post-title">{{title}}</h1>',
        text,
    )
    text = sub1(
        r'<a href="[^"]*" class="category term-color-53" rel="category">[^<]*</a>',
        '<a href="{{cat_url}}" class="category term-color-{{term_id}}" rel="category">{{cat_label}}</a>',
        text,
    )
    text = sub1(
        r'<span class="meta-item date"><time class="post-date" datetime="[^"]*">[^<]*</time></span>',
        '<span class="meta-item date"><time class="post-date" datetime="{{datetime}}">{{date_text}}</time></span>',
        text,
    )
    text = sub1(
        r'<article id="post-60338" class="[^"]*">',
        '<article id="post-{{post_id}}" class="{{article_class}}">',
        text,
    )
    text = sub1(r"<p>Le Maroc et la Belgique ont signé.*?<p>Source : MAP</p>", "{{content}}", text)
    text = text.replace(SEED_URL_ENC, "{{url_enc}}").replace(SEED_TITLE_ENC, "{{title_enc}}")
    text = text.replace(SEED_URL, "{{url}}")
    text = text.replace("https%3A%2F%2Fwww.ccme.org.ma%2F" + SEED_SLUG + "%2F", "{{url_enc}}")
    if SEED_SLUG in text or "60338" in text or "Belgique signent" in text:
        raise SystemExit("seed-specific text left in article template")
    return finish(text), finish(item)


def derive_listing(src: str) -> tuple[str, str]:
    text = common(src)
    text = sub1(r'\t<link rel="next" href="[^"]*" />\n', "{{rel_links}}", text)
    text = sub1(
        r'title="([^"]*) &raquo; Flux de la catégorie [^"]*" href="[^"]*/feed/"',
        f'title="{SITE_NAME} &raquo; Flux de la catégorie {{{{cat_label}}}}" href="{{{{cat_url}}}}feed/"',
        text,
    )
    text = text.replace("/wp/v2/categories/53", "/wp/v2/categories/{{term_id}}")
    text = sub1(r"Browsing: <span>[^<]*</span>", "Browsing: <span>{{cat_label}}</span>", text)
    i, j = between(text, '<article class="l-post list-post', "</article>")
    item = text[i:j]
    end_loop = text.index('<nav class="main-pagination')
    last_end = text.rindex("</article>", 0, end_loop) + len("</article>")
    text = text[:i] + "{{items}}" + text[last_end:]
    text = sub1(
        r'<nav class="main-pagination pagination-numbers" data-type="numbers">.*?</nav>',
        "{{pagination}}",
        text,
    )
    item = sub1(
        r'<a href="[^"]*" class="category term-color-53" rel="category">[^<]*</a>',
        '<a href="{{cat_url}}" class="category term-color-{{term_id}}" rel="category">{{cat_label}}</a>',
        item,
    )
    item = sub1(
        r'<h2 class="is-title post-title"><a href="[^"]*">[^<]*</a></h2>',
        '<h2 class="is-title post-title"><a href="{{href}}">{{title}}</a></h2>',
        item,
    )
    item = sub1(
        r'<time class="post-date" datetime="[^"]*">[^<]*</time>',
        '<time class="post-date" datetime="{{datetime}}">{{date_text}}</time>',
        item,
    )
    item = sub1(r"<p>[^<]*</p>", "<p>{{excerpt}}</p>", item)
    item = sub1(
        r'<a href="[^"]*" class="read-more-link read-more-basic">Lire plus</a>',
        '<a href="{{href}}" class="read-more-link read-more-basic">{{read_more}}</a>',
        item,
    )
    return finish(text), finish(item)


ERROR_MAIN = """<div class="main ts-contain cf no-sidebar">
			<div class="ts-row">
		<div class="col-8 main-content">

		<div class="the-post the-page page-404 cf">

			<header class="post-title-alt">
				<h1 class="main-heading">Page Not Found!</h1>
			</header>

			<div class="post-content error-page row">

				<div class="col-3 text-404 main-color">404</div>

				<div class="col-9 post-content">
					<p>
					We're sorry, but we can't find the page you were looking for. It's probably some thing we've done wrong but now we know about it and we'll try to fix it. In the meantime, try one of these options:					</p>

					<ul class="links fa-ul">
						<li><i class="tsi tsi-angle-double-right"></i> <a href="#" class="go-back">Go to Previous Page</a></li>
						<li><i class="tsi tsi-angle-double-right"></i> <a href="{{origin}}/">Go to Homepage</a></li>
					</ul>

					<form method="get" class="search-form" action="{{origin}}/">
						<label>
							<span class="screen-reader-text">Search for:</span>
							<input type="search" class="search-field" placeholder="To search, type and hit enter." value="" name="s" title="Search for:" />
						</label>
						<button type="submit" class="search-submit"><i class="tsi tsi-search"></i></button>
					</form>
				</div>

			</div>

		</div>

		</div>
	</div> <!-- .ts-row -->
	</div> <!-- .main -->
"""


def derive_404(listing: str) -> str:
    text = listing
    text = text.replace("{{rel_links}}", "")
    text = sub1(r'\t<link rel="canonical" href="\{\{canonical\}\}" />\n', "", text)
    text = sub1(r'\t<meta property="og:url" content="\{\{canonical\}\}" />\n', "", text)
    text = sub1(
        r"\t<link rel=\"alternate\" type=\"application/rss\+xml\" title=\"[^\"]*Flux de la catégorie.*?/>\n",
        "",
        text,
    )
    text = sub1(
        r'\t<link rel="alternate" type="application/json" href="[^"]*categories[^"]*" />\n',
        "",
        text,
    )
    text = text.replace("index, follow, max-image-preview", "noindex, follow, max-image-preview")
    start = text.index('<div class="main ts-contain cf right-sidebar">')
    end = text.index('<footer class="main-footer')
    text = text[:start] + ERROR_MAIN + "\n\t" + text[end:]
    return text


def main(ref_dir: str) -> None:
    ref = Path(ref_dir)
    article, related = derive_article((ref / "article-fr.html").read_text("utf-8"))
    listing, list_item = derive_listing((ref / "category-fr.html").read_text("utf-8"))
    error = derive_404(listing)
    for name, content in (
        ("article.html", article),
        ("related_item.html", related),
        ("listing.html", listing),
        ("listing_item.html", list_item),
        ("error404.html", error),
    ):
        if "www.ccme.org.ma" in content:
            raise SystemExit(f"origin left in {name}")
        (TEMPLATES / name).write_text(content, "utf-8")
        print(name, len(content.encode()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "tests/fixtures/reference"))
