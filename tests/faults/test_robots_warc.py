"""robots.txt that cannot be reached, with WARC capture on (issue 12, item 10).

Before the fix the "Disallow: /" stand-in the crawler makes (RFC 9309: unreachable means
complete disallow) was written into the WARC as if the server had sent it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from ccme_mirror import MirrorServer
from ccme_mirror.faults import reset_connection, respond
from tests.helpers import crawl

pytestmark = pytest.mark.integration


def _robots_responses(warc: Path) -> list[tuple[str, bytes]]:
    found = []
    for path in warc.glob("*.warc.gz"):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "response" and uri.endswith("/robots.txt"):
                    status = record.http_headers.get_statuscode()
                    found.append((status, record.content_stream().read()))
    return found


def test_an_unreachable_robots_txt_leaves_no_made_up_answer_in_the_warc(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    fresh_sample_server.set_fault("/robots.txt", reset_connection())
    warc = tmp_path / "warc"
    summary = crawl(tmp_path / "ccme.sqlite", fresh_sample_server, "--warc", str(warc))
    assert (summary["returncode"], _robots_responses(warc)) == (3, [])


def test_a_robots_txt_answering_503_is_kept_in_the_warc_as_sent(
    tmp_path: Path, fresh_sample_server: MirrorServer
) -> None:
    fresh_sample_server.set_fault("/robots.txt", respond(503, "busy"))
    warc = tmp_path / "warc"
    summary = crawl(tmp_path / "ccme.sqlite", fresh_sample_server, "--warc", str(warc))
    assert (summary["returncode"], {r for r in _robots_responses(warc)}) == (3, {("503", b"busy")})
