"""Fixtures: an archive on a real SQLite file (see helpers.build_archive)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.exports.helpers import build_archive


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Path]:
    yield build_archive(tmp_path / "ccme.sqlite")
