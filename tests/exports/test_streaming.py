"""A large export streams: memory stays a small, flat fraction of the data exported."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from ccme_crawler.exports import ArticleFilters, export_articles
from ccme_crawler.storage import Storage
from tests.exports.helpers import Spec, make_record

ROWS = 10_000
BODY = (
    "Le Conseil de la communauté marocaine à l'étranger publie une revue de presse. " * 25
).strip()


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "ccme.sqlite"
    start = date(1990, 1, 1)
    with Storage.open(path) as store:
        for n in range(ROWS):
            day = (start + timedelta(days=n)).isoformat()
            spec = Spec(
                f"article-{n:05d}",
                f"Article numéro {n}",
                f"{day}T10:00:00+00:00",
                body=f"{BODY} {n}",
            )
            store.upsert_article(make_record(spec), run_id=None)
    return path


def peak_bytes(work: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def until_row(n: int) -> str:
    return (date(1990, 1, 1) + timedelta(days=n - 1)).isoformat()


def test_streaming_iterator_holds_a_batch_not_the_archive(big_archive: Path) -> None:
    with Storage.open(big_archive, readonly=True) as store:
        data_bytes = sum(len(r["body"].encode()) for r in store.iter_articles())
        small = peak_bytes(lambda: sum(1 for _ in store.iter_articles(until=until_row(2_000))))
        large = peak_bytes(lambda: sum(1 for _ in store.iter_articles()))
        everything = peak_bytes(lambda: list(store.iter_articles()))
    # The whole list outweighs the data; the stream holds a batch, whatever the archive's size.
    assert (large < data_bytes / 4, large < everything / 10, large < 2 * small) == (
        True,
        True,
        True,
    ), (
        data_bytes,
        small,
        large,
        everything,
    )


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "sqlite"])
def test_a_large_export_stays_within_bounded_memory(
    tmp_path: Path, big_archive: Path, fmt: str
) -> None:
    small = peak_bytes(
        lambda: export_articles(
            big_archive, fmt, tmp_path / "small", ArticleFilters.parse(until=until_row(2_000))
        )
    )
    out = tmp_path / "large"
    large = peak_bytes(lambda: export_articles(big_archive, fmt, out))
    data_file = next(p for p in out.iterdir() if p.name.startswith("articles."))
    size = data_file.stat().st_size
    assert (
        size > 10_000_000 or fmt == "parquet",
        large < 2 * small + 1_000_000,
        large < 20_000_000,
    ) == (
        True,
        True,
        True,
    ), (size, small, large)
