"""Rebuild the database from WARC captures, with no network.

Every captured response goes through :mod:`ccme_crawler.records`, as in a crawl: listing pages
through ``listing_from_response`` and ``listing_entries`` (for the categories an article appeared
in), article pages through ``page_from_capture`` and ``record_from_page``, so that re-extracting
the WARCs of a crawl gives the same ``articles`` rows as the crawl. Stored rows are compared
whole, not only by content hash: an improved extractor or source alias re-run on what was
captured corrects every column it reads from the page (outcome ``corrected``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from ccme_crawler import __version__
from ccme_crawler.extraction.requisites import is_requisite_url
from ccme_crawler.items import ArticleRecord, PageFailure, RawPage
from ccme_crawler.locking import RunLock
from ccme_crawler.records import (
    ListingLinks,
    capture_response,
    listing_entries,
    listing_from_response,
    page_from_capture,
)
from ccme_crawler.storage import Storage
from ccme_crawler.urls import is_discovery_url, is_listing_url, listing_path, origin_of
from ccme_crawler.warc import CapturedPage, Problem, iter_captured_pages
from ccme_crawler.workers import ExtractionPool, default_workers


@dataclass
class ReextractSummary:
    run_id: int
    responses: int = 0
    listing_pages: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    damaged: list[Problem] = field(default_factory=list)  # WARC records that could not be read

    @property
    def complete(self) -> bool:
        """Every captured record was read (pages that are not articles are not damage)."""
        return not self.damaged


def reextract(warc_dir: Path, db_path: Path, *, workers: int | None = None) -> ReextractSummary:
    """Extract every page captured in ``warc_dir`` into the database at ``db_path``, in
    ``workers`` extraction processes (default: :func:`ccme_crawler.workers.default_workers`;
    0: in this process). Records are stored in capture order either way."""
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
        redirected_from: dict[str, str] = {}

        def article_page(page: CapturedPage) -> RawPage | None:
            """The page to extract, or None for a capture that is no article page (read here,
            in capture order, as the redirects it follows depend on the earlier ones)."""
            summary.responses += 1
            url = page.target_uri
            if 300 <= page.status < 400 and page.headers.get("location"):
                target = urljoin(url, page.headers["location"])
                redirected_from[target] = redirected_from.get(url, url)
                return None
            if is_discovery_url(url) or is_listing_url(url):
                return None  # discovery pages are read by discovery, not stored
            if is_requisite_url(url):
                return None  # page requisites (stylesheets, images…) are not pages
            return page_from_capture(page, redirected_from.get(url, url))

        status = "completed"
        pool = ExtractionPool(default_workers() if workers is None else workers)
        try:
            captures = iter_captured_pages(warc_dir, summary.damaged)
            # Outcomes are counted once their group of records is committed.
            pending: Counter[str] = Counter()
            for page, result in pool.extract_all(captures, article_page):
                if result is None:
                    url = page.target_uri
                    if page.status == 200 and is_listing_url(url) and not is_discovery_url(url):
                        summary.listing_pages += 1
                        with storage.batch_record():
                            listing = store_listing(storage, page)
                        if isinstance(listing, PageFailure):
                            summary.failures[listing.reason] += 1
                elif isinstance(result, ArticleRecord):
                    with storage.batch_record() as group:
                        pending[storage.upsert_article(result, run_id, correct=True).outcome] += 1
                    if group.committed:
                        summary.outcomes += pending
                        pending.clear()
                else:
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
                {
                    "pages_fetched": summary.responses,
                    "listing_pages": summary.listing_pages,
                    "articles_new": summary.outcomes["new"],
                    "articles_updated": summary.outcomes["updated"] + summary.outcomes["corrected"],
                    "articles_unchanged": summary.outcomes["unchanged"],
                    "failures": sum(summary.failures.values()) + len(summary.damaged),
                },
                "damaged_records" if summary.damaged else "reextract",
            )
    return summary


def store_listing(storage: Storage, page: CapturedPage) -> ListingLinks | PageFailure | None:
    """Store what a captured listing page says, as the crawl does: page 1's category label and
    the listing entries; its links, or the failure reading it, or None off a listing path."""
    try:
        category = listing_path(page.target_uri)
    except ValueError:
        return None
    listing = listing_from_response(capture_response(page), page.fetched_at)
    if isinstance(listing, PageFailure):
        return listing
    if listing.page_number == 1 and listing.category_label:
        storage.record_category_label(category, listing.category_label, None)
    links = listing_entries(
        listing, page.target_uri, category, page.fetched_at, origin=origin_of(page.target_uri)
    )
    for entry in links.entries:
        storage.record_listing_entry(entry)
    return links
