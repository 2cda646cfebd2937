"""CDXJ index and WACZ package."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from ccme_crawler.warc import WarcWriter, package_wacz, write_cdxj
from ccme_crawler.warc.index import SPILL_SUFFIX, CdxjSpill, spill_path
from ccme_crawler.warc.naming import sorted_warcs

from .helpers import exchange, gzipped_exchange, read_member, write


def cdxj_lines(path: Path) -> list[tuple[str, str, dict]]:
    out = []
    for line in path.read_text().splitlines():
        key, ts, data = line.split(" ", 2)
        out.append((key, ts, json.loads(data)))
    return out


def test_close_writes_sorted_cdxj_pointing_at_records(tmp_path: Path) -> None:
    pointers = write(
        tmp_path,
        exchange("https://www.ccme.org.ma/fr/z-last/"),
        gzipped_exchange("https://www.ccme.org.ma/fr/a-first/?p=2&q=x", b"<p>x</p>"),
        exchange("http://example.org/m", status=404, reason="Not Found", payload=b"no"),
        exchange("https://www.ccme.org.ma/fr/z-last/"),  # revisit
    )
    index = tmp_path / "index.cdxj"
    lines = cdxj_lines(index)
    raw = index.read_text().splitlines()
    assert raw == sorted(raw)
    assert len(lines) == 4
    by_offset = {(entry["filename"], int(entry["offset"])): entry for _, _, entry in lines}
    for pointer in pointers:
        entry = by_offset[(pointer.filename, pointer.offset)]
        assert int(entry["length"]) == pointer.length
        assert entry["digest"] == pointer.payload_digest
        member = read_member(tmp_path / pointer.filename, pointer.offset, pointer.length)
        assert pointer.record_id.encode() in member
    keys = [key for key, _, _ in lines]
    assert "ma,org,ccme)/fr/a-first?p=2&q=x" in keys
    statuses = {
        entry["url"]: entry.get("status")
        for _, _, entry in lines
        if entry["mime"] != "warc/revisit"
    }
    assert statuses["http://example.org/m"] == "404"
    assert [entry["mime"] for _, _, entry in lines].count("warc/revisit") == 1
    assert all(ts == "20260102030405" for _, ts, _ in lines)


def test_write_cdxj_rebuilds_from_the_files(tmp_path: Path) -> None:
    write(tmp_path, exchange("http://example.org/1"))
    write(tmp_path, exchange("http://example.org/2"))
    (tmp_path / "index.cdxj").unlink()
    index = write_cdxj(tmp_path)
    assert {entry["url"] for _, _, entry in cdxj_lines(index)} == {
        "http://example.org/1",
        "http://example.org/2",
    }


def test_wacz_has_required_files_and_correct_hashes(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    write(
        warcs,
        exchange("https://www.ccme.org.ma/fr/article-1/"),
        exchange("https://www.ccme.org.ma/fr/article-2/"),
    )
    pages = [
        {
            "url": "https://www.ccme.org.ma/fr/article-1/",
            "ts": "2026-01-02T03:04:05+00:00",
            "title": "Un",
        },
        {
            "url": "https://www.ccme.org.ma/fr/article-2/",
            "ts": "2026-01-02T03:04:05Z",
            "title": "Deux",
        },
    ]
    output = package_wacz(warcs, pages, tmp_path / "out" / "ccme.wacz", title="CCME test")
    with zipfile.ZipFile(output) as zf:
        names = set(zf.namelist())
        warc_names = {n for n in names if n.startswith("archive/")}
        assert len(warc_names) == 1 and next(iter(warc_names)).endswith(".warc.gz")
        assert {
            "indexes/index.cdxj",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        } <= names
        for name in warc_names:
            assert zf.getinfo(name).compress_type == zipfile.ZIP_STORED

        package = json.loads(zf.read("datapackage.json"))
        assert package["profile"] == "data-package"
        assert package["wacz_version"] == "1.1.1"
        listed = {resource["path"]: resource for resource in package["resources"]}
        assert set(listed) == names - {"datapackage.json", "datapackage-digest.json"}
        for path, resource in listed.items():
            data = zf.read(path)
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        digest = json.loads(zf.read("datapackage-digest.json"))
        assert digest["path"] == "datapackage.json"
        assert digest["hash"] == "sha256:" + hashlib.sha256(zf.read("datapackage.json")).hexdigest()

        page_lines = [
            json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()
        ]
        assert page_lines[0] == {"format": "json-pages-1.0", "id": "pages", "title": "CCME test"}
        assert [(p["url"], p["ts"], p["title"]) for p in page_lines[1:]] == [
            ("https://www.ccme.org.ma/fr/article-1/", "2026-01-02T03:04:05Z", "Un"),
            ("https://www.ccme.org.ma/fr/article-2/", "2026-01-02T03:04:05Z", "Deux"),
        ]
        # CDXJ offsets are valid inside the zip's stored WARC.
        name = next(iter(warc_names))
        warc_bytes = zf.read(name)
        for line in zf.read("indexes/index.cdxj").decode().splitlines():
            entry = json.loads(line.split(" ", 2)[2])
            member = warc_bytes[int(entry["offset"]) : int(entry["offset"]) + int(entry["length"])]
            assert member[:2] == b"\x1f\x8b"
    assert not list(output.parent.glob(".*.tmp"))


def test_a_later_run_adds_its_own_lines_to_the_index(tmp_path: Path) -> None:
    write(tmp_path, exchange("https://www.ccme.org.ma/fr/b/"))
    write(
        tmp_path,
        exchange("https://www.ccme.org.ma/fr/a/"),
        exchange("https://www.ccme.org.ma/fr/c/"),
    )
    incremental = (tmp_path / "index.cdxj").read_text()
    rebuilt = write_cdxj(tmp_path, tmp_path / "rebuilt.cdxj").read_text()
    assert (incremental, len(incremental.splitlines())) == (rebuilt, 3)


def test_a_killed_run_left_unindexed_is_indexed_by_the_next(tmp_path: Path) -> None:
    write(tmp_path, exchange("https://www.ccme.org.ma/fr/b/"))
    index = tmp_path / "index.cdxj"
    only_first = index.read_text()
    write(tmp_path, exchange("https://www.ccme.org.ma/fr/a/"))
    index.write_text(only_first)  # as if the second run died before closing its writer
    write(tmp_path, exchange("https://www.ccme.org.ma/fr/c/"))
    assert len(index.read_text().splitlines()) == 3


# Exchanges whose index lines differ in every field the indexer reads: revisit, 404 without a
# reason phrase, no Content-Type, a Content-Type with parameters and odd case, gzip, a port.
VARIED = [
    exchange("https://www.ccme.org.ma/fr/z-last/"),
    gzipped_exchange("https://www.ccme.org.ma/fr/a-first/?p=2&q=x", b"<p>x</p>"),
    exchange("http://example.org/m", status=404, reason="", payload=b"no"),
    exchange("http://example.org:8080/bare", response_headers=[], payload=b"raw"),
    exchange(
        "http://example.org/css",
        response_headers=[("content-TYPE", "Text/CSS ;charset=UTF-8")],
        payload=b"p{}",
    ),
    exchange("https://www.ccme.org.ma/fr/z-last/"),  # revisit
]


def _rebuilt(directory: Path, tmp_path: Path) -> str:
    return write_cdxj(directory, tmp_path / "rebuilt.cdxj").read_text()


def test_index_made_as_written_is_the_indexers_own(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    write(warcs, *VARIED)
    assert (warcs / "index.cdxj").read_text() == _rebuilt(warcs, tmp_path)


def test_index_made_as_written_reads_no_file(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path / "warc")
    for values in VARIED:
        writer.write_exchange(**values)
    writer.close()
    assert writer.files_indexed_as_written == 1


def test_index_made_as_written_across_rotated_files(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    write(warcs, *VARIED, max_size=1)
    assert (len(sorted_warcs(warcs)), (warcs / "index.cdxj").read_text()) == (
        len(VARIED),
        _rebuilt(warcs, tmp_path),
    )


def test_a_file_left_unindexed_by_a_killed_run_is_read(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    killed = WarcWriter(warcs)
    killed.write_exchange(**exchange("http://example.org/killed"))
    killed.close(index=False)  # as a run killed before it indexed
    write(warcs, exchange("http://example.org/next"))
    assert (warcs / "index.cdxj").read_text() == _rebuilt(warcs, tmp_path)


def test_a_post_exchange_is_indexed_by_reading_its_file(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    write(
        warcs,
        exchange("http://example.org/get"),
        exchange("http://example.org/form", request_method="POST", request_body=b"a=1&b=2"),
    )
    assert (warcs / "index.cdxj").read_text() == _rebuilt(warcs, tmp_path)


def test_index_lines_wait_on_disk_beside_the_file_being_written(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    for number in range(5):
        writer.write_exchange(**exchange(f"http://example.org/{number}"))
    assert writer.current_path is not None
    spill = spill_path(writer.current_path)
    writer._close_file()  # the last run written, as at rotation
    assert len(spill.read_text().splitlines()) == 5


def test_no_spill_file_is_left_after_close(tmp_path: Path) -> None:
    write(tmp_path, *VARIED)
    assert list(tmp_path.glob(f".*{SPILL_SUFFIX}")) == []


def test_index_merged_from_many_sorted_runs_is_the_indexers_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CdxjSpill, "RUN_LINES", 2)
    warcs = tmp_path / "warc"
    many = [exchange(f"http://example.org/{n % 7}/{n}") for n in range(15)]
    write(warcs, *VARIED, *many)
    write(warcs, *many, max_size=1)  # revisits, across rotated files
    assert (warcs / "index.cdxj").read_text() == _rebuilt(warcs, tmp_path)


def test_a_spill_file_left_by_a_killed_run_is_not_used_and_removed(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    killed = WarcWriter(warcs)
    killed.write_exchange(**exchange("http://example.org/killed"))
    killed.close(index=False)  # as a run killed before it indexed
    [orphan] = warcs.glob(f".*{SPILL_SUFFIX}")
    orphan.write_text("not an index line\n")
    write(warcs, exchange("http://example.org/next"))
    assert ((warcs / "index.cdxj").read_text(), list(warcs.glob(f".*{SPILL_SUFFIX}"))) == (
        _rebuilt(warcs, tmp_path),
        [],
    )


def test_a_file_another_run_indexed_first_is_not_indexed_twice(tmp_path: Path) -> None:
    warcs = tmp_path / "warc"
    first = WarcWriter(warcs)
    first.write_exchange(**exchange("http://example.org/first"))
    first.close(index=False)  # its file closed, its lines not merged yet
    write(warcs, exchange("http://example.org/other"))  # reads the first run's file
    first.close()  # now merges what it spilled
    assert (warcs / "index.cdxj").read_text() == _rebuilt(warcs, tmp_path)
