"""Run bookkeeping: ``crawl_runs`` (one row a run, with its counters) and ``category_walks``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ccme_crawler.clock import utc_now
from ccme_crawler.counters import RUN_COUNTERS
from ccme_crawler.storage.connection import Connection


class RunStore(Connection):
    """The runs that wrote the database and the category walks each made."""

    def start_run(
        self,
        *,
        mode: str,
        base_url: str,
        categories: Iterable[str],
        settings: dict[str, Any],
        software_version: str,
        resumed_run_id: int | None = None,
    ) -> int:
        with self.transaction():
            cur = self.conn.execute(
                """INSERT INTO crawl_runs (mode, status, started_at, pid, base_url, categories,
                    settings, software_version, resumed_run_id)
                VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)""",
                (
                    mode,
                    utc_now(),
                    os.getpid(),
                    base_url,
                    json.dumps(list(categories)),
                    json.dumps(settings, sort_keys=True, default=str),
                    software_version,
                    resumed_run_id,
                ),
            )
            return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        status: str,
        counts: Mapping[str, int],
        reason: str,
        site_changed: Sequence[str] = (),
    ) -> None:
        """Close a run with its status, close reason, counters (names from ``RUN_COUNTERS``)
        and what made it say the site changed (``site_changed``; none: NULL).

        Counters not given keep their value (0 for a run that recorded none).
        """
        unknown = set(counts) - RUN_COUNTERS.keys()
        if unknown:
            raise ValueError(f"not run counters: {', '.join(sorted(unknown))}")
        fields = {name: int(value) for name, value in counts.items()}
        assignments = "".join(f", {name} = ?" for name in fields)
        changed = json.dumps(list(site_changed), ensure_ascii=False) if site_changed else None
        with self.transaction():
            self.conn.execute(
                "UPDATE crawl_runs SET status = ?, ended_at = ?, finish_reason = ?, "
                f"site_changed = ?{assignments} WHERE id = ?",
                [status, utc_now(), reason, changed, *fields.values(), run_id],
            )

    def abandoned_runs(self) -> list[dict[str, Any]]:
        """Runs still marked running: their process died (the caller holds the lock)."""
        return list(self.db.query("SELECT * FROM crawl_runs WHERE status = 'running'"))

    def mark_run_interrupted(self, run_id: int, reason: str) -> None:
        """Close a run whose process died. Its counters were never written (they are written
        when a run ends): what it stored is counted from the rows it left."""
        with self.transaction():
            self.conn.execute(
                """UPDATE crawl_runs SET status = 'interrupted',
                    ended_at = coalesce(ended_at, :now), finish_reason = :reason,
                    articles_new = max(articles_new, (SELECT count(*) FROM articles
                        WHERE run_id = :id AND version = 1)),
                    articles_updated = max(articles_updated, (SELECT count(*) FROM articles
                        WHERE run_id = :id AND version > 1)),
                    failures = max(failures, (SELECT count(*) FROM page_failures
                        WHERE run_id = :id))
                WHERE id = :id""",
                {"now": utc_now(), "reason": reason, "id": run_id},
            )

    def close_abandoned_runs(self, reason: str) -> list[int]:
        """Mark the runs still marked running as interrupted (their process died; the caller
        holds the lock), with what they stored counted; returns their ids."""
        ids = [int(run["id"]) for run in self.abandoned_runs()]
        for run_id in ids:
            self.mark_run_interrupted(run_id, reason)
        return ids

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]))
        return rows[0] if rows else None

    def start_category_walk(self, run_id: int, category: str, mode: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO category_walks (run_id, category_path, mode, started_at) "
                "VALUES (?, ?, ?, ?)",
                (run_id, category, mode, utc_now()),
            )

    def complete_category_walk(
        self, run_id: int, category: str, pages: int, reached_end: bool
    ) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE category_walks SET completed_at = ?, pages_walked = ?, reached_end = ? "
                "WHERE run_id = ? AND category_path = ?",
                (utc_now(), pages, int(reached_end), run_id, category),
            )

    def has_complete_full_walk(self, category: str) -> bool:
        """True once a walk of every listing page of the category reached its last page."""
        row = self.conn.execute(
            "SELECT 1 FROM category_walks WHERE category_path = ? "
            "AND mode IN ('full', 'complete') AND reached_end = 1 LIMIT 1",
            (category,),
        ).fetchone()
        return row is not None

    def runs_by_id(self, run_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The crawl runs with these ids (for an export's provenance), oldest first."""
        return list(
            self.db.query(
                """SELECT id, mode, status, started_at, ended_at, base_url, software_version
                FROM crawl_runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id""",
                [json.dumps(sorted(set(run_ids)))],
            )
        )


def site_changed_messages(run: Mapping[str, Any] | None) -> list[str]:
    """What made a ``crawl_runs`` row say the site changed (empty: nothing did)."""
    value = (run or {}).get("site_changed")
    return list(json.loads(value)) if isinstance(value, str) else []
