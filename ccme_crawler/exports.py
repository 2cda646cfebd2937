"""Datasets from the archive: CSV, JSON Lines, Parquet and SQLite, each with a manifest.

An export is a folder holding one data file and ``manifest.json`` (plus Datasette's
``metadata.json`` for SQLite). Rows stream from the database in batches, so memory stays flat
however large the archive; files are written under temporary names and renamed into place, so
an interrupted export never looks complete. Nothing is written outside the chosen folder.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ccme_crawler import __version__
from ccme_crawler.clock import utc_now
from ccme_crawler.fsutil import atomic_replace, atomic_write_text
from ccme_crawler.metadata import CITATION, write_datasette_metadata
from ccme_crawler.storage import Storage
from ccme_crawler.urls import category_path

MANIFEST_FILENAME = "manifest.json"
DATA_STEM = "articles"
BATCH_SIZE = 200

# format -> (file suffixes accepted for -o, media type)
FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "csv": ((".csv",), "text/csv; charset=utf-8"),
    "jsonl": ((".jsonl", ".ndjson"), "application/jsonl; charset=utf-8"),
    "parquet": ((".parquet",), "application/vnd.apache.parquet"),
    "sqlite": ((".sqlite", ".db", ".sqlite3"), "application/vnd.sqlite3"),
}

# Columns holding JSON lists: lists in JSON Lines and Parquet, JSON text in CSV.
LIST_COLUMNS = ("breadcrumb", "flags", "categories")
EXTRA_COLUMNS = ("source_name", "categories")

# OWASP "CSV injection": a spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


class ExportUsageError(ValueError):
    """Bad export input (format, path, filter): nothing was written."""


class ExportError(RuntimeError):
    """The export could not be made; the message says why in one line."""


def extractor_version() -> str:
    """The extraction code's version; the package version until extraction declares its own."""
    from ccme_crawler import extraction

    return str(getattr(extraction, "EXTRACTOR_VERSION", __version__))


# --- filters --------------------------------------------------------------------------------------


def parse_date_option(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise ExportUsageError(f"{name} {value!r}: expected a date as YYYY-MM-DD") from None
    return value


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    """Which articles an export or a search covers. Empty means everything."""

    categories: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        categories: Iterable[str] = (),
        languages: Iterable[str] = (),
        sources: Iterable[str] = (),
        since: str | None = None,
        until: str | None = None,
    ) -> ArticleFilters:
        """Check command-line values; raise ExportUsageError when one is wrong."""
        cats: list[str] = []
        for value in categories:
            cats.append(value)
            if value.startswith(("/", "http://", "https://")):
                try:
                    cats.append(category_path(value))
                except ValueError as exc:
                    raise ExportUsageError(f"--category {value!r}: {exc}") from None
        since = parse_date_option("--since", since)
        until = parse_date_option("--until", until)
        if since and until and since > until:
            raise ExportUsageError(f"--since {since} is after --until {until}")
        return cls(
            categories=tuple(dict.fromkeys(cats)),
            languages=tuple(dict.fromkeys(v.strip().lower() for v in languages)),
            sources=tuple(dict.fromkeys(v.strip() for v in sources)),
            since=since,
            until=until,
        )

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)

    def as_manifest(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items() if v}


# --- output paths ---------------------------------------------------------------------------------


def check_file_name(name: str) -> str:
    """A bare file name: no folder part, no ``..``, nothing hidden; else ExportUsageError."""
    if (
        not name
        or name in (".", "..")
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or os.sep in name
        or (os.altsep and os.altsep in name)
    ):
        raise ExportUsageError(f"{name!r}: not a plain file name")
    return name


@dataclass(frozen=True, slots=True)
class ExportTarget:
    folder: Path  # resolved
    data_name: str

    @property
    def data_path(self) -> Path:
        return self.folder / self.data_name

    @property
    def manifest_path(self) -> Path:
        return self.folder / MANIFEST_FILENAME


