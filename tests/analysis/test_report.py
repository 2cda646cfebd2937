"""render_report: every chart drawn from the data it is given, self-contained."""

from __future__ import annotations

import re
from typing import Any

import pytest
from lxml import html as lxml_html

from ccme_crawler.report import CHARTS, render_report

DATA: dict[str, Any] = {
    "articles": 9,
    "stories": 7,
    "by_year_language": [
        {"year": "2014", "language": "fr", "articles": 4},
        {"year": "2014", "language": "ar", "articles": 1},
        {"year": "2015", "language": "en", "articles": 2},
        {"year": "?", "language": "fr", "articles": 2},
    ],
    "by_source": [
        {"source": "MAP", "articles": 5, "stories": 3},
        {"source": "الاتحاد الاشتراكي", "articles": 2, "stories": 2},
    ],
    "countries_by_year": [
        {"year": "2014", "country": "BE", "articles": 3},
        {"year": "2015", "country": "BE", "articles": 1},
        {"year": "2015", "country": "ES", "articles": 2},
    ],
    "runs_over_time": [
        {"id": 1, "started_at": "2026-11-01T10:00:00+00:00", "articles_new": 7, "failures": 1},
        {"id": 2, "started_at": "2026-11-02T10:00:00+00:00", "articles_new": 2, "failures": 0},
    ],
}

EMPTY: dict[str, Any] = {
    "articles": 0,
    "stories": 0,
    "by_year_language": [],
    "by_source": [],
    "countries_by_year": [],
    "runs_over_time": [],
}


@pytest.fixture(scope="module")
def page() -> str:
    return render_report(DATA)


def point_ids(page: str, chart: str) -> set[str]:
    return set(re.findall(rf'id="({chart}__[^"]+)"', page))


def test_every_chart_is_drawn(page: str) -> None:
    tree = lxml_html.fromstring(page)
    drawn = [chart for chart in CHARTS if tree.xpath(f'//section[@id="{chart}"]//figure/svg')]
    assert drawn == list(CHARTS)


def test_articles_per_year_bars(page: str) -> None:
    assert point_ids(page, "articles-per-year") >= {
        "articles-per-year__fr__2014__4",
        "articles-per-year__ar__2014__1",
        "articles-per-year__en__2015__2",
        "articles-per-year__fr__-__2",
    }


def test_outlet_bars_show_articles_and_stories(page: str) -> None:
    assert point_ids(page, "top-outlets") == {
        "top-outlets__articles__MAP__5",
        "top-outlets__stories__MAP__3",
        "top-outlets__articles__الاتحاد-الاشتراكي__2",
        "top-outlets__stories__الاتحاد-الاشتراكي__2",
    }


def test_country_lines(page: str) -> None:
    assert point_ids(page, "countries-over-time") == {
        "countries-over-time__BE__total__4",
        "countries-over-time__ES__total__2",
    }


def test_run_bars(page: str) -> None:
    assert point_ids(page, "crawl-runs") == {
        "crawl-runs__added__1__7",
        "crawl-runs__failures__1__1",
        "crawl-runs__added__2__2",
        "crawl-runs__failures__2__0",
    }


def test_numbers_follow_each_chart(page: str) -> None:
    tree = lxml_html.fromstring(page)
    cells = tree.xpath('//section[@id="top-outlets"]//table//td/text()')
    assert cells == ["MAP", "5", "3", "الاتحاد الاشتراكي", "2", "2"]


def test_arabic_text_stays_text(page: str) -> None:
    assert "الاتحاد الاشتراكي</text>" in page


def test_needs_no_network(page: str) -> None:
    tree = lxml_html.fromstring(page)
    external = tree.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe")
    assert (external, 'xlink:href="http' in page) == ([], False)


def test_totals(page: str) -> None:
    tree = lxml_html.fromstring(page)
    totals = [li.text_content() for li in tree.xpath('//ul[@class="totals"]/li')]
    assert totals == ["9articles", "7distinct stories", "2countries named", "2crawl runs"]


def test_empty_archive_still_has_every_section() -> None:
    tree = lxml_html.fromstring(render_report(EMPTY))
    sections = [s.get("id") for s in tree.xpath("//section")]
    assert (sections, len(tree.xpath('//p[@class="empty"]'))) == (list(CHARTS), 4)


def test_same_data_renders_the_same_charts(page: str) -> None:
    def charts(text: str) -> str:
        return re.sub(r"Report generated [^<]+", "", text)

    assert charts(render_report(DATA)) == charts(page)
