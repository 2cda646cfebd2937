"""pywb, the replay tool (tests/replay/venv.py), and a crawl of a generated mirror to replay.

The mirror is generated with a random seed (``CCME_TEST_SEED`` sets it, to reproduce a run; the
seed is in every failure message): no other test has seen its pages. While it is served, the
crawl archives it (WARC on, requisites ``site``) and Debian's wget archives it too
(``--warc-file``, for the import test); then it stops, so that whatever replays comes from the
archive.
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, MirrorSite, generate_site
from ccme_mirror.assets import has_photo
from tests.helpers import crawl
from tests.replay.venv import ReplayVenvError, replay_venv

WGET = shutil.which("wget")
# Links every page carries that answer 404 on the mirror (REST API, feeds, RSD): not worth asking.
WGET_REJECT = r"/(wp-json|xmlrpc\.php|feed|comments)(/|\?|$)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Wayback:
    base_url: str  # http://127.0.0.1:PORT/ccme/
    port: int

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            conn.close()


def serve_with_pywb(work: Path, archives: list[Path]) -> Iterator[Wayback]:
    """``wb-manager init ccme`` + ``wb-manager add ccme FILES`` in ``work``, then ``wayback`` on a
    free loopback port until the generator is closed."""
    try:
        bin_dir = replay_venv()
    except ReplayVenvError as exc:
        pytest.fail(str(exc))
    work.mkdir(parents=True, exist_ok=True)
    for args in (["init", "ccme"], ["add", "ccme", *map(str, archives)]):
        result = subprocess.run(
            [str(bin_dir / "wb-manager"), *args], cwd=work, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
    # A free port is free when asked, not when wayback binds it (another worker may take it):
    # a wayback that exits before answering is started again on another.
    for _attempt in range(3):
        port = _free_port()
        log_path = work / f"wayback-{port}.log"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [str(bin_dir / "wayback"), "--bind", "127.0.0.1", "-p", str(port)],
                cwd=work,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wayback = Wayback(f"http://127.0.0.1:{port}/ccme/", port)
        if _answers(wayback, proc):
            break
        _stop(proc)
    else:
        pytest.fail(f"wayback did not start: {log_path.read_text()[-3000:]}")
    try:
        yield wayback
    finally:
        _stop(proc)


def _answers(wayback: Wayback, proc: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if wayback.get("/")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class ArchivedCrawl:
    site: MirrorSite
    seed: int  # of generate_site: in failure messages, to reproduce with CCME_TEST_SEED
    base_url: str  # the mirror's, stopped once the crawl is over
    folder: Path
    db: Path
    warc_dir: Path
    summary: dict
    asset_requests: dict[str, int]  # requests of the crawl for each asset path
    wget_warc: Path | None  # wget's WARC of the same mirror (None without wget)


def wget_mirror(server: MirrorServer, folder: Path) -> Path:
    """What ``wget --recursive --page-requisites --warc-file`` captures of the mirror from its
    home page (the way an archivist would archive the site with another tool)."""
    assert WGET is not None
    result = subprocess.run(
        [
            WGET,
            "--recursive",
            "--level=inf",
            "--page-requisites",
            "--delete-after",
            "--no-verbose",
            "--tries=1",
            "--timeout=10",
            f"--reject-regex={WGET_REJECT}",
            f"--warc-file={folder / 'wget'}",
            "--directory-prefix",
            str(folder / "wget-files"),
            # One start page: wget forgets what --delete-after removed, and fetches again what a
            # second start URL leads to.
            server.url("/"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Exit status 8: some links answered 404 (the menus link pages the mirror does not have).
    assert result.returncode in (0, 8), result.stderr[-2000:]
    return folder / "wget.warc.gz"


def unseen_site(articles: int = 40) -> tuple[int, MirrorSite]:
    """A mirror from a random seed (``CCME_TEST_SEED`` when set) with, in each language, an
    article with photos: with 40 posts, one seed in thirty has no English post at all."""
    given = os.environ.get("CCME_TEST_SEED")
    while True:
        seed = int(given or random.SystemRandom().randrange(1, 10**9))
        site = generate_site(articles, seed=seed)
        languages = {a.language for a in site.expected_articles() if has_photo(a)}
        if given or languages >= {"fr", "ar", "en"}:
            return seed, site


@pytest.fixture(scope="session")
def archived_crawl(tmp_path_factory: pytest.TempPathFactory) -> ArchivedCrawl:
    """A crawl with WARC capture of a mirror generated from a random seed, in the three
    languages, and wget's capture of the same mirror; the mirror is stopped afterwards."""
    folder = tmp_path_factory.mktemp("replay")
    seed, site = unseen_site()
    with MirrorServer(site) as server:
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(folder / "ccme.sqlite", server, "--warc", str(folder / "warc"), *categories)
        assets: dict[str, int] = {}
        for request in server.requests:
            if request.kind == "asset":
                assets[request.path] = assets.get(request.path, 0) + 1
        base_url = server.base_url
        wget_warc = wget_mirror(server, folder) if WGET is not None else None
    assert summary["returncode"] == 0, f"seed {seed}: " + summary["stderr"][-3000:]
    return ArchivedCrawl(
        site,
        seed,
        base_url,
        folder,
        folder / "ccme.sqlite",
        folder / "warc",
        summary,
        assets,
        wget_warc,
    )


@pytest.fixture(scope="session")
def wayback(archived_crawl: ArchivedCrawl) -> Iterator[Wayback]:
    warcs = sorted(archived_crawl.warc_dir.glob("*.warc.gz"))
    yield from serve_with_pywb(archived_crawl.folder / "pywb", warcs)
