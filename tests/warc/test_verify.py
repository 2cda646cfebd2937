"""verify_warcs and repair_warc on real files with real damage."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ccme_crawler.warc import repair_warc, verify_warcs
from ccme_crawler.warc.naming import sorted_warcs

from .helpers import HTML, exchange, gzipped_exchange, write

WARCIO = Path(sys.executable).with_name("warcio")


def crawl_like(directory: Path) -> list:
    return write(
        directory,
        exchange("http://example.org/a"),
        gzipped_exchange("http://example.org/b?x=1", b"<p>b</p>" * 50),
        exchange("http://example.org/c", payload=HTML * 3),
        exchange("http://example.org/a"),  # a revisit
    )


def test_clean_files_pass(tmp_path: Path) -> None:
    crawl_like(tmp_path)
    report = verify_warcs(tmp_path)
    assert report.ok, report.problems
    assert report.records == 9  # warcinfo + 4 requests + 3 responses + 1 revisit
    assert report.digests_checked >= 15


def test_flipped_byte_is_named_by_file_offset_and_id(tmp_path: Path) -> None:
    pointers = crawl_like(tmp_path)
    target = pointers[2]
    path = tmp_path / target.filename
    data = bytearray(path.read_bytes())
    # Flip a byte near the end of the deflate stream of that record (its payload).
    data[target.offset + target.length - 20] ^= 0x55
    path.write_bytes(bytes(data))

    report = verify_warcs(tmp_path)
    assert not report.ok
    first = report.problems[0]
    assert first.filename == target.filename
    assert first.offset == target.offset
    assert first.kind in ("gzip", "block_digest", "payload_digest", "format")
    # The records after the damage are still checked.
    assert report.records >= 9
    assert first.record_id == target.record_id


def test_digest_mismatch_inside_a_valid_gzip_member(tmp_path: Path) -> None:
    """Damage that gzip cannot see (a record re-compressed after an edit) fails the digests."""
    import gzip

    [pointer] = write(tmp_path, exchange(payload=b"original payload"))
    path = tmp_path / pointer.filename
    data = path.read_bytes()
    member = gzip.decompress(data[pointer.offset : pointer.offset + pointer.length])
    forged = gzip.compress(member.replace(b"original", b"ORIGINAL"))
    path.write_bytes(data[: pointer.offset] + forged + data[pointer.offset + pointer.length :])
    report = verify_warcs(tmp_path)
    kinds = {(p.kind, p.record_id, p.offset) for p in report.problems}
    assert ("block_digest", pointer.record_id, pointer.offset) in kinds
    assert ("payload_digest", pointer.record_id, pointer.offset) in kinds


def test_truncated_file_is_reported_and_repaired(tmp_path: Path) -> None:
    pointers = crawl_like(tmp_path)
    [path] = sorted_warcs(tmp_path)
    last = pointers[-1]
    original = path.read_bytes()
    cut = last.offset + last.length - 17  # a crash in the middle of the last record
    path.write_bytes(original[:cut])

    report = verify_warcs(tmp_path)
    assert [(p.kind, p.offset, p.record_id) for p in report.problems] == [
        ("truncated", last.offset, last.record_id)
    ]
    assert report.problems[0].filename == path.name

    result = repair_warc(path)
    assert result.repaired
    assert result.size == last.offset  # back to the end of the last complete record
    assert path.read_bytes() == original[: last.offset]
    assert result.damaged_copy is not None and result.damaged_copy.read_bytes() == original[:cut]
    assert verify_warcs(tmp_path).ok
    check = subprocess.run([WARCIO, "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout

    again = repair_warc(path)
    assert not again.repaired and again.detail == "intact"


def test_trailing_garbage_after_crash_is_cut(tmp_path: Path) -> None:
    crawl_like(tmp_path)
    [path] = sorted_warcs(tmp_path)
    good = path.read_bytes()
    path.write_bytes(good + b"\x00" * 4096)  # a filesystem's zero fill after a crash
    assert not verify_warcs(tmp_path).ok
    result = repair_warc(path)
    assert result.repaired and path.read_bytes() == good


def test_damage_in_the_middle_is_not_cut_away(tmp_path: Path) -> None:
    pointers = crawl_like(tmp_path)
    [path] = sorted_warcs(tmp_path)
    data = bytearray(path.read_bytes())
    data[pointers[0].offset + 12] ^= 0xFF
    path.write_bytes(bytes(data))
    result = repair_warc(path)
    assert not result.repaired
    assert path.read_bytes() == bytes(data)
    assert "followed by good records" in result.detail
