"""A site rendered once into static files: the bundled sample that ships with the product.

``static_files(site)`` renders every page a crawl can reach (listings, articles, the 404 page,
robots.txt, and the assets the pages reference, under ``assets/``) with the live site's links, plus the manifest that ``ccme_crawler.sample`` serves
them from. ``tools/build_sample.py`` writes them into ``ccme_crawler/sample/site/``; a test
checks that the shipped files are still what this renders.
"""

from __future__ import annotations

import json

from ccme_crawler.sample.server import MANIFEST_FILE, NOT_FOUND_FILE, ROBOTS_FILE
from ccme_crawler.urls import SITE_ORIGIN
from ccme_mirror import assets, render
from ccme_mirror.server import DEFAULT_ROBOTS, article_headers, no_cache_headers
from ccme_mirror.site import MirrorSite


def static_files(site: MirrorSite, link_origin: str = SITE_ORIGIN) -> dict[str, bytes]:
    """Every file of the static copy of ``site``, by path relative to the site folder."""
    files: dict[str, bytes] = {
        ROBOTS_FILE: DEFAULT_ROBOTS.encode("utf-8"),
        NOT_FOUND_FILE: render.render_404(link_origin).encode("utf-8"),
    }
    pages: dict[str, dict[str, object]] = {}

    def add(url_path: str, file: str, body: bytes, headers: dict[str, str]) -> None:
        if file in files:
            raise ValueError(f"two pages would be written to {file}")
        files[file] = body
        pages[url_path] = {"file": file, "headers": headers}

    for category in site.categories:
        slug = render.term_slug(category.path)
        for page in range(1, site.last_page(category.path) + 1):
            html = render.render_listing(site, category, page, link_origin).encode("utf-8")
            if page == 1:
                add(category.path, f"listings/{slug}.html", html, no_cache_headers())
            else:
                url_path, file = f"{category.path}page/{page}/", f"listings/{slug}-page-{page}.html"
                add(url_path, file, html, no_cache_headers())
    for article in site.articles:
        html = render.render_article(site, article, link_origin).encode("utf-8")
        headers = article_headers(article, html, link_origin)
        add(article.slug_path, f"articles/{article.post_id}.html", html, headers)
    for path in assets.site_asset_paths(site):
        found = assets.asset(site, path)
        assert found is not None, path
        content_type, data = found
        headers = {"Content-Type": content_type, **assets.asset_headers(data)}
        add(path, "assets" + path, data, headers)
    manifest = {"categories": [c.path for c in site.categories], "pages": pages}
    files[MANIFEST_FILE] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return files
