"""A real HTTP server on loopback that serves a :class:`MirrorSite` like WordPress would.

Routes (GET and HEAD): ``/robots.txt`` (with a ``Sitemap:`` line when the site has sitemaps);
the static files pages reference, under ``/wp-content/`` and ``/wp-includes/``
(:mod:`ccme_mirror.assets`; any query); the language homes ``/``, ``/ar/``, ``/en/`` and the
sitemaps (``front.py``); category listings
``…/category/…/`` and author archives ``…/author/<nicename>/``, each with ``…/page/N/`` (404
past the last page); article permalinks (``?amp=1``, tracking parameters and other unknown query
strings serve the page; junk after the path such as ``«`` or ``%C2%AB`` and a missing trailing
slash get a 301 to the permalink); shortlinks ``/?p=ID``, ``/ar/?p=ID``, ``/en/?p=ID`` (301 to the
permalink); anything else is WordPress's 404 page. Articles carry ``ETag`` and ``Last-Modified``
and answer conditional requests with 304. Bodies are gzipped when the client accepts it.

Fault injection: ``server.set_fault(pattern, fault)`` registers ``fault(handler) -> bool`` for
requests whose path (with query, raw or percent-decoded) starts with ``pattern`` (a str) or
matches it (a compiled regex, ``re.search``). The fault runs before routing; returning True means it has answered (or
dropped) the request, False lets normal routing go on. The ready-made faults are in
:mod:`ccme_mirror.faults`.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ccme_crawler.sample.server import not_modified
from ccme_crawler.urls import canonical_path
from ccme_mirror import assets, front, render
from ccme_mirror.site import MirrorArticle, MirrorSite

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"
# Static files (theme, plugins, uploads) live under these, never posts or listings.
ASSET_PREFIXES = ("/wp-content/", "/wp-includes/")
PAGED_LISTING = re.compile(r"^(?P<cat>/(?:[a-z]{2}/)?(?:category|author)/.+?/)page/(?P<n>\d+)/?$")
SHORTLINK_PATH = re.compile(r"^/(?:[a-z]{2}/)?$")

Fault = Callable[["MirrorRequestHandler"], bool]


@dataclass
class RequestRecord:
    method: str
    path: str  # raw request target (path and query, as sent)
    headers: dict[str, str]
    status: int = 0
    time: float = field(default_factory=time.time)
    kind: str = "other"  # "robots", "home", "sitemap", "listing", "article", "asset" or "other"


class MirrorRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    server: _HTTPServer

    # -- plumbing -------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read server.requests instead of stderr

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def _handle(self) -> None:
        mirror = self.server.mirror
        self.record = RequestRecord(
            method=self.command, path=self.path, headers={k: v for k, v in self.headers.items()}
        )
        mirror._record(self.record)
        for _pattern, fault in mirror._faults_for(self.path):
            if fault(self):
                return
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send_page(
        self,
        status: int,
        body: bytes | str,
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=UTF-8",
    ) -> None:
        """Send a complete response (gzip when accepted, no body for HEAD)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = {"Content-Type": content_type, "Vary": "Accept-Encoding"}
        all_headers.update(headers or {})
        if data and "gzip" in (self.headers.get("Accept-Encoding") or "") and status != 304:
            data = gzip.compress(data, compresslevel=5, mtime=0)
            all_headers["Content-Encoding"] = "gzip"
        self.record.status = status
        self.send_response(status)
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)) if status != 304 else "0")
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(data)

    def redirect(self, location_path: str, status: int = 301) -> None:
        self.send_page(
            status,
            b"",
            headers={
                "Location": self.server.mirror.base_url + render.href_path(location_path),
                "X-Redirect-By": "WordPress",
            },
        )

    def not_found(self) -> None:
        mirror = self.server.mirror
        self.send_page(
            404, render.render_404(mirror.link_origin, mirror.site), headers=no_cache_headers()
        )

    # -- routing --------------------------------------------------------------------------
    def _route(self) -> None:
        mirror = self.server.mirror
        site = mirror.site
        parts = urlsplit(self.path)
        raw_path = parts.path or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if raw_path == "/robots.txt":
            self.record.kind = "robots"
            self.send_page(200, mirror.robots_txt, content_type="text/plain; charset=utf-8")
            return
        if raw_path.startswith(ASSET_PREFIXES):
            self._serve_asset(unquote(raw_path))
            return
        if SHORTLINK_PATH.match(raw_path) and query.get("p", "").isdigit():
            article = site.find_by_id(int(query["p"]))
            if article is not None:
                self.record.kind = "article"
                self.redirect(article.slug_path)
                return
        if raw_path in front.HOMES:
            self.record.kind = "home"
            html = render.render_home(site, front.HOMES[raw_path], mirror.link_origin)
            self.send_page(200, html, headers=no_cache_headers())
            return
        if raw_path.endswith(".xml"):
            xml = front.sitemap(site, raw_path, mirror.link_origin)
            if xml is not None:
                self.record.kind = "sitemap"
                self.send_page(200, xml, content_type=front.XML)
                return
        try:
            clean = canonical_path(raw_path).split("?", 1)[0]
        except ValueError:
            clean = raw_path
        paged = PAGED_LISTING.match(unquote(clean))
        cat_path = paged.group("cat") if paged else clean
        category = (
            site.archive_listing(cat_path)
            if "/category/" in cat_path or "/author/" in cat_path
            else None
        )
        if category is not None:
            self.record.kind = "listing"
            page = int(paged.group("n")) if paged else 1
            if unquote(raw_path) != unquote(clean) or (paged and page == 1):
                self.redirect(clean if page > 1 else category.path)
                return
            if site.listing(category.path, page) is None:
                self.not_found()
                return
            html = render.render_listing(site, category, page, mirror.link_origin)
            self.send_page(200, html, headers=no_cache_headers())
            return
        article = site.find(clean)
        if article is None:
            self.not_found()
            return
        self.record.kind = "article"
        if unquote(raw_path) != unquote(article.slug_path):
            self.redirect(article.slug_path)
            return
        self._serve_article(article)

    def _serve_asset(self, path: str) -> None:
        found = assets.asset(self.server.mirror.site, path)
        if found is None:
            self.not_found()
            return
        self.record.kind = "asset"
        content_type, data = found
        headers = assets.asset_headers(data)
        if not_modified(self.headers, headers):
            self.send_page(304, b"", headers=headers, content_type=content_type)
            return
        self.send_page(200, data, headers=headers, content_type=content_type)

    def _serve_article(self, article: MirrorArticle) -> None:
        mirror = self.server.mirror
        html = render.render_article(mirror.site, article, mirror.link_origin).encode("utf-8")
        headers = article_headers(article, html, mirror.link_origin)
        if not_modified(self.headers, headers):
            self.send_page(304, b"", headers=headers)
            return
        self.send_page(200, html, headers=headers)


