"""Run a crawl in this process and turn its outcome into a summary and an exit status."""

from __future__ import annotations

import gc
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from ccme_crawler.counters import run_counts
from ccme_crawler.locking import LockHeld, RunLock
from ccme_crawler.metadata import write_datasette_metadata
from ccme_crawler.spiders.archive import ArchiveSpider
from ccme_crawler.storage import Storage, check_database_file
from ccme_crawler.storage_health import site_changed_messages
from ccme_crawler.urls import DEFAULT_CATEGORIES, SITE_ORIGIN, category_path, normalize_base_url

# Exit statuses, documented in docs/cli.md.
EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_SITE_DOWN = 3
EXIT_RATE_LIMITED = 4
EXIT_SITE_CHANGED = 7  # the pages stopped looking like the site (site_health.py)
EXIT_STORAGE_ERROR = 74  # sysexits EX_IOERR: the database could not be written (disk full, I/O)
EXIT_LOCKED = 75
EXIT_INTERRUPTED = 130

# A local mirror is ours to hammer: no politeness delays. Used by `crawl --sample`; tests and
# benchmarks pass the same overrides explicitly.
LOCAL_MIRROR_SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "RETRY_TIMES": 1,
    "DOWNLOAD_TIMEOUT": 20,
}

_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class UsageError(ValueError):
    """Bad input from the command line: nothing was written."""


@dataclass
class CrawlOptions:
    db_path: Path
    base_url: str = SITE_ORIGIN
    categories: list[str] = field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    mode: str = "auto"  # "auto": refresh what was completely walked before; "full": everything
    since: str | None = None
    recheck: bool = False
    recheck_since: str | None = None
    lookahead: int | None = None
    warc_dir: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    log_file: Path | None = None
    log_level: str = "WARNING"
    progress: str = "auto"  # "auto" (on a terminal), "on", "off"


@dataclass
class CrawlSummary:
    run_id: int | None
    status: str
    finish_reason: str
    exit_code: int
    elapsed_seconds: float
    counts: dict[str, int]
    failures_by_reason: dict[str, int]
    db_path: str
    warnings: list[str] = field(default_factory=list)
    site_changed: list[str] = field(default_factory=list)  # site_health.assess messages

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "finish_reason": self.finish_reason,
            "exit_code": self.exit_code,
            "elapsed_seconds": round(self.elapsed_seconds, 2),
            "db": self.db_path,
            **self.counts,
            "failures_by_reason": self.failures_by_reason,
            "warnings": self.warnings,
            "site_changed": self.site_changed,
        }


