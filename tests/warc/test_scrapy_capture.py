"""A real Scrapy crawl (subprocess) with the capture handler and middleware, on loopback."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_crawler.warc import iter_captured_pages, verify_warcs
from ccme_crawler.warc.naming import sorted_warcs

from .helpers import CHUNKS, GZ_TEXT, PAGE

HELPER = Path(__file__).with_name("crawl_helper.py")
WARCIO = Path(sys.executable).with_name("warcio")

pytestmark = pytest.mark.integration


def crawl(base: str, tmp_path: Path, *extra: str) -> tuple[Path, list[dict]]:
    warc_dir = tmp_path / "warc"
    out = tmp_path / "items.json"
    result = subprocess.run(
        [sys.executable, str(HELPER), base, str(warc_dir), str(out), *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return warc_dir, json.loads(out.read_text())


def responses(warc_dir: Path) -> list[tuple[str, str, bytes, str]]:
    """(type, target URI, HTTP head as stored, status line) per response/revisit record."""
    out = []
    for path in sorted_warcs(warc_dir):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, no_record_parse=True):
                if record.rec_type in ("response", "revisit"):
                    block = record.raw_stream.read()
                    head = block.split(b"\r\n\r\n", 1)[0]
                    out.append(
                        (
                            record.rec_type,
                            record.rec_headers.get_header("WARC-Target-URI"),
                            block,
                            head.split(b"\r\n", 1)[0].decode("latin-1"),
                        )
                    )
    return out


def test_crawl_captures_every_exchange_as_received(http_server: str, tmp_path: Path) -> None:
    warc_dir, items = crawl(http_server, tmp_path)
    recs = responses(warc_dir)
    base = http_server
    page = f"{base}/page?a=1&b=%C3%A9"

    # One response/revisit record per fetch: robots.txt, 2x page, gz, chunked, redirect, its
    # target (the page again), 404.
    assert Counter(uri for _, uri, _, _ in recs) == Counter(
        {
            f"{base}/robots.txt": 1,
            page: 3,
            f"{base}/gz": 1,
            f"{base}/chunked": 1,
            f"{base}/redirect": 1,
            f"{base}/missing": 1,
        }
    )
    by_uri = {uri: (kind, block, status) for kind, uri, block, status in recs}
    # Real status lines, reason phrases included; header case as sent by the server.
    assert by_uri[page][2] == "HTTP/1.1 200 Fine Thanks"
    assert b"\r\nx-ODD-case: kept\r\n" in by_uri[page][1]
    assert by_uri[f"{base}/missing"][2] == "HTTP/1.1 404 Not Found"
    assert by_uri[f"{base}/redirect"][2] == "HTTP/1.1 301 Moved Permanently"
    # The page was fetched three times with the same payload: one response, two revisits.
    assert sorted(kind for kind, uri, _, _ in recs if uri == page) == [
        "response",
        "revisit",
        "revisit",
    ]
    # gzip'd payload kept compressed, with its Content-Encoding.
    gz_block = by_uri[f"{base}/gz"][1]
    assert b"\r\nContent-Encoding: gzip\r\n" in gz_block
    assert gzip.decompress(gz_block.split(b"\r\n\r\n", 1)[1]) == GZ_TEXT
    # Chunked body kept with its framing (it is what the server sent).
    chunked = by_uri[f"{base}/chunked"][1]
    assert b"\r\nTransfer-Encoding: chunked\r\n" in chunked
    assert chunked.endswith(b"0\r\n\r\n")

    # Request records hold the bytes Twisted wrote, query string included.
    with open(sorted_warcs(warc_dir)[0], "rb") as fh:
        request_lines = [
            record.raw_stream.read().split(b"\r\n", 1)[0]
            for record in ArchiveIterator(fh, no_record_parse=True)
            if record.rec_type == "request"
        ]
    assert b"GET /page?a=1&b=%C3%A9 HTTP/1.1" in request_lines

    # The spider saw pointers to the records of the responses it got.
    by_request = {item["request_url"]: item for item in items}
    assert by_request[f"{base}/gz"]["body"] == GZ_TEXT.decode()
    for item in items:
        assert item["warc"] is not None
        assert item["warc"]["record_id"] in {
            r.pointer.record_id for r in iter_captured_pages(warc_dir)
        }
    redirected = [item for item in items if item["request_url"] == page and item["url"] == page]
    assert redirected

    # Everything passes both checkers, and reading back gives what the spider got.
    assert verify_warcs(warc_dir).ok
    check = subprocess.run(
        [WARCIO, "check", *map(str, sorted_warcs(warc_dir))], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    pages = {p.pointer.record_id: p for p in iter_captured_pages(warc_dir)}
    for item in items:
        captured = pages[item["warc"]["record_id"]]
        assert captured.body.decode() == item["body"]
        assert captured.headers == item["headers"]
        assert captured.status == item["status"]
    assert pages[by_request[f"{base}/chunked"]["warc"]["record_id"]].body == b"".join(CHUNKS)
    assert (warc_dir / "index.cdxj").exists()


def test_stock_handler_fallback_records_no_invented_reason(
    http_server: str, tmp_path: Path
) -> None:
    warc_dir, _ = crawl(http_server, tmp_path, "stock")
    recs = responses(warc_dir)
    statuses = {uri.rsplit("/", 1)[1]: status for _, uri, _, status in recs}
    assert statuses["missing"] == "HTTP/1.1 404 "
    assert statuses["page?a=1&b=%C3%A9"] == "HTTP/1.1 200 "
    assert verify_warcs(warc_dir).ok
    assert PAGE in b"".join(p.body for p in iter_captured_pages(warc_dir))