def article_headers(article: MirrorArticle, html: bytes, link_origin: str) -> dict[str, str]:
    """The headers WordPress sends with an article page (validators for conditional requests)."""
    return {
        "ETag": '"' + hashlib.sha1(html).hexdigest()[:20] + '"',
        "Last-Modified": render.http_date(article.modified_at or article.published_at),
        "Link": f"<{link_origin}/?p={article.post_id}>; rel=shortlink",
        "Cache-Control": "max-age=0, must-revalidate",
    }


def no_cache_headers() -> dict[str, str]:
    return {"Cache-Control": "no-cache, must-revalidate, max-age=0"}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops connections at Scrapy's concurrency of 16.
    request_queue_size = 128
    mirror: MirrorServer


class MirrorServer:
    """Serve ``site`` on ``host:port`` (0 = a free port) from a background thread."""

    def __init__(
        self,
        site: MirrorSite,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        link_origin: str | None = None,
        robots_txt: str | None = None,
        sitemaps: str | bool | None = None,
        posts_per_sitemap: int | None = None,
    ) -> None:
        self.site = site
        # Sitemaps are the site's (site.variant); these turn them on or off for this server.
        if sitemaps is not None or posts_per_sitemap is not None:
            style = {True: "core", False: "none"}.get(sitemaps, sitemaps)  # type: ignore[arg-type]
            site.variant = replace(
                site.variant,
                sitemaps=style if style is not None else site.variant.sitemaps,
                posts_per_sitemap=posts_per_sitemap or site.variant.posts_per_sitemap,
            )
        self.host = host
        self.port = port
        self._link_origin = link_origin.rstrip("/") if link_origin else None
        self._robots_txt = robots_txt
        self.requests: list[RequestRecord] = []
        self.faults: list[tuple[str | re.Pattern[str], Fault]] = []
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> MirrorServer:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), MirrorRequestHandler)
        httpd.mirror = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"mirror:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def link_origin(self) -> str:
        """Origin written in the pages' absolute links (the server itself unless overridden)."""
        return self._link_origin or self.base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def robots_txt(self) -> str:
        """WordPress's robots.txt, naming the sitemap index when the site has one, unless set."""
        if self._robots_txt is not None:
            return self._robots_txt
        return DEFAULT_ROBOTS + front.robots_lines(self.site, self.link_origin)

    @robots_txt.setter
    def robots_txt(self, text: str | None) -> None:
        self._robots_txt = text

    # -- requests -------------------------------------------------------------------------
    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if kind is None or r.kind == kind)

    # -- faults ---------------------------------------------------------------------------
    def set_fault(self, pattern: str | re.Pattern[str], fault: Fault) -> None:
        with self._lock:
            self.faults.append((pattern, fault))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _faults_for(self, path: str) -> list[tuple[str | re.Pattern[str], Fault]]:
        with self._lock:
            faults = list(self.faults)
        decoded = unquote(path)
        return [
            (p, f)
            for p, f in faults
            if (
                path.startswith(p) or decoded.startswith(p)
                if isinstance(p, str)
                else p.search(path) is not None or p.search(decoded) is not None
            )
        ]
