"""Rebuild the database from WARC captures, with no network.

Every captured response goes through the same code as a crawl: listing pages through
``extract_listing`` (for the categories an article appeared in), article pages through
``pipelines.article_record_from_page``, so that re-extracting the WARCs of a crawl gives the same
``articles`` rows as the crawl, and an improved extractor can be re-run on what was captured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from scrapy.http import HtmlResponse

from ccme_crawler import __version__
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.extraction.requisites import is_requisite_url
from ccme_crawler.items import ArticleRecord, ListingEntry, RawPage
from ccme_crawler.locking import RunLock
from ccme_crawler.pipelines import article_record_from_page
from ccme_crawler.storage import Storage
from ccme_crawler.urls import canonical_article_url, category_path, is_site_url, origin_of
from ccme_crawler.warc import CapturedPage, iter_captured_pages


@dataclass
class ReextractSummary:
    run_id: int
    responses: int = 0
    listing_pages: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)


def _is_listing(url: str) -> bool:
    return "/category/" in urlsplit(url).path


def _decoded_encoding(page: CapturedPage) -> str | None:
    # The encoding Scrapy would have decided for this response (headers, meta, BOM, sniffing).
    response = HtmlResponse(page.target_uri, headers=page.headers, body=page.body)
    return response.encoding


def reextract(warc_dir: Path, db_path: Path) -> ReextractSummary:
    """Extract every page captured in ``warc_dir`` into the database at ``db_path``."""
    with RunLock(db_path), Storage.open(db_path) as storage:
        run_id = storage.start_run(
            mode="reextract",
            base_url="",
            categories=[],
            settings={"warc_dir": str(warc_dir)},
            software_version=__version__,
        )
        summary = ReextractSummary(run_id=run_id)
        redirected_from: dict[str, str] = {}
        status = "completed"
        try:
            for page in iter_captured_pages(warc_dir):
                summary.responses += 1
                url = page.target_uri
                if 300 <= page.status < 400 and page.headers.get("location"):
                    target = urljoin(url, page.headers["location"])
                    redirected_from[target] = redirected_from.get(url, url)
                    continue
                if urlsplit(url).path == "/robots.txt" or is_requisite_url(url):
                    continue  # page requisites (stylesheets, images…) are not pages
                if _is_listing(url):
                    if page.status == 200:
                        summary.listing_pages += 1
                        _store_listing(storage, page)
                    continue
                fetched_url = redirected_from.get(url, url)
                raw = RawPage(
                    url=canonical_article_url(fetched_url),
                    fetched_url=fetched_url,
                    final_url=url,
                    status=page.status,
                    headers=page.headers,
                    body=page.body,
                    encoding=_decoded_encoding(page),
                    fetched_at=page.fetched_at,
                    warc=page.pointer,
                )
                result = article_record_from_page(raw)
                if isinstance(result, ArticleRecord):
                    outcome = storage.upsert_article(result, run_id).outcome
                    summary.outcomes[outcome] += 1
                else:
                    summary.failures[result.reason] += 1
        except BaseException:
            status = "interrupted"
            raise
        finally:
            storage.finish_run(
                run_id,
                status,
                {
                    "pages_fetched": summary.responses,
                    "listing_pages": summary.listing_pages,
                    "articles_new": summary.outcomes["new"],
                    "articles_updated": summary.outcomes["updated"],
                    "articles_unchanged": summary.outcomes["unchanged"],
                    "failures": sum(summary.failures.values()),
                },
                "reextract",
            )
    return summary


def _store_listing(storage: Storage, page: CapturedPage) -> None:
    try:
        category = category_path(page.target_uri)
    except ValueError:
        return
    html = page.body.decode(_decoded_encoding(page) or "utf-8", errors="replace")
    listing = extract_listing(html, page.target_uri)
    if listing.page_number == 1 and listing.category_label:
        storage.record_category_label(category, listing.category_label, None)
    for position, item in enumerate(listing.items):
        if not is_site_url(item.url, origin_of(page.target_uri)):
            continue
        storage.record_listing_entry(
            ListingEntry(
                url=canonical_article_url(item.url),
                listing_category=category,
                listing_url=page.target_uri,
                position=position,
                seen_at=page.fetched_at,
            )
        )
