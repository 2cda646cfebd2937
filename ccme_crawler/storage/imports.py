"""Provenance of imported captures: table ``imported_captures`` (migration 9).

``ccme-crawler import`` stores pages read from WARC and WACZ files written by other tools; each
article it stores gets a row here naming where it came from: the file (``path`` or
``file.wacz#archive/member.warc.gz``), the WARC record, its capture time and the software the
file's warcinfo record names.
"""

from __future__ import annotations

from typing import Any

from ccme_crawler.clock import utc_now
from ccme_crawler.storage.connection import Connection


class ImportStore(Connection):
    def record_imported_capture(
        self,
        *,
        run_id: int,
        url: str,
        source_file: str,
        record_id: str | None,
        captured_at: str | None,
        software: str | None,
        outcome: str,
    ) -> None:
        with self.transaction():
            self.conn.execute(
                """INSERT INTO imported_captures (run_id, url, source_file, record_id,
                    captured_at, software, outcome, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (run_id, url, source_file, record_id, captured_at, software, outcome, utc_now()),
            )

    def imported_captures(self, url: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                """SELECT run_id, url, source_file, record_id, captured_at, software, outcome
                FROM imported_captures WHERE url = ? ORDER BY id""",
                [url],
            )
        )
