"""The main process's parts of ``reextract``, each timed alone (CPU, best of N), so that a tree
can be compared with another on a loaded machine where a whole run's figure is noise.

    python benchmarks/bench_reextract_parts.py WARC_DIR [--repeat 3]

Run it from each tree (``PYTHONPATH=TREE python TREE/benchmarks/bench_reextract_parts.py``):
it prints reading (``iter_captured_pages``: warcio, gunzip, the spider's view) in ms a capture
with a digest of everything read (equal digests: the same pages, byte for byte), SQL
statements a stored article (top-level ones; triggers apart) and storing (``upsert_article``
in batch records, as ``reextract`` stores) in ms a record.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path

from ccme_crawler.items import ArticleRecord
from ccme_crawler.records import page_from_capture
from ccme_crawler.storage import Storage
from ccme_crawler.warc import iter_captured_pages
from ccme_crawler.warc.reader import CaptureClassifier
from ccme_crawler.workers import analysed_record


def reading(warc_dir: Path) -> tuple[int, float, str]:
    """(captures, CPU seconds, digest of every field of every capture)."""
    digest = hashlib.sha256()
    started = time.process_time()
    count = 0
    for page in iter_captured_pages(warc_dir, []):
        count += 1
        fields = (page.target_uri, page.status, page.reason, page.protocol, page.headers)
        digest.update(repr((*fields, page.raw_headers, page.fetched_at)).encode())
        digest.update(repr((page.pointer, page.record_type, page.refers_to)).encode())
        digest.update(page.body)
    return count, time.process_time() - started, digest.hexdigest()[:16]


def records_of(warc_dir: Path) -> list[ArticleRecord]:
    """The article records of the captures, with their analysis (as a worker hands them)."""
    classifier = CaptureClassifier()
    found = []
    for page in iter_captured_pages(warc_dir, []):
        kind = classifier.kind(page.target_uri, page.status, page.headers.get("location"))
        if kind == "page":
            record = analysed_record(
                page_from_capture(page, classifier.fetched_url(page.target_uri))
            )
            if isinstance(record, ArticleRecord):
                found.append(record)
    return found


def storing(records: list[ArticleRecord]) -> tuple[float, int]:
    """(CPU seconds, top-level SQL statements) storing ``records`` in a new database."""
    statements = 0

    def count(sql: str) -> None:
        nonlocal statements
        statements += not sql.startswith("--")  # "-- TRIGGER …": run by a statement counted

    with (
        tempfile.TemporaryDirectory(prefix="ccme-parts-") as tmp,
        Storage.open(Path(tmp) / "parts.sqlite") as storage,
    ):
        run_id = storage.start_run(
            mode="reextract", base_url="", categories=[], settings={}, software_version="-"
        )
        conn: sqlite3.Connection = storage.conn
        conn.set_trace_callback(count)
        started = time.process_time()
        for record in records:
            with storage.batch_record():
                storage.upsert_article(record, run_id, correct=True)
        storage.commit_group()
        spent = time.process_time() - started
        conn.set_trace_callback(None)
    return spent, statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warc_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    reads = [reading(args.warc_dir) for _ in range(args.repeat)]
    count, _, digest = reads[0]
    best = min(spent for _, spent, _ in reads)
    print(f"reading: {count} captures, {best * 1000 / count:.3f} ms a capture, digest {digest}")
    records = records_of(args.warc_dir)
    stores = [storing(records) for _ in range(args.repeat)]
    best = min(spent for spent, _ in stores)
    per = stores[0][1] / len(records)
    print(
        f"storing: {len(records)} records, {best * 1000 / len(records):.3f} ms a record, "
        f"{per:.2f} SQL statements a record"
    )


if __name__ == "__main__":
    main()
