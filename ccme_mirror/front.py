"""The pages a crawler starts from: language homes, robots.txt's ``Sitemap:`` line and the
sitemaps, as WordPress core (``/wp-sitemap.xml``) or Yoast and Rank Math
(``/sitemap_index.xml``) publish them.

Core sitemaps: an index naming ``wp-sitemap-posts-post-N.xml`` (``posts_per_sitemap`` posts
each), ``wp-sitemap-taxonomies-category-1.xml`` and ``wp-sitemap-users-1.xml``. Yoast: an index
with ``lastmod`` naming ``post-sitemap.xml``, ``post-sitemap2.xml``…, ``category-sitemap.xml``
and ``author-sitemap.xml``; its first post sitemap starts with the home page, as Yoast's does on a
site whose front page lists posts. Both list every language (Polylang adds its languages to the
same sitemaps), posts with ``lastmod`` (their modification date), and the categories that hold
posts of their own (WordPress counts a parent's posts without its children's).
"""

from __future__ import annotations

from html import escape

from ccme_mirror.model import MirrorArticle
from ccme_mirror.render import href_path
from ccme_mirror.site import MirrorSite, author_path, parse_iso

HOMES = {"/": "fr", "/ar/": "ar", "/en/": "en"}
XML = "application/xml; charset=UTF-8"
_XMLNS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_YOAST_URLSET = (
    '<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
    ' xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9'
    ' http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd"'
    f" {_XMLNS}>"
)


def sitemap_index_path(site: MirrorSite) -> str | None:
    """Where the site's sitemap index is (None: no sitemaps)."""
    return {"core": "/wp-sitemap.xml", "yoast": "/sitemap_index.xml"}.get(site.variant.sitemaps)


def robots_lines(site: MirrorSite, origin: str) -> str:
    """What WordPress (core) or Yoast appends to robots.txt to name the sitemap index."""
    index = sitemap_index_path(site)
    if index is None or not site.variant.robots_sitemap:
        return ""
    if site.variant.sitemaps == "yoast":
        rule = "# ---------------------------"
        return (
            f"\n# START YOAST BLOCK\n{rule}\nSitemap: {origin}{index}\n{rule}\n# END YOAST BLOCK\n"
        )
    return f"\nSitemap: {origin}{index}\n"


def _lastmod(article: MirrorArticle) -> str:
    return article.modified_at or article.published_at


def sitemap_posts(site: MirrorSite) -> list[MirrorArticle]:
    """Every published post, hidden ones included (a sitemap lists what no listing links)."""
    return sorted(site.articles, key=lambda a: a.post_id)


def _chunks(site: MirrorSite) -> list[list[MirrorArticle]]:
    posts = sitemap_posts(site)
    per = site.variant.posts_per_sitemap
    return [posts[i : i + per] for i in range(0, len(posts), per)] or [[]]


def _categories_with_posts(site: MirrorSite) -> list[tuple[str, str | None]]:
    """Category paths with posts of their own, each with its newest post's lastmod."""
    newest: dict[str, str] = {}
    for article in site.articles:
        for cat in article.categories:
            if site.category(cat.path) is None:
                continue
            moment = _lastmod(article)
            if cat.path not in newest or parse_iso(moment) > parse_iso(newest[cat.path]):
                newest[cat.path] = moment
    return [(path, newest[path]) for path in sorted(newest)]


def _authors(site: MirrorSite) -> list[tuple[str, str | None]]:
    """The authors' archives (the default language's URL, as core and Yoast list users)."""
    latest: dict[str, str] = {}
    for article in site.articles:
        path = author_path(article.author, "fr")
        moment = _lastmod(article)
        if path not in latest or parse_iso(moment) > parse_iso(latest[path]):
            latest[path] = moment
    return sorted(latest.items())


