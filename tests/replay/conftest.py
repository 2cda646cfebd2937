"""pywb, the replay tool, in a virtualenv of its own, and a crawl of a generated mirror to replay.

pywb cannot share the project's environment (tests/replay/requirements.txt says why), so the
first test that needs it creates ``.venv-replay`` in the checkout with pip from PyPI (a minute or
two, once) and keeps it while requirements.txt is unchanged.
"""

from __future__ import annotations

import hashlib
import http.client
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer, MirrorSite, generate_site
from tests.conftest import ROOT, crawl

REQUIREMENTS = Path(__file__).with_name("requirements.txt")
REPLAY_VENV = ROOT / ".venv-replay"


def replay_venv() -> Path:
    """The bin folder of .venv-replay, created (or rebuilt) when requirements.txt changed."""
    stamp = REPLAY_VENV / ".requirements-sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    bin_dir = REPLAY_VENV / "bin"
    if stamp.exists() and stamp.read_text() == wanted and (bin_dir / "wayback").exists():
        return bin_dir
    shutil.rmtree(REPLAY_VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(REPLAY_VENV)], check=True)
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if install.returncode != 0:
        pytest.fail(f"could not install pywb into {REPLAY_VENV}:\n{install.stderr[-3000:]}")
    stamp.write_text(wanted)
    return bin_dir


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
    bin_dir = replay_venv()
    work.mkdir(parents=True, exist_ok=True)
    for args in (["init", "ccme"], ["add", "ccme", *map(str, archives)]):
        result = subprocess.run(
            [str(bin_dir / "wb-manager"), *args], cwd=work, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
    port = _free_port()
    log = (work / "wayback.log").open("w")
    proc = subprocess.Popen(
        [str(bin_dir / "wayback"), "--bind", "127.0.0.1", "-p", str(port)],
        cwd=work,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wayback = Wayback(f"http://127.0.0.1:{port}/ccme/", port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if wayback.get("/")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"wayback did not start: {(work / 'wayback.log').read_text()[-3000:]}")
            time.sleep(0.3)
        yield wayback
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@dataclass
class ArchivedCrawl:
    site: MirrorSite
    base_url: str  # the mirror's, stopped once the crawl is over
    folder: Path
    db: Path
    warc_dir: Path
    summary: dict


@pytest.fixture(scope="session")
def archived_crawl(tmp_path_factory: pytest.TempPathFactory) -> ArchivedCrawl:
    """A crawl with WARC capture of a generated mirror in the three languages. The mirror is
    stopped afterwards: whatever replays comes from the archive."""
    folder = tmp_path_factory.mktemp("replay")
    site = generate_site(40, seed=4242)
    with MirrorServer(site) as server:
        categories = [arg for c in site.categories for arg in ("--category", c.path)]
        summary = crawl(folder / "ccme.sqlite", server, "--warc", str(folder / "warc"), *categories)
        base_url = server.base_url
    assert summary["returncode"] == 0, summary["stderr"][-3000:]
    return ArchivedCrawl(site, base_url, folder, folder / "ccme.sqlite", folder / "warc", summary)


@pytest.fixture(scope="session")
def wayback(archived_crawl: ArchivedCrawl) -> Iterator[Wayback]:
    warcs = sorted(archived_crawl.warc_dir.glob("*.warc.gz"))
    yield from serve_with_pywb(archived_crawl.folder / "pywb", warcs)
