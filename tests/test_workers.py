"""Extraction in worker processes: the same records as in the crawl's own process, in order,
with the countries and story signature computed beside them; a dead worker fails its page."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from ccme_crawler import workers
from ccme_crawler.extraction.countries import extract_countries
from ccme_crawler.items import ArticleRecord, ListingPage, PageFailure, RawPage
from ccme_crawler.pipelines import ExtractArticlePipeline
from ccme_crawler.records import listing_from_page, page_from_listing_response, record_from_page
from ccme_crawler.reextract import reextract
from ccme_crawler.stories import story_signature
from ccme_crawler.warc import WarcWriter
from ccme_crawler.warc.importer import import_archives
from ccme_crawler.workers import ExtractionPool, default_workers
from ccme_mirror import MirrorServer, generate_site, render
from ccme_mirror.faults import delay
from tests.faults.helpers import default_articles, integrity, stored_urls
from tests.helpers import crawl, rows, start_crawl
from tests.records.helpers import (
    FETCHED_AT,
    LISTING_URL,
    PNG,
    article_html,
    crawled_page,
    listing_html,
    response,
)

ORIGIN = "https://www.ccme.org.ma"


@pytest.fixture(scope="module")
def pool() -> Iterator[ExtractionPool]:
    with ExtractionPool(1) as started:
        yield started


def _pages() -> list[RawPage]:
    site = generate_site(6)
    pages = [
        crawled_page(render.render_article(site, a, ORIGIN).encode(), url=a.url)
        for a in site.articles
    ]
    return [*pages, crawled_page(PNG, "image/png")]


def _without_analysis(result: ArticleRecord | PageFailure | None) -> object:
    if isinstance(result, ArticleRecord):
        result.analysis = None
    return result


def test_worker_records_are_the_in_process_records(pool: ExtractionPool) -> None:
    pages = _pages()
    got = [_without_analysis(r) for _, r in pool.extract_all(pages, lambda page: page)]
    assert got == [record_from_page(page) for page in pages]


def test_worker_computes_the_countries(pool: ExtractionPool) -> None:
    ((_, result),) = pool.extract_all(_pages()[:1], lambda page: page)
    assert isinstance(result, ArticleRecord) and result.analysis is not None
    article = result.article
    assert result.analysis.countries == extract_countries(
        article.title, article.body, article.language
    )


def test_worker_computes_the_story_signature(pool: ExtractionPool) -> None:
    ((_, result),) = pool.extract_all(_pages()[:1], lambda page: page)
    assert isinstance(result, ArticleRecord) and result.analysis is not None
    assert result.analysis.story_signature == story_signature(result.article.body)


def test_items_without_a_page_pass_in_order(pool: ExtractionPool) -> None:
    items = ["listing", *_pages()[:3], "redirect"]
    out = list(pool.extract_all(items, lambda item: item if isinstance(item, RawPage) else None))
    assert [item for item, _ in out] == items


def test_in_process_pool_extracts_without_workers() -> None:
    page = crawled_page(article_html())
    with ExtractionPool(0) as in_process:
        assert asyncio.run(in_process.extract(page)) == record_from_page(page)


def test_pipeline_with_a_worker_gives_the_record() -> None:
    crawler = get_crawler(settings_dict={"CCME_EXTRACT_WORKERS": 1})
    pipeline = ExtractArticlePipeline.from_crawler(crawler)
    page = crawled_page(article_html())
    try:
        result = asyncio.run(pipeline.process_item(page))
    finally:
        pipeline.pool.close()
    assert _without_analysis(result) == record_from_page(page)


def test_a_killed_worker_fails_its_page_and_the_pool_goes_on() -> None:
    with ExtractionPool(1) as fresh:
        list(fresh.extract_all(_pages()[:1], lambda page: page))  # started
        assert fresh._executor is not None
        for pid in list(fresh._executor._processes):
            os.kill(pid, signal.SIGKILL)
        pages = _pages()
        ((_, first),) = fresh.extract_all(pages[:1], lambda page: page)
        ((_, second),) = fresh.extract_all(pages[1:2], lambda page: page)
    first_ok = isinstance(first, ArticleRecord) or (
        isinstance(first, PageFailure) and first.reason == "extraction_failed"
    )
    assert (first_ok, isinstance(second, ArticleRecord)) == (True, True)


def _listing_page(body: bytes | None = None, content_type: str = "text/html") -> RawPage:
    crawled = response(LISTING_URL, listing_html() if body is None else body, content_type)
    return page_from_listing_response(crawled, FETCHED_AT)


def test_worker_reads_a_listing_page_as_in_process(pool: ExtractionPool) -> None:
    page = _listing_page()
    assert asyncio.run(pool.listing(page)) == listing_from_page(page)


def test_worker_says_why_a_listing_page_is_not_one(pool: ExtractionPool) -> None:
    page = _listing_page(PNG, "image/png")
    assert asyncio.run(pool.listing(page)) == listing_from_page(page)


def test_in_process_pool_reads_a_listing_page_without_workers() -> None:
    page = _listing_page()
    with ExtractionPool(0) as in_process:
        assert asyncio.run(in_process.listing(page)) == listing_from_page(page)


def _mixed() -> list[RawPage | str]:
    return ["redirect", _listing_page(), *_pages()[:2], _listing_page(PNG, "image/png")]


def _listing_of(item: RawPage | str) -> RawPage | None:
    return item if isinstance(item, RawPage) and item.url == LISTING_URL else None


def _article_of(item: RawPage | str) -> RawPage | None:
    return item if isinstance(item, RawPage) and item.url != LISTING_URL else None


def _in_process(item: RawPage | str) -> object:
    listing, article = _listing_of(item), _article_of(item)
    if listing is not None:
        return listing_from_page(listing)
    return None if article is None else record_from_page(article)


def test_worker_reads_listing_and_article_pages_in_order(pool: ExtractionPool) -> None:
    items = _mixed()
    out = pool.extract_all(items, _article_of, _listing_of)
    assert [(item, _without_analysis(r)) for item, r in out] == [
        (item, _in_process(item)) for item in items
    ]


def test_in_process_pool_reads_listing_and_article_pages_in_order() -> None:
    items = _mixed()
    with ExtractionPool(0) as in_process:
        out = list(in_process.extract_all(items, _article_of, _listing_of))
    assert out == [(item, _in_process(item)) for item in items]


def _heavy_listing_page() -> RawPage:
    """A listing page that takes a worker tens of milliseconds (its posts repeated)."""
    body = listing_html()
    first, last = body.index(b"<article"), body.rindex(b"</article>") + len(b"</article>")
    return _listing_page(body[:first] + body[first:last] * 40 + body[last:])


def test_a_killed_worker_fails_the_listing_pages_it_held_and_the_pool_goes_on() -> None:
    pages = [_heavy_listing_page()] * 17  # all handed over before the first is returned
    with ExtractionPool(1) as fresh:
        results = fresh.extract_all(pages, lambda _: None, lambda page: page)
        first = next(results)[1]
        assert fresh._executor is not None
        for pid in list(fresh._executor._processes):
            os.kill(pid, signal.SIGKILL)
        held = [result for _, result in results]
        after = asyncio.run(fresh.listing(_listing_page()))
    failures = {(r.reason, r.kind, r.url) for r in held if isinstance(r, PageFailure)}
    assert (isinstance(first, ListingPage), failures, isinstance(after, ListingPage)) == (
        True,
        {("extraction_failed", "listing", LISTING_URL)},
        True,
    )


def test_crawl_shares_one_pool_between_spider_and_pipeline() -> None:
    crawler = get_crawler(settings_dict={"CCME_EXTRACT_WORKERS": 0})
    assert ExtractArticlePipeline.from_crawler(crawler).pool is ExtractionPool.of(crawler)


def test_crawls_pool_ends_its_workers_when_the_spider_closes() -> None:
    crawler = get_crawler(settings_dict={"CCME_EXTRACT_WORKERS": 1})
    pool = ExtractionPool.of(crawler)
    asyncio.run(pool.listing(_listing_page()))  # started
    assert pool._executor is not None
    workers = list(pool._executor._processes.values())
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert [worker.is_alive() for worker in workers] == [False]


def test_environment_chooses_the_default_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCME_EXTRACT_WORKERS", "2")
    assert default_workers() == 2


@pytest.mark.parametrize(
    ("cores", "batch", "expected"),
    [(1, False, 0), (1, True, 0), (8, False, 1), (8, True, 2), (2, True, 2)],
)
def test_cores_choose_the_default_worker_count(
    monkeypatch: pytest.MonkeyPatch, cores: int, batch: bool, expected: int
) -> None:
    monkeypatch.delenv("CCME_EXTRACT_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert default_workers(batch=batch) == expected


def _fails_on_png(page: RawPage) -> str:
    if page.body.startswith(b"\x89PNG"):
        raise ValueError("not a page")
    return page.url


def test_a_page_that_raises_in_a_batch_is_that_pages_error_alone() -> None:
    pages = _pages()[-2:]  # an article, then the PNG
    outcomes = workers._read_batch([(_fails_on_png, page) for page in pages])
    assert [(ok, type(value)) for ok, value in outcomes] == [(True, str), (False, ValueError)]


class _CountingPool(ExtractionPool):
    """The real pool, noting each executor it hands pages to."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.executors: list[object] = []

    def _pool(self) -> ProcessPoolExecutor:
        executor = super()._pool()
        if executor not in self.executors:
            self.executors.append(executor)
        return executor


