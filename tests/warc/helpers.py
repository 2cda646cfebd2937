"""Shared helpers for the WARC tests."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ccme_crawler.items import WarcPointer
from ccme_crawler.warc import WarcWriter
from ccme_mirror import MirrorSite
from ccme_mirror.assets import THEME_ASSETS, has_photo, photo_paths
from tests.helpers import rows, run_cli

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


# Where and when a page was fetched, and which run wrote the row: what differs between a crawl
# and an import of another tool's capture of the same pages.
PROVENANCE = {
    "fetched_url",
    "final_url",
    "fetched_at",
    "warc_filename",
    "warc_offset",
    "warc_length",
    "warc_record_id",
    "warc_payload_digest",
    "first_stored_at",
    "changed_at",
    "run_id",
}


def comparable_articles(db: Path) -> list[dict[str, Any]]:
    """Every article row, provenance aside, by URL (what a crawl and an import must agree on)."""
    # source_id is numbered by the database in the order outlets are first met: the outlet's
    # name stands for it.
    sql = """SELECT a.*, s.name AS source_name FROM articles a
        LEFT JOIN sources s ON s.id = a.source_id ORDER BY a.url"""
    return [
        {k: v for k, v in row.items() if k not in PROVENANCE and k != "source_id"}
        for row in rows(db, sql)
    ]


def import_files(db: Path, server_url: str, *files: Path) -> str:
    """``ccme-crawler import`` of ``files`` (the mirror's host taken as the site's); its output."""
    result = run_cli("import", "--db", str(db), "--origin", server_url, *map(str, files))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


# Theme files no fetched page references: the Windows tile (a <meta>, not a requisite), and the
# sidebar thumbnails' middle size (neither their data-src nor the largest srcset candidate).
UNREFERENCED = {"/wp-content/uploads/2023/10/cropped-favicon-ccme-270x270.png"} | {
    path
    for path in THEME_ASSETS
    if path.startswith("/wp-content/uploads/2025/06/") and "-300x200" in path
}


def referenced_assets(site: MirrorSite) -> set[str]:
    """The paths of every same-site requisite the mirror's listed articles reference (and their
    stylesheets), by the mirror's own model of its pages."""
    paths = set(THEME_ASSETS) - UNREFERENCED
    for article in site.expected_articles():
        if has_photo(article):
            # data-src / src (768 px) and the largest srcset candidate (1024 px) of both photos.
            paths |= set(photo_paths(article)[1:]) | set(photo_paths(article, second=True)[1:])
    return paths
