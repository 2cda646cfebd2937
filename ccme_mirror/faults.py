"""Ready-made faults for :meth:`MirrorServer.set_fault`: broken answers, slow or cut connections,
hostile pages. Each returns a ``fault(handler) -> bool`` that runs before routing; True means it has
answered (or dropped) the request, False lets the request through to the site.
"""

from __future__ import annotations

import contextlib
import gzip
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from ccme_mirror import render
from ccme_mirror.server import PAGED_LISTING, Fault, MirrorRequestHandler, no_cache_headers

__all__ = [
    "Fault",
    "delay",
    "drop_connection",
    "every_page_exists",
    "gzip_bomb",
    "huge_page",
    "listing_edited",
    "listing_with_link",
    "listing_without_posts",
    "maintenance_page",
    "redirect_off_site",
    "redirect_to",
    "reset_connection",
    "respond",
    "respond_bytes",
    "slow_drip",
    "soft_404_page",
    "times",
    "truncated",
]


def respond(status: int, body: str = "", headers: dict[str, str] | None = None) -> Fault:
    """Answer with a fixed status and body (e.g. ``respond(503, headers={"Retry-After": "1"})``)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.send_page(status, body, headers=headers)
        return True

    return fault


def delay(seconds: float) -> Fault:
    """Sleep, then serve normally."""

    def fault(handler: MirrorRequestHandler) -> bool:
        time.sleep(seconds)
        return False

    return fault


def drop_connection() -> Fault:
    """Close the socket without answering."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 0
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.shutdown(socket.SHUT_RDWR)
        return True

    return fault


def truncated(body: str = "<html><body><p>Le Maroc", declared_length: int = 100_000) -> Fault:
    """Announce ``declared_length`` bytes, send fewer, close."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 200
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=UTF-8")
        handler.send_header("Content-Length", str(declared_length))
        handler.end_headers()
        handler.wfile.write(body.encode("utf-8"))
        handler.wfile.flush()
        handler.close_connection = True
        return True

    return fault


def times(n: int, fault: Fault) -> Fault:
    """Apply ``fault`` to the first ``n`` matching requests only (e.g. fail twice, then serve)."""
    remaining = [n]
    lock = threading.Lock()

    def wrapper(handler: MirrorRequestHandler) -> bool:
        with lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
        return fault(handler)

    return wrapper


def respond_bytes(
    body: bytes,
    status: int = 200,
    content_type: str = "text/html",
    headers: dict[str, str] | None = None,
) -> Fault:
    """Answer with these exact bytes (NUL bytes, a wrong or missing charset, mojibake…)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.send_page(status, body, headers=headers, content_type=content_type)
        return True

    return fault


def redirect_to(path: str, status: int = 302) -> Fault:
    """Redirect to ``path`` on this server (chains and loops are made of these)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.send_page(status, b"", headers={"Location": handler.server.mirror.url(path)})
        return True

    return fault


def reset_connection() -> Fault:
    """Abort the connection with a TCP RST (SO_LINGER 0) before answering."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 0
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
        return True

    return fault


def slow_drip(
    total: int = 100_000, chunk: int = 16, interval: float = 0.2, max_seconds: float = 10.0
) -> Fault:
    """Announce ``total`` bytes and send them a few at a time, slowly (gives up after
    ``max_seconds`` or when the client goes away)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 200
        handler.close_connection = True
        deadline = time.monotonic() + max_seconds
        with contextlib.suppress(OSError):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=UTF-8")
            handler.send_header("Content-Length", str(total))
            handler.end_headers()
            handler.wfile.write(b"<html><head><title>")
            sent = 0
            while sent < total and time.monotonic() < deadline:
                handler.wfile.write(b"x" * chunk)
                handler.wfile.flush()
                sent += chunk
                time.sleep(interval)
        return True

    return fault


def huge_page(size: int = 64 * 1024 * 1024, *, declare_length: bool = False) -> Fault:
    """A page of ``size`` bytes, streamed in 64 KiB chunks (with or without Content-Length);
    stops when the client closes the connection, so the server's memory stays small too."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 200
        handler.close_connection = True
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        with contextlib.suppress(OSError):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=UTF-8")
            if declare_length:
                handler.send_header("Content-Length", str(size))
            handler.end_headers()
            sent = 0
            while sent < size:
                handler.wfile.write(block[: size - sent])
                sent += len(block)
        return True

    return fault


