"""Opening an archive to read it (stats, search, export, package): only a whole one, of a schema
this code knows, and without writing anything."""

from __future__ import annotations

from pathlib import Path

from ccme_crawler.storage import MIGRATIONS, Storage, StorageError


def check_archive(storage: Storage) -> None:
    """Raise StorageError unless ``storage`` holds a ccme-crawler archive this code can read."""
    version = storage.schema_version
    tables = set(storage.db.table_names())
    if version == 0 and not tables:
        raise StorageError(
            f"{storage.path}: holds no archive yet (a first crawl may still be creating it; "
            "try again when it has ended)"
        )
    if version == 0 or "articles" not in tables:
        raise StorageError(f"{storage.path}: an SQLite database, but not a ccme-crawler one")
    if version > len(MIGRATIONS):
        raise StorageError(
            f"{storage.path}: schema version {version} is newer than this ccme-crawler "
            f"({len(MIGRATIONS)}); upgrade ccme-crawler"
        )


def open_archive(path: Path) -> Storage:
    """``Storage.open(path, readonly=True)``, refusing what ``check_archive`` refuses."""
    storage = Storage.open(path, readonly=True)
    try:
        check_archive(storage)
    except BaseException:
        storage.close()
        raise
    return storage
