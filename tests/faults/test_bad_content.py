"""Pages that answer 200 but are not what they claim: no crash, no bad row, raw bytes kept.

One crawl of the sample serves each kind of damage on its own article, through the real CLI, into
a real SQLite file; the WARC written on the side must hold the bytes as served.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ccme_crawler.warc.reader import iter_captured_pages
from ccme_mirror import MirrorServer, render, sample_site
from ccme_mirror.faults import respond, respond_bytes
from tests.faults.helpers import default_articles, failures, stored_urls, victim
from tests.helpers import crawl, rows

pytestmark = pytest.mark.integration

Damage = Callable[[bytes, bytes], bytes]  # (page, title as in the page) -> damaged page

_META_CHARSET = re.compile(rb'<meta charset="[^"]*"\s*/?>')
# UTF-8 read as Latin-1 and saved again as UTF-8.
_MOJIBAKE = "la communauté réunie à Düsseldorf".encode().decode("latin-1").encode()


def _cut_mid_tag(page: bytes, title: bytes) -> bytes:
    return page[: page.index(b"<p>") + 200] + b"<div cla"


DAMAGES: dict[str, tuple[Damage, str, set[str]]] = {
    # name: (damage, Content-Type, flags the stored record must carry)
    "nul-bytes": (
        lambda p, t: p.replace(b"<p>", b"<p>\x00", 3).replace(t, t[:10] + b"\x00" + t[10:]),
        "text/html; charset=UTF-8",
        set(),
    ),
    "malformed-html": (
        lambda p, t: p.replace(b"</p>", b"</p></div></div></body></html><p>x", 1),
        "text/html; charset=UTF-8",
        {"malformed_html"},
    ),
    "wrong-charset": (
        lambda p, t: p.replace(b"charset=UTF-8", b"charset=iso-8859-1"),
        "text/html; charset=iso-8859-1",
        {"mojibake"},
    ),
    "missing-charset": (
        lambda p, t: _META_CHARSET.sub(b"", p),
        "text/html",
        set(),
    ),
    "mojibake": (
        lambda p, t: p.replace(t, t + b" " + _MOJIBAKE),
        "text/html; charset=UTF-8",
        {"mojibake"},
    ),
    "lone-surrogates": (
        lambda p, t: p.replace(t, t + b" \xed\xa0\x80 &#xD800; x"),
        "text/html; charset=UTF-8",
        {"decode_errors"},
    ),
    "control-characters": (
        lambda p, t: p.replace(t, b"\x01\x1b[31m" + t + b"\x7f &#x1b; &#0;"),
        "text/html; charset=UTF-8",
        set(),
    ),
    "right-to-left-override": (
        lambda p, t: p.replace(t, "\u202e".encode() + t + "\u202c &#x202E;".encode()),
        "text/html; charset=UTF-8",
        set(),
    ),
    "5MB-title": (
        lambda p, t: p.replace(t, b"A" * (5 * 1024 * 1024)),
        "text/html; charset=UTF-8",
        {"title_truncated"},
    ),
    "script-in-title-and-body": (
        lambda p, t: p.replace(t, b"&lt;script&gt;alert(1)&lt;/script&gt; " + t).replace(
            b"<p>", b'<p><a href="javascript:alert(2)">lien</a><script>alert(3)</script>', 1
        ),
        "text/html; charset=UTF-8",
        set(),
    ),
}

# C0/C1 controls other than tab and newlines, bidi embeddings/overrides/isolates, surrogates.
_UNCLEAN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


@dataclass
class DamagedCrawl:
    server: MirrorServer
    db: Path
    warc: Path
    summary: dict[str, Any]
    victims: dict[str, tuple[str, str, bytes]]  # damage name -> (canonical URL, path, bytes served)


@pytest.fixture(scope="module")
def damaged_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DamagedCrawl]:
    """One crawl of the sample with every damage served on its own article."""
    site = sample_site()
    folder = tmp_path_factory.mktemp("damaged")
    damages = {**DAMAGES, "cut-mid-tag": (_cut_mid_tag, "text/html; charset=UTF-8", set())}
    with MirrorServer(site) as server:
        victims = {}
        for index, (name, (damage, content_type, _)) in enumerate(damages.items()):
            url, path = victim(site, index)
            article = site.find(path)
            assert article is not None
            page = render.render_article(site, article, server.link_origin).encode()
            damaged = damage(page, article.title.encode())
            server.set_fault(path, respond_bytes(damaged, content_type=content_type))
            victims[name] = (url, path, damaged)
        db = folder / "ccme.sqlite"
        summary = crawl(db, server, "--warc", str(folder / "warc"))
        yield DamagedCrawl(server, db, folder / "warc", summary, victims)


def _raw_in_warc(crawled: DamagedCrawl, path: str) -> list[bytes]:
    return [p.body for p in iter_captured_pages(crawled.warc) if p.target_uri.endswith(path)]


def test_damaged_pages_never_break_the_batch(damaged_crawl: DamagedCrawl) -> None:
    stored = stored_urls(damaged_crawl.db)
    assert (
        damaged_crawl.summary["returncode"],
        damaged_crawl.summary["failures"],
        sorted(stored) == sorted(default_articles(damaged_crawl.server.site)),
        len(stored) == len(set(stored)),
    ) == (0, 0, True, True)


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damaged_page_is_stored_clean_and_flagged_with_raw_bytes_in_the_warc(
    damaged_crawl: DamagedCrawl, name: str
) -> None:
    url, path, damaged = damaged_crawl.victims[name]
    row = rows(damaged_crawl.db, "SELECT title, body, flags FROM articles WHERE url = ?", (url,))
    title = row[0]["title"] if row else ""
    assert (
        bool(title) and len(title) <= 10_000,
        _UNCLEAN.findall(title + (row[0]["body"] if row else "")),
        DAMAGES[name][2] <= set(json.loads(row[0]["flags"])) if row else False,
        _raw_in_warc(damaged_crawl, path) == [damaged],
    ) == (True, [], True, True)


def test_script_in_a_title_is_stored_as_text(damaged_crawl: DamagedCrawl) -> None:
    url = damaged_crawl.victims["script-in-title-and-body"][0]
    row = rows(damaged_crawl.db, "SELECT title, body FROM articles WHERE url = ?", (url,))[0]
    assert (
        row["title"].startswith("<script>alert(1)</script> "),
        "alert(3)" in row["body"],  # <script> elements are not article text
        "javascript:" in row["body"],  # a link's target is not article text either
        unicodedata.is_normalized("NFC", row["title"]),
    ) == (True, False, False, True)


def test_page_cut_mid_tag_is_stored_and_flagged(damaged_crawl: DamagedCrawl) -> None:
    url, path, damaged = damaged_crawl.victims["cut-mid-tag"]
    row = rows(damaged_crawl.db, "SELECT title, flags FROM articles WHERE url = ?", (url,))
    assert (
        bool(row) and bool(row[0]["title"]),
        _raw_in_warc(damaged_crawl, path) == [damaged],
        bool(row) and json.loads(row[0]["flags"]) != [],
    ) == (True, True, True)


# --- soft 404, empty body ----------------------------------------------------------------------


def _not_found_faults(server: MirrorServer) -> dict[str, tuple[str, str]]:
    """Serve a soft 404 on one article and an empty 200 on another; name -> (url, path)."""
    victims = {"soft-404": victim(server.site, 0), "empty-body": victim(server.site, 1)}
    server.set_fault(victims["soft-404"][1], respond(200, render.render_404(server.link_origin)))
    server.set_fault(victims["empty-body"][1], respond(200, ""))
    return victims


def test_soft_404_and_empty_body_write_no_row(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    victims = _not_found_faults(fresh_sample_server)
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, fresh_sample_server)
    stored = set(stored_urls(db))
    assert (
        summary["returncode"],
        {url for url, _ in victims.values()} & stored,
        failures(db),
    ) == (1, set(), {url: ("article", "soft_404", 200) for url, _ in victims.values()})


def test_soft_404_and_empty_body_never_overwrite_a_stored_row(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    db = tmp_path / "ccme.sqlite"
    first = crawl(db, fresh_sample_server)
    before = rows(db, "SELECT * FROM articles ORDER BY url")
    _not_found_faults(fresh_sample_server)
    again = crawl(db, fresh_sample_server, "--full")
    after = rows(db, "SELECT * FROM articles ORDER BY url")
    versions = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    assert (first["returncode"], again["returncode"], after == before, versions) == (0, 1, True, 0)