def parse_setting_overrides(pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs as ``scrapy crawl -s`` takes them, checked against known types."""
    defaults = build_settings_base()
    overrides: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"-s {pair!r}: expected NAME=VALUE")
        name, value = pair.split("=", 1)
        name = name.strip()
        if not _SETTING_NAME.match(name):
            raise UsageError(f"-s {pair!r}: setting names are upper case, like DOWNLOAD_DELAY")
        current = defaults.get(name)
        try:
            if isinstance(current, bool):
                if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                    raise ValueError(value)
            elif isinstance(current, int):
                int(value)
            elif isinstance(current, float):
                float(value)
        except ValueError:
            kind = type(current).__name__
            raise UsageError(f"-s {name}={value!r}: {name} takes a {kind}") from None
        overrides[name] = value
    return overrides


def build_settings_base() -> Settings:
    settings = Settings()
    settings.setmodule("ccme_crawler.settings", priority="project")
    return settings


def validate_options(options: CrawlOptions) -> CrawlOptions:
    """Normalize and check options before anything is written; raise UsageError when wrong."""
    try:
        options.base_url = normalize_base_url(options.base_url)
    except ValueError as exc:
        raise UsageError(f"--base-url: {exc}") from None
    try:
        options.categories = [category_path(c) for c in options.categories] or list(
            DEFAULT_CATEGORIES
        )
    except ValueError as exc:
        raise UsageError(f"--category: {exc}") from None
    for name in ("since", "recheck_since"):
        value = getattr(options, name)
        if value is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            flag = "--" + name.replace("_", "-")
            raise UsageError(f"{flag} {value!r}: expected a date as YYYY-MM-DD")
    return options


def build_settings(options: CrawlOptions) -> Settings:
    settings = build_settings_base()
    values: dict[str, Any] = {
        "CCME_DB_PATH": str(options.db_path),
        "CCME_BASE_URL": options.base_url,
        "CCME_CATEGORIES": options.categories,
        "CCME_MODE": options.mode,
        "CCME_SINCE": options.since,
        "CCME_RECHECK": options.recheck,
        "CCME_RECHECK_SINCE": options.recheck_since,
        "CCME_LOCK_HELD": True,
        "CCME_PROGRESS": options.progress,
        "LOG_LEVEL": options.log_level,
    }
    if options.lookahead is not None:
        values["CCME_REFRESH_LOOKAHEAD"] = options.lookahead
    if options.warc_dir is not None:
        values["CCME_WARC_DIR"] = str(options.warc_dir)
    if options.log_file is not None:
        values["LOG_FILE"] = str(options.log_file)
        values["LOG_LEVEL"] = "INFO" if options.log_level == "WARNING" else options.log_level
    settings.setdict(values, priority="cmdline")
    settings.setdict(options.overrides, priority="cmdline")
    return settings


def _exit_code(
    status: str, reason: str, counts: dict[str, int], threshold: float, site_changed: bool = False
) -> int:
    # "robots_unavailable": robots.txt answered 5xx or not at all (RFC 9309: fetch nothing).
    if reason in ("site_down", "robots_unavailable"):
        return EXIT_SITE_DOWN
    if reason == "rate_limited":
        return EXIT_RATE_LIMITED
    if reason == "storage_error":
        return EXIT_STORAGE_ERROR
    if status == "interrupted":
        return EXIT_INTERRUPTED
    if site_changed:
        return EXIT_SITE_CHANGED
    if status == "failed":
        return EXIT_FAILURES
    failures = counts.get("failures", 0)
    pages = max(counts.get("pages_fetched", 0), 1)
    if failures and failures / pages > threshold:
        return EXIT_FAILURES
    if status == "incomplete":
        return EXIT_FAILURES
    return EXIT_OK


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Run one crawl to its end. Raises UsageError, LockHeld or StorageError before crawling."""
    options = validate_options(options)
    check_database_file(options.db_path)
    settings = build_settings(options)
    lock = RunLock(options.db_path)
    lock.acquire()  # LockHeld propagates: the caller exits 75 without touching the database
    warnings = []
    if lock.took_over_from:
        warnings.append(f"took over a lock left by dead process {lock.took_over_from}")
    started = time.monotonic()
    try:
        # Open (and migrate) once before Scrapy starts so that a bad file fails fast.
        Storage.open(options.db_path).close()
        process = CrawlerProcess(settings)
        if options.log_file is None:
            logging.getLogger("scrapy").setLevel(options.log_level)
        crawler = process.create_crawler(ArchiveSpider)
        process.crawl(crawler)
        # The crawl allocates many short-lived objects and few cycles: move what start-up
        # loaded out of the collector's sight and collect less often (about 6 % less CPU).
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        process.start()
    finally:
        lock.release()
    elapsed = time.monotonic() - started
    state = getattr(crawler, "_ccme_state", None)
    run_id = state.run_id if state else None
    stats = crawler.stats.get_stats() if crawler.stats else {}
    with Storage.open(options.db_path) as storage:
        run = storage.get_run(run_id) if run_id else None
    try:
        write_datasette_metadata(options.db_path)
    except OSError as exc:
        warnings.append(f"could not write Datasette metadata: {exc}")
    status = run["status"] if run else "failed"
    reason = (run or {}).get("finish_reason") or str(stats.get("finish_reason", "unknown"))
    counts = run_counts(stats)
    failures = {
        key.split("/", 2)[2]: int(value)
        for key, value in stats.items()
        if key.startswith("ccme/failures/")
    }
    threshold = settings.getfloat("CCME_FAILURE_THRESHOLD", 0.0)
    site_changed = site_changed_messages(run)
    warnings += [f"site changed: {message}" for message in site_changed]
    return CrawlSummary(
        run_id=run_id,
        status=status,
        finish_reason=reason,
        exit_code=_exit_code(status, reason, counts, threshold, bool(site_changed)),
        elapsed_seconds=elapsed,
        counts=counts,
        failures_by_reason=failures,
        db_path=str(options.db_path),
        warnings=warnings,
        site_changed=site_changed,
    )


__all__ = [
    "EXIT_FAILURES",
    "EXIT_INTERRUPTED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_SITE_CHANGED",
    "EXIT_USAGE",
    "LOCAL_MIRROR_SETTINGS",
    "CrawlOptions",
    "CrawlSummary",
    "LockHeld",
    "UsageError",
    "build_settings",
    "parse_setting_overrides",
    "run_crawl",
]
