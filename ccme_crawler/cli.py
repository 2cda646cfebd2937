"""The ``ccme-crawler`` command: a thin click group. Each command parses, calls, prints."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ccme_crawler import __version__
from ccme_crawler.doctor import format_report, run_doctor
from ccme_crawler.exports import ArticleFilters, ExportError, ExportUsageError, export_articles
from ccme_crawler.fsutil import atomic_write_text
from ccme_crawler.items import PageFailure
from ccme_crawler.locking import LockHeld, LockPathError, RunLock
from ccme_crawler.options import (
    DATABASE,
    DATE,
    FOLDER_TO_CREATE,
    NEW_FILE,
    WARC_FOLDER,
    QueryCommand,
)
from ccme_crawler.records import record_from_file
from ccme_crawler.reextract import reextract as reextract_warcs
from ccme_crawler.report import country_label, render_report
from ccme_crawler.runner import (
    EXIT_LOCKED,
    LOCAL_MIRROR_SETTINGS,
    CrawlOptions,
    CrawlSummary,
    UsageError,
    parse_setting_overrides,
    run_crawl,
)
from ccme_crawler.sample import SampleServer
from ccme_crawler.storage import Storage, StorageError, record_row
from ccme_crawler.urls import SITE_ORIGIN
from ccme_crawler.warc import (
    IncompleteIndexError,
    package_wacz,
    repair_warc,
    verify_warcs,
    write_cdxj,
)
from ccme_crawler.warc.importer import NotAnArchive, import_archives

DEFAULT_DB = Path("data/ccme.sqlite")

db_option = click.option(
    "--db",
    "db_path",
    type=DATABASE,
    default=DEFAULT_DB,
    show_default=True,
    help="SQLite database file.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccme-crawler")
def main() -> None:
    """Archival crawler for the CCME website (www.ccme.org.ma)."""


# `crawl` and `doctor` take the same Scrapy overrides.
_settings_option = click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting, as `scrapy crawl -s`.",
)


def _print_summary(summary: CrawlSummary, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, sort_keys=True))
        return
    c = summary.counts
    lines = [
        f"Run {summary.run_id}: {summary.status} ({summary.finish_reason}) "
        f"in {summary.elapsed_seconds:.1f}s",
        f"  pages fetched      {c['pages_fetched']} ({c['listing_pages']} listing pages)",
        f"  articles new       {c['articles_new']}",
        f"  articles updated   {c['articles_updated']}",
        f"  articles unchanged {c['articles_unchanged'] + c['articles_not_modified']}",
        f"  failures           {c['failures']}"
        + (
            " ("
            + ", ".join(f"{k}: {v}" for k, v in sorted(summary.failures_by_reason.items()))
            + ")"
            if summary.failures_by_reason
            else ""
        ),
        f"  from sitemaps      {c.get('articles_from_sitemap', 0)}",
        f"  fallback extractions {c['fallback_extractions']}, unreadable dates "
        f"{c['dates_unreadable']}, empty bodies {c['empty_bodies']}",
        f"  database           {summary.db_path}",
    ]
    if summary.discovery:
        d = summary.discovery
        walked = ", ".join(f"{k} {v}" for k, v in d.get("walked_by_language", {}).items())
        found = ", ".join(f"{k} {v}" for k, v in d.get("walked_by_found_by", {}).items())
        lines.insert(
            1,
            f"  listings walked    {len(d.get('walked', []))} ({walked or 'none'}), "
            f"found by {found or 'nothing'} ({d.get('source')})",
        )
    if summary.requisites is not None:
        r = summary.requisites
        lines.insert(
            -1,
            f"  page requisites    {r['fetched']} fetched ({r['revisits']} unchanged: revisits), "
            f"{r['failed']} failed, {r['bytes'] / 1e6:.1f} MB; {r['skipped_recent']} captured "
            f"recently, {r['capped']} over the cap",
        )
    for warning in summary.warnings:
        lines.append(f"  warning: {warning}")
    click.echo("\n".join(lines))


@main.command()
@db_option
@click.option(
    "--base-url",
    default=SITE_ORIGIN,
    show_default=True,
    help="Site to crawl; the category paths are put on this host (e.g. a local mirror).",
)
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="PATH_OR_URL",
    help="Category to walk instead of the discovered listings (repeatable).",
)
@click.option(
    "--listing",
    "listings",
    multiple=True,
    metavar="PATH_OR_URL",
    help="Any archive listing to walk (category, author, tag; repeatable), e.g. /ar/author/x/.",
)
@click.option(
    "--scope",
    type=click.Choice(["archive", "site"]),
    default="archive",
    show_default=True,
    help="Discovered listings to walk: the 'Archives du CCME' in every language, or everything.",
)
@click.option(
    "--rediscover",
    is_flag=True,
    help="Discover the site's listings again instead of using the ones cached in the database.",
)
@click.option("--full", is_flag=True, help="Walk every listing page and re-fetch every article.")
@click.option("--since", type=DATE, help="Stop at articles published before DATE (YYYY-MM-DD).")
@click.option("--recheck", is_flag=True, help="Re-fetch stored articles with conditional requests.")
@click.option(
    "--recheck-since", type=DATE, help="With --recheck: only articles published since DATE."
)
@click.option(
    "--lookahead",
    type=click.IntRange(1, 100),
    help="Refresh: listing pages with nothing new before stopping (default 1).",
)
@click.option(
    "--warc",
    "warc_dir",
    type=FOLDER_TO_CREATE,
    help="Write every HTTP exchange to WARC files in this folder.",
)
@click.option(
    "--no-warc",
    is_flag=True,
    help="Do not write WARC files (default for the live site is data/warc).",
)
@click.option(
    "--requisites",
    type=click.Choice(["none", "site", "all"]),
    help="With WARC capture: also capture what pages need to render (stylesheets, scripts, "
    "images, fonts, icons) from the site only (default), from any host, or none.",
)
@click.option(
    "--sample",
    is_flag=True,
    help="Crawl the bundled sample of the site (all its categories) on 127.0.0.1, no network "
    "(not with --base-url).",
)
@_settings_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option(
    "--log-file",
    type=NEW_FILE,
    help="Write the crawl log (INFO) to this file (its folder must exist).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level on stderr.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress line (default: only on a terminal)."
)
def crawl(
    db_path: Path,
    base_url: str,
    categories: tuple[str, ...],
    listings: tuple[str, ...],
    scope: str,
    rediscover: bool,
    full: bool,
    since: str | None,
    recheck: bool,
    recheck_since: str | None,
    lookahead: int | None,
    warc_dir: Path | None,
    no_warc: bool,
    requisites: str | None,
    sample: bool,
    settings: tuple[str, ...],
    as_json: bool,
    log_file: Path | None,
    verbose: bool,
    progress: bool | None,
) -> None:
    """Crawl the archive into the database and print a summary.

    Without --category or --listing the listings are discovered from the site (its menus,
    language switcher, sitemaps and author archives) and cached in the database. A listing
    walked to its end by an earlier run is refreshed: walked from its first page until
    --lookahead pages in a row hold nothing new. Any other listing (first crawl, or a walk that
    was cut short) is walked to its end, fetching only the articles not stored yet; --full walks
    and fetches everything. Exit status: 0 done, 1 failures over the threshold, 2 usage error,
    3 site down, 4 rate-limited, 6 no listing found, 7 the site looks changed, 74 database
    cannot be written, 75 another run holds the lock, 130 interrupted.
    """
    try:
        overrides = parse_setting_overrides(list(settings))
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if warc_dir is not None and no_warc:
        raise click.UsageError("--warc and --no-warc contradict each other")
    base_url_given = click.get_current_context().get_parameter_source("base_url")
    if sample and base_url_given is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--sample serves its own site: it does not take --base-url")
    server = None
    if sample:
        server = SampleServer().start()
        base_url = server.base_url
        overrides = {**LOCAL_MIRROR_SETTINGS, **overrides}
        # The whole sample, its Arabic and English categories included, unless told otherwise.
        if not categories and not listings:
            categories = tuple(server.site.categories)
        click.echo(f"Serving the bundled sample at {base_url}", err=True)
    if warc_dir is None and not no_warc and base_url.rstrip("/") == SITE_ORIGIN:
        warc_dir = db_path.parent / "warc"
    options = CrawlOptions(
        db_path=db_path,
        base_url=base_url,
        categories=list(categories),
        listings=list(listings),
        scope=scope,
        rediscover=rediscover,
        mode="full" if full else "auto",
        since=since,
        recheck=recheck,
        recheck_since=recheck_since,
        lookahead=lookahead,
        warc_dir=warc_dir,
        requisites=requisites,
        overrides=overrides,
        log_file=log_file,
        log_level="INFO" if verbose else "WARNING",
        progress={True: "on", False: "off", None: "auto"}[progress],
    )
    try:
        summary = run_crawl(options)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except LockPathError as exc:
        raise click.UsageError(str(exc)) from None
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if server is not None:
            server.stop()
    _print_summary(summary, as_json)
    sys.exit(summary.exit_code)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="URL the page was fetched from (default: its canonical link).")
def extract(file: Path, url: str | None) -> None:
    """Print the JSON record the pipelines would store for one saved article page."""
    result = record_from_file(file, url)
    if isinstance(result, PageFailure):
        raise click.ClickException(f"{file}: not an article ({result.reason}: {result.detail})")
    click.echo(json.dumps(record_row(result), ensure_ascii=False, indent=2))


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(db_path: Path, as_json: bool) -> None:
    """Articles by category, language, year and source; the last runs."""
    try:
        with Storage.open_archive(db_path) as storage:
            data = storage.stats()
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{data['articles']} articles, {data['stories']} distinct stories in {db_path}")
    for title, key, label in (
        ("By category", "by_category", "category"),
        ("By language", "by_language", "language"),
        ("By year (articles, stories)", "by_year", "year"),
        ("By source, top 20 (articles, stories)", "by_source", "source"),
        ("Top countries (articles naming them)", "top_countries", "country"),
    ):
        click.echo(f"\n{title}:")
        for row in data[key]:
            stories = f" {row['stories']:>7}" if "stories" in row else ""
            name = country_label(row[label]) if key == "top_countries" else row[label]
            click.echo(f"  {row['articles']:>7}{stories}  {name}")
    click.echo("\nLast runs:")
    for run in data["runs"]:
        click.echo(
            f"  #{run['id']} {run['mode']:<8} {run['status']:<11} {run['started_at']} "
            f"pages={run['pages_fetched']} new={run['articles_new']} "
            f"updated={run['articles_updated']} failures={run['failures']}"
        )
    if data["unresolved_failures"]:
        click.echo(f"\n{data['unresolved_failures']} pages failed and are not stored yet.")
    if data["articles_without_story"]:
        click.echo(
            f"\n{data['articles_without_story']} articles have no story yet: "
            "run `ccme-crawler stories` (and `ccme-crawler countries --recompute`)."
        )


@main.command()
@click.option("--base-url", default=SITE_ORIGIN, show_default=True, help="Site to check.")
@_settings_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def doctor(base_url: str, settings: tuple[str, ...], as_json: bool) -> None:
    """Check that the site still looks like what the crawler reads (docs/doctor.md).

    Fetches robots.txt, the sitemaps, the home's menu, one listing page and one article per
    language, and says per thing the crawl relies on whether it was found and how. Exit status:
    0 all holds, 2 usage error, 3 site down, 7 something the crawl needs is missing.
    """
    try:
        overrides = parse_setting_overrides(list(settings))
        report = run_doctor(base_url, overrides)
    except (UsageError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        json.dumps(report.as_dict(), ensure_ascii=False) if as_json else format_report(report)
    )
    sys.exit(report.exit_code)


@main.command("serve-sample")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve_sample(port: int) -> None:
    """Serve the bundled sample of the site on 127.0.0.1 until interrupted.

    Crawl it from another terminal with
    `ccme-crawler crawl --base-url http://127.0.0.1:PORT --db sample.sqlite` (the three French
    categories; add --category for the others), or use `crawl --sample` instead of both.
    """
    try:
        server = SampleServer(port=port).start()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc}") from None
    click.echo(f"Serving on {server.base_url} (Ctrl-C to stop)")
    for path in server.site.categories:
        click.echo(f"  {server.url(path)}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@main.command()
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--repair",
    is_flag=True,
    help=(
        "Cut WARC files cut short by a crash back to their last complete record; rebuild the "
        "index when it lacks records."
    ),
)
def verify(directory: Path, repair: bool) -> None:
    """Check every WARC record's gzip member and digests; name any damaged record."""
    report = verify_warcs(directory)
    if repair and not report.ok:
        truncated = sorted({p.filename for p in report.problems if p.kind == "truncated"})
        for name in truncated:
            path = Path(name) if Path(name).is_absolute() else directory / name
            result = repair_warc(path)
            click.echo(
                f"{'repaired' if result.repaired else 'not repaired'}: {name}: {result.detail}"
            )
        if truncated or any(p.kind == "not_indexed" for p in report.problems):
            write_cdxj(directory if directory.is_dir() else directory.parent)
            report = verify_warcs(directory)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(
        f"{report.records} records, {report.digests_checked} digests checked: "
        + ("ok" if report.ok else f"{len(report.problems)} problems")
    )
    if not report.ok:
        sys.exit(1)


