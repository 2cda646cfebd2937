"""Storage: upsert throughput and database size with the full-text index.

    python benchmarks/bench_storage.py [--quick]

Records are built straight from a generated mirror's articles (no HTTP, no extraction), so only
storage is measured. In the same run, on the same records:

- ours: ``Storage.upsert_article`` once a record, as the crawl calls it (one transaction each:
  source, article row, FTS triggers, categories, listing links, checks, failures resolved);
- ours again on an unchanged archive (a re-crawl: hash compared, nothing written);
- ours grouped as the crawl stores them (``Storage.group_write``: a savepoint each, one commit
  every ``GROUP`` records), against the one-transaction-a-record figure above;
- the baseline: plain ``sqlite3`` ``executemany`` of the same rows into the same schema (FTS
  triggers included), 1,000 rows a transaction: what SQLite itself does;
- database size per 10,000 articles, against the same database without the full-text index.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import fresh_dir, print_rows, row

import ccme_crawler.stories  # noqa: F401 - imported before timing (the store imports it on first use)
from ccme_crawler.extraction import content_hash, normalize_source
from ccme_crawler.items import ArticleRecord, ExtractedArticle, WarcPointer
from ccme_crawler.storage import Storage, record_row
from ccme_crawler.urls import SITE_ORIGIN
from ccme_mirror.site import MirrorArticle, generate_site

BENCH = "storage"
BATCH = 1_000
GROUP = 64  # the crawl's default CCME_STORE_GROUP


def sizes(quick: bool) -> int:
    return 2_000 if quick else 10_000


def make_record(a: MirrorArticle, i: int) -> ArticleRecord:
    body = a.body
    article = ExtractedArticle(
        url=a.url,
        title=a.title,
        published_at=a.published_at,
        published_raw=a.published_at,
        language=a.language,
        category=a.category.label,
        category_url=SITE_ORIGIN + a.category.path,
        breadcrumb=["Home", a.category.parent_label or "", a.category.label],
        body=body,
        source=a.source,
        source_date=a.source_date,
        source_date_raw=a.source_date,
        post_id=a.post_id,
        author=a.author,
        word_count=len(body.split()),
        canonical_url=a.url,
    )
    return ArticleRecord(
        article=article,
        content_hash=content_hash(article),
        source_canonical=normalize_source(a.source),
        listing_category=a.category.path,
        category_path=a.category.path,
        fetched_url=a.url,
        final_url=a.url,
        http_status=200,
        etag=f'"{i:020x}"',
        last_modified="Wed, 19 Feb 2014 09:00:00 GMT",
        fetched_at="2026-01-01T00:00:00+00:00",
        warc=WarcPointer(
            "ccme-20260101000000000000-00000.warc.gz", i * 30_000, 29_000, f"<urn:uuid:{i}>", None
        ),
    )


def _size_mb(db: Path) -> float:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db.stat().st_size / 2**20


def _without_fts(db: Path, copy: Path) -> float:
    shutil.copy(db, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER [{name}]")
    conn.execute("DROP TABLE articles_fts")
    conn.execute("VACUUM")
    conn.close()
    return _size_mb(copy)


def _baseline_insert(db: Path, records: list[ArticleRecord]) -> float:
    """Plain sqlite3: the same rows, executemany, BATCH rows a transaction. Seconds."""
    Storage.open(db).close()  # same schema, FTS triggers included
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    rows = []
    for record in records:
        values = record_row(record)
        values.pop("source_canonical")
        values.update(first_stored_at=record.fetched_at, changed_at=record.fetched_at)
        rows.append(values)
    names = list(rows[0])
    sql = f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(sql, [tuple(r[n] for n in names) for r in rows[start : start + BATCH]])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _grouped_insert(db: Path, records: list[ArticleRecord]) -> float:
    """``upsert_article`` in group transactions of GROUP records, as the crawl writes. Seconds."""
    with Storage.open(db) as storage:
        run_id = storage.start_run(
            mode="full", base_url=SITE_ORIGIN, categories=[], settings={}, software_version="bench"
        )
        started = time.perf_counter()
        for number, record in enumerate(records, 1):
            with storage.group_write():
                storage.upsert_article(record, run_id)
            if number % GROUP == 0:
                storage.commit_group()
        storage.commit_group()
        return time.perf_counter() - started


def run(quick: bool = False) -> list[dict[str, Any]]:
    n = sizes(quick)
    folder = fresh_dir("storage")
    site = generate_site(n, seed=1)
    records = [make_record(a, i) for i, a in enumerate(site.articles)]

    db = folder / "ours.sqlite"
    with Storage.open(db) as storage:
        run_id = storage.start_run(
            mode="full", base_url=SITE_ORIGIN, categories=[], settings={}, software_version="bench"
        )
        started = time.perf_counter()
        outcomes = [storage.upsert_article(r, run_id).outcome for r in records]
        ours = time.perf_counter() - started
        started = time.perf_counter()
        again = [storage.upsert_article(r, run_id).outcome for r in records]
        unchanged = time.perf_counter() - started
    if set(outcomes) != {"new"} or set(again) != {"unchanged"}:
        raise RuntimeError(f"unexpected outcomes: {set(outcomes)}, {set(again)}")
    baseline = _baseline_insert(folder / "baseline.sqlite", records)
    grouped = _grouped_insert(folder / "grouped.sqlite", records)

    size = _size_mb(db) * 10_000 / n
    size_plain = _without_fts(db, folder / "ours-without-fts.sqlite") * 10_000 / n
    text_mb = sum(len(r.article.body.encode()) + len(r.article.title or "") for r in records)
    text_mb = text_mb / 2**20 * 10_000 / n
    return [
        row(
            BENCH,
            f"upserts/s, {n:,} new articles (one transaction each)",
            n / ours,
            "rec/s",
            baseline=n / baseline,
            baseline_name=f"sqlite3 executemany, {BATCH:,}/transaction",
        ),
        row(
            BENCH,
            f"upserts/s, the same new articles, {GROUP} a transaction (a savepoint each)",
            n / grouped,
            "rec/s",
            baseline=n / ours,
            baseline_name="one transaction each",
        ),
        row(
            BENCH,
            "upserts/s, the same articles unchanged",
            n / unchanged,
            "rec/s",
            baseline=n / baseline,
            baseline_name=f"sqlite3 executemany, {BATCH:,}/transaction",
        ),
        row(
            BENCH,
            "database size per 10,000 articles, with FTS",
            size,
            "MB",
            baseline=size_plain,
            baseline_name="same database without FTS",
            note=f"title + body text alone: {text_mb:.1f} MB per 10,000 articles; "
            f"{json.dumps(len(records))} records measured",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 records instead of 10,000")
    args = parser.parse_args()
    print_rows("storage", run(args.quick))


if __name__ == "__main__":
    main()
