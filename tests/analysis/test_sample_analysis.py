"""Countries, stories and the report on a real crawl of the bundled sample, through the CLI."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from ccme_crawler.report import CHARTS, TOP_OUTLETS
from ccme_mirror import MirrorServer
from tests.helpers import crawl, rows, run_cli

SEED_URL = (
    "https://www.ccme.org.ma/le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-"
    "de-cooperation/"
)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, sample_server: MirrorServer) -> Path:
    db = tmp_path_factory.mktemp("sample") / "ccme.sqlite"
    summary = crawl(db, sample_server)
    assert summary["returncode"] == 0, summary["stderr"][-2000:]
    return db


@pytest.fixture(scope="module")
def stats(crawled: Path) -> dict[str, Any]:
    result = run_cli("stats", "--db", str(crawled), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def report(crawled: Path, tmp_path_factory: pytest.TempPathFactory) -> lxml_html.HtmlElement:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run_cli("report", "--db", str(crawled), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return lxml_html.fromstring(out.read_text(encoding="utf-8"))


def table(report: lxml_html.HtmlElement, chart: str) -> list[list[str]]:
    return [
        [cell.text_content() for cell in tr.xpath("td")]
        for tr in report.xpath(f'//section[@id="{chart}"]//tbody/tr')
    ]


def points(report: lxml_html.HtmlElement, chart: str) -> set[str]:
    return {
        element.get("id")
        for element in report.xpath(f'//section[@id="{chart}"]//svg//*[@id]')
        if element.get("id").startswith(chart + "__")
    }


def point(chart: str, series: Any, x: Any, value: Any) -> str:
    def part(v: Any) -> str:
        return re.sub(r"[^\w]", "-", str(v)).replace("_", "-")

    return f"{chart}__{part(series)}__{part(x)}__{part(value)}"


def test_every_chart_is_drawn(report: lxml_html.HtmlElement) -> None:
    drawn = [c for c in CHARTS if report.xpath(f'//section[@id="{c}"]//figure/svg')]
    assert drawn == list(CHARTS)


def test_articles_per_year_match_stats(report: lxml_html.HtmlElement, stats: dict) -> None:
    expected = [[r["year"], r["language"], str(r["articles"])] for r in stats["by_year_language"]]
    bars = {
        point("articles-per-year", r["language"], r["year"], r["articles"])
        for r in stats["by_year_language"]
    }
    assert (table(report, "articles-per-year"), bars <= points(report, "articles-per-year")) == (
        expected,
        True,
    )


def test_outlets_match_stats(report: lxml_html.HtmlElement, stats: dict) -> None:
    top = stats["by_source"][:TOP_OUTLETS]
    expected = [[r["source"], str(r["articles"]), str(r["stories"])] for r in top]
    bars = {point("top-outlets", "articles", r["source"], r["articles"]) for r in top} | {
        point("top-outlets", "stories", r["source"], r["stories"]) for r in top
    }
    assert (table(report, "top-outlets"), points(report, "top-outlets")) == (expected, bars)


def test_countries_match_stats(report: lxml_html.HtmlElement, stats: dict) -> None:
    expected = [[r["year"], r["country"], str(r["articles"])] for r in stats["countries_by_year"]]
    assert table(report, "countries-over-time") == expected


def test_runs_match_stats(report: lxml_html.HtmlElement, stats: dict) -> None:
    runs = stats["runs_over_time"]
    bars = {point("crawl-runs", "added", r["id"], r["articles_new"]) for r in runs} | {
        point("crawl-runs", "failures", r["id"], r["failures"]) for r in runs
    }
    assert (len(runs), points(report, "crawl-runs")) == (1, bars)


def test_crawled_articles_have_their_countries(crawled: Path) -> None:
    found = {
        r["title"][:20]: json.loads(r["countries"])
        for r in rows(crawled, "SELECT title, countries FROM articles_view")
    }
    assert (
        found["Espagne : les saison"],
        found["Belgique : une expos"],
        found["Italie : les associa"],
        found["Le Maroc et la Belgi"],
        found["Le CCME au Salon int"],
    ) == (["ES"], ["BE"], ["IT"], ["BE"], [])


def test_every_crawled_article_has_a_story(crawled: Path) -> None:
    missing = rows(crawled, "SELECT count(*) AS n FROM articles_view WHERE story_id IS NULL")
    assert missing == [{"n": 0}]


def test_stats_text_shows_countries_and_stories(crawled: Path) -> None:
    result = run_cli("stats", "--db", str(crawled))
    assert ("Top countries" in result.stdout, "BE Belgium" in result.stdout) == (True, True)


def test_search_by_country(crawled: Path) -> None:
    result = run_cli("search", "coopération", "--country", "BE", "--db", str(crawled), "--json")
    urls = [m["url"] for m in json.loads(result.stdout)["matches"]]
    assert SEED_URL in urls and all(
        json.loads(r["countries"]).count("BE")
        for r in rows(crawled, "SELECT url, countries FROM articles_view")
        if r["url"] in urls
    )


def test_search_with_a_bad_country_code_is_a_usage_error(crawled: Path) -> None:
    result = run_cli("search", "x", "--country", "Belgium", "--db", str(crawled))
    assert (result.returncode, "alpha-2" in result.stderr) == (2, True)


def test_jsonl_export_carries_countries_and_story(crawled: Path, tmp_path: Path) -> None:
    run_cli("export", "--db", str(crawled), "--format", "jsonl", "-o", str(tmp_path))
    lines = (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    seed = next(json.loads(line) for line in lines if json.loads(line)["url"] == SEED_URL)
    assert (seed["countries"], isinstance(seed["story_id"], int), seed["story_size"]) == (
        ["BE"],
        True,
        1,
    )


def test_csv_export_joins_countries(crawled: Path, tmp_path: Path) -> None:
    run_cli("export", "--db", str(crawled), "--format", "csv", "-o", str(tmp_path))
    with (tmp_path / "articles.csv").open(encoding="utf-8", newline="") as handle:
        by_url = {row["url"]: row for row in csv.DictReader(handle)}
    several = [row["countries"] for row in by_url.values() if ";" in row["countries"]]
    assert (by_url[SEED_URL]["countries"], bool(several)) == ("BE", True)


def test_parquet_export_has_a_list_of_countries(crawled: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    run_cli("export", "--db", str(crawled), "--format", "parquet", "-o", str(tmp_path))
    schema = pq.read_schema(tmp_path / "articles.parquet")
    countries = schema.field("countries").type
    assert (str(countries.value_type), str(schema.field("story_id").type)) == ("string", "int64")


def test_commands_recompute_and_rebuild_change_nothing_on_a_fresh_crawl(
    crawled: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.sqlite"
    db.write_bytes(crawled.read_bytes())
    query = "SELECT url, countries, story_id, story_size FROM articles_view ORDER BY url"
    before = rows(db, query)
    countries = run_cli("countries", "--recompute", "--db", str(db))
    stories = run_cli("stories", "--rebuild", "--db", str(db))
    assert (countries.returncode, stories.returncode, rows(db, query)) == (0, 0, before)
