"""SQLite storage: the only package that speaks SQL.

``Storage`` is the one way in: it composes one class per job, all on one connection —

- ``connection``: opening (file checks, pragmas, WAL, busy timeout), transactions, errors;
- ``schema``: the tables, as numbered migrations;
- ``articles``: article writes and reads, versions, sources, categories, listing entries,
  checks and failures;
- ``runs``: ``crawl_runs`` and ``category_walks`` bookkeeping;
- ``queries``: the reads behind ``stats``, exports and search;
- ``discovery``: the listings and sitemaps discovery found, and the posts sitemaps list
  (``Storage.discovery``);
- ``requisites``: the page requisites a crawl captured (``captured_requisites``);
- ``imports``: where each article ``import`` stored came from (``imported_captures``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ccme_crawler.storage.articles import ArticleStore, UpsertResult, record_row
from ccme_crawler.storage.connection import check_database_file
from ccme_crawler.storage.discovery import DISCOVERY_ITEMS, DiscoveryTables
from ccme_crawler.storage.errors import StorageBusyError, StorageError, StorageWriteError
from ccme_crawler.storage.imports import ImportStore
from ccme_crawler.storage.queries import ArchiveQueries
from ccme_crawler.storage.requisites import RequisiteStore
from ccme_crawler.storage.runs import RunStore, site_changed_messages
from ccme_crawler.storage.schema import MIGRATIONS

__all__ = [
    "DISCOVERY_ITEMS",
    "MIGRATIONS",
    "Storage",
    "StorageBusyError",
    "StorageError",
    "StorageWriteError",
    "UpsertResult",
    "check_database_file",
    "record_row",
    "site_changed_messages",
]


class Storage(ArticleStore, RunStore, ArchiveQueries, RequisiteStore, ImportStore):
    """A ccme-crawler database. Open with ``Storage.open(path)``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        self.discovery = DiscoveryTables(conn, self.transaction)
