"""The pages a crawler starts from: the language homes and, when the server has them turned on,
WordPress core sitemaps (``/wp-sitemap.xml`` and the post, category and user sitemaps it names).

Core sitemaps list ``per_sitemap`` URLs each (2,000 on WordPress; fewer here so that the sample
has several post sitemaps). Post entries carry ``lastmod`` (the post's modification date), so an
updated article moves in its sitemap as it does on the site.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from ccme_mirror import render

if TYPE_CHECKING:
    from ccme_mirror.server import MirrorRequestHandler

HOMES = {"/": "fr", "/ar/": "ar", "/en/": "en"}
AUTHOR_PATH = "/author/rajae-moumengmail-com/"
_XML = "application/xml; charset=UTF-8"
_XMLNS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _urlset(urls: list[tuple[str, str | None]]) -> str:
    rows = []
    for loc, lastmod in urls:
        extra = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
        rows.append(f"<url><loc>{escape(loc)}</loc>{extra}</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {_XMLNS}>{"".join(rows)}</urlset>\n'


def sitemap_index(origin: str, post_sitemaps: int) -> str:
    names = [f"wp-sitemap-posts-post-{n}.xml" for n in range(1, post_sitemaps + 1)]
    names += ["wp-sitemap-taxonomies-category-1.xml", "wp-sitemap-users-1.xml"]
    rows = "".join(f"<sitemap><loc>{origin}/{name}</loc></sitemap>" for name in names)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {_XMLNS}>{rows}</sitemapindex>\n'


def serve(handler: MirrorRequestHandler, path: str) -> bool:
    """Answer ``path`` if it is a home page or (sitemaps on) a sitemap; False otherwise."""
    mirror = handler.server.mirror
    site = mirror.site
    origin = mirror.link_origin
    if path in HOMES:
        handler.send_page(200, render.render_home(site, HOMES[path], origin))
        return True
    if not mirror.sitemaps or not path.startswith("/wp-sitemap"):
        return False
    per = mirror.posts_per_sitemap
    posts = sorted(site.expected_articles(), key=lambda a: a.post_id)
    chunks = [posts[i : i + per] for i in range(0, len(posts), per)] or [[]]
    if path == "/wp-sitemap.xml":
        body = sitemap_index(origin, len(chunks))
    elif path == "/wp-sitemap-taxonomies-category-1.xml":
        paths = sorted({c.path for c in site.categories})  # the categories this mirror serves
        body = _urlset([(origin + render.href_path(p), None) for p in paths])
    elif path == "/wp-sitemap-users-1.xml":
        body = _urlset([(origin + AUTHOR_PATH, None)])
    elif path.startswith("/wp-sitemap-posts-post-") and path.endswith(".xml"):
        number = path.removeprefix("/wp-sitemap-posts-post-").removesuffix(".xml")
        if not number.isdigit() or not 1 <= int(number) <= len(chunks):
            return False
        body = _urlset(
            [
                (origin + render.href_path(a.slug_path), a.modified_at or a.published_at)
                for a in chunks[int(number) - 1]
            ]
        )
    else:
        return False
    handler.send_page(200, body, content_type=_XML)
    return True
