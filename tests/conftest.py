"""Shared fixtures: the local mirror server and the reference pages."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from ccme_mirror import MirrorServer, MirrorSite, sample_site

# Test crawls extract in their own process (and so do the CLI runs they start): a worker pool
# started in every crawl would slow the suite; tests/test_workers.py covers the pool.
os.environ.setdefault("CCME_EXTRACT_WORKERS", "0")


@pytest.fixture(scope="session")
def sample() -> MirrorSite:
    return sample_site()


@pytest.fixture(scope="session")
def sample_server(sample: MirrorSite) -> Iterator[MirrorServer]:
    with MirrorServer(sample) as server:
        yield server


@pytest.fixture
def fresh_sample_server() -> Iterator[MirrorServer]:
    """A server on its own copy of the sample, free to be changed by the test."""
    with MirrorServer(sample_site()) as server:
        yield server