def resolve_target(output: Path, fmt: str) -> ExportTarget:
    """Where an export goes. ``output`` is a folder, or a data file of the format's suffix.

    Every file the export writes is checked to land inside the folder: a data file that is a
    symlink, or a name with a folder part, is refused.
    """
    if fmt not in FORMATS:
        raise ExportUsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    suffixes = FORMATS[fmt][0]
    if output.suffix.lower() in suffixes and not output.is_dir():
        folder, name = output.parent, check_file_name(output.name)
    else:
        folder, name = output, DATA_STEM + suffixes[0]
    if folder.exists() and not folder.is_dir():
        raise ExportUsageError(f"-o {output}: {folder} is a file, not a folder")
    folder = folder.resolve()
    for path in (folder / name, folder / MANIFEST_FILENAME):
        if path.is_symlink() or path.resolve().parent != folder:
            raise ExportUsageError(f"-o {output}: {path.name} would be written outside {folder}")
        if path.exists() and not path.is_file():
            raise ExportUsageError(f"-o {output}: {path} is not a file")
    target = ExportTarget(folder, name)
    previous = _previous_data_files(target.manifest_path)
    if previous and previous != [name]:
        raise ExportUsageError(
            f"-o {output}: {folder} holds another export ({', '.join(previous)}); "
            "choose another folder"
        )
    return target


