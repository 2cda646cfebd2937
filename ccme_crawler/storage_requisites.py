"""SQL of the page requisites a crawl captured: table ``captured_requisites``.

One row per requisite URL (stylesheet, script, image, font, icon), its latest capture: when,
the payload digest and the WARC file that holds it. A later crawl skips requisites captured
within ``CCME_REQUISITES_MAX_AGE_DAYS`` into a WARC file still in its WARC folder (see
``ccme_crawler.warc.requisites``). The migration is registered in ``storage.schema.MIGRATIONS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

    from ccme_crawler.storage.connection import Connection


def migrate_captured_requisites(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE captured_requisites (
            url TEXT PRIMARY KEY,
            captured_at TEXT NOT NULL,
            payload_digest TEXT,
            warc_file TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX captured_requisites_captured_at ON captured_requisites(captured_at)")


def record_captured_requisite(
    store: Connection, url: str, captured_at: str, payload_digest: str | None, warc_file: str
) -> None:
    """Remember the latest capture of ``url`` (one transaction)."""
    with store.transaction():
        store.conn.execute(
            """INSERT INTO captured_requisites (url, captured_at, payload_digest, warc_file)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET captured_at = excluded.captured_at,
                payload_digest = excluded.payload_digest, warc_file = excluded.warc_file""",
            (url, captured_at, payload_digest, warc_file),
        )


def requisites_captured_since(store: Connection, since: str) -> Iterator[tuple[str, str]]:
    """(URL, WARC file) of every requisite whose latest capture is at or after ``since``
    (ISO 8601, UTC)."""
    cursor = store.conn.execute(
        "SELECT url, warc_file FROM captured_requisites WHERE captured_at >= ?", (since,)
    )
    for url, warc_file in cursor:
        yield str(url), str(warc_file)


def captured_requisite(store: Connection, url: str) -> dict[str, str] | None:
    row = store.conn.execute(
        "SELECT url, captured_at, payload_digest, warc_file FROM captured_requisites WHERE url = ?",
        (url,),
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("url", "captured_at", "payload_digest", "warc_file"), row, strict=True))