@main.command()
@db_option
@click.option(
    "--warc",
    "warc_dir",
    required=True,
    type=WARC_FOLDER,
    help="Folder of WARC files written by crawls.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="WACZ file to write.",
)
@click.option("--title", default="CCME archive", show_default=True)
def package(db_path: Path, warc_dir: Path, output: Path, title: str) -> None:
    """Build a WACZ (WARCs, CDXJ index, pages.jsonl of the articles) that replay tools open."""
    if output.exists():
        raise click.ClickException(f"{output}: already exists; not overwriting")
    try:
        with Storage.open_archive(db_path) as storage:
            pages = [
                {"url": row["final_url"], "ts": row["fetched_at"], "title": row["title"]}
                for row in storage.captured_articles()
            ]
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        path = package_wacz(warc_dir, pages, output, title=title)
    except IncompleteIndexError as exc:
        raise click.ClickException(f"not packaged: {exc}") from None
    click.echo(f"{path}: {len(pages)} pages")


@main.command()
@db_option
@click.option(
    "--warc",
    "warc_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of WARC files written by crawls.",
)
def reextract(db_path: Path, warc_dir: Path) -> None:
    """Rebuild the database from WARC captures with the current extractor (no network)."""
    try:
        summary = reextract_warcs(warc_dir, db_path)
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except LockPathError as exc:
        raise click.UsageError(str(exc)) from None
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(summary.outcomes.items())) or "none"
    failures = ", ".join(f"{k} {v}" for k, v in sorted(summary.failures.items())) or "none"
    click.echo(
        f"Run {summary.run_id}: {summary.responses} responses read, "
        f"{summary.listing_pages} listing pages; articles: {outcomes}; failures: {failures}"
    )
    if not summary.complete:
        for problem in summary.damaged[:20]:
            click.echo(f"damaged: {problem}", err=True)
        raise click.ClickException(
            f"{len(summary.damaged)} damaged WARC record(s) skipped: the database may lack "
            "their pages (`ccme-crawler verify` shows them)"
        )


