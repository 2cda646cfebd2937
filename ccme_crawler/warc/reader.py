"""Read captured pages back out of WARCs (for `reextract`: no network)."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ccme_crawler.compression import decode_content
from ccme_crawler.extraction.requisites import is_requisite_url
from ccme_crawler.items import WarcPointer
from ccme_crawler.urls import is_discovery_url, is_listing_url
from ccme_crawler.warc.naming import sorted_warcs
from ccme_crawler.warc.verify import Member, Problem, iter_members, parse_records


@dataclass(slots=True)
class CapturedPage:
    """A response as Scrapy would have handed it to the spider, read from a WARC."""

    target_uri: str
    status: int
    reason: str
    protocol: str
    headers: dict[str, str]  # as the spider sees them (see _scrapy_view); lower-case names
    raw_headers: list[tuple[str, str]]  # every header line as received, in order
    body: bytes  # de-chunked and content-decoded, as HttpCompressionMiddleware leaves it
    fetched_at: str  # ISO 8601, UTC (the WARC-Date of the record)
    pointer: WarcPointer  # the response or revisit record itself
    record_type: str  # "response" or "revisit"
    refers_to: WarcPointer | None = None  # for a revisit: the response holding the payload


# Headers Twisted consumes and Scrapy never shows (twisted.web._newclient.HTTPParser).
_CONNECTION_HEADERS = {
    "connection",
    "keep-alive",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "proxy-connection",
}


def _scrapy_view(
    raw_headers: list[tuple[str, str]], body: bytes, method: str = "GET"
) -> tuple[dict[str, str], bytes]:
    """Headers and body as Scrapy's HTTP/1.1 handler and HttpCompressionMiddleware hand them
    to a spider: connection headers dropped, content encodings Scrapy knows decoded and removed
    from Content-Encoding. Names lower-cased, repeated values joined by ", "."""
    headers: dict[str, str] = {}
    for name, value in raw_headers:
        key = name.lower()
        if key in _CONNECTION_HEADERS:
            continue
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    encoding = headers.get("content-encoding")
    if encoding and method != "HEAD":
        to_decode, to_keep = HttpCompressionMiddleware._split_encodings([encoding.encode()])
        for coding in to_decode:
            body = decode_content(body, coding)
        if to_keep:
            headers["content-encoding"] = b",".join(to_keep).decode()
        else:
            del headers["content-encoding"]
    return headers, body


CaptureKind = Literal["redirect", "discovery", "requisite", "listing", "page"]


@dataclass
class CaptureClassifier:
    """What each captured response of a site is, for ``reextract`` and ``import`` alike.

    Captures are classified in the order they were made: a page reached through redirects is
    keyed, like the crawl keys it, by the URL first asked for, which only the earlier redirect
    records say."""

    redirected_from: dict[str, str] = field(default_factory=dict)

    def kind(self, uri: str, status: int, location: str | None) -> CaptureKind:
        """``redirect`` (remembered for the page it leads to), ``discovery`` (home page,
        robots.txt, sitemaps: read by discovery, not stored), ``requisite`` (stylesheets,
        images…: not pages), ``listing`` or ``page``."""
        if 300 <= status < 400 and location:
            self.redirected_from[urljoin(uri, location)] = self.fetched_url(uri)
            return "redirect"
        if is_discovery_url(uri):
            return "discovery"
        if is_requisite_url(uri):
            return "requisite"
        if is_listing_url(uri):
            return "listing"
        return "page"

    def fetched_url(self, uri: str) -> str:
        """The URL first asked for of the redirects that ended at ``uri`` (``uri`` without)."""
        return self.redirected_from.get(uri, uri)


def message_body(record: ArcWarcRecord) -> bytes:
    """The record's HTTP body with any chunked transfer coding removed (content coding kept)."""
    assert record.http_headers is not None
    body: bytes  # warcio is untyped
    if (record.http_headers.get_header("transfer-encoding") or "").lower() == "chunked":
        body = ChunkedDataReader(record.raw_stream).read()
    else:
        body = record.raw_stream.read()
    return body


def _iso(warc_date: str) -> str:
    return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).isoformat()


