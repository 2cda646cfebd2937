"""WarcWriter against real warcio: round trip, revisits, rotation, reading back."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
import uuid
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_crawler.warc import WarcWriter, iter_captured_pages
from ccme_crawler.warc.naming import sorted_warcs
from ccme_crawler.warc.writer import REVISIT_PROFILE, CaptureIndex, sha1_digest

from .helpers import HTML, exchange, gzipped_exchange, read_member, write

WARCIO = Path(sys.executable).with_name("warcio")
RECORD_ID = "<urn:uuid:0a8b3b1e-54c4-4f7a-9f55-3f8e2b7c9d10>"
OTHER_ID = "<urn:uuid:1b9c4c2f-65d5-4a8b-8a66-4a9f3c8d0e21>"


def records(path: Path) -> list[tuple[str, dict[str, str], bytes]]:
    out = []
    with open(path, "rb") as fh:
        # no_record_parse: the block as stored, HTTP headers included.
        for record in ArchiveIterator(fh, no_record_parse=True):
            out.append(
                (record.rec_type, dict(record.rec_headers.headers), record.raw_stream.read())
            )
    return out


def payload(block: bytes) -> bytes:
    return block.split(b"\r\n\r\n", 1)[1]


def test_round_trip_parses_and_passes_warcio_check(tmp_path: Path) -> None:
    [pointer] = write(tmp_path, exchange(), warcinfo={"operator": "archivist@example.org"})
    [path] = sorted_warcs(tmp_path)
    assert path.name == pointer.filename
    assert path.name.startswith("ccme-") and path.name.endswith("-00000.warc.gz")

    recs = records(path)
    assert [r[0] for r in recs] == ["warcinfo", "request", "response"]
    info = recs[0][2].decode()
    assert "operator: archivist@example.org" in info
    assert "software: ccme-crawler/" in info
    request, response = recs[1][1], recs[2][1]
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"] == pointer.record_id
    assert response["WARC-Payload-Digest"] == pointer.payload_digest == sha1_digest(HTML)
    assert response["WARC-IP-Address"] == "127.0.0.1"
    assert response["WARC-Date"] == "2026-01-02T03:04:05.678901Z"
    assert payload(recs[2][2]) == HTML  # payload after the HTTP headers, as given
    assert all(
        headers.get("WARC-Warcinfo-ID") == recs[0][1]["WARC-Record-ID"]
        for _, headers, _ in recs[1:]
    )

    # The pointer addresses exactly the response's gzip member.
    member = read_member(path, pointer.offset, pointer.length)
    assert member.startswith(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert member.endswith(HTML + b"\r\n\r\n")

    result = subprocess.run([WARCIO, "check", "-v", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout


def test_query_string_kept_in_target_uri_and_request_line(tmp_path: Path) -> None:
    url = "https://www.ccme.org.ma/fr/?s=migration&paged=3&utm_source=x#frag-is-not-sent"
    write(tmp_path, exchange(url.split("#")[0]))
    [path] = sorted_warcs(tmp_path)
    recs = records(path)
    assert (
        recs[1][1]["WARC-Target-URI"]
        == "https://www.ccme.org.ma/fr/?s=migration&paged=3&utm_source=x"
    )
    assert recs[1][2].startswith(b"GET /fr/?s=migration&paged=3&utm_source=x HTTP/1.1\r\n")


def test_raw_heads_are_written_verbatim(tmp_path: Path) -> None:
    head = b"HTTP/1.1 200 Tr\xe8s Bien\r\nx-ODD-case:   spaced\r\nContent-Length: 3\r\n\r\n"
    [pointer] = write(tmp_path, exchange(payload=b"abc", response_head=head))
    member = read_member(tmp_path / pointer.filename, pointer.offset, pointer.length)
    assert head + b"abc\r\n\r\n" in member


def test_unknown_reason_is_left_empty_not_invented(tmp_path: Path) -> None:
    [pointer] = write(tmp_path, exchange(status=404, reason="", payload=b"gone"))
    member = read_member(tmp_path / pointer.filename, pointer.offset, pointer.length)
    assert b"\r\n\r\nHTTP/1.1 404 \r\n" in member
    assert b"Not Found" not in member


def test_gzipped_payload_stored_as_received_and_decoded_on_read(tmp_path: Path) -> None:
    text = b"<html><body>" + "é".encode() * 500 + b"</body></html>"
    values = gzipped_exchange("http://example.org/gz", text)
    [pointer] = write(tmp_path, values)
    [path] = sorted_warcs(tmp_path)
    stored = payload(records(path)[2][2])
    assert stored == values["payload"]  # still gzip: not decompressed, not re-encoded
    assert pointer.payload_digest == sha1_digest(values["payload"])
    [page] = iter_captured_pages(tmp_path)
    assert page.body == text
    # As Scrapy hands it over: decoded, Content-Encoding gone; the raw header is still there.
    assert "content-encoding" not in page.headers
    assert ("Content-Encoding", "gzip") in page.raw_headers


def test_chunked_payload_read_back_dechunked(tmp_path: Path) -> None:
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
    raw = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    write(tmp_path, exchange(payload=raw, response_head=head))
    [page] = iter_captured_pages(tmp_path)
    assert page.body == b"hello world"
    result = subprocess.run(
        [WARCIO, "check", *map(str, sorted_warcs(tmp_path))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_identical_refetch_becomes_revisit(tmp_path: Path) -> None:
    first, second, other = write(
        tmp_path, exchange(), exchange(), exchange(payload=HTML + b"<!-- changed -->")
    )
    [path] = sorted_warcs(tmp_path)
    recs = [r for r in records(path) if r[0] in ("response", "revisit")]
    assert [r[0] for r in recs] == ["response", "revisit", "response"]
    revisit = recs[1][1]
    assert revisit["WARC-Record-ID"] == second.record_id
    assert revisit["WARC-Profile"] == REVISIT_PROFILE
    assert revisit["WARC-Refers-To"] == first.record_id
    assert revisit["WARC-Refers-To-Target-URI"] == recs[0][1]["WARC-Target-URI"]
    assert revisit["WARC-Refers-To-Date"] == recs[0][1]["WARC-Date"]
    assert revisit["WARC-Payload-Digest"] == first.payload_digest
    assert recs[1][2].startswith(b"HTTP/1.1 200 OK\r\n") and HTML not in recs[1][2]
    assert other.payload_digest != first.payload_digest

    pages = list(iter_captured_pages(tmp_path))
    assert [p.record_type for p in pages] == ["response", "revisit", "response"]
    assert pages[1].body == HTML and pages[1].refers_to == first


def test_same_payload_at_another_uri_is_not_a_revisit(tmp_path: Path) -> None:
    write(tmp_path, exchange("http://example.org/a"), exchange("http://example.org/b"))
    [path] = sorted_warcs(tmp_path)
    assert [r[0] for r in records(path)].count("response") == 2


def test_revisit_index_survives_across_writer_instances(tmp_path: Path) -> None:
    [first] = write(tmp_path, gzipped_exchange("http://example.org/x?y=1", b"same"))
    [second] = write(tmp_path, gzipped_exchange("http://example.org/x?y=1", b"same"))
    files = sorted_warcs(tmp_path)
    assert [f.name for f in files] == [first.filename, second.filename]
    assert files[1].name.endswith("-00001.warc.gz")
    second_recs = records(files[1])
    assert second_recs[-1][0] == "revisit"
    assert second_recs[-1][1]["WARC-Refers-To"] == first.record_id
    assert [p.body for p in iter_captured_pages(tmp_path)] == [b"same", b"same"]


def test_rotation_at_max_size_never_overwrites(tmp_path: Path) -> None:
    pointers = write(
        tmp_path,
        *(
            exchange(f"http://example.org/{n}", payload=HTML * 20 + str(n).encode())
            for n in range(6)
        ),
        max_size=1500,
    )
    files = sorted_warcs(tmp_path)
    assert len(files) >= 3
    assert len({p.filename for p in pointers}) == len(files)
    for path in files:
        recs = records(path)
        assert recs[0][0] == "warcinfo"
        assert recs[0][1]["WARC-Filename"] == path.name
        assert [r[0] for r in recs[1:]].count("request") == [r[0] for r in recs[1:]].count(
            "response"
        )
    before = {p.name: p.read_bytes() for p in files}
    write(tmp_path, exchange("http://example.org/later"), max_size=1500)
    after = sorted_warcs(tmp_path)
    assert len(after) == len(files) + 1
    assert all((tmp_path / name).read_bytes() == data for name, data in before.items())


def test_writer_refuses_to_reuse_an_existing_name(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    writer.write_exchange(**exchange())
    first = writer.current_path
    assert first is not None
    writer.close()
    data = first.read_bytes()
    writer = WarcWriter(tmp_path)
    writer.write_exchange(**exchange())
    assert writer.current_path != first
    writer.close()
    assert first.read_bytes() == data


def test_capture_index_gives_the_first_capture_back_as_written() -> None:
    captures = CaptureIndex()
    captures.add("http://example.org/a", "sha1:A", "2026-01-02T03:04:05.678901Z", RECORD_ID)
    captures.add("http://example.org/a", "sha1:A", "2026-02-02T03:04:05.000000Z", OTHER_ID)
    assert captures.get("http://example.org/a", "sha1:A") == (
        "2026-01-02T03:04:05.678901Z",
        RECORD_ID,
    )


def test_capture_index_knows_nothing_of_another_payload() -> None:
    captures = CaptureIndex()
    captures.add("http://example.org/a", "sha1:A", "2026-01-02T03:04:05.678901Z", RECORD_ID)
    assert captures.get("http://example.org/a", "sha1:B") is None


@pytest.mark.parametrize(
    ("date", "record_id"),
    [
        ("2026-01-02T03:04:05Z", RECORD_ID),  # no microseconds
        ("2026-01-02T03:04:05.678901+01:00", RECORD_ID),
        ("2026-01-02T03:04:05.678901Z", "<urn:uuid:0A8B3B1E-54C4-4F7A-9F55-3F8E2B7C9D10>"),
        ("2026-01-02T03:04:05.678901Z", "<urn:other-tool:42>"),
    ],
)
def test_capture_index_keeps_other_tools_dates_and_ids_as_given(date: str, record_id: str) -> None:
    captures = CaptureIndex()
    captures.add("http://example.org/a", "sha1:A", date, record_id)
    assert captures.get("http://example.org/a", "sha1:A") == (date, record_id)


def test_capture_index_finds_every_one_of_many_captures() -> None:
    captures = CaptureIndex()
    expected = {}
    for number in range(3_000):
        record_id = f"<urn:uuid:{uuid.UUID(int=number * 7919)}>"
        date = f"2026-01-02T03:{number // 600 % 60:02d}:{number % 60:02d}.{number:06d}Z"
        captures.add(f"http://example.org/{number}", "sha1:A", date, record_id)
        expected[f"http://example.org/{number}"] = (date, record_id)
    found = {url: captures.get(url, "sha1:A") for url in expected}
    assert (len(captures), found) == (len(expected), expected)


def test_capture_index_holds_under_128_bytes_a_capture() -> None:
    # A dict of keys to "date id" strings held ~210 bytes a capture; the 40-byte records ~55 at
    # 20,000 captures, ~100 at 3,000 (the buckets' fixed cost spread over fewer).
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        captures = CaptureIndex()
        for number in range(3_000):
            captures.add(
                f"http://example.org/{number}",
                "sha1:A",
                "2026-01-02T03:04:05.678901Z",
                f"<urn:uuid:{uuid.UUID(int=number)}>",
            )
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held / len(captures) < 128
