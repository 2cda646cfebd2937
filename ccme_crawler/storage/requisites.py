"""The page requisites a crawl captured: table ``captured_requisites`` (migration 8).

One row per requisite URL (stylesheet, script, image, font, icon), its latest capture: when,
the payload digest and the WARC file that holds it. A later crawl skips requisites captured
within ``CCME_REQUISITES_MAX_AGE_DAYS`` into a WARC file still in its WARC folder (see
``ccme_crawler.warc.requisites``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ccme_crawler.storage.connection import Connection


class RequisiteStore(Connection):
    def record_captured_requisite(
        self, url: str, captured_at: str, payload_digest: str | None, warc_file: str
    ) -> None:
        """Remember the latest capture of ``url`` (one transaction)."""
        with self.transaction():
            self.conn.execute(
                """INSERT INTO captured_requisites (url, captured_at, payload_digest, warc_file)
                VALUES (?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET captured_at = excluded.captured_at,
                    payload_digest = excluded.payload_digest, warc_file = excluded.warc_file""",
                (url, captured_at, payload_digest, warc_file),
            )

    def requisites_captured_since(self, since: str) -> Iterator[tuple[str, str]]:
        """(URL, WARC file) of every requisite whose latest capture is at or after ``since``
        (ISO 8601, UTC)."""
        cursor = self.conn.execute(
            "SELECT url, warc_file FROM captured_requisites WHERE captured_at >= ?", (since,)
        )
        for url, warc_file in cursor:
            yield str(url), str(warc_file)

    def captured_requisite(self, url: str) -> dict[str, str] | None:
        rows = list(self.db.query("SELECT * FROM captured_requisites WHERE url = ?", [url]))
        return rows[0] if rows else None
