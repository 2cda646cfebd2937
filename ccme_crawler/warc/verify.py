"""Check WARC files record by record, and repair files cut short by a crash."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ccme_crawler.fsutil import atomic_replace
from ccme_crawler.warc.index import INDEX_NAME, being_written, indexed_records
from ccme_crawler.warc.naming import sorted_warcs

_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_RECORD_ID_RE = re.compile(rb"\r\nWARC-Record-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE)


@dataclass(slots=True)
class Problem:
    """One damaged record (or stretch of a file)."""

    filename: str
    offset: int  # byte offset of the gzip member in the file
    record_id: str | None  # None when the record could not be read far enough to know it
    kind: str  # "truncated", "gzip", "format", "block_digest", "payload_digest", "not_indexed"
    detail: str

    def __str__(self) -> str:
        rid = self.record_id or "?"
        return f"{self.filename} @ {self.offset} {rid}: {self.kind}: {self.detail}"


@dataclass(slots=True)
class VerifyReport:
    files: list[str] = field(default_factory=list)
    records: int = 0
    digests_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(slots=True)
class RepairResult:
    path: Path
    repaired: bool  # True when the file was cut back
    original_size: int
    size: int  # size after repair
    records_kept: int
    damaged_copy: Path | None  # the untouched original, when the file was changed
    detail: str = ""


@dataclass(slots=True)
class Member:
    """One gzip member of a WARC file (one record, as ccme-crawler writes them)."""

    offset: int
    length: int  # compressed bytes (up to the damage, for a bad member)
    data: bytes | None  # decompressed bytes; None when damaged
    error: str | None = None
    truncated: bool = False

    def problem(self, path: Path) -> Problem:
        """The damage of a member that did not inflate, as ``verify`` reports it."""
        kind = "truncated" if self.truncated else "gzip"
        record_id = salvage_record_id(path, self.offset)
        return Problem(path.name, self.offset, record_id, kind, self.error or "")


def iter_members(path: Path) -> Iterator[Member]:
    """Every gzip member of ``path``; after a damaged one, resumes at the next gzip header.

    Bytes read past the end of a member start the next one, so a file is read once."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        offset = 0
        carry = b""  # bytes of the file from ``offset`` on, already read
        while offset < size:
            decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
            out: list[bytes] = []
            fed = 0
            error: str | None = None
            while not decomp.eof:
                chunk, carry = (carry, b"") if carry else (fh.read(_CHUNK), b"")
                if not chunk:
                    break
                fed += len(chunk)
                try:
                    out.append(decomp.decompress(chunk))
                except zlib.error as exc:
                    error = str(exc)
                    break
            if decomp.eof:
                carry = decomp.unused_data
                length = fed - len(carry)
                yield Member(offset, length, b"".join(out))
                offset += length
                continue
            carry = b""
            if error is None:
                # A flipped byte can make the deflate stream run on to the end of the file;
                # the file is only cut short if no whole record follows.
                following = _next_whole_member(fh, offset + 1, size)
                if following is None:
                    yield Member(offset, size - offset, None, "file ends inside this record", True)
                    return
                yield Member(offset, 0, None, "gzip member damaged (runs into the next record)")
                offset = following
            else:
                yield Member(offset, 0, None, error)
                offset = _next_magic(fh, offset + 1, size)
            fh.seek(offset)


def _next_whole_member(fh: BinaryIO, start: int, size: int) -> int | None:
    """Offset of the next gzip member after ``start`` that inflates to its end, if any."""
    candidate = _next_magic(fh, start, size)
    while candidate < size:
        fh.seek(candidate)
        decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            while not decomp.eof and (chunk := fh.read(_CHUNK)):
                decomp.decompress(chunk)
        except zlib.error:
            pass
        if decomp.eof:
            return candidate
        candidate = _next_magic(fh, candidate + 1, size)
    return None


def salvage_record_id(path: Path, offset: int) -> str | None:
    """The WARC-Record-ID of a damaged member, from whatever inflates before the damage."""
    decomp = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = bytearray()
    with open(path, "rb") as fh:
        fh.seek(offset)
        # Small steps: zlib discards a whole call's output when it hits the damage.
        while len(out) < 65536 and not decomp.eof:
            chunk = fh.read(64)
            if not chunk:
                break
            try:
                out += decomp.decompress(chunk)
            except zlib.error:
                break
    match = _RECORD_ID_RE.search(bytes(out))
    return match.group(1).decode("utf-8", "replace") if match else None


def _next_magic(fh: BinaryIO, start: int, size: int) -> int:
    pos = start
    while pos < size:
        fh.seek(pos)
        data = fh.read(_CHUNK + 2)
        found = data.find(_GZIP_MAGIC)
        if found >= 0:
            return pos + found
        pos += _CHUNK
    return size


def parse_records(data: bytes) -> Iterator[tuple[dict[str, str], bytes, str | None]]:
    """(WARC headers, block, error) for each record in a decompressed member."""
    pos = 0
    while pos < len(data):
        end = data.find(b"\r\n\r\n", pos)
        if end < 0 or not data.startswith(b"WARC/", pos):
            yield {}, b"", "not a WARC record header"
            return
        lines = data[pos:end].decode("utf-8", "replace").split("\r\n")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            yield headers, b"", "missing or bad Content-Length"
            return
        start = end + 4
        block = data[start : start + length]
        if len(block) < length:
            yield headers, block, f"block is {len(block)} bytes, Content-Length says {length}"
            return
        if data[start + length : start + length + 4] != b"\r\n\r\n":
            yield headers, block, "record does not end with CRLF CRLF"
            return
        yield headers, block, None
        pos = start + length + 4