def test_a_killed_worker_costs_one_new_pool_and_the_pages_after_it_are_read() -> None:
    articles = _pages()[:-1]
    pages = [articles[i % len(articles)] for i in range(48)]
    with _CountingPool(1) as fresh:
        results = fresh.extract_all(pages, lambda page: page)
        next(results)
        assert fresh._executor is not None
        for pid in list(fresh._executor._processes):
            os.kill(pid, signal.SIGKILL)
        rest = [result for _, result in results]
    kinds = {
        "record" if isinstance(r, ArticleRecord) else getattr(r, "reason", type(r).__name__)
        for r in rest
    }
    # The old code shut down the new pool at each page the dead one had held: one pool a page.
    assert (kinds, len(fresh.executors), isinstance(rest[-1], ArticleRecord)) == (
        {"record", "extraction_failed"},
        2,
        True,
    )


def _stored(db: Path) -> list[dict[str, object]]:
    tables = ("articles", "article_countries", "article_stories", "article_categories")
    when = {"first_stored_at", "changed_at", "seen_at"}  # the time of each run
    return [
        {k: v for k, v in row.items() if k not in when}
        for table in tables
        for row in rows(db, f"SELECT * FROM {table} ORDER BY 1, 2")
    ]


def _warc_of_articles(tmp_path: Path, count: int) -> Path:
    site = generate_site(count)
    warc_dir = tmp_path / "warc"
    warc_dir.mkdir()
    with WarcWriter(warc_dir) as writer:
        for article in site.articles:
            writer.write_exchange(
                target_uri=article.url,
                request_method="GET",
                request_headers=[],
                request_body=b"",
                protocol="HTTP/1.1",
                status=200,
                reason="OK",
                response_headers=[("Content-Type", "text/html; charset=UTF-8")],
                payload=render.render_article(site, article, ORIGIN).encode(),
                fetched_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            )
    return warc_dir


