"""A self-contained HTML report of an archive: charts (matplotlib, inline SVG) and their numbers.

``render_report(data)`` takes the statistics ``ccme-crawler stats --json`` prints (the same
queries), so the report and ``stats`` always agree. The file needs no network to open: the
charts are inline SVG whose text stays text (the browser shapes Arabic outlet names), and each
chart's numbers follow it in a table. Every bar and line carries an id naming its series, point
and value (``chart-id__series__x__value``), which tests read back.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

import pycountry

LANGUAGE_NAMES = {"fr": "French", "ar": "Arabic", "en": "English", "?": "unknown"}
TOP_OUTLETS = 15
TOP_COUNTRIES = 8
# One palette for every chart (matplotlib's tab10, colour-blind friendly enough).
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

CHARTS = {
    "articles-per-year": "Articles per year, by language",
    "top-outlets": "Top outlets: articles and distinct stories",
    "countries-over-time": "Top countries over time (articles naming the country)",
    "crawl-runs": "Crawl runs: articles added and failures",
}


def country_label(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or getattr(country, "name", code)
    return f"{code} {name}"


def _point_id(chart: str, series: str, x: Any, value: Any) -> str:
    def part(v: Any) -> str:
        return "".join(ch if ch.isalnum() else "-" for ch in str(v))

    return f"{chart}__{part(series)}__{part(x)}__{part(value)}"


# --- the figures -----------------------------------------------------------------------------------


def _figure(draw: Callable[[Any], None], height: float = 3.6) -> str:
    """One chart as an SVG string (imported here: matplotlib is slow to load for other commands)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.figure import Figure

    with matplotlib.rc_context(
        {
            "svg.fonttype": "none",  # text as text: small files, and Arabic shaped by the browser
            "svg.hashsalt": "ccme-report",  # the same data draws the same file
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        figure = Figure(figsize=(9, height), layout="constrained")
        draw(figure.add_subplot())
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]


def _articles_per_year(rows: Sequence[dict[str, Any]]) -> Callable[[Any], None]:
    years = sorted({r["year"] for r in rows})
    languages = sorted({r["language"] for r in rows}, key=lambda lang: (lang == "?", lang))
    counts = {(r["year"], r["language"]): r["articles"] for r in rows}

    def draw(ax: Any) -> None:
        bottoms = [0] * len(years)
        for n, language in enumerate(languages):
            values = [counts.get((year, language), 0) for year in years]
            bars = ax.bar(
                years,
                values,
                bottom=bottoms,
                label=LANGUAGE_NAMES.get(language, language),
                color=COLOURS[n % len(COLOURS)],
            )
            for bar, year, value in zip(bars, years, values, strict=True):
                bar.set_gid(_point_id("articles-per-year", language, year, value))
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        ax.set_ylabel("articles")
        ax.legend(frameon=False)
        ax.tick_params(axis="x", labelrotation=45 if len(years) > 12 else 0)

    return draw


def _top_outlets(rows: Sequence[dict[str, Any]]) -> Callable[[Any], None]:
    rows = list(rows)[:TOP_OUTLETS][::-1]  # the largest on top

    def draw(ax: Any) -> None:
        positions = range(len(rows))
        for offset, key, label, colour in (
            (0.2, "articles", "articles", COLOURS[0]),
            (-0.2, "stories", "distinct stories", COLOURS[1]),
        ):
            values = [r[key] for r in rows]
            bars = ax.barh([p + offset for p in positions], values, 0.4, label=label, color=colour)
            for bar, row, value in zip(bars, rows, values, strict=True):
                bar.set_gid(_point_id("top-outlets", key, row["source"], value))
        ax.set_yticks(list(positions), [r["source"] for r in rows])
        ax.set_xlabel("articles")
        ax.legend(frameon=False, loc="lower right")

    return draw


def _countries_over_time(rows: Sequence[dict[str, Any]]) -> Callable[[Any], None]:
    years = sorted({r["year"] for r in rows})
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["country"]] = totals.get(r["country"], 0) + r["articles"]
    top = sorted(totals, key=lambda c: (-totals[c], c))[:TOP_COUNTRIES]
    counts = {(r["year"], r["country"]): r["articles"] for r in rows}

    def draw(ax: Any) -> None:
        for n, country in enumerate(top):
            values = [counts.get((year, country), 0) for year in years]
            (line,) = ax.plot(
                years, values, marker="o", label=country_label(country), color=COLOURS[n]
            )
            line.set_gid(_point_id("countries-over-time", country, "total", sum(values)))
        ax.set_ylabel("articles")
        if top:
            ax.legend(frameon=False, fontsize=8, ncols=2)
        ax.tick_params(axis="x", labelrotation=45 if len(years) > 12 else 0)

    return draw


