"""The bundled sample's static server (ccme_crawler.sample) over real HTTP on loopback."""

from __future__ import annotations

import gzip
import http.client
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from ccme_crawler.sample import SampleServer
from ccme_crawler.sample.server import not_modified
from ccme_crawler.urls import SITE_ORIGIN
from ccme_mirror import MirrorServer, sample_site
from ccme_mirror.sample import SEED_PATH
from tests.helpers import ROOT

MEDIAS = "/category/archives-du-ccme/medias-et-migration/"


@pytest.fixture(scope="module")
def server() -> Iterator[SampleServer]:
    with SampleServer() as srv:
        yield srv


def get(
    port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def arabic_article_path() -> str:
    return next(a.slug_path for a in sample_site().articles if a.language == "ar")


def test_every_page_is_served_as_the_mirror_serves_it_with_live_links(
    server: SampleServer,
) -> None:
    def answers(port: int) -> dict[str, tuple[int, str | None, str | None, bytes]]:
        seen = {}
        for path in paths:
            status, headers, body = get(port, path)
            seen[path] = (status, headers.get("etag"), headers.get("last-modified"), body)
        return seen

    paths = sorted(quote(path) for path in server.site.pages)  # keys are decoded
    with MirrorServer(sample_site(), link_origin=SITE_ORIGIN) as mirror:
        expected = answers(mirror.port)
    assert answers(server.port) == expected


def test_serves_every_category_of_the_sample(server: SampleServer) -> None:
    assert server.site.categories == tuple(c.path for c in sample_site().categories)


def test_robots_txt(server: SampleServer) -> None:
    status, headers, body = get(server.port, "/robots.txt")
    assert (status, headers["content-type"], body) == (
        200,
        "text/plain; charset=utf-8",
        b"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
    )


def test_second_listing_page(server: SampleServer) -> None:
    status, _, body = get(server.port, MEDIAS + "page/2/")
    assert (status, b"Page 2 sur 2" in body) == (200, True)


def test_past_the_last_listing_page_is_not_found(server: SampleServer) -> None:
    status, _, body = get(server.port, MEDIAS + "page/3/")
    assert (status, b"error404" in body) == (404, True)


def test_unknown_path_is_not_found(server: SampleServer) -> None:
    status, _, body = get(server.port, "/no-such-article/")
    assert (status, b"error404" in body) == (404, True)


def test_arabic_article_found_whatever_the_case_of_its_escapes(server: SampleServer) -> None:
    path = arabic_article_path()
    assert [get(server.port, p)[0] for p in (path, path.lower())] == [200, 200]


def test_query_string_serves_the_same_page(server: SampleServer) -> None:
    assert get(server.port, SEED_PATH + "?amp=1")[2] == get(server.port, SEED_PATH)[2]


def test_matching_etag_is_not_modified(server: SampleServer) -> None:
    etag = get(server.port, SEED_PATH)[1]["etag"]
    status, _, body = get(server.port, SEED_PATH, {"If-None-Match": etag})
    assert (status, body) == (304, b"")


def test_not_older_than_last_modified_is_not_modified(server: SampleServer) -> None:
    last_modified = get(server.port, SEED_PATH)[1]["last-modified"]
    assert get(server.port, SEED_PATH, {"If-Modified-Since": last_modified})[0] == 304


def test_gzip_when_accepted(server: SampleServer) -> None:
    _, headers, body = get(server.port, SEED_PATH, {"Accept-Encoding": "gzip"})
    plain = get(server.port, SEED_PATH)[2]
    assert (headers["content-encoding"], gzip.decompress(body)) == ("gzip", plain)


def test_head_has_no_body(server: SampleServer) -> None:
    status, headers, body = get(server.port, SEED_PATH, method="HEAD")
    assert (status, int(headers["content-length"]) > 80_000, body) == (200, True, b"")


def test_other_etag_is_modified() -> None:
    assert not_modified({"If-None-Match": '"other"'}, {"ETag": '"this"'}) is False


def test_if_none_match_wins_over_if_modified_since() -> None:
    request = {"If-None-Match": '"other"', "If-Modified-Since": "Thu, 01 Jan 2099 00:00:00 GMT"}
    response = {"ETag": '"this"', "Last-Modified": "Mon, 24 Oct 2023 10:00:00 GMT"}
    assert not_modified(request, response) is False


def test_older_than_last_modified_is_modified() -> None:
    request = {"If-Modified-Since": "Sun, 23 Oct 2023 10:00:00 GMT"}
    assert not_modified(request, {"Last-Modified": "Mon, 24 Oct 2023 10:00:00 GMT"}) is False


def test_unreadable_if_modified_since_is_modified() -> None:
    request = {"If-Modified-Since": "yesterday"}
    assert not_modified(request, {"Last-Modified": "Mon, 24 Oct 2023 10:00:00 GMT"}) is False


def _as_from_a_terminal() -> None:
    # SIGINT as a shell's foreground job gets it: delivered, default action. A pytest worker
    # can carry SIGINT blocked or ignored (inherited across exec) after other tests' crawls;
    # the server then never sees Ctrl-C (seen in full runs only).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_serve_sample_command_serves_until_interrupted() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ccme_crawler", "serve-sample", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_from_a_terminal,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.match(r"Serving on http://127\.0\.0\.1:(\d+) ", first)
        status = get(int(match.group(1)), MEDIAS)[0] if match else None
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            signals = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
            print("\n".join(line for line in signals if line.startswith("Sig")))
            proc.kill()  # fail without leaving a server behind
            proc.communicate()
            raise
    assert (bool(match), status, proc.returncode) == (True, 200, 0), first