def test_import_with_workers_stores_what_it_stores_in_process(tmp_path: Path) -> None:
    files = sorted((_warc_of_articles(tmp_path, 12)).glob("*.warc*"))
    import_archives(files, tmp_path / "in-process.sqlite", workers=0)
    summary = import_archives(files, tmp_path / "workers.sqlite", workers=1)
    assert (summary.outcomes["new"], _stored(tmp_path / "workers.sqlite")) == (
        12,
        _stored(tmp_path / "in-process.sqlite"),
    )


def test_reextract_with_workers_stores_what_it_stores_in_process(tmp_path: Path) -> None:
    warc_dir = _warc_of_articles(tmp_path, 12)
    reextract(warc_dir, tmp_path / "in-process.sqlite", workers=0)
    summary = reextract(warc_dir, tmp_path / "workers.sqlite", workers=2)
    assert (summary.outcomes["new"], _stored(tmp_path / "workers.sqlite")) == (
        12,
        _stored(tmp_path / "in-process.sqlite"),
    )


@pytest.mark.integration
def test_crawl_with_a_worker_killed_midway_then_resumed_completes_the_archive(
    tmp_path: Path,
) -> None:
    site = generate_site(60, seed=15)
    workers = ("-s", "CCME_EXTRACT_WORKERS=1")
    with MirrorServer(site) as server:
        server.set_fault("/", delay(0.02))
        db = tmp_path / "ccme.sqlite"
        process = start_crawl(db, server, *workers, quiet=True)
        time.sleep(2.5)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        sound = integrity(db) if db.exists() else "ok"
        server.clear_faults()
        summary = crawl(db, server, *workers)
    stored = stored_urls(db)
    assert (sound, summary["returncode"], sorted(stored), integrity(db)) == (
        "ok",
        0,
        sorted(default_articles(site)),
        "ok",
    )


_KILLED_PARENT = """
import multiprocessing, os, signal, sys
from ccme_crawler.workers import ExtractionPool
from tests.records.helpers import crawled_page

if __name__ == "__main__":
    pool = ExtractionPool(1)
    page = crawled_page(b"<html><title>T</title><body><p>text</p></body></html>")
    list(pool.extract_all([page], lambda page: page))
    print(" ".join(str(child.pid) for child in multiprocessing.active_children()), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_workers_end_when_the_process_that_started_them_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "killed_parent.py"
    script.write_text(_KILLED_PARENT)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    workers = [int(pid) for pid in done.stdout.split()]
    assert done.returncode == -signal.SIGKILL and workers, done.stderr
    deadline = time.monotonic() + 20
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