def gzip_bomb(size: int = 64 * 1024 * 1024) -> Fault:
    """A small gzip body that inflates to ``size`` bytes (``Content-Encoding: gzip``)."""
    payload = gzip.compress(b"\0" * size, compresslevel=9, mtime=0)

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.record.status = 200
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=UTF-8")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(payload)
        return True

    return fault


def every_page_exists() -> Fault:
    """Endless pagination: every listing page from the category's last one on answers 200 with
    the last page's posts and a "next" link to the page after it."""

    def fault(handler: MirrorRequestHandler) -> bool:
        path = unquote(urlsplit(handler.path).path)
        match = PAGED_LISTING.match(path)
        site = handler.server.mirror.site
        category = site.category(match.group("cat") if match else path)
        if category is None:
            return False
        page = int(match.group("n")) if match else 1
        last = max(1, site.last_page(category.path))
        if page < last:
            return False
        origin = handler.server.mirror.link_origin
        html = render.render_listing(site, category, last, origin)
        next_link = f'<link rel="next" href="{origin}{category.path}page/{page + 1}/" />'
        html = html.replace("<head>", "<head>" + next_link, 1)
        handler.record.kind = "listing"
        handler.send_page(200, html, headers=no_cache_headers())
        return True

    return fault


MAINTENANCE_HTML = (
    "<!DOCTYPE html><html><head><title>Maintenance</title></head><body>"
    "<h1>Site en maintenance</h1><p>Le site est momentanément indisponible.</p></body></html>"
)
_LISTING_POST = re.compile(r'<article class="l-post.*?</article>', re.DOTALL)


def maintenance_page() -> Fault:
    """200 with a maintenance notice (a plugin's "back soon" page): no listing, no posts."""
    return respond(200, MAINTENANCE_HTML)


def soft_404_page() -> Fault:
    """200 with WordPress's "not found" page (body class ``error404``)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.send_page(200, render.render_404(handler.server.mirror.link_origin))
        return True

    return fault


def listing_edited(edit: Callable[[str], str]) -> Fault:
    """Serve a listing page as rendered, passed through ``edit(html)``."""

    def fault(handler: MirrorRequestHandler) -> bool:
        path = unquote(urlsplit(handler.path).path)
        match = PAGED_LISTING.match(path)
        site = handler.server.mirror.site
        category = site.category(match.group("cat") if match else path)
        page = int(match.group("n")) if match else 1
        if category is None or site.listing(category.path, page) is None:
            return False
        html = render.render_listing(site, category, page, handler.server.mirror.link_origin)
        handler.record.kind = "listing"
        handler.send_page(200, edit(html), headers=no_cache_headers())
        return True

    return fault


def listing_without_posts() -> Fault:
    """The real listing page, heading and pagination included, with its posts taken out."""
    return listing_edited(lambda html: _LISTING_POST.sub("", html))


def listing_with_link(href: str) -> Fault:
    """The real listing page with one more post, first, linking to ``href`` as written."""

    def edit(html: str) -> str:
        post = (
            f'<article class="l-post list-post"><h2 class="is-title post-title">'
            f'<a href="{href}">Lien cassé</a></h2></article>'
        )
        return html.replace('<article class="l-post', post + '<article class="l-post', 1)

    return listing_edited(edit)


def redirect_off_site(base_url: str, status: int = 302) -> Fault:
    """Redirect to the same path on another host (``base_url``: scheme://host:port)."""

    def fault(handler: MirrorRequestHandler) -> bool:
        handler.send_page(status, b"", headers={"Location": base_url.rstrip("/") + handler.path})
        return True

    return fault
