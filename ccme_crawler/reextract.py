"""Rebuild the database from WARC captures, with no network.

Every captured response goes through :mod:`ccme_crawler.records`, as in a crawl: listing pages
through ``listing_from_page`` and ``listing_entries`` (for the categories an article appeared
in), article pages through ``page_from_capture`` and ``record_from_page``, so that re-extracting
the WARCs of a crawl gives the same ``articles`` rows as the crawl. Stored rows are compared
whole, not only by content hash: an improved extractor or source alias re-run on what was
captured corrects every column it reads from the page (outcome ``corrected``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ccme_crawler import __version__
from ccme_crawler.items import ArticleRecord, ListingPage, PageFailure, RawPage
from ccme_crawler.locking import RunLock
from ccme_crawler.records import ListingLinks, listing_entries, page_from_capture
from ccme_crawler.storage import Storage
from ccme_crawler.urls import listing_path, origin_of
from ccme_crawler.warc import CapturedPage, Problem, iter_captured_pages
from ccme_crawler.warc.reader import CaptureClassifier
from ccme_crawler.workers import ExtractionPool


@dataclass
class CaptureRunSummary:
    """What a run over captures (``reextract``, ``import``) read and stored."""

    run_id: int
    responses: int = 0
    listing_pages: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # new / updated / corrected / …
    failures: Counter[str] = field(default_factory=Counter)

    def run_counts(self) -> dict[str, int]:
        """The run's counters as ``crawl_runs`` keeps them."""
        return {
            "pages_fetched": self.responses,
            "listing_pages": self.listing_pages,
            "articles_new": self.outcomes["new"],
            "articles_updated": self.outcomes["updated"] + self.outcomes["corrected"],
            "articles_unchanged": self.outcomes["unchanged"],
            "failures": sum(self.failures.values()),
        }


@dataclass
class ReextractSummary(CaptureRunSummary):
    damaged: list[Problem] = field(default_factory=list)  # WARC records that could not be read

    @property
    def complete(self) -> bool:
        """Every captured record was read (pages that are not articles are not damage)."""
        return not self.damaged

    def run_counts(self) -> dict[str, int]:
        counts = super().run_counts()
        counts["failures"] += len(self.damaged)
        return counts


def reextract(warc_dir: Path, db_path: Path, *, workers: int | None = None) -> ReextractSummary:
    """Extract every page captured in ``warc_dir`` into the database at ``db_path``, in
    ``workers`` extraction processes (default: ``ExtractionPool.for_batch_job``'s; 0: in this
    process). Records are stored in capture order either way."""
    with RunLock(db_path), Storage.open(db_path) as storage:
        # A crawl or reextract killed before it ended (the lock says no process runs now).
        storage.close_abandoned_runs("process died before the run ended")
        run_id = storage.start_run(
            mode="reextract",
            base_url="",
            categories=[],
            settings={"warc_dir": str(warc_dir)},
            software_version=__version__,
        )
        summary = ReextractSummary(run_id=run_id)
        classifier = CaptureClassifier()

        def classified(pages: Iterator[CapturedPage]) -> Iterator[tuple[CapturedPage, str]]:
            for page in pages:
                summary.responses += 1
                yield (
                    page,
                    classifier.kind(page.target_uri, page.status, page.headers.get("location")),
                )

        def article_page(item: tuple[CapturedPage, str]) -> RawPage | None:
            """The page to extract, or None for a capture that is no article page (called in
            capture order, as the redirects a page follows are those read before it)."""
            page, kind = item
            if kind != "page":
                return None
            return page_from_capture(page, classifier.fetched_url(page.target_uri))

        def listing_page(item: tuple[CapturedPage, str]) -> RawPage | None:
            page, kind = item
            return listing_page_of(page) if kind == "listing" and page.status == 200 else None

        status = "completed"
        pool = ExtractionPool.for_batch_job(workers)
        try:
            captures = classified(iter_captured_pages(warc_dir, summary.damaged))
            # Outcomes are counted once their group of records is committed.
            pending: Counter[str] = Counter()
            for (page, kind), result in pool.extract_all(captures, article_page, listing_page):
                if kind == "listing" and page.status == 200:
                    assert not isinstance(result, ArticleRecord)  # read by listing_page
                    summary.listing_pages += 1
                    with storage.batch_record():
                        # result: None off a listing path (nothing to store)
                        links = store_listing(storage, page, result)
                        if isinstance(links, PageFailure):
                            storage.record_failure(links, run_id)
                    if isinstance(links, PageFailure):
                        summary.failures[links.reason] += 1
                elif isinstance(result, ArticleRecord):
                    with storage.batch_record() as group:
                        pending[storage.upsert_article(result, run_id, correct=True).outcome] += 1
                    if group.committed:
                        summary.outcomes += pending
                        pending.clear()
                elif isinstance(result, PageFailure):
                    with storage.batch_record():
                        storage.record_failure(result, run_id)
                    summary.failures[result.reason] += 1
            storage.commit_group()
            summary.outcomes += pending
            if summary.damaged:
                status = "incomplete"
        except BaseException:
            status = "interrupted"
            raise
        finally:
            pool.close()
            storage.finish_run(
                run_id,
                status,
                summary.run_counts(),
                "damaged_records" if summary.damaged else "reextract",
            )
    return summary


def listing_page_of(capture: CapturedPage) -> RawPage | None:
    """The page to read (:func:`ccme_crawler.records.listing_from_page`, in the extraction pool)
    of a captured listing page, or None off a listing path (nothing of it is stored)."""
    try:
        listing_path(capture.target_uri)
    except ValueError:
        return None
    return page_from_capture(capture, capture.target_uri, capture.target_uri)


def store_listing(
    storage: Storage, page: CapturedPage, listing: ListingPage | PageFailure | None
) -> ListingLinks | PageFailure | None:
    """Store what a captured listing page says (``listing``, read from the page of
    :func:`listing_page_of`), as the crawl does: page 1's category label and the listing
    entries; its links, or the failure reading it, or None off a listing path."""
    if listing is None or isinstance(listing, PageFailure):
        return listing
    category = listing_path(page.target_uri)
    if listing.page_number == 1 and listing.category_label:
        storage.record_category_label(category, listing.category_label, None)
    links = listing_entries(
        listing, page.target_uri, category, page.fetched_at, origin=origin_of(page.target_uri)
    )
    for entry in links.entries:
        storage.record_listing_entry(entry)
    return links