def _urlset(origin: str, rows: list[tuple[str, str | None]], yoast: bool) -> str:
    out = []
    for path, lastmod in rows:
        loc = escape(origin + href_path(path))
        if yoast:
            extra = f"\n\t\t<lastmod>{lastmod}</lastmod>" if lastmod else ""
            out.append(f"\t<url>\n\t\t<loc>{loc}</loc>{extra}\n\t</url>\n")
        else:
            extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            out.append(f"<url><loc>{loc}</loc>{extra}</url>")
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if yoast:
        style = f'<?xml-stylesheet type="text/xsl" href="{origin}/main-sitemap.xsl"?>'
        return f"{head}{style}\n{_YOAST_URLSET}\n{''.join(out)}</urlset>\n"
    style = f'<?xml-stylesheet type="text/xsl" href="{origin}/wp-sitemap.xsl" ?>'
    return f"{head}{style}\n<urlset {_XMLNS}>{''.join(out)}</urlset>\n"


def _index(origin: str, rows: list[tuple[str, str | None]], yoast: bool) -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if yoast:
        style = f'<?xml-stylesheet type="text/xsl" href="{origin}/main-sitemap.xsl"?>'
        items = "".join(
            f"\t<sitemap>\n\t\t<loc>{origin}{name}</loc>\n\t\t<lastmod>{lastmod}</lastmod>\n"
            "\t</sitemap>\n"
            for name, lastmod in rows
        )
        return f"{head}{style}\n<sitemapindex {_XMLNS}>\n{items}</sitemapindex>\n"
    style = f'<?xml-stylesheet type="text/xsl" href="{origin}/wp-sitemap-index.xsl" ?>'
    items = "".join(f"<sitemap><loc>{origin}{name}</loc></sitemap>" for name, _ in rows)
    return f"{head}{style}\n<sitemapindex {_XMLNS}>{items}</sitemapindex>\n"


def _newest(rows: list[tuple[str, str | None]]) -> str | None:
    dates = [d for _, d in rows if d]
    return max(dates, key=parse_iso) if dates else None


def sitemap(site: MirrorSite, path: str, origin: str) -> str | None:
    """The sitemap at ``path`` (XML), or None when the site has none there."""
    style = site.variant.sitemaps
    if style == "none":
        return None
    chunks = _chunks(site)
    posts = [[(a.slug_path, _lastmod(a)) for a in chunk] for chunk in chunks]
    categories = _categories_with_posts(site)
    authors = _authors(site)
    if style == "core":
        names = [f"/wp-sitemap-posts-post-{n}.xml" for n in range(1, len(chunks) + 1)]
        if path == "/wp-sitemap.xml":
            rows = [(name, None) for name in names]
            rows += [("/wp-sitemap-taxonomies-category-1.xml", None)]
            rows += [("/wp-sitemap-users-1.xml", None)]
            return _index(origin, rows, yoast=False)
        if path in names:
            return _urlset(origin, posts[names.index(path)], yoast=False)
        if path == "/wp-sitemap-taxonomies-category-1.xml":
            return _urlset(origin, [(p, None) for p, _ in categories], yoast=False)
        if path == "/wp-sitemap-users-1.xml":
            return _urlset(origin, [(p, None) for p, _ in authors], yoast=False)
        return None
    names = ["/post-sitemap.xml", *(f"/post-sitemap{n}.xml" for n in range(2, len(chunks) + 1))]
    # Yoast's first post sitemap opens with the home page (a blog front page).
    posts[0] = [("/", _newest(posts[0]) or _newest(categories)), *posts[0]]
    if path == "/sitemap_index.xml":
        rows = [(name, _newest(chunk)) for name, chunk in zip(names, posts, strict=True)]
        rows += [("/category-sitemap.xml", _newest(categories))]
        rows += [("/author-sitemap.xml", _newest(authors))]
        return _index(origin, rows, yoast=True)
    if path in names:
        return _urlset(origin, posts[names.index(path)], yoast=True)
    if path == "/category-sitemap.xml":
        return _urlset(origin, categories, yoast=True)
    if path == "/author-sitemap.xml":
        return _urlset(origin, authors, yoast=True)
    return None
