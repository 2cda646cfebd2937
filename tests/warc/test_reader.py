"""Reading captures back: the shortcuts of the read path give what the full path gives.

A gzip payload is decoded as Scrapy's HttpCompressionMiddleware decodes it whatever its shape,
and a gzip member holding several records (other tools write them) is read record by record."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ccme_crawler.warc import iter_captured_pages

from .helpers import exchange, write

TEXT = b"<html><body>" + "\u00e9t\u00e9".encode() * 400 + b"</body></html>"
ONE = gzip.compress(TEXT, mtime=0)

PAYLOADS = {
    "one member": ONE,
    "two members": ONE + gzip.compress(b"<p>more</p>", mtime=0),
    "trailing bytes": ONE + b"\0\0\0\0",
    "cut short": ONE[: len(ONE) // 2],
    "bad checksum": ONE[:-8] + b"\0\0\0\0" + ONE[-4:],
}


@pytest.mark.parametrize("shape", sorted(PAYLOADS))
def test_gzip_payload_decoded_as_scrapy_decodes_it(tmp_path: Path, shape: str) -> None:
    payload = PAYLOADS[shape]
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    write(tmp_path, exchange(payload=payload, response_headers=headers))
    [page] = iter_captured_pages(tmp_path)
    assert page.body == HttpCompressionMiddleware._decode(payload, b"gzip", 0)


def _one_member_of_two_records(path: Path) -> None:
    """A request and its response in one gzip member, as a WARC compressed whole."""
    plain = io.BytesIO()
    writer = WARCWriter(plain, gzip=False)
    url = "https://www.ccme.org.ma/fr/actualites/1"
    request = StatusAndHeaders("GET /fr/actualites/1 HTTP/1.1", [("Host", "www.ccme.org.ma")])
    writer.write_record(
        writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
    )
    response = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            url, "response", payload=io.BytesIO(b"<html>page</html>"), http_headers=response
        )
    )
    path.write_bytes(gzip.compress(plain.getvalue(), mtime=0))


def test_response_in_a_member_of_several_records_is_read(tmp_path: Path) -> None:
    _one_member_of_two_records(tmp_path / "other-20260101000000000000-00000.warc.gz")
    pages = list(iter_captured_pages(tmp_path))
    assert [(p.target_uri, p.body) for p in pages] == [
        ("https://www.ccme.org.ma/fr/actualites/1", b"<html>page</html>")
    ]