def _crawl_runs(rows: Sequence[dict[str, Any]]) -> Callable[[Any], None]:
    labels = [f"#{r['id']}\n{(r['started_at'] or '')[:10]}" for r in rows]

    def draw(ax: Any) -> None:
        positions = range(len(rows))
        for offset, key, series, label, colour in (
            (-0.2, "articles_new", "added", "articles added", COLOURS[2]),
            (0.2, "failures", "failures", "failures", COLOURS[3]),
        ):
            values = [r[key] for r in rows]
            bars = ax.bar([p + offset for p in positions], values, 0.4, label=label, color=colour)
            for bar, row, value in zip(bars, rows, values, strict=True):
                bar.set_gid(_point_id("crawl-runs", series, row["id"], value))
        ax.set_xticks(list(positions), labels, fontsize=7)
        ax.set_ylabel("count")
        ax.legend(frameon=False)

    return draw


# --- the page ---------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(chart: str, svg: str | None, table: str) -> str:
    figure = svg if svg is not None else '<p class="empty">Nothing to draw yet.</p>'
    return (
        f'<section id="{chart}"><h2>{escape(CHARTS[chart])}</h2>'
        f"<figure>{figure}</figure>"
        f"<details><summary>The numbers</summary>{table}</details></section>"
    )


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 62rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .4rem; }
.meta { color: #666; margin-top: 0; } figure { margin: 0; } figure svg { width: 100%; height: auto; }
.totals { display: flex; gap: 2rem; flex-wrap: wrap; padding: 0; list-style: none; }
.totals b { display: block; font-size: 1.5rem; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
td, th { border-bottom: 1px solid #ddd; padding: .15rem .6rem; text-align: left; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
.empty { color: #888; font-style: italic; }
"""


def render_report(data: dict[str, Any], *, title: str = "CCME archive") -> str:
    """The report as one HTML document.

    ``data`` holds what ``stats`` reports: ``articles``, ``stories``, ``by_year_language``
    (year, language, articles), ``by_source`` (source, articles, stories), ``countries_by_year``
    (year, country, articles), ``runs_over_time`` (id, started_at, articles_new, failures).
    """
    by_year = data["by_year_language"]
    outlets = data["by_source"]
    countries = data["countries_by_year"]
    runs = data["runs_over_time"]
    sections = [
        _section(
            "articles-per-year",
            _figure(_articles_per_year(by_year)) if by_year else None,
            _table(
                ["year", "language", "articles"],
                [(r["year"], r["language"], r["articles"]) for r in by_year],
            ),
        ),
        _section(
            "top-outlets",
            _figure(_top_outlets(outlets), height=5.2) if outlets else None,
            _table(
                ["outlet", "articles", "distinct stories"],
                [(r["source"], r["articles"], r["stories"]) for r in outlets[:TOP_OUTLETS]],
            ),
        ),
        _section(
            "countries-over-time",
            _figure(_countries_over_time(countries)) if countries else None,
            _table(
                ["year", "country", "articles"],
                [(r["year"], r["country"], r["articles"]) for r in countries],
            ),
        ),
        _section(
            "crawl-runs",
            _figure(_crawl_runs(runs)) if runs else None,
            _table(
                ["run", "started", "articles added", "failures"],
                [(r["id"], r["started_at"], r["articles_new"], r["failures"]) for r in runs],
            ),
        ),
    ]
    totals = [
        ("articles", data["articles"]),
        ("distinct stories", data["stories"]),
        ("countries named", len({r["country"] for r in countries})),
        ("crawl runs", len(runs)),
    ]
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} report</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_STYLE}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="meta">Report generated {generated}</p>'
        '<ul class="totals">'
        + "".join(f"<li><b>{value}</b>{escape(label)}</li>" for label, value in totals)
        + "</ul>"
        + "".join(sections)
        + "</body></html>\n"
    )
