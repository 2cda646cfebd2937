"""The sample shipped with the product is what the mirror renders: it cannot drift."""

from __future__ import annotations

import hashlib

from ccme_crawler.sample import SITE_DIR
from ccme_mirror import sample_site
from ccme_mirror.assets import site_asset_paths
from ccme_mirror.static import static_files


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_shipped_sample_is_what_the_mirror_renders() -> None:
    """After changing the sample, templates or renderer: run `python tools/build_sample.py`."""
    shipped = {
        path.relative_to(SITE_DIR).as_posix(): path.read_bytes()
        for path in SITE_DIR.rglob("*")
        if path.is_file()
    }
    assert _digests(shipped) == _digests(static_files(sample_site()))


def test_static_copy_has_a_page_for_every_listing_page_and_article() -> None:
    site = sample_site()
    listing_pages = sum(site.last_page(c.path) for c in site.categories)
    # robots.txt, 404.html, manifest.json, then one file a page and one an asset.
    assets = len(site_asset_paths(site))
    assert len(static_files(site)) == 3 + listing_pages + len(site.articles) + assets


def test_static_copy_writes_the_live_site_links() -> None:
    site = sample_site()
    seed = next(a for a in site.articles if a.post_id == 60338)
    html = static_files(site)["articles/60338.html"].decode("utf-8")
    assert f'<link rel="canonical" href="https://www.ccme.org.ma{seed.slug_path}" />' in html
