"""The mirror server over real HTTP on loopback."""

from __future__ import annotations

import gzip
import http.client
import re
import threading
from collections.abc import Iterator
from urllib.parse import quote, unquote, urlsplit

import parsel
import pytest

from ccme_crawler.urls import SITE_ORIGIN
from ccme_mirror import MirrorArticle, MirrorServer, sample_site
from ccme_mirror.faults import delay, drop_connection, respond, times
from ccme_mirror.sample import SEED_PATH

MEDIAS = "/category/archives-du-ccme/medias-et-migration/"


@pytest.fixture()
def server() -> Iterator[MirrorServer]:
    with MirrorServer(sample_site()) as srv:
        yield srv


def get(
    server: MirrorServer, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def follow(server: MirrorServer, url: str) -> tuple[int, str, bytes]:
    parts = urlsplit(url)  # the fragment (#respond) is never sent
    path = quote(parts.path, safe="/%") + (f"?{parts.query}" if parts.query else "")
    for _ in range(5):
        status, headers, body = get(server, path)
        if status != 301:
            return status, path, body
        path = headers["location"][len(server.base_url) :]
    raise AssertionError("redirect loop")


def test_seed_article_served(server: MirrorServer) -> None:
    status, headers, body = get(server, SEED_PATH)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=UTF-8"
    sel = parsel.Selector(body.decode("utf-8"))
    seed = server.site.find(SEED_PATH)
    texts = ["".join(p.css("::text").getall()) for p in sel.css(".post-content.entry-content > p")]
    assert "\n\n".join(texts[:-2]) == seed.body
    # A converted mirror: links and canonical point at the server itself.
    assert sel.css("link[rel=canonical]::attr(href)").get() == server.base_url + SEED_PATH
    assert len(body) > 80_000


def test_live_links_origin() -> None:
    with MirrorServer(sample_site(), link_origin=SITE_ORIGIN) as srv:
        _, _, body = get(srv, MEDIAS)
        hrefs = parsel.Selector(body.decode()).css("h2.is-title.post-title a::attr(href)").getall()
        assert all(h.startswith(SITE_ORIGIN + "/") for h in hrefs)


def test_listing_pages_and_404_past_last(server: MirrorServer) -> None:
    site = server.site
    last = site.last_page(MEDIAS)
    seen = []
    path = MEDIAS
    while path:
        status, _, body = get(server, path)
        assert status == 200
        sel = parsel.Selector(body.decode())
        seen += sel.css("h2.is-title.post-title a::attr(href)").getall()
        numbers = [
            int(m.group(1))
            for h in sel.css("nav.main-pagination a::attr(href)").getall()
            if (m := re.search(r"/page/(\d+)/$", h))
        ]
        assert max(numbers, default=1) <= last
        nxt = sel.css("a.next.page-numbers::attr(href)").get()
        path = nxt[len(server.base_url) :] if nxt else None
    assert len(seen) == site.category_size(MEDIAS)
    status, _, body = get(server, f"{MEDIAS}page/{last + 1}/")
    assert status == 404 and b"error404" in body
    status, headers, _ = get(server, f"{MEDIAS}page/1/")
    assert status == 301 and headers["location"] == server.base_url + MEDIAS


def test_quirk_links_resolve(server: MirrorServer) -> None:
    site = server.site
    for cat in site.categories:
        for page in range(1, site.last_page(cat.path) + 1):
            _, _, body = get(server, cat.path if page == 1 else f"{cat.path}page/{page}/")
            for href in (
                parsel.Selector(body.decode()).css("h2.is-title.post-title a::attr(href)").getall()
            ):
                status, final, page_body = follow(server, href)
                assert status == 200, href
                canonical = (
                    parsel.Selector(page_body.decode()).css("link[rel=canonical]::attr(href)").get()
                )
                assert unquote(canonical) == unquote(server.base_url + urlsplit(final).path)


def test_redirects(server: MirrorServer) -> None:
    for junk in (SEED_PATH + "%C2%AB", SEED_PATH.rstrip("/"), SEED_PATH + "%C2%BB"):
        status, headers, _ = get(server, junk)
        assert status == 301, junk
        assert headers["location"] == server.base_url + SEED_PATH
    status, headers, _ = get(server, "/?p=60338")
    assert status == 301 and headers["location"].endswith(SEED_PATH)
    for variant in ("?amp=1", "?utm_source=x&utm_medium=y"):
        assert get(server, SEED_PATH + variant)[0] == 200


def test_arabic_article_lower_case_escapes(server: MirrorServer) -> None:
    article = next(a for a in server.site.articles if a.language == "ar")
    status, _, body = get(server, article.slug_path.lower())
    assert status == 200
    assert article.title in body.decode()


def test_conditional_requests(server: MirrorServer) -> None:
    status, headers, _ = get(server, SEED_PATH)
    etag, last_modified = headers["etag"], headers["last-modified"]
    assert last_modified == "Tue, 24 Oct 2023 10:52:37 GMT"
    assert get(server, SEED_PATH, {"If-None-Match": etag})[0] == 304
    assert get(server, SEED_PATH, {"If-Modified-Since": last_modified})[0] == 304
    assert get(server, SEED_PATH, {"If-None-Match": '"other"'})[0] == 200
    server.site.update_article(SEED_PATH, paragraphs=["Texte modifié."])
    status, headers2, _ = get(server, SEED_PATH, {"If-None-Match": etag})
    assert status == 200 and headers2["etag"] != etag
    assert get(server, SEED_PATH, {"If-Modified-Since": last_modified})[0] == 200


def test_gzip_and_head(server: MirrorServer) -> None:
    status, headers, body = get(server, SEED_PATH, {"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"
    assert b"post-content" in gzip.decompress(body)
    status, headers, body = get(server, SEED_PATH, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 80_000


def test_404_and_robots(server: MirrorServer) -> None:
    status, _, body = get(server, "/nothing-here/")
    assert status == 404
    assert "error404" in parsel.Selector(body.decode()).css("body::attr(class)").get()
    status, _headers, body = get(server, "/robots.txt")
    assert status == 200 and b"Disallow: /wp-admin/" in body
    with MirrorServer(sample_site(), robots_txt="User-agent: *\nDisallow: /\n") as srv:
        assert get(srv, "/robots.txt")[2] == b"User-agent: *\nDisallow: /\n"


def test_request_counting(server: MirrorServer) -> None:
    get(server, "/robots.txt")
    get(server, MEDIAS)
    get(server, SEED_PATH)
    get(server, SEED_PATH + "?amp=1")
    get(server, "/nope/")
    assert server.count() == 5
    assert (
        server.count("robots"),
        server.count("listing"),
        server.count("article"),
        server.count("other"),
    ) == (1, 1, 2, 1)
    assert server.requests[1].path == MEDIAS and server.requests[1].status == 200
    assert server.requests[4].status == 404
    server.reset_requests()
    assert server.count() == 0


def test_add_article_while_serving(server: MirrorServer) -> None:
    site = server.site
    new = MirrorArticle(
        slug_path="/dernier-article/",
        title="Dernier article publié",
        published_at="2025-07-01T09:00:00+01:00",
        language="fr",
        category=site.category(MEDIAS),
        paragraphs=["Un paragraphe."],
        source="MAP",
        source_date="2025-06-30",
    )
    site.add_article(new)
    _, _, body = get(server, MEDIAS)
    first = parsel.Selector(body.decode()).css("h2.is-title.post-title a::text").get()
    assert first == "Dernier article publié"
    assert get(server, "/dernier-article/")[0] == 200


def test_faults(server: MirrorServer) -> None:
    server.set_fault(SEED_PATH, times(2, respond(503, "busy", {"Retry-After": "1"})))
    assert get(server, SEED_PATH)[0] == 503
    assert get(server, SEED_PATH)[0] == 503
    assert get(server, SEED_PATH)[0] == 200
    server.set_fault(re.compile(r"/page/2/$"), drop_connection())
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        get(server, f"{MEDIAS}page/2/")
    server.clear_faults()
    arabic = next(a for a in server.site.articles if a.language == "ar")
    server.set_fault(unquote(arabic.slug_path), respond(500))
    assert get(server, arabic.slug_path.lower())[0] == 500
    server.clear_faults()
    server.set_fault(MEDIAS, delay(0.01))
    assert get(server, MEDIAS)[0] == 200


def test_concurrent_requests(server: MirrorServer) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        status = get(server, SEED_PATH)[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 16
