"""Site-change signals of a run, in ``crawl_runs.site_changed`` (docs/doctor.md).

A run whose pages stop looking like the site (listing pages without items, many fallback
extractions, missing titles or dates) records what it saw as a JSON list of messages; NULL
means nothing looked changed. Kept apart from the storage package so that the change is one
migration and one function.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

import sqlite_utils


def migrate_site_changed(db: sqlite_utils.Database) -> None:
    """Migration: ``crawl_runs.site_changed`` (JSON list of messages, NULL when healthy)."""
    db.execute("ALTER TABLE crawl_runs ADD COLUMN site_changed TEXT")


def record_site_changed(
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]],
    run_id: int,
    messages: Sequence[str],
) -> None:
    """Write a run's site-change messages (none: NULL) in one transaction of the store."""
    value = json.dumps(list(messages), ensure_ascii=False) if messages else None
    with transaction() as conn:
        conn.execute("UPDATE crawl_runs SET site_changed = ? WHERE id = ?", (value, run_id))


def site_changed_messages(run: dict[str, object] | None) -> list[str]:
    """The messages a ``crawl_runs`` row holds (an empty list for a healthy run)."""
    value = (run or {}).get("site_changed")
    return list(json.loads(value)) if isinstance(value, str) else []
