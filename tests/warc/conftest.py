"""Fixtures for the WARC tests: a tiny loopback HTTP server with awkward responses."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .helpers import CHUNKS, GZ_TEXT, PAGE


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response_only(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/robots.txt":
            self._send(200, "OK", [("Content-Type", "text/plain")], b"User-agent: *\nAllow: /\n")
        elif path == "/page":
            # A reason phrase no table would invent, and a header in unusual case.
            self._send(
                200,
                "Fine Thanks",
                [("Content-Type", "text/html; charset=utf-8"), ("x-ODD-case", "kept")],
                PAGE,
            )
        elif path == "/gz":
            self._send(
                200,
                "OK",
                [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                gzip.compress(GZ_TEXT, mtime=0),
            )
        elif path == "/chunked":
            self.send_response_only(200, "OK")
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in CHUNKS:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/redirect":
            self._send(301, "Moved Permanently", [("Location", "/page?a=1&b=%C3%A9")], b"moved")
        else:
            self._send(404, "Not Found", [("Content-Type", "text/html")], b"<p>no such page</p>")


@pytest.fixture(scope="module")
def http_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