def _digest_matches(expected: str, data: bytes) -> bool:
    algo, _, value = expected.partition(":")
    try:
        raw = hashlib.new(algo.lower().replace("-", ""), data).digest()
    except ValueError:
        return True  # an algorithm we do not know is not evidence of damage
    if len(value) == len(raw) * 2:
        return raw.hex() == value.lower()
    return base64.b32encode(raw).decode("ascii") == value.upper()


def _http_payload(block: bytes) -> bytes | None:
    end = block.find(b"\r\n\r\n")
    return None if end < 0 else block[end + 4 :]


def _check_member(name: str, member: Member, report: VerifyReport) -> int:
    """Check the records of a good gzip member; return how many were well-formed."""
    assert member.data is not None
    good = 0
    for headers, block, error in parse_records(member.data):
        rid = headers.get("warc-record-id")
        report.records += 1
        if error:
            report.problems.append(Problem(name, member.offset, rid, "format", error))
            continue
        good += 1
        block_digest = headers.get("warc-block-digest")
        if block_digest:
            report.digests_checked += 1
            if not _digest_matches(block_digest, block):
                report.problems.append(
                    Problem(name, member.offset, rid, "block_digest", f"{block_digest} mismatch")
                )
        payload_digest = headers.get("warc-payload-digest")
        if (
            payload_digest
            and headers.get("warc-type") in ("response", "request", "resource")
            and headers.get("content-type", "").startswith("application/http")
        ):
            payload = _http_payload(block)
            report.digests_checked += 1
            if payload is None or not _digest_matches(payload_digest, payload):
                report.problems.append(
                    Problem(
                        name, member.offset, rid, "payload_digest", f"{payload_digest} mismatch"
                    )
                )
    return good


# The record types a CDXJ index lists (what a replay looks up).
_INDEXED_TYPES = frozenset({"response", "revisit", "resource"})


def verify_warc(
    path: Path, report: VerifyReport | None = None, indexed: set[tuple[str, int]] | None = None
) -> VerifyReport:
    """Check one file; with ``indexed`` (the index's ``(filename, offset)``), also report the
    records the index lacks."""
    report = report or VerifyReport()
    path = Path(path)
    report.files.append(path.name)
    for member in iter_members(path):
        if member.data is not None:
            _check_member(path.name, member, report)
            if indexed is not None and (path.name, member.offset) not in indexed:
                headers, _, _ = next(parse_records(member.data), ({}, b"", None))
                if headers.get("warc-type") in _INDEXED_TYPES:
                    report.problems.append(
                        Problem(
                            path.name,
                            member.offset,
                            headers.get("warc-record-id"),
                            "not_indexed",
                            f"record missing from {INDEX_NAME} (`verify --repair` adds it)",
                        )
                    )
            continue
        report.records += 1
        report.problems.append(member.problem(path))
    return report


def verify_warcs(directory: Path) -> VerifyReport:
    """Check every ``*.warc.gz`` of ``directory`` (or a single file): each gzip member inflates
    and passes its CRC, each record is well formed, and its WARC-Block-Digest and (for HTTP
    request/response records) WARC-Payload-Digest match. Problems name file, offset and id."""
    directory = Path(directory)
    report = VerifyReport()
    if directory.is_file():
        return verify_warc(directory, report)
    indexed = indexed_records(directory) if (directory / INDEX_NAME).exists() else None
    for path in sorted_warcs(directory):
        # A file a crawl is still writing is indexed when it is closed.
        verify_warc(path, report, None if being_written(path) else indexed)
    return report


def repair_warc(path: Path) -> RepairResult:
    """Cut a WARC left incomplete by a crash back to its last complete record.

    Only damage at the end of the file is repaired: when good records follow a damaged one, the
    file is left alone (``repaired=False``; run `verify` to see where). The original is kept as
    ``<name>.damaged`` (or ``.damaged.N``), and the repaired file replaces it atomically.
    """
    path = Path(path)
    original_size = path.stat().st_size
    kept_end = 0
    kept = 0
    damaged_at: int | None = None
    for member in iter_members(path):
        ok = member.data is not None
        if ok:
            scratch = VerifyReport()
            good = _check_member(path.name, member, scratch)
            ok = scratch.ok and good > 0
        if not ok:
            if damaged_at is None:
                damaged_at = member.offset
            continue
        if damaged_at is not None:
            return RepairResult(
                path,
                False,
                original_size,
                original_size,
                kept,
                None,
                f"damage at offset {damaged_at} is followed by good records; not repaired",
            )
        kept += 1
        kept_end = member.offset + member.length
    if damaged_at is None and kept_end == original_size:
        return RepairResult(path, False, original_size, original_size, kept, None, "intact")

    damaged_copy = path.with_name(path.name + ".damaged")
    serial = 1
    while damaged_copy.exists():
        damaged_copy = path.with_name(f"{path.name}.damaged.{serial}")
        serial += 1
    shutil.copy2(path, damaged_copy)
    with atomic_replace(path) as tmp:
        with open(tmp, "xb") as out, open(path, "rb") as src:
            remaining = kept_end
            while remaining:
                chunk = src.read(min(_CHUNK, remaining))
                if not chunk:
                    break
                out.write(chunk)
                remaining -= len(chunk)
        shutil.copymode(damaged_copy, tmp)
    return RepairResult(
        path,
        True,
        original_size,
        kept_end,
        kept,
        damaged_copy,
        f"cut at offset {kept_end} (damage from offset {damaged_at})",
    )