def _previous_data_files(manifest: Path) -> list[str]:
    if not manifest.exists():
        return []
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return [f["path"] for f in data["files"] if f.get("role") == "data"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ExportUsageError(
            f"{manifest} exists and is not an export manifest; choose another folder"
        ) from None


# --- rows -----------------------------------------------------------------------------------------


def neutralize_formula(value: str) -> str:
    """Make a cell that a spreadsheet would run as a formula plain text (OWASP)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _as_list(value: Any) -> list[Any] | None:
    if value is None:
        return None
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return loaded if isinstance(loaded, list) else [loaded]


def _structured(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _as_list(v) if k in LIST_COLUMNS else v for k, v in row.items()}


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Tally:
    """What the manifest says about the rows: counted as they are written."""

    rows: int = 0
    run_ids: set[int] = field(default_factory=set)
    languages: Counter[str] = field(default_factory=Counter)
    first_published: str | None = None
    last_published: str | None = None

    def see(self, row: dict[str, Any]) -> None:
        self.rows += 1
        if row.get("run_id") is not None:
            self.run_ids.add(int(row["run_id"]))
        self.languages[row.get("language") or "?"] += 1
        published = row.get("published_at")
        if published:
            if self.first_published is None or published < self.first_published:
                self.first_published = published
            if self.last_published is None or published > self.last_published:
                self.last_published = published

    def counted(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            self.see(row)
            yield row


# --- writers --------------------------------------------------------------------------------------


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], handle: TextIO) -> None:
    """RFC 4180 CSV, UTF-8 without BOM, CRLF rows; formula-like text cells neutralized."""
    writer = csv.writer(handle)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                ""
                if (v := row.get(c)) is None
                else neutralize_formula(v)
                if isinstance(v, str)
                else v
                for c in columns
            ]
        )


def write_jsonl(rows: Iterable[dict[str, Any]], columns: list[str], handle: TextIO) -> None:
    """One JSON object a line, UTF-8 (not \\u-escaped); JSON list columns as lists."""
    for row in rows:
        structured = _structured(row)
        handle.write(json.dumps({c: structured.get(c) for c in columns}, ensure_ascii=False))
        handle.write("\n")


def load_pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ExportError("Parquet needs pyarrow: pip install 'ccme-crawler[parquet]'") from None
    return pyarrow


def write_parquet(
    rows: Iterable[dict[str, Any]], columns: list[tuple[str, str]], path: Path
) -> None:
    """Parquet, one row group per batch: INTEGER columns int64, lists list<string>."""
    pa = load_pyarrow()
    schema = pa.schema(
        [
            (
                name,
                pa.list_(pa.string())
                if name in LIST_COLUMNS
                else pa.int64()
                if "INT" in declared
                else pa.string(),
            )
            for name, declared in columns
        ]
    )
    names = [name for name, _ in columns]
    with pa.parquet.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for batch in _batched(rows, BATCH_SIZE):
            structured = [_structured(r) for r in batch]
            writer.write_table(
                pa.Table.from_pylist([{c: r.get(c) for c in names} for r in structured], schema)
            )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path, role: str, media_type: str, rows: int | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "path": path.name,
        "role": role,
        "media_type": media_type,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }
    if rows is not None:
        entry["rows"] = rows
    return entry


# --- the export -----------------------------------------------------------------------------------


@dataclass
class ExportResult:
    target: ExportTarget
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return int(self.manifest["counts"]["articles"])


def export_articles(
    db_path: Path,
    fmt: str,
    output: Path,
    filters: ArticleFilters | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Export the matching articles of ``db_path`` as ``fmt`` into ``output``.

    Raises ExportUsageError (bad input; nothing written), ExportError, or StorageError.
    """
    filters = filters or ArticleFilters()
    target = resolve_target(Path(output), fmt)
    if fmt == "parquet":
        load_pyarrow()
    media_type = FORMATS[fmt][1]
    with Storage.open(db_path, readonly=True) as storage:
        target.folder.mkdir(parents=True, exist_ok=True)
        tally = Tally()
        with atomic_replace(target.data_path, leftovers=("-wal", "-shm", "-journal")) as tmp:
            if fmt == "sqlite":
                _write_sqlite(storage, tmp, filters, tally)
            else:
                rows = tally.counted(
                    storage.iter_articles(batch_size=BATCH_SIZE, **filters.as_kwargs())
                )
                if progress is not None:
                    rows = _reporting(rows, progress)
                typed = storage.article_columns() + [(c, "TEXT") for c in EXTRA_COLUMNS]
                columns = [name for name, _ in typed]
                if fmt == "parquet":
                    write_parquet(rows, typed, tmp)
                else:
                    with tmp.open("w", encoding="utf-8", newline="") as handle:
                        (write_csv if fmt == "csv" else write_jsonl)(rows, columns, handle)
            runs = storage.runs_by_id(tally.run_ids)
            schema_version = storage.schema_version
    files = [file_entry(target.data_path, "data", media_type, tally.rows)]
    if fmt == "sqlite":
        metadata = write_datasette_metadata(target.data_path)
        files.append(file_entry(metadata, "datasette-metadata", "application/json"))
    manifest = build_manifest(fmt, filters, tally, runs, files, schema_version)
    atomic_write_text(
        target.manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    )
    return ExportResult(target, manifest)


def _reporting(
    rows: Iterable[dict[str, Any]], progress: Callable[[int], None]
) -> Iterator[dict[str, Any]]:
    for n, row in enumerate(rows, start=1):
        if n % 1000 == 0:
            progress(n)
        yield row


def _write_sqlite(storage: Storage, dest: Path, filters: ArticleFilters, tally: Tally) -> None:
    """A standalone ccme-crawler database of the matching rows, with its full-text index."""
    with Storage.open(dest) as copy:
        copy.copy_articles_from(storage.path, **filters.as_kwargs())
        for row in copy.iter_articles(batch_size=BATCH_SIZE):
            tally.see(row)
        copy.make_standalone()


def build_manifest(
    fmt: str,
    filters: ArticleFilters,
    tally: Tally,
    runs: list[dict[str, Any]],
    files: list[dict[str, Any]],
    schema_version: int,
) -> dict[str, Any]:
    started = [r["started_at"] for r in runs if r.get("started_at")]
    ended = [r["ended_at"] for r in runs if r.get("ended_at")]
    return {
        **CITATION,
        "title": f"{CITATION['title']}: articles ({fmt})",
        "generated_at": utc_now(),
        "software": {"name": "ccme-crawler", "version": __version__},
        "extractor_version": extractor_version(),
        "schema_version": schema_version,
        "format": fmt,
        "filters": filters.as_manifest(),
        "counts": {"articles": tally.rows, "by_language": dict(sorted(tally.languages.items()))},
        "published": {"first": tally.first_published, "last": tally.last_published},
        "crawl_runs": {
            "ids": [r["id"] for r in runs],
            "first_started_at": min(started) if started else None,
            "last_ended_at": max(ended) if ended else None,
            "software_versions": sorted(
                {r["software_version"] for r in runs if r.get("software_version")}
            ),
        },
        "files": files,
    }


def verify_export(manifest_path: Path) -> list[str]:
    """Problems found checking an export's files against its manifest (none: it is intact)."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    folder = Path(manifest_path).resolve().parent
    problems = []
    for entry in manifest["files"]:
        path = folder / check_file_name(entry["path"])
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["bytes"]:
            problems.append(
                f"{entry['path']}: {path.stat().st_size} bytes, manifest says {entry['bytes']}"
            )
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: SHA-256 differs from the manifest")
    return problems
