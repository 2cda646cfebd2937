"""Every storage test works on a real SQLite file in its own temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ccme_crawler.storage import Storage


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Storage]:
    storage = Storage.open(tmp_path / "ccme.sqlite")
    yield storage
    storage.close()
