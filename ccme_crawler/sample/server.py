"""Serve the bundled sample of the site, a folder of pre-rendered pages, on 127.0.0.1.

The folder holds the pages as the live site writes them (links on ``https://www.ccme.org.ma``,
which the crawler puts back on the host it crawls), ``robots.txt``, WordPress's 404 page and
``manifest.json``: the categories, and for every URL path the file that answers it and the
headers it is sent with (articles carry ``ETag`` and ``Last-Modified``). It is built from the
test mirror by ``tools/build_sample.py``; a test fails when the two differ.

Routes (GET and HEAD): ``/robots.txt``; every path of the manifest, whatever its query string
(pages, and the stylesheets, scripts and images they reference, with the ``Content-Type`` the
manifest gives); anything else is the 404 page with status 404. Conditional requests on a matching ``ETag`` or
``Last-Modified`` get a 304; bodies are gzipped when the client accepts it.
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SITE_DIR = Path(__file__).parent / "site"
MANIFEST_FILE = "manifest.json"
ROBOTS_FILE = "robots.txt"
NOT_FOUND_FILE = "404.html"
HTML_TYPE = "text/html; charset=UTF-8"


@dataclass(frozen=True)
class StaticPage:
    file: str  # relative to the site folder
    headers: dict[str, str]


@dataclass(frozen=True)
class StaticSite:
    """A site folder's manifest: its categories and the page behind every URL path."""

    directory: Path
    categories: tuple[str, ...]
    pages: dict[str, StaticPage]  # keyed by the percent-decoded path

    @classmethod
    def load(cls, directory: Path = SITE_DIR) -> StaticSite:
        manifest = json.loads((directory / MANIFEST_FILE).read_text("utf-8"))
        pages = {
            unquote(path): StaticPage(entry["file"], dict(entry.get("headers", {})))
            for path, entry in manifest["pages"].items()
        }
        return cls(directory, tuple(manifest["categories"]), pages)

    def page(self, path: str) -> StaticPage | None:
        """The page served at ``path`` (query ignored; percent-encoding in any case)."""
        return self.pages.get(unquote(urlsplit(path).path))

    def read(self, file: str) -> bytes:
        return (self.directory / file).read_bytes()


def not_modified(
    request_headers: Message | dict[str, str], response_headers: dict[str, str]
) -> bool:
    """True when a conditional request matches the response's ``ETag`` (``If-None-Match``, which
    wins when both are sent) or is not older than its ``Last-Modified`` (``If-Modified-Since``)."""
    etag = response_headers.get("ETag")
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return etag is not None and ("*" in tags or etag in tags or f"W/{etag}" in tags)
    if_modified_since = request_headers.get("If-Modified-Since")
    last_modified = response_headers.get("Last-Modified")
    if not if_modified_since or not last_modified:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError):
        return False
    return int(parsedate_to_datetime(last_modified).timestamp()) <= int(since)


class _SampleHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a crawl's own log says what was fetched

    def do_GET(self) -> None:
        self._handle()

    def do_HEAD(self) -> None:
        self._handle()

    def _handle(self) -> None:
        site = self.server.site
        try:
            if urlsplit(self.path).path == "/" + ROBOTS_FILE:
                self._send(200, site.read(ROBOTS_FILE), {}, "text/plain; charset=utf-8")
                return
            page = site.page(self.path)
            if page is None:
                self._send(404, site.read(NOT_FOUND_FILE), {}, HTML_TYPE)
            elif not_modified(self.headers, page.headers):
                self._send(304, b"", page.headers, HTML_TYPE)
            else:
                self._send(200, site.read(page.file), page.headers, HTML_TYPE)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, body: bytes, headers: dict[str, str], content_type: str) -> None:
        all_headers = {"Content-Type": content_type, "Vary": "Accept-Encoding", **headers}
        if status == 304:
            body = b""
        elif body and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            all_headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops connections at Scrapy's concurrency of 16.
    request_queue_size = 128
    site: StaticSite


class SampleServer:
    """Serve a site folder (the bundled sample by default) on ``host:port`` (0 = a free port)
    from a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, directory: Path = SITE_DIR):
        self.site = StaticSite.load(directory)
        self.host = host
        self.port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SampleServer:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), _SampleHandler)
        httpd.site = self.site
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sample:{self.port}",
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

    def __enter__(self) -> SampleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path
