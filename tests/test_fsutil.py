"""Atomic file replacement on a real folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccme_crawler.fsutil import atomic_replace, atomic_write_text


def test_atomic_write_text_writes_the_text(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write_text(target, "{}\n")
    assert target.read_text(encoding="utf-8") == "{}\n"


def test_atomic_write_text_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_write_text_leaves_no_temporary_file(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "out.json", "{}")
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_atomic_write_text_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "out.json", "{}")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o644


def test_a_failed_replace_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_replace(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"


def test_a_failed_replace_removes_its_temporary_file_and_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "data.sqlite"
    with pytest.raises(RuntimeError), atomic_replace(target, leftovers=("-wal",)) as tmp:
        tmp.write_bytes(b"x")
        Path(f"{tmp}-wal").write_bytes(b"x")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path: Path) -> None:
    with atomic_replace(tmp_path / "data.csv") as tmp:
        tmp.write_text("x", encoding="utf-8")
        assert (tmp.parent, tmp.name.startswith(".data.csv.")) == (tmp_path, True)
