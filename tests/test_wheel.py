"""The product wheel: the crawler and its bundled sample, no test harness; it runs on its own."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ccme_crawler import __version__
from ccme_crawler.sample import SITE_DIR
from ccme_mirror import sample_site
from tests.helpers import ROOT

pytestmark = pytest.mark.slow

# What a checkout holds that is not part of a build's input (.gitignore's outputs): in given
# folders, and anywhere. benchmarks/out can hold gigabytes of WARCs.
_NOT_SOURCES_IN = {
    ROOT: {".venv", ".venv-replay", ".venv-replay.lock", ".git", ".hypothesis", "data"}
    | {"build", "dist"},
    ROOT / "benchmarks": {"out"},
}
_NOT_SOURCES = shutil.ignore_patterns("*.egg-info", "__pycache__", ".*_cache")


def _not_sources(directory: str, names: list[str]) -> set[str]:
    here = _NOT_SOURCES_IN.get(Path(directory), set())
    return set(_NOT_SOURCES(directory, names)) | (here & set(names))


def pip(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args, "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip wheel`` of a copy of the checkout (a build writes into its source tree)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_not_sources)
    # No build isolation: the test extras bring setuptools, so nothing is downloaded.
    pip("wheel", str(source), "--no-deps", "--no-build-isolation", "-w", str(work / "dist"))
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_holds_only_the_product(names: set[str]) -> None:
    top = {name.split("/", 1)[0] for name in names}
    assert top == {"ccme_crawler", f"ccme_crawler-{__version__}.dist-info"}


def test_wheel_holds_no_harness(names: set[str]) -> None:
    harness = [n for n in names if "mirror" in n or "faults" in n or "_derive" in n]
    assert harness == []


def test_wheel_holds_every_file_of_the_package(names: set[str]) -> None:
    """Modules and package data (the outlets table, the sample)."""
    files = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "ccme_crawler").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert files - names == set()


def test_wheel_holds_the_bundled_sample(names: set[str]) -> None:
    sample = {path.relative_to(ROOT).as_posix() for path in SITE_DIR.rglob("*") if path.is_file()}
    assert (len(sample) > 40, sample - names) == (True, set())


def test_wheel_version_is_the_package_version(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"ccme_crawler-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata


def test_installed_wheel_crawls_the_sample_without_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    """Installed on its own (dependencies from this environment), run outside the checkout so
    that ``ccme_mirror`` cannot be imported, ``crawl --sample`` stores the whole sample."""
    target = tmp_path / "site-packages"
    pip("install", "--no-deps", "--target", str(target), str(wheel))
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = tmp_path / "run"
    run.mkdir()
    probe = (
        "import importlib.util, ccme_crawler; "
        "print(ccme_crawler.__file__, importlib.util.find_spec('ccme_mirror'))"
    )
    where = subprocess.run(
        [sys.executable, "-c", probe], cwd=run, env=env, capture_output=True, text=True, check=True
    )
    db = run / "ccme.sqlite"
    crawl = subprocess.run(
        [sys.executable, "-m", "ccme_crawler", "crawl", "--sample", "--db", str(db), "--json"],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    summary = json.loads(crawl.stdout.splitlines()[-1]) if crawl.returncode == 0 else {}
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert (
        where.stdout.split(),
        crawl.returncode,
        summary.get("articles_new"),
        stored,
    ) == (
        [str(target / "ccme_crawler" / "__init__.py"), "None"],
        0,
        len(sample_site().expected_articles()),
        len(sample_site().expected_articles()),
    ), crawl.stderr[-3000:]