@main.command("import")
@db_option
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--origin",
    "origins",
    multiple=True,
    metavar="URL",
    help="Also take pages of this host as the site's (a mirror); repeatable.",
)
def import_command(db_path: Path, files: tuple[Path, ...], origins: tuple[str, ...]) -> None:
    """Store the CCME articles found in WARC or WACZ files written by any tool (wget,
    Browsertrix, a web archive), with their provenance."""
    try:
        summary = import_archives(list(files), db_path, origins=list(origins))
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except LockPathError as exc:
        raise click.UsageError(str(exc)) from None
    except (NotAnArchive, StorageError) as exc:
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:  # an --origin that is not an http(s) URL
        raise click.UsageError(str(exc)) from None
    for name, software in summary.files.items():
        click.echo(f"{name}: written by {software or 'an unnamed tool (no warcinfo)'}")
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(summary.outcomes.items())) or "none"
    failures = ", ".join(f"{k} {v}" for k, v in sorted(summary.failures.items())) or "none"
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(summary.skipped.items())) or "none"
    click.echo(
        f"Run {summary.run_id}: {summary.responses} responses read, "
        f"{summary.listing_pages} listing pages; articles: {outcomes} "
        f"({summary.fallback_extractions} by fallback); failures: {failures}; "
        f"not articles: {skipped}"
    )


