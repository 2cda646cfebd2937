"""Shared helpers for the WARC tests."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ccme_crawler.items import WarcPointer
from ccme_crawler.warc import WarcWriter

# What the loopback server of conftest.py serves.
PAGE = "<html><head><title>Page é</title></head><body><p>Bonjour</p></body></html>".encode()
GZ_TEXT = b"<html><body>" + b"compressed " * 200 + b"</body></html>"
CHUNKS = [b"<html><body>first chunk ", b"second chunk</body></html>"]

HTML = "<html><head><title>Titre é</title></head><body>Bonjour</body></html>".encode()


def exchange(
    url: str = "https://www.ccme.org.ma/fr/actualites/123?lang=fr&page=2",
    payload: bytes = HTML,
    **overrides: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "target_uri": url,
        "request_method": "GET",
        "request_headers": [("Accept", "text/html"), ("User-Agent", "ccme-tests")],
        "request_body": b"",
        "protocol": "HTTP/1.1",
        "status": 200,
        "reason": "OK",
        "response_headers": [("Content-Type", "text/html; charset=utf-8")],
        "payload": payload,
        "fetched_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        "peer_ip": "127.0.0.1",
    }
    values.update(overrides)
    return values


def gzipped_exchange(url: str, text: bytes) -> dict[str, Any]:
    return exchange(
        url,
        payload=gzip.compress(text, mtime=0),
        response_headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
    )


def write(directory: Path, *exchanges: dict[str, Any], **kwargs: Any) -> list[WarcPointer]:
    writer = WarcWriter(directory, **kwargs)
    try:
        return [writer.write_exchange(**values) for values in exchanges]
    finally:
        writer.close()


def read_member(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        return gzip.decompress(fh.read(length))
