"""The mirror's home pages and (opt-in) WordPress core sitemaps, which discovery reads."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from ccme_crawler.discovery import parse_sitemap
from ccme_crawler.extraction.navigation import find_menu_entry, menus
from ccme_mirror import MirrorServer, sample_site


def fetch(server: MirrorServer, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url(path), timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def server():  # type: ignore[no-untyped-def]
    with MirrorServer(sample_site(), sitemaps=True, posts_per_sitemap=10) as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/ar/", "/en/"])
def test_home_pages_carry_the_archive_menu(server: MirrorServer, path: str) -> None:
    status, body = fetch(server, path)
    entry = find_menu_entry(menus(body.decode(), server.url(path)), label="Archives du CCME")
    assert (status, entry is not None and len(entry.children)) == (200, 3)


def test_core_index_names_every_post_sitemap(server: MirrorServer) -> None:
    _, body = fetch(server, "/wp-sitemap.xml")
    _, entries = parse_sitemap(body)
    assert len([e for e in entries if "posts-post" in e["loc"]]) == 4  # 37 posts, 10 a sitemap


def test_post_sitemaps_list_every_post_once(server: MirrorServer) -> None:
    locs = []
    for n in range(1, 5):
        _, body = fetch(server, f"/wp-sitemap-posts-post-{n}.xml")
        locs += [e["loc"] for e in parse_sitemap(body)[1]]
    assert (len(locs), len(set(locs))) == (len(server.site.expected_articles()),) * 2


def test_post_sitemap_past_the_last_is_404(server: MirrorServer) -> None:
    assert fetch(server, "/wp-sitemap-posts-post-5.xml")[0] == 404


def test_sitemaps_are_off_unless_asked_for() -> None:
    with MirrorServer(sample_site()) as plain:
        assert fetch(plain, "/wp-sitemap.xml")[0] == 404