def _filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """The article filters shared by `export` and `search`."""
    for option in reversed(
        [
            click.option(
                "--category",
                "categories",
                multiple=True,
                metavar="PATH_OR_LABEL",
                help="Only this category, by path, URL or label (repeatable).",
            ),
            click.option(
                "--language",
                "languages",
                multiple=True,
                metavar="CODE",
                help="Only this language: fr, ar or en (repeatable).",
            ),
            click.option(
                "--source",
                "sources",
                multiple=True,
                metavar="NAME",
                help="Only this outlet, canonical or as written (repeatable).",
            ),
            click.option(
                "--country",
                "countries",
                multiple=True,
                metavar="CODE",
                help="Only articles naming this country, ISO 3166-1 alpha-2 (repeatable).",
            ),
            click.option(
                "--since",
                type=DATE,
                help="Only articles published on or after DATE (YYYY-MM-DD).",
            ),
            click.option(
                "--until",
                type=DATE,
                help="Only articles published on or before DATE (YYYY-MM-DD).",
            ),
        ]
    ):
        command = option(command)
    return command


def _parse_filters(**values: Any) -> Any:
    try:
        return ArticleFilters.parse(**values)
    except ExportUsageError as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet", "sqlite"]),
    required=True,
    help="File format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Export folder, or data file with the format's suffix. Default: <db folder>/exports/<format>.",
)
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def export(
    db_path: Path,
    fmt: str,
    output: Path | None,
    categories: tuple[str, ...],
    languages: tuple[str, ...],
    sources: tuple[str, ...],
    countries: tuple[str, ...],
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """Export articles as CSV, JSON Lines, Parquet or SQLite, with a manifest.json beside."""
    filters = _parse_filters(
        categories=categories,
        languages=languages,
        sources=sources,
        countries=countries,
        since=since,
        until=until,
    )
    try:
        result = export_articles(db_path, fmt, output or db_path.parent / "exports" / fmt, filters)
    except ExportUsageError as exc:
        raise click.UsageError(str(exc)) from None
    except (ExportError, StorageError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result.manifest, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{result.rows} articles exported to {result.target.data_path}\n"
        f"manifest: {result.target.manifest_path}"
    )


@main.command(cls=QueryCommand)
@click.argument("query")
@db_option
@_filter_options
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Matches to print.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
def search(
    query: str,
    db_path: Path,
    categories: tuple[str, ...],
    languages: tuple[str, ...],
    sources: tuple[str, ...],
    countries: tuple[str, ...],
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of titles and bodies (accents folded), best matches first.

    Words must all appear; "quoted words" form a phrase; word* matches a prefix; OR between two
    words matches either. Matches are shown **like this** (bold on a terminal). A query that
    starts with "-" goes after "--", which ends the options: search --db X -- -maroc.
    """
    filters = _parse_filters(
        categories=categories,
        languages=languages,
        sources=sources,
        countries=countries,
        since=since,
        until=until,
    )
    color = not as_json and sys.stdout.isatty()
    marks = (click.style("", bold=True, reset=False), "\x1b[0m") if color else ("**", "**")
    try:
        with Storage.open_archive(db_path) as storage:
            total, matches = storage.search(query, limit=limit, marks=marks, **filters.as_kwargs())
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(
            json.dumps(
                {"query": query, "total": total, "matches": matches}, ensure_ascii=False, indent=2
            )
        )
        return
    click.echo(
        f"{total} matches for {query!r}"
        + (f", best {len(matches)}:" if total > len(matches) else ":" if total else "")
    )
    for n, match in enumerate(matches, start=1):
        meta = "  ".join(
            str(v)
            for v in (
                (match["published_at"] or "")[:10],
                match["language"],
                match["source_name"] or match["source"],
            )
            if v
        )
        click.echo(f"\n{n}. {match['title_highlighted'] or match['title'] or '(no title)'}")
        click.echo(f"   {meta}  {match['url']}")
        if match["snippet"]:
            click.echo("   " + " ".join(match["snippet"].split()))


def _analysis_write(db_path: Path, job: Callable[[Storage], Any]) -> Any:
    """Run a write over the whole archive under the crawl's lock (never beside a crawl)."""
    try:
        with RunLock(db_path), Storage.open(db_path, create=False) as storage:
            return job(storage)
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except LockPathError as exc:
        raise click.UsageError(str(exc)) from None
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@db_option
@click.option(
    "--recompute",
    is_flag=True,
    required=True,
    help="Recompute every article's countries (after a change of the gazetteer).",
)
def countries(db_path: Path, recompute: bool) -> None:
    """Recompute the countries every article names (stored articles get them as they are stored)."""
    done = _analysis_write(db_path, lambda storage: storage.recompute_countries())
    click.echo(f"countries recomputed for {done} articles")


@main.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Redo every story from the bodies, in storage order.")
def stories(db_path: Path, rebuild: bool) -> None:
    """Give a story cluster to articles without one (with --rebuild: to every article)."""
    done, total = _analysis_write(
        db_path,
        lambda storage: (storage.assign_stories(rebuild=rebuild), storage.story_count()),
    )
    click.echo(f"{done} articles assigned; {total} distinct stories")


@main.command()
@db_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=NEW_FILE,
    help="HTML file to write (its folder must exist).",
)
@click.option("--title", default="CCME archive", show_default=True)
def report(db_path: Path, output: Path, title: str) -> None:
    """Write one self-contained HTML file with charts of the archive (the figures of `stats`)."""
    try:
        with Storage.open_archive(db_path) as storage:
            data = storage.stats()
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        atomic_write_text(output, render_report(data, title=title))
    except OSError as exc:
        raise click.ClickException(f"{output}: {exc}") from None
    click.echo(f"{output}: {data['articles']} articles, {data['stories']} stories")


if __name__ == "__main__":  # pragma: no cover
    main()