def _read_body(path: Path, offset: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            return message_body(record)
    raise ValueError(f"no record at {path.name} @ {offset}")


def iter_captured_pages(
    directory: Path, damaged: list[Problem] | None = None
) -> Iterator[CapturedPage]:
    """Every response record, and every revisit resolved to its original payload, in capture
    order (files by name timestamp and serial, records by offset): robots.txt, redirects and
    error pages included. Headers and body are what the spider got (see :func:`_scrapy_view`).

    A damaged record (a gzip member that does not inflate, or a record warcio cannot read) is
    skipped and reading goes on with the next gzip member, as ``verify`` does; each is appended
    to ``damaged`` when given."""
    directory = Path(directory)
    originals: dict[str, WarcPointer] = {}  # record id -> response pointer
    by_digest: dict[tuple[str, str], WarcPointer] = {}  # (uri, payload digest) -> pointer
    for path in sorted_warcs(directory):
        for member in iter_members(path):
            if member.data is None:
                if damaged is not None:
                    damaged.append(member.problem(path))
                continue
            try:
                pages = list(
                    _member_pages(path, member, directory, originals=originals, by_digest=by_digest)
                )
            except (ArchiveLoadFailed, ValueError, EOFError, zlib.error) as exc:
                if damaged is not None:
                    damaged.append(
                        Problem(path.name, member.offset, None, "format", str(exc)[:300])
                    )
                continue
            yield from pages


_PAGE_RECORDS = ("response", "revisit")


def _lone_other_record(data: bytes) -> bool:
    """True when ``data`` (a gzip member) is exactly one well-formed WARC record of a type
    that holds no page (request, metadata, warcinfo…): half the members of a crawl, skipped
    without warcio. Anything else (a record of a page, several records, a header block that
    does not add up) goes through warcio."""
    records = parse_records(data)
    first = next(records, None)
    if first is None:
        return False
    headers, _, error = first
    if error is not None or headers.get("warc-type", "").lower() in _PAGE_RECORDS:
        return False
    return next(records, None) is None


def _member_pages(
    path: Path,
    member: Member,
    directory: Path,
    *,
    originals: dict[str, WarcPointer],
    by_digest: dict[tuple[str, str], WarcPointer],
) -> Iterator[CapturedPage]:
    assert member.data is not None
    if _lone_other_record(member.data):
        return
    # HTTP headers parsed only for the records that hold a page, as warcio would parse them.
    it = ArchiveIterator(io.BytesIO(member.data), no_record_parse=True)
    for record in it:
        if record.rec_type not in _PAGE_RECORDS:
            continue
        headers = record.rec_headers
        uri = headers.get_header("WARC-Target-URI")
        record.http_headers = it.loader.load_http_headers(
            record.rec_type, uri, record.raw_stream, record.length
        )
        if record.http_headers is None:
            continue
        digest = headers.get_header("WARC-Payload-Digest")
        record_id = headers.get_header("WARC-Record-ID")
        body = message_body(record) if record.rec_type == "response" else b""
        it.read_to_end(record)
        # One record a gzip member: the member is the record's place in the file.
        pointer = WarcPointer(
            filename=path.name,
            offset=member.offset,
            length=member.length,
            record_id=record_id,
            payload_digest=digest,
        )
        refers_to = None
        if record.rec_type == "response":
            originals[record_id] = pointer
            if digest:
                by_digest.setdefault((uri, digest), pointer)
        else:
            refers_to = originals.get(headers.get_header("WARC-Refers-To") or "")
            if refers_to is None and digest:
                refers_to = by_digest.get(
                    (headers.get_header("WARC-Refers-To-Target-URI") or uri, digest)
                )
            if refers_to is None:
                continue  # the original is not in this directory: nothing to hand over
            body = _read_body(directory / refers_to.filename, refers_to.offset)
        yield captured_page(record, body, pointer, refers_to)


def captured_page(
    record: ArcWarcRecord,
    body: bytes,
    pointer: WarcPointer,
    refers_to: WarcPointer | None = None,
    target_uri: str | None = None,
) -> CapturedPage:
    """The page a response or revisit record holds, ``body`` being its payload as recorded
    (:func:`message_body` of the record, or of the response a revisit refers to)."""
    http = record.http_headers
    assert http is not None
    view_headers, body = _scrapy_view(list(http.headers), body)
    status_text = http.get_statuscode() or "0"
    reason = http.statusline.split(" ", 1)[1] if " " in http.statusline else ""
    return CapturedPage(
        target_uri=target_uri or record.rec_headers.get_header("WARC-Target-URI"),
        status=int(status_text),
        reason=reason,
        protocol=http.protocol,
        headers=view_headers,
        raw_headers=list(http.headers),
        body=body,
        fetched_at=_iso(record.rec_headers.get_header("WARC-Date")),
        pointer=pointer,
        record_type=record.rec_type,
        refers_to=refers_to,
    )
