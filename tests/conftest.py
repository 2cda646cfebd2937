"""Shared fixtures: the local mirror server and the reference pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ccme_mirror import MirrorServer, MirrorSite, sample_site


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
