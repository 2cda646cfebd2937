"""Pages that answer 200 but are not what they claim: no crash, no bad row, raw bytes kept.

Each test crawls a fresh sample whose victim article is served with damaged bytes, through the
real CLI, into a real SQLite file; the WARC written on the side must hold the bytes as served.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from ccme_crawler.mirror import MirrorServer, render
from ccme_crawler.mirror.server import respond, respond_bytes
from ccme_crawler.warc.reader import iter_captured_pages
from tests.conftest import crawl, rows
from tests.faults.helpers import default_articles, failures, stored_urls, victim

pytestmark = pytest.mark.integration

Damage = Callable[[bytes, bytes], bytes]  # (page, title as in the page) -> damaged page

_META_CHARSET = re.compile(rb'<meta charset="[^"]*"\s*/?>')


def _cut_mid_tag(page: bytes, title: bytes) -> bytes:
    return page[: page.index(b"<p>") + 200] + b"<div cla"


DAMAGES: dict[str, tuple[Damage, str, set[str]]] = {
    # name: (damage, Content-Type, flags the stored record must carry)
    "nul-bytes": (
        lambda p, t: p.replace(b"<p>", b"<p>\x00", 3).replace(t, t[:10] + b"\x00" + t[10:]),
        "text/html; charset=UTF-8",
        set(),
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
        lambda p, t: p.replace(t, t.decode().encode("utf-8").decode("latin-1").encode()),
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
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _crawl_damaged(
    tmp_path: Path, server: MirrorServer, damage: Damage, content_type: str
) -> tuple[str, bytes, dict[str, object], Path]:
    url, path = victim(server.site)
    article = server.site.find(path)
    assert article is not None
    page = render.render_article(server.site, article, server.link_origin).encode()
    damaged = damage(page, article.title.encode())
    server.set_fault(path, respond_bytes(damaged, content_type=content_type))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, server, "--warc", str(tmp_path / "warc"))
    return url, damaged, summary, db


def _raw_in_warc(tmp_path: Path, path: str) -> list[bytes]:
    return [p.body for p in iter_captured_pages(tmp_path / "warc") if p.target_uri.endswith(path)]


@pytest.mark.parametrize("name", list(DAMAGES))
def test_damaged_page_is_stored_clean_and_flagged_with_raw_bytes_in_the_warc(
    tmp_path: Path, fresh_sample_server: MirrorServer, name: str
) -> None:
    damage, content_type, flags = DAMAGES[name]
    url, damaged, summary, db = _crawl_damaged(tmp_path, fresh_sample_server, damage, content_type)
    row = rows(db, "SELECT title, body, flags FROM articles WHERE url = ?", (url,))
    title = row[0]["title"] if row else ""
    stored = stored_urls(db)
    assert (
        summary["returncode"],
        sorted(stored) == sorted(default_articles(fresh_sample_server.site)),  # the batch commits
        bool(title) and len(title) <= 10_000,
        _UNCLEAN.findall(title + (row[0]["body"] if row else "")),
        flags <= set(json.loads(row[0]["flags"])) if row else False,
        _raw_in_warc(tmp_path, victim(fresh_sample_server.site)[1]) == [damaged],
    ) == (0, True, True, [], True, True)


def test_script_in_a_title_is_stored_as_text(tmp_path: Path, fresh_sample_server: MirrorServer) -> None:
    damage, content_type, _ = DAMAGES["script-in-title-and-body"]
    url, _, _, db = _crawl_damaged(tmp_path, fresh_sample_server, damage, content_type)
    row = rows(db, "SELECT title, body FROM articles WHERE url = ?", (url,))[0]
    assert (
        row["title"].startswith("<script>alert(1)</script> "),
        "alert(3)" in row["body"],  # <script> elements are not article text
        unicodedata.is_normalized("NFC", row["title"]),
    ) == (True, False, True)


@pytest.mark.xfail(
    strict=True,
    reason="extraction does not flag a page cut mid-tag yet (no </body></html>): see docs/faults.md",
)
def test_page_cut_mid_tag_is_stored_and_flagged(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    url, damaged, summary, db = _crawl_damaged(
        tmp_path, fresh_sample_server, _cut_mid_tag, "text/html; charset=UTF-8"
    )
    row = rows(db, "SELECT title, flags FROM articles WHERE url = ?", (url,))
    assert (
        summary["returncode"],
        bool(row) and bool(row[0]["title"]),
        bool(row) and json.loads(row[0]["flags"]) != [],
        _raw_in_warc(tmp_path, victim(fresh_sample_server.site)[1]) == [damaged],
    ) == (0, True, True, True)


# --- soft 404, empty body ----------------------------------------------------------------------


def _not_found_page(server: MirrorServer) -> str:
    return render.render_404(server.link_origin)


@pytest.mark.parametrize("kind", ["soft-404", "empty-body"])
def test_soft_404_or_empty_body_writes_no_row(
    tmp_path: Path, fresh_sample_server: MirrorServer, kind: str
) -> None:
    server = fresh_sample_server
    url, path = victim(server.site)
    server.set_fault(path, respond(200, _not_found_page(server) if kind == "soft-404" else ""))
    db = tmp_path / "ccme.sqlite"
    summary = crawl(db, server)
    assert (
        summary["returncode"],
        url in stored_urls(db),
        failures(db),
    ) == (1, False, {url: ("article", "soft_404", 200)})


@pytest.mark.parametrize("kind", ["soft-404", "empty-body"])
def test_soft_404_or_empty_body_never_overwrites_a_stored_row(
    tmp_path: Path, fresh_sample_server: MirrorServer, kind: str
) -> None:
    server = fresh_sample_server
    url, path = victim(server.site)
    db = tmp_path / "ccme.sqlite"
    first = crawl(db, server)
    before = rows(db, "SELECT * FROM articles WHERE url = ?", (url,))
    server.set_fault(path, respond(200, _not_found_page(server) if kind == "soft-404" else ""))
    again = crawl(db, server, "--full")
    after = rows(db, "SELECT * FROM articles WHERE url = ?", (url,))
    versions = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    assert (first["returncode"], again["returncode"], after == before, versions) == (0, 1, True, 0)
