"""Import CCME article pages from WARC and WACZ files written by other tools.

``wget --warc-file``, Browsertrix, Heritrix, warcio's ``capture_http`` or a web archive's
download: any WARC (gzip'd or not) or WACZ (its ``archive/`` WARCs). Two passes over the files:

1. every response record is indexed (record id, and target URI + payload digest) so that a
   revisit record is resolved to the payload it refers to, in any of the files given; warcinfo
   records name the software; listing pages say which URLs are articles (read in the extraction
   pool and their entries stored by ``reextract.store_listing``, as ``reextract`` does);
2. every response (and resolved revisit) is classified — off the site, then as ``reextract``
   classifies captures (``warc.reader.CaptureClassifier``: redirect, home page / robots.txt /
   sitemap, page requisite, listing page), article or other page — and article pages go
   through the same page-to-record path as a crawl and ``reextract``
   (:mod:`ccme_crawler.records`: ``page_from_capture``, ``record_from_page``): fallback
   extraction, flags and content rules included. Each stored article gets a provenance row in
   ``imported_captures``.

An article is a page of the site (either host, any scheme, or an ``origins`` mirror) that a
listing page in the files links to, or whose markup says it is a post (``body.single-post``);
the home page, pages, archives and error pages are counted, not stored. An article is keyed by
the canonical form of the URL that answered it (after redirects: a ``/?p=ID`` shortlink names
the post it redirects to); the URL first asked for is kept as ``fetched_url``.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ccme_crawler import __version__
from ccme_crawler.items import ArticleRecord, PageFailure, RawPage, WarcPointer
from ccme_crawler.locking import RunLock
from ccme_crawler.records import ListingLinks, page_from_capture
from ccme_crawler.reextract import CaptureRunSummary, listing_page_of, store_listing
from ccme_crawler.storage import Storage
from ccme_crawler.urls import (
    canonical_article_url,
    is_listing_url,
    is_site_url,
    normalize_base_url,
)
from ccme_crawler.warc.reader import CaptureClassifier, CapturedPage, captured_page, message_body
from ccme_crawler.workers import ExtractionPool

_WARC_NAMES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# WordPress's body class of a single post.
_POST_MARKUP = re.compile(rb"<body[^>]*\bclass=[\"'][^\"']*\bsingle-post\b", re.IGNORECASE)


class NotAnArchive(ValueError):
    """A file that is not a WARC or WACZ (the message says which and why)."""


@dataclass(frozen=True)
class ArchiveMember:
    """One WARC to read: a file, or a WARC inside a WACZ (``label`` says which)."""

    label: str
    opener: Callable[[], BinaryIO]


def archive_members(path: Path) -> list[ArchiveMember]:
    """The WARCs of ``path``: itself, or for a WACZ (a zip) every WARC under ``archive/``."""
    path = Path(path)
    if not path.is_file():
        raise NotAnArchive(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as wacz:
            names = [
                n for n in wacz.namelist() if n.startswith("archive/") and n.endswith(_WARC_NAMES)
            ]
        if not names:
            raise NotAnArchive(f"{path}: a zip without WARCs under archive/ (not a WACZ)")

        def opener(name: str) -> Callable[[], BinaryIO]:
            def open_member() -> BinaryIO:
                return zipfile.ZipFile(path).open(name)  # type: ignore[return-value]

            return open_member

        return [ArchiveMember(f"{path}#{name}", opener(name)) for name in sorted(names)]
    return [ArchiveMember(str(path), lambda: open(path, "rb"))]


def _software(record: ArcWarcRecord) -> str | None:
    text: str = record.content_stream().read().decode("utf-8", "replace")
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "software" and value.strip():
            return value.strip()
    return None


def _target(record: ArcWarcRecord) -> str:
    # WARC/1.0 writers (wget among them) may write the URI in angle brackets.
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")


@dataclass
class _Location:
    member: int
    offset: int


@dataclass
class ImportSummary(CaptureRunSummary):
    files: dict[str, str | None] = field(default_factory=dict)  # WARC -> software it names
    skipped: Counter[str] = field(default_factory=Counter)  # what was not an article, and why
    fallback_extractions: int = 0

    def run_counts(self) -> dict[str, int]:
        return {**super().run_counts(), "fallback_extractions": self.fallback_extractions}


class _Archive:
    """The members being imported, open once each, and what pass 1 learned about them."""

    def __init__(self, members: list[ArchiveMember], stack: ExitStack) -> None:
        self.members = members
        self.handles = [stack.enter_context(m.opener()) for m in members]
        self.by_id: dict[str, _Location] = {}
        self.by_digest: dict[tuple[str, str], _Location] = {}
        self.software_by_info: dict[str, str | None] = {}
        self.software_by_member: dict[int, str | None] = {}

    def records(self, index: int) -> Iterator[tuple[ArcWarcRecord, int, int, Callable[[], bytes]]]:
        """(record, offset, length, body reader) of every record of member ``index``."""
        handle = self.handles[index]
        handle.seek(0)
        it = ArchiveIterator(handle)
        for record in it:
            body: list[bytes] = []
            if record.rec_type == "response" and record.http_headers is not None:
                body.append(message_body(record))
            elif record.rec_type == "warcinfo":
                software = _software(record)
                record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
                self.software_by_info[record_id] = software
                self.software_by_member.setdefault(index, software)
            it.read_to_end(record)

            def read(payload: list[bytes] = body) -> bytes:
                return payload[0]

            yield record, it.get_record_offset(), it.get_record_length(), read

    def body_at(self, location: _Location) -> bytes:
        handle = self.handles[location.member]
        handle.seek(location.offset)
        for record in ArchiveIterator(handle):
            return message_body(record)
        raise ValueError(f"no record at {self.members[location.member].label} @ {location.offset}")


def import_archives(
    paths: Iterable[Path], db_path: Path, *, origins: Iterable[str] = (), workers: int | None = None
) -> ImportSummary:
    """Store the CCME articles captured in ``paths`` (WARC or WACZ files) in ``db_path``.

    ``origins``: hosts to take as the site's besides www.ccme.org.ma and ccme.org.ma (a mirror,
    ``http://127.0.0.1:8000``). ``workers``: extraction processes, as ``reextract``'s (None: the
    ``CCME_EXTRACT_WORKERS`` default). Raises ``NotAnArchive`` for a file that is not an archive.
    """
    members = [m for path in paths for m in archive_members(Path(path))]
    site_origins = [normalize_base_url(o) for o in origins]
    with RunLock(db_path), Storage.open(db_path) as storage, ExitStack() as stack:
        # A crawl or import killed before it ended (the lock says no process runs now).
        storage.close_abandoned_runs("process died before the run ended")
        archive = _Archive(members, stack)
        pool = stack.enter_context(ExtractionPool.for_batch_job(workers))
        listed = _first_pass(archive, storage, site_origins, pool)
        run_id = storage.start_run(
            mode="import",
            base_url="",
            categories=[],
            settings={"files": [m.label for m in members], "origins": site_origins},
            software_version=__version__,
        )
        summary = ImportSummary(run_id=run_id)
        summary.files = {m.label: archive.software_by_member.get(i) for i, m in enumerate(members)}
        status = "completed"
        try:
            for index in range(len(members)):
                _second_pass(archive, index, storage, summary, listed, site_origins, pool)
        except BaseException:
            status = "interrupted"
            raise
        finally:
            storage.finish_run(run_id, status, summary.run_counts(), "import")
    return summary


def _on_site(url: str, origins: list[str]) -> bool:
    return is_site_url(url) or any(is_site_url(url, origin) for origin in origins)


def _first_pass(
    archive: _Archive, storage: Storage, origins: list[str], pool: ExtractionPool
) -> set[str]:
    """Index the responses; return the canonical URLs the listing pages link to (and record
    their listing entries)."""
    listed: set[str] = set()
    for page, listing in pool.extract_all(
        _listing_captures(archive, origins), lambda _: None, listing_page_of
    ):
        assert not isinstance(listing, ArticleRecord)  # read by listing_page_of
        links = store_listing(storage, page, listing)
        if isinstance(links, ListingLinks):
            listed |= {entry.url for entry in links.entries}
    return listed


def _listing_captures(archive: _Archive, origins: list[str]) -> Iterator[CapturedPage]:
    """The listing pages of the site answered 200, in file order; every response is indexed on
    the way (for the revisits of pass 2)."""
    for index in range(len(archive.members)):
        for record, offset, _, body in archive.records(index):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = _target(record)
            location = _Location(index, offset)
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            if record_id:
                archive.by_id[record_id] = location
            if digest:
                archive.by_digest.setdefault((uri, digest), location)
            if _on_site(uri, origins) and is_listing_url(uri):
                page = _captured(archive, index, record, offset, 0, body())
                if page.status == 200:
                    yield page


def _captured(
    archive: _Archive, index: int, record: ArcWarcRecord, offset: int, length: int, body: bytes
) -> CapturedPage:
    headers = record.rec_headers
    pointer = WarcPointer(
        filename=archive.members[index].label,
        offset=offset,
        length=length,
        record_id=headers.get_header("WARC-Record-ID") or "",
        payload_digest=headers.get_header("WARC-Payload-Digest"),
    )
    return captured_page(record, body, pointer, target_uri=_target(record))


def _resolve(archive: _Archive, record: ArcWarcRecord) -> bytes | None:
    """The payload a revisit refers to (by record id, else by URI and digest), or None."""
    headers = record.rec_headers
    location = archive.by_id.get(headers.get_header("WARC-Refers-To") or "")
    digest = headers.get_header("WARC-Payload-Digest")
    if location is None and digest:
        uri = (headers.get_header("WARC-Refers-To-Target-URI") or _target(record)).strip("<>")
        location = archive.by_digest.get((uri, digest))
    return archive.body_at(location) if location is not None else None


def _article_pages(
    archive: _Archive, index: int, summary: ImportSummary, listed: set[str], origins: list[str]
) -> Iterator[tuple[ArcWarcRecord, CapturedPage, RawPage]]:
    """The article pages of member ``index``, in file order (the redirects they follow depend on
    the earlier records); everything else is counted in ``summary`` and skipped."""
    classifier = CaptureClassifier()
    for record, offset, length, body in archive.records(index):
        http = record.http_headers
        if record.rec_type not in ("response", "revisit") or http is None:
            continue
        summary.responses += 1
        uri = _target(record)
        if not _on_site(uri, origins):
            summary.skipped["off_site"] += 1
            continue
        status = int(http.get_statuscode() or 0)
        kind = classifier.kind(uri, status, http.get_header("location"))
        if kind != "page":
            summary.skipped[kind] += 1
            summary.listing_pages += kind == "listing" and status == 200
            continue
        payload = body() if record.rec_type == "response" else _resolve(archive, record)
        if payload is None:
            summary.skipped["revisit_without_original"] += 1
            continue
        page = _captured(archive, index, record, offset, length, payload)
        key = canonical_article_url(uri)
        if key not in listed and (page.status != 200 or not _POST_MARKUP.search(page.body)):
            summary.skipped["other_page" if page.status == 200 else f"http_{page.status}"] += 1
            continue
        yield record, page, page_from_capture(page, classifier.fetched_url(uri), key)


def _second_pass(
    archive: _Archive,
    index: int,
    storage: Storage,
    summary: ImportSummary,
    listed: set[str],
    origins: list[str],
    pool: ExtractionPool,
) -> None:
    pages = _article_pages(archive, index, summary, listed, origins)
    # Outcomes are counted once their group of records is committed, as reextract counts them.
    pending: Counter[str] = Counter()
    for (record, page, _), result in pool.extract_all(pages, lambda item: item[2]):
        # Every item has an article page to extract.
        assert isinstance(result, ArticleRecord | PageFailure)
        if isinstance(result, PageFailure):
            with storage.batch_record():
                storage.record_failure(result, summary.run_id)
            summary.failures[result.reason] += 1
            continue
        if result.article.extraction_method != "template":
            summary.fallback_extractions += 1
        with storage.batch_record() as group:
            pending[_store_capture(storage, summary, archive, index, record, page, result)] += 1
        if group.committed:
            summary.outcomes += pending
            pending.clear()
    storage.commit_group()
    summary.outcomes += pending


def _store_capture(
    storage: Storage,
    summary: ImportSummary,
    archive: _Archive,
    index: int,
    record: ArcWarcRecord,
    page: CapturedPage,
    result: ArticleRecord,
) -> str:
    """The article and its provenance, one record of the batch; returns the outcome."""
    outcome = storage.upsert_article(result, summary.run_id).outcome
    info = record.rec_headers.get_header("WARC-Warcinfo-ID")
    storage.record_imported_capture(
        run_id=summary.run_id,
        url=result.article.url,
        source_file=archive.members[index].label,
        record_id=page.pointer.record_id,
        captured_at=page.fetched_at,
        software=archive.software_by_info.get(info or "", archive.software_by_member.get(index)),
        outcome=outcome,
    )
    return outcome
