"""Extraction in worker processes: the crawl, ``reextract`` and imports hand pages to a pool.

Extraction is pure CPU work on one page (parse, fields, countries, story signature), so it runs
in other processes while the crawl's own process keeps downloading, capturing and storing: on
two cores, one does Scrapy's work and the other extracts. Storing stays in the calling process,
one record at a time as before, so crash safety does not change: a page handed to a worker is
stored once it comes back, or not at all (the next run fetches it again).

Workers are started with ``forkserver`` (``spawn`` where there is none), never ``fork``: a
forked copy of a process running the Twisted reactor and an open SQLite connection is not safe.
``workers=0`` extracts in the calling process (what the tests use, and a one-core machine).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from scrapy import signals

from ccme_crawler.extraction.countries import extract_countries
from ccme_crawler.items import ArticleAnalysis, ArticleRecord, ListingPage, PageFailure, RawPage
from ccme_crawler.records import listing_from_page, record_from_page
from ccme_crawler.stories import story_signature

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

Result = ArticleRecord | PageFailure
ListingResult = ListingPage | PageFailure
T = TypeVar("T")
# A page's outcome in a batch: (True, its result) or (False, the exception its task raised).
_Outcome = tuple[bool, Any]
# Where a crawler keeps its pool (see ExtractionPool.of).
_CRAWLER_ATTRIBUTE = "_ccme_extraction_pool"

# Pages handed to each worker ahead of the one awaited (reextract, import): enough to keep it
# busy while the caller stores, few enough to bound memory.
_AHEAD_PER_WORKER = 16
# Pages a worker gets in one hand-off there: each hand-off costs the caller's executor threads
# wake-ups and context switches (~0.7 ms a page one at a time, docs/benchmarks.md).
_BATCH = 8
# A batch job's main process reads and stores at about the rate two workers extract
# (docs/benchmarks.md): more workers would wait on it.
_MAX_BATCH_WORKERS = 2


def default_workers(*, batch: bool = False) -> int:
    """Worker processes beside the calling one: none on a one-core machine; else one for a
    crawl (Scrapy's work needs the other core), and up to two for a batch job (``batch``:
    reextract, import), whose main process only reads and stores.

    ``CCME_EXTRACT_WORKERS`` in the environment overrides it (the tests set 0)."""
    configured = os.environ.get("CCME_EXTRACT_WORKERS", "").strip()
    if configured:
        return max(0, int(configured))
    cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    return min(cores, _MAX_BATCH_WORKERS) if batch else 1


def analysed_record(page: RawPage) -> Result:
    """The record of a page (:func:`record_from_page`) with the countries and story signature
    storage files beside a new or changed article, computed here rather than in storage."""
    result = record_from_page(page)
    if isinstance(result, ArticleRecord):
        article = result.article
        result.analysis = ArticleAnalysis(
            countries=extract_countries(article.title, article.body, article.language),
            story_signature=story_signature(article.body),
        )
    return result


def _read_batch(tasks: list[tuple[Callable[[RawPage], Any], RawPage]]) -> list[_Outcome]:
    """Each page of a batch read by its task: its result, or the exception it raised (kept
    apart, so one page's error is that page's alone, as it is when pages go one by one)."""
    outcomes: list[_Outcome] = []
    for task, page in tasks:
        try:
            outcomes.append((True, task(page)))
        except Exception as error:
            outcomes.append((False, error))
    return outcomes


def _exit_with_parent() -> None:
    """Run in each worker as it starts: end it when the process that started it dies.

    A worker waits on a queue it holds both ends of, so a crawl killed with SIGKILL (a cron
    timeout, the OOM killer) would leave it, and the forkserver beside it, running for ever.
    The parent's sentinel becomes readable when the parent is gone, however it ended."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_failure(page: RawPage, error: BaseException, kind: str = "article") -> PageFailure:
    detail = f"extraction worker failed: {type(error).__name__}: {error}"[:500]
    return PageFailure(page.url, "extraction_failed", detail, page.status, kind, page.fetched_at)


@dataclass(slots=True)
class _Waiting(Generic[T]):
    """An item of :meth:`ExtractionPool.extract_all` waiting for its turn, and where its
    result will be: the ``index``-th of the batch ``future`` (None: not handed over yet)."""

    item: T
    page: RawPage | None
    task: Callable[[RawPage], Any]
    executor: ProcessPoolExecutor | None = None
    future: Future[list[_Outcome]] | None = None
    index: int = 0


