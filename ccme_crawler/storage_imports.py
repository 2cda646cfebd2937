"""SQL of imported captures: table ``imported_captures``.

``ccme-crawler import`` stores pages read from WARC and WACZ files written by other tools; each
article it stores gets a row here naming where it came from: the file (``path`` or
``file.wacz#archive/member.warc.gz``), the WARC record, its capture time and the software the
file's warcinfo record names. The migration is registered in ``storage.schema.MIGRATIONS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ccme_crawler.clock import utc_now

if TYPE_CHECKING:
    import sqlite_utils

    from ccme_crawler.storage.connection import Connection


def migrate_imported_captures(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE imported_captures (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            url TEXT NOT NULL,
            source_file TEXT NOT NULL,
            record_id TEXT,
            captured_at TEXT,
            software TEXT,
            outcome TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX imported_captures_url ON imported_captures(url)")


def record_imported_capture(
    store: Connection,
    *,
    run_id: int,
    url: str,
    source_file: str,
    record_id: str | None,
    captured_at: str | None,
    software: str | None,
    outcome: str,
) -> None:
    with store.transaction():
        store.conn.execute(
            """INSERT INTO imported_captures (run_id, url, source_file, record_id, captured_at,
                software, outcome, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (run_id, url, source_file, record_id, captured_at, software, outcome, utc_now()),
        )


def imported_captures(store: Connection, url: str) -> list[dict[str, Any]]:
    cursor = store.conn.execute(
        """SELECT run_id, url, source_file, record_id, captured_at, software, outcome
        FROM imported_captures WHERE url = ? ORDER BY id""",
        (url,),
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
