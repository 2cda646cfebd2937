"""Every archived article replays in pywb with every same-site requisite it references answered
from the archive (the mirror is stopped: nothing can come from it), in French, Arabic and
English."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest
from lxml import html

from ccme_crawler.extraction.requisites import css_requisites, page_requisites
from ccme_crawler.urls import is_site_url
from ccme_mirror.assets import asset, has_photo, photo_paths
from tests.helpers import rows
from tests.replay.conftest import ArchivedCrawl, Wayback

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def timestamp(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y%m%d%H%M%S")


def article_rows(crawled: ArchivedCrawl, language: str) -> list[dict]:
    """Every stored article in ``language``, with its mirror article."""
    by_url = {a.url: a for a in crawled.site.articles}
    found = rows(
        crawled.db,
        "SELECT url, final_url, fetched_at, title FROM articles WHERE language = ? ORDER BY url",
        (language,),
    )
    return [{**row, "article": by_url[row["url"]]} for row in found]


def article_row(crawled: ArchivedCrawl, language: str) -> dict:
    """An article in ``language`` with a photo (its requisites include its own images)."""
    for row in article_rows(crawled, language):
        if has_photo(row["article"]):
            return row
    raise AssertionError(f"seed {crawled.seed}: no {language} article with a photo")


def same_site_requisites(
    wayback: Wayback, ts: str, page: bytes, page_url: str, origin: str
) -> set[str]:
    """The page's same-site requisites and, through the stylesheets as the archive answers
    them, what those import and reference."""
    found: set[str] = set()
    todo = [u for u in page_requisites(page, page_url) if is_site_url(u, origin)]
    while todo:
        url = todo.pop()
        if url in found:
            continue
        found.add(url)
        if urlsplit(url).path.endswith(".css"):
            status, _, body = wayback.get(f"/ccme/{ts}id_/{url}")
            if status == 200:
                todo += [u for u in css_requisites(body.decode(), url) if is_site_url(u, origin)]
    return found


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_every_article_replays_with_every_requisite_from_the_archive(
    archived_crawl: ArchivedCrawl, wayback: Wayback, language: str
) -> None:
    origin = archived_crawl.base_url
    articles = article_rows(archived_crawl, language)
    answers: dict[str, tuple[int, bool]] = {}  # requisite URL -> (status, the captured bytes)
    wrong: dict[str, object] = {}
    for row in articles:
        ts = timestamp(row["fetched_at"])
        status, _, page = wayback.get(f"/ccme/{ts}id_/{row['final_url']}")
        if status != 200:
            wrong[row["final_url"]] = status
            continue
        requisites = same_site_requisites(wayback, ts, page, row["final_url"], origin)
        if has_photo(row["article"]):
            photos = photo_paths(row["article"])[1:] + photo_paths(row["article"], second=True)[1:]
            missing = {origin + path for path in photos} - requisites
            if missing:
                wrong[row["final_url"]] = f"its photos are not referenced: {sorted(missing)}"
        if len(requisites) < 30:
            wrong[row["final_url"]] = f"only {len(requisites)} requisites"
        for url in sorted(requisites - answers.keys()):
            status, _, body = wayback.get(f"/ccme/{ts}id_/{url}")
            served = asset(archived_crawl.site, urlsplit(url).path)
            answers[url] = (status, served is not None and body == served[1])
    wrong.update({url: answer for url, answer in answers.items() if answer != (200, True)})
    assert (len(articles) > 0, wrong) == (True, {}), f"seed {archived_crawl.seed}"


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_replayed_page_loads_its_stylesheets_and_scripts_from_the_archive(
    archived_crawl: ArchivedCrawl, wayback: Wayback, language: str
) -> None:
    row = article_row(archived_crawl, language)
    status, _, page = wayback.get(f"/ccme/{timestamp(row['fetched_at'])}mp_/{row['final_url']}")
    tree = html.fromstring(page)
    links = tree.xpath("//link[@rel='stylesheet']/@href | //script/@src")
    from_mirror = [u for u in links if archived_crawl.base_url in u]
    assert (
        status,
        row["title"] in page.decode("utf-8"),
        len(from_mirror) > 10,
        [u for u in from_mirror if not u.startswith(wayback.base_url)],
    ) == (200, True, True, [])
