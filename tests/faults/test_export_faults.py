"""Exports that could damage the archive or mislead its reader.

An SQLite export written onto the database it reads replaced the archive (and with a stale
``-wal`` beside it, corrupted it); a re-export stopped between replacing its data file and
writing its manifest left the old manifest describing new data.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ccme_crawler.exports import verify_export
from ccme_crawler.fsutil import temp_path_beside
from ccme_mirror import MirrorServer
from tests.conftest import crawl, run_cli
from tests.faults.helpers import integrity

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory, sample_server: MirrorServer) -> Path:
    db = tmp_path_factory.mktemp("archive") / "ccme.sqlite"
    crawl(db, sample_server)
    return db


def _same_path(db: Path, tmp: Path) -> Path:
    return db


def _symlink(db: Path, tmp: Path) -> Path:
    (tmp / "link.sqlite").symlink_to(db)
    return tmp / "link.sqlite"


def _other_spelling(db: Path, tmp: Path) -> Path:
    return db.parent / ".." / db.parent.name / db.name


def _hard_link(db: Path, tmp: Path) -> Path:
    os.link(db, tmp / "hard.sqlite")
    return tmp / "hard.sqlite"


def _wal(db: Path, tmp: Path) -> Path:
    # Named like a folder (no .sqlite suffix): the export would become a folder SQLite then
    # takes for the database's write-ahead log.
    return Path(f"{db}-wal")


def _shm_file(db: Path, tmp: Path) -> Path:
    return Path(f"{db}-shm") / "articles.sqlite"


@pytest.mark.parametrize(
    "output",
    [_same_path, _symlink, _other_spelling, _hard_link, _wal, _shm_file],
    ids=["same-path", "symlink", "dot-dot", "hard-link", "its-wal", "inside-its-shm"],
)
def test_sqlite_export_onto_the_source_database_is_refused(
    archive: Path, tmp_path: Path, output: Callable[[Path, Path], Path]
) -> None:
    before = archive.read_bytes()
    companions = sorted(p.name for p in archive.parent.iterdir())
    out = output(archive, tmp_path)
    result = run_cli("export", "--db", str(archive), "--format", "sqlite", "-o", str(out))
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert (
        result.returncode,
        len(errors),
        "Traceback" in result.stderr,
        archive.read_bytes() == before,
        sorted(p.name for p in archive.parent.iterdir()),
        integrity(archive),
    ) == (2, 1, False, True, companions, "ok")


def test_sqlite_export_with_the_source_as_db_by_a_symlink_is_refused(
    archive: Path, tmp_path: Path
) -> None:
    (tmp_path / "link.sqlite").symlink_to(archive)
    before = archive.read_bytes()
    result = run_cli(
        "export", "--db", str(tmp_path / "link.sqlite"), "--format", "sqlite", "-o", str(archive)
    )
    assert (result.returncode, "database being exported" in result.stderr) == (2, True)
    assert archive.read_bytes() == before


def _manifest_rows(folder: Path) -> int | None:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return None
    return int(json.loads(manifest.read_text())["counts"]["articles"])


def test_a_re_export_stopped_after_replacing_the_data_leaves_no_stale_manifest(
    archive: Path, tmp_path: Path
) -> None:
    """The step after the data file is in place fails (metadata.json cannot be written): the
    folder holds the new data and no manifest, never the old manifest beside the new data."""
    out = tmp_path / "export"
    first = run_cli("export", "--db", str(archive), "--format", "sqlite", "-o", str(out))
    old_rows = _manifest_rows(out)
    (out / "metadata.json").unlink()
    (out / "metadata.json").mkdir()  # os.replace onto a folder fails: the export stops there
    second = run_cli(
        "export", "--db", str(archive), "--format", "sqlite", "-o", str(out), "--language", "ar"
    )
    assert (
        first.returncode,
        old_rows is not None and old_rows > 0,
        second.returncode,
        (out / "articles.sqlite").exists(),
        _manifest_rows(out),
    ) == (0, True, 1, True, None)


def test_temporary_files_of_a_killed_export_are_removed_by_the_next(
    archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    out.mkdir()
    # What a SIGKILL mid-export leaves: the hidden temporary data file (and SQLite's journals).
    leftovers = [temp_path_beside(out / "articles.sqlite") for _ in range(2)]
    for path in leftovers:
        path.write_bytes(b"half an export")
    Path(f"{leftovers[0]}-journal").write_bytes(b"journal")
    manifest_tmp = temp_path_beside(out / "manifest.json")
    manifest_tmp.write_text("{")
    unrelated = out / ".notes.txt"
    unrelated.write_text("mine")
    result = run_cli("export", "--db", str(archive), "--format", "sqlite", "-o", str(out))
    assert (
        result.returncode,
        sorted(p.name for p in out.iterdir()),
        verify_export(out / "manifest.json"),
    ) == (0, [".notes.txt", "articles.sqlite", "manifest.json", "metadata.json"], [])