class ExtractionPool:
    """Turns pages into records, and listing pages into what they list, in ``workers``
    processes (0: in this process)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(0, workers)
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> ExtractionPool:
        """The crawl's one pool, shared by the spider (listing pages) and the extract pipeline
        (articles): started on first use with ``CCME_EXTRACT_WORKERS`` workers (unset: the
        :func:`default_workers`), closed when the spider closes."""
        pool = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
        if isinstance(pool, cls):
            return pool
        configured = crawler.settings.get("CCME_EXTRACT_WORKERS")
        pool = cls(default_workers() if configured in (None, "") else int(configured))
        setattr(crawler, _CRAWLER_ATTRIBUTE, pool)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    @classmethod
    def for_batch_job(cls, workers: int | None = None) -> ExtractionPool:
        """The pool of ``reextract`` or ``import``: ``workers`` processes, by default
        :func:`default_workers` for a batch job."""
        return cls(default_workers(batch=True) if workers is None else workers)

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn"
            )
            if context.get_start_method() == "forkserver":
                # The forkserver imports this module (Scrapy, lxml, numpy: ~0.75 s of CPU) once,
                # and each worker it forks has it; else every worker imports it anew (always
                # under ``python -m``, whose main module the forkserver does not preload).
                context.set_forkserver_preload(["__main__", __name__])
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_exit_with_parent
            )
        return self._executor

    def _submit(self, fn: Callable[..., Any], arg: Any) -> tuple[ProcessPoolExecutor, Future[Any]]:
        """``fn(arg)`` in a worker; with the executor it went to, so that a failure restarts
        that executor only (not a new one that later pages already went to)."""
        executor = self._pool()
        try:
            return executor, executor.submit(fn, arg)
        except BrokenProcessPool:
            self._restart(executor)
            executor = self._pool()
            return executor, executor.submit(fn, arg)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        # A worker died (killed, out of memory): the pages it held fail, the next ones get a
        # new pool.
        if self._executor is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def _read(self, task: Callable[[RawPage], Any], page: RawPage, kind: str) -> Any:
        executor, future = self._submit(task, page)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            self._restart(executor)
            return _worker_failure(page, error, kind)

    async def extract(self, page: RawPage) -> Result:
        """The record of one page, awaited on the running asyncio loop (the crawl's reactor)."""
        if self.workers == 0:
            return record_from_page(page)
        result: Result = await self._read(analysed_record, page, "article")
        return result

    async def listing(self, page: RawPage) -> ListingResult:
        """What one listing page lists (:func:`listing_from_page`), awaited as :meth:`extract`."""
        if self.workers == 0:
            return listing_from_page(page)
        result: ListingResult = await self._read(listing_from_page, page, "listing")
        return result

    def extract_all(
        self,
        items: Iterable[T],
        page_of: Callable[[T], RawPage | None],
        listing_of: Callable[[T], RawPage | None] | None = None,
    ) -> Iterator[tuple[T, Result | ListingResult | None]]:
        """``(item, result)`` for each item, in order: ``page_of`` picks the items to extract
        (a record), else ``listing_of`` the listing pages to read (a :class:`ListingPage`); an
        item neither picks passes through with None. Pages are read ahead of the one returned,
        up to a bound, handed to the workers in batches."""
        if self.workers == 0:
            for item in items:
                page, task = self._task(item, page_of, listing_of)
                yield item, None if page is None else task(page)
            return
        waiting: deque[_Waiting[T]] = deque()
        batch: list[_Waiting[T]] = []
        ahead = self.workers * _AHEAD_PER_WORKER
        for item in items:
            page, task = self._task(item, page_of, listing_of)
            entry = _Waiting(item, page, task)
            waiting.append(entry)
            if page is not None:
                batch.append(entry)
                if len(batch) == _BATCH:
                    self._hand_over(batch)
            while len(waiting) > ahead:
                if waiting[0].future is None and waiting[0].page is not None:
                    self._hand_over(batch)
                yield self._next(waiting)
        self._hand_over(batch)
        while waiting:
            yield self._next(waiting)

    def _hand_over(self, batch: list[_Waiting[T]]) -> None:
        """Send the pages of ``batch`` to a worker as one task, and empty it."""
        if not batch:
            return
        executor, future = self._submit(_read_batch, [(e.task, e.page) for e in batch])
        for index, entry in enumerate(batch):
            entry.executor, entry.future, entry.index = executor, future, index
        batch.clear()

    def _task(
        self,
        item: T,
        page_of: Callable[[T], RawPage | None],
        listing_of: Callable[[T], RawPage | None] | None,
    ) -> tuple[RawPage | None, Callable[[RawPage], Any]]:
        """The page of ``item`` to read and what reads it (in a worker: ``analysed_record``)."""
        page = page_of(item)
        if page is not None:
            return page, record_from_page if self.workers == 0 else analysed_record
        listing = listing_of(item) if listing_of is not None else None
        return listing, listing_from_page

    def _next(self, waiting: deque[_Waiting[T]]) -> tuple[T, Result | ListingResult | None]:
        entry = waiting.popleft()
        if entry.future is None or entry.page is None:
            return entry.item, None
        try:
            succeeded, outcome = entry.future.result()[entry.index]
        except BrokenProcessPool as error:
            assert entry.executor is not None
            self._restart(entry.executor)
            kind = "listing" if entry.task is listing_from_page else "article"
            return entry.item, _worker_failure(entry.page, error, kind)
        if not succeeded:
            raise outcome
        return entry.item, outcome

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
