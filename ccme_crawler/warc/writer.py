"""Write HTTP exchanges as gzip-per-record WARC/1.1 files.

The HTTP blocks are written byte for byte as they were sent and received. warcio builds the WARC
header block and reads everything back; it is never given parsed HTTP headers to re-encode (its
writer rebuilds header blocks from parsed values, losing the original case, spacing and order).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import logging
import os
import socket
import struct
import uuid
from bisect import bisect_left
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from ccme_crawler import __version__
from ccme_crawler.items import WarcPointer
from ccme_crawler.warc.index import CdxjSpill, cdxj_line, update_cdxj
from ccme_crawler.warc.naming import WARC_SUFFIX, last_serial, sorted_warcs, warc_file_name

logger = logging.getLogger(__name__)

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
DEFAULT_MAX_SIZE = 1_000_000_000
# Each record is a standard gzip member, made by ISA-L (igzip) at its default level: on the
# mirror's pages (already gzip'd by the server, stored as received) 3.7x faster than zlib's
# level 6 for the same size; on plain HTML 15x faster for members about a fifth larger.
_GZIP_LEVEL = isal_zlib.ISAL_DEFAULT_COMPRESSION
_GZIP_WBITS = isal_zlib.MAX_WBITS | 16


def sha1_digest(data: bytes) -> str:
    """A WARC digest value: ``sha1:`` and the base32 SHA-1, as warcio and the CDXJ tools write it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_date(moment: datetime) -> str:
    """WARC-Date with microseconds (allowed by WARC/1.1), always UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def build_request_head(
    method: str, target_uri: str, headers: list[tuple[str, str]], protocol: str = "HTTP/1.1"
) -> bytes:
    """A request header block from parts, for when the bytes actually sent were not captured."""
    from urllib.parse import urlsplit

    parts = urlsplit(target_uri)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    lines = [f"{method} {path} {protocol}"]
    names = {name.lower() for name, _ in headers}
    if "host" not in names:
        lines.append(f"Host: {parts.netloc}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def build_response_head(
    protocol: str, status: int, reason: str, headers: list[tuple[str, str]]
) -> bytes:
    """A response header block from parts. An unknown reason phrase stays empty (RFC 9112 allows
    ``HTTP/1.1 404 ``); it is never filled in from a table."""
    lines = [f"{protocol} {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


_BUCKET_BITS = 12
_KEY = 16
_RECORD = _KEY + 8 + 16  # key, microseconds since the epoch (signed), UUID
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_UUID_PREFIX = "<urn:uuid:"


def _packed(date: str, record_id: str) -> bytes | None:
    """Date and record ID as 24 bytes, or None when they would not be restored as given."""
    if not (record_id.startswith(_UUID_PREFIX) and record_id.endswith(">")):
        return None
    try:
        moment = datetime.fromisoformat(date)
        record_uuid = uuid.UUID(record_id[len(_UUID_PREFIX) : -1])
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        return None
    if warc_date(moment) != date or f"{_UUID_PREFIX}{record_uuid}>" != record_id:
        return None
    return struct.pack(">q", (moment - _EPOCH) // _MICROSECOND) + record_uuid.bytes


def _unpacked(data: bytes) -> tuple[str, str]:
    (micros,) = struct.unpack(">q", data[:8])
    return (
        warc_date(_EPOCH + timedelta(microseconds=micros)),
        f"{_UUID_PREFIX}{uuid.UUID(bytes=data[8:])}>",
    )


def _bucket_number(key: bytes) -> int:
    return int.from_bytes(key[:2]) >> (16 - _BUCKET_BITS)


class CaptureIndex:
    """(target URI, payload digest) → (WARC-Date, WARC-Record-ID) of its first capture.

    The writer's revisit map holds one entry a page (earlier runs' captures, read from their
    WARCs, and this run's). As a dict of bytes to "date id" strings an entry cost ~200 bytes;
    here it is one 40-byte record (16-byte key, date in microseconds, record UUID) in one of
    4,096 sorted ``bytearray`` buckets, binary-searched. The rare capture whose date or record
    ID would not come back from that form as given (another tool's WARC) is kept as text.
    """

    def __init__(self) -> None:
        self._buckets: list[bytearray | None] = [None] * (1 << _BUCKET_BITS)
        self._as_text: dict[bytes, tuple[str, str]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _find(self, key: bytes) -> tuple[bytearray | None, int, bool]:
        bucket = self._buckets[_bucket_number(key)]
        if bucket is None:
            return None, 0, False
        size = len(bucket) // _RECORD
        at = bisect_left(
            range(size), key, key=lambda i: bytes(bucket[i * _RECORD : i * _RECORD + _KEY])
        )
        start = at * _RECORD
        return bucket, at, at < size and bucket[start : start + _KEY] == key

    def get(self, target_uri: str, payload_digest: str) -> tuple[str, str] | None:
        """The (WARC-Date, WARC-Record-ID) of the first capture, or None."""
        key = _capture_key(target_uri, payload_digest)
        bucket, at, found = self._find(key)
        if found:
            assert bucket is not None
            return _unpacked(bytes(bucket[at * _RECORD + _KEY : (at + 1) * _RECORD]))
        return self._as_text.get(key)

    def add(self, target_uri: str, payload_digest: str, date: str, record_id: str) -> None:
        """Record a capture, unless one of the same URI and payload is known (the first stays)."""
        key = _capture_key(target_uri, payload_digest)
        bucket, at, found = self._find(key)
        if found or key in self._as_text:
            return
        packed = _packed(date, record_id)
        if packed is None:
            self._as_text[key] = (date, record_id)
        else:
            if bucket is None:
                bucket = self._buckets[_bucket_number(key)] = bytearray()
            bucket[at * _RECORD : at * _RECORD] = key + packed
        self._count += 1


def _capture_key(target_uri: str, payload_digest: str) -> bytes:
    """A 16-byte key for (target URI, payload digest)."""
    text = f"{target_uri}\n{payload_digest}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=_KEY).digest()


class WarcWriter:
    """Appends request/response (or revisit) pairs to rotating ``.warc.gz`` files in ``directory``.

    Files are named ``{prefix}-{UTC timestamp}-{serial:05d}.warc.gz``, created exclusively and never
    reopened for writing; a new file is started once the current one has reached ``max_size``
    bytes. Every file starts with a ``warcinfo`` record built from ``warcinfo``.
    """

    def __init__(
        self,
        directory: Path,
        *,
        prefix: str = "ccme",
        max_size: int = DEFAULT_MAX_SIZE,
        warcinfo: dict[str, str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.warcinfo = dict(warcinfo or {})
        self._fh: BinaryIO | None = None
        self._path: Path | None = None
        self._warcinfo_id: str | None = None
        self._serial = last_serial(self.directory, prefix)
        self.files_written: list[Path] = []
        self.records_written = 0
        self.revisits_written = 0
        # Files whose index.cdxj lines were made as their records were written (not read back).
        self.files_indexed_as_written = 0
        # The first capture of each (target URI, payload digest), for identical-payload-digest
        # revisits.
        self._captures = CaptureIndex()
        self._load_captures()
        # index.cdxj lines of the records written to the current file, spilled to disk beside it
        # (None: the file is to be read by the indexer instead), and of the closed files not
        # indexed yet.
        self._spill: CdxjSpill | None = None
        self._unindexed: dict[str, CdxjSpill] = {}

    # -- files -------------------------------------------------------------------------------

    @property
    def current_path(self) -> Path | None:
        return self._path

    def _open_next(self) -> None:
        self._close_file()
        if self._unindexed:
            # A finished file is indexed now, so that its lines are not held to the end.
            try:
                self._index()
            except OSError as exc:
                logger.warning("Cannot update the WARC index now (%s); retried at the end", exc)
        while True:
            self._serial += 1
            path = self.directory / warc_file_name(self.prefix, datetime.now(UTC), self._serial)
            try:
                # Unbuffered: a record is on disk, or cut back off it (see write_exchange), when
                # the call returns.
                fh = open(path, "xb", buffering=0)  # noqa: SIM115 - closed in close()
            except FileExistsError:
                continue
            break
        # Held until the file is closed: the index leaves a file being written alone (another
        # run sharing the folder may end first; see index.update_cdxj).
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fh = fh
        self._path = path
        self.files_written.append(path)
        try:
            self._spill = CdxjSpill(path)
        except OSError as exc:
            logger.debug("WARC %s: indexed by reading it (%s)", path.name, exc)
        try:
            self._write_warcinfo(path.name)
        except OSError:
            # No room even for the warcinfo record: no empty file left behind.
            self._drop_spill()
            fh.close()
            path.unlink(missing_ok=True)
            self.files_written.pop()
            self._fh = self._path = None
            raise

    def _write_warcinfo(self, filename: str) -> None:
        fields = {
            "software": f"ccme-crawler/{__version__} (warcio, Scrapy)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "hostname": socket.gethostname(),
            **self.warcinfo,
        }
        block = "".join(
            f"{name}: {' '.join(str(value).split())}\r\n" for name, value in fields.items() if value
        ).encode("utf-8")
        self._warcinfo_id = new_record_id()
        self._write_record(
            "warcinfo",
            {
                "WARC-Record-ID": self._warcinfo_id,
                "WARC-Filename": filename,
                "WARC-Date": warc_date(datetime.now(UTC)),
            },
            block,
            content_type="application/warc-fields",
        )

    def _close_file(self) -> None:
        if self._fh is not None:
            if self._spill is not None:
                # Complete before the WARC's lock goes: from then on another run may index it.
                try:
                    self._spill.finish()
                except OSError as exc:
                    logger.debug("WARC %s: indexed by reading it (%s)", self._spill.path, exc)
                    self._drop_spill()
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            if self._path is not None and self._spill is not None:
                self._unindexed[self._path.name] = self._spill
            self._spill = None
        self._fh = None

    def _drop_spill(self) -> None:
        """Index the current file by reading it: its spilled lines are not used."""
        if self._spill is not None:
            self._spill.discard()
            self._spill = None

    def _index(self) -> Path:
        unindexed, self._unindexed = self._unindexed, {}
        index = update_cdxj(self.directory, unindexed)
        self.files_indexed_as_written += len(unindexed)
        return index

    def _add_index_line(self, rec_type: str, **parts: Any) -> None:
        if self._spill is None:
            return
        try:
            self._spill.add(cdxj_line(rec_type=rec_type, **parts))
        except (ValueError, OSError) as exc:
            logger.debug("WARC %s: indexed by reading it (%s)", parts["filename"], exc)
            self._drop_spill()

    # -- records -----------------------------------------------------------------------------

    def _write_record(
        self,
        rec_type: str,
        headers: dict[str, str],
        block: bytes,
        *,
        content_type: str,
        payload_digest: str | None = None,
    ) -> tuple[int, int]:
        """Write one gzip member; return its (offset, length) in the file."""
        assert self._fh is not None
        warc_headers = StatusAndHeaders("", [], protocol=WARC_VERSION)
        warc_headers.add_header("WARC-Type", rec_type)
        for name, value in headers.items():
            warc_headers.add_header(name, value)
        if payload_digest is not None:
            warc_headers.add_header("WARC-Payload-Digest", payload_digest)
        warc_headers.add_header("WARC-Block-Digest", sha1_digest(block))
        warc_headers.add_header("Content-Type", content_type)
        warc_headers.add_header("Content-Length", str(len(block)))
        # One gzip member per record. warcio's WARCWriter is not used for this step: it re-encodes
        # parsed HTTP headers and writes no block for revisit records without parsed headers.
        member = warc_headers.to_bytes(encoding="utf-8") + block + b"\r\n\r\n"
        offset = self._fh.tell()
        data = memoryview(isal_zlib.compress(member, _GZIP_LEVEL, _GZIP_WBITS))
        while data:  # an unbuffered write may write part of it
            data = data[self._fh.write(data) :]
        self.records_written += 1
        return offset, self._fh.tell() - offset

    def write_exchange(
        self,
        *,
        target_uri: str,
        request_method: str,
        request_headers: list[tuple[str, str]],
        request_body: bytes,
        protocol: str,
        status: int,
        reason: str,
        response_headers: list[tuple[str, str]],
        payload: bytes,
        fetched_at: datetime,
        peer_ip: str | None = None,
        request_head: bytes | None = None,
        response_head: bytes | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> WarcPointer:
        """Write a request record and a response (or revisit) record; return where the latter is.

        ``request_head``/``response_head``, when given, are the header blocks exactly as sent and
        received (status line, header lines, blank line) and take precedence over the parsed
        parts. ``payload`` is the message body as received: still content-encoded, and still
        chunked when the header block says ``Transfer-Encoding: chunked``.
        """
        if self._fh is None or (self._fh is not None and self._fh.tell() >= self.max_size):
            self._open_next()
        assert self._path is not None and self._fh is not None
        fh = self._fh
        if request_head is None:
            request_head = build_request_head(request_method, target_uri, request_headers)
        if response_head is None:
            response_head = build_response_head(protocol, status, reason, response_headers)
        date = warc_date(fetched_at)
        response_id = new_record_id()
        digest = sha1_digest(payload)
        common = {"WARC-Target-URI": target_uri, "WARC-Date": date}
        if self._warcinfo_id:
            common["WARC-Warcinfo-ID"] = self._warcinfo_id
        start = fh.tell()
        try:
            self._write_record(
                "request",
                {"WARC-Record-ID": new_record_id(), **common, "WARC-Concurrent-To": response_id},
                request_head + request_body,
                content_type="application/http;msgtype=request",
                payload_digest=sha1_digest(request_body),
            )
            response_headers_dict = {"WARC-Record-ID": response_id, **common}
            if peer_ip:
                response_headers_dict["WARC-IP-Address"] = peer_ip
            response_headers_dict.update(extra_headers or {})
            if request_head.split(b" ", 1)[0].upper() in (b"POST", b"PUT"):
                # cdxj-indexer keys these by their body too: the file is indexed by reading it.
                self._drop_spill()
            original = self._captures.get(target_uri, digest)
            if original is not None:
                original_date, original_id = original
                response_headers_dict.update(
                    {
                        "WARC-Profile": REVISIT_PROFILE,
                        "WARC-Refers-To": original_id,
                        "WARC-Refers-To-Target-URI": target_uri,
                        "WARC-Refers-To-Date": original_date,
                    }
                )
                rec_type, block = "revisit", response_head
            else:
                rec_type, block = "response", response_head + payload
            offset, length = self._write_record(
                rec_type,
                response_headers_dict,
                block,
                content_type="application/http;msgtype=response",
                payload_digest=digest,
            )
            if original is not None:
                self.revisits_written += 1
            else:
                self._captures.add(target_uri, digest, date, response_id)
            self._add_index_line(
                rec_type,
                target_uri=target_uri,
                warc_date=date,
                block=block,
                payload_digest=digest,
                offset=offset,
                length=length,
                filename=self._path.name,
            )
            return WarcPointer(
                filename=self._path.name,
                offset=offset,
                length=length,
                record_id=response_id,
                payload_digest=digest,
            )
        except OSError:
            # Disk full, I/O error: the exchange is cut back off the file, which stays whole
            # (the records before it); the caller decides what to do with the page.
            os.ftruncate(fh.fileno(), start)
            fh.seek(start)
            raise

    def close(self, *, index: bool = True) -> Path | None:
        """Flush and close the current file; (re)write ``index.cdxj``. Returns the index path."""
        self._close_file()
        if index and any(self.directory.glob(f"*{WARC_SUFFIX}")):
            return self._index()
        return None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- revisit index -----------------------------------------------------------------------

    def _load_captures(self) -> None:
        """Rebuild the digest index from the WARCs already in the directory, so a later run writes
        revisits against captures of earlier runs. A damaged file is read up to its damage."""
        for path in sorted_warcs(self.directory):
            for rec_type, headers in _iter_record_headers(path):
                if rec_type != "response":
                    continue
                uri = headers.get("WARC-Target-URI")
                digest = headers.get("WARC-Payload-Digest")
                if uri and digest:
                    self._captures.add(uri, digest, headers["WARC-Date"], headers["WARC-Record-ID"])


def _iter_record_headers(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                yield record.rec_type, dict(record.rec_headers.headers)
    except Exception as exc:  # a damaged tail must not stop a crawl; `verify` reports it
        logger.warning("WARC %s unreadable past some point (%s); run `verify`", path.name, exc)
