"""Read captured pages back out of WARCs (for `reextract`: no network)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from ccme_crawler.items import WarcPointer
from ccme_crawler.warc.writer import sorted_warcs


@dataclass(slots=True)
class CapturedPage:
    """A response as Scrapy would have handed it to the spider, read from a WARC."""

    target_uri: str
    status: int
    reason: str
    protocol: str
    headers: dict[str, str]  # names lower-cased, repeated values joined by ", "
    body: bytes  # transfer- and content-decoded
    fetched_at: str  # ISO 8601, UTC (the WARC-Date of the record)
    pointer: WarcPointer  # the response or revisit record itself
    record_type: str  # "response" or "revisit"
    refers_to: WarcPointer | None = None  # for a revisit: the response holding the payload


def _headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _iso(warc_date: str) -> str:
    return datetime.fromisoformat(warc_date.replace("Z", "+00:00")).isoformat()


def _read_body(path: Path, offset: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            return record.content_stream().read()
    raise ValueError(f"no record at {path.name} @ {offset}")


def iter_captured_pages(directory: Path) -> Iterator[CapturedPage]:
    """Every response record, and every revisit resolved to its original payload, in capture
    order (files by name timestamp and serial, records by offset). Bodies are de-chunked and
    content-decoded (gzip, deflate, br) as Scrapy's HttpCompressionMiddleware would."""
    directory = Path(directory)
    originals: dict[str, WarcPointer] = {}  # record id -> response pointer
    by_digest: dict[tuple[str, str], WarcPointer] = {}  # (uri, payload digest) -> pointer
    for path in sorted_warcs(directory):
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type not in ("response", "revisit") or record.http_headers is None:
                    continue
                headers = record.rec_headers
                uri = headers.get_header("WARC-Target-URI")
                digest = headers.get_header("WARC-Payload-Digest")
                record_id = headers.get_header("WARC-Record-ID")
                body = record.content_stream().read() if record.rec_type == "response" else b""
                it.read_to_end(record)
                pointer = WarcPointer(
                    filename=path.name,
                    offset=it.get_record_offset(),
                    length=it.get_record_length(),
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
                http = record.http_headers
                status_text = http.get_statuscode() or "0"
                reason = http.statusline.split(" ", 1)[1] if " " in http.statusline else ""
                yield CapturedPage(
                    target_uri=uri,
                    status=int(status_text),
                    reason=reason,
                    protocol=http.protocol,
                    headers=_headers(http.headers),
                    body=body,
                    fetched_at=_iso(headers.get_header("WARC-Date")),
                    pointer=pointer,
                    record_type=record.rec_type,
                    refers_to=refers_to,
                )
