"""A full disk under ``--warc`` (issue 12, item 21), on a real 1 MiB tmpfs (needs root).

Before the fix every page failed with an ``OSError`` of the WARC middleware, the run went on
to the end, and a record was left half-written in the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccme_mirror import MirrorServer
from tests.faults.helpers import default_articles, stored_urls
from tests.helpers import ARCHIVE_PATHS, crawl, rows, run_cli

pytestmark = pytest.mark.integration


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_under_warc_exits_74_without_traceback_and_leaves_the_warc_whole(
    tmp_path: Path, small_disk: Path, fresh_sample_server: MirrorServer
) -> None:
    server = fresh_sample_server
    db, warc = tmp_path / "ccme.sqlite", small_disk / "warc"
    warc.mkdir()
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - 96 * 1024))
    # The walks, not discovery: discovery pages that cannot be captured are attempts, not
    # page failures (the run still ends storage_error).
    walks = [arg for path in ARCHIVE_PATHS for arg in ("--category", path)]
    full = crawl(db, server, "--warc", str(warc), *walks)
    damage = [
        line
        for line in run_cli("verify", str(warc)).stderr.splitlines()
        if ": not_indexed:" not in line
    ]
    reasons = {r["reason"] for r in rows(db, "SELECT reason FROM page_failures")}
    filler.unlink()  # room again: the next run completes the archive
    after = crawl(db, server, "--warc", str(warc), *walks)
    repaired = run_cli("verify", "--repair", str(warc))
    assert (
        full["returncode"],
        full["finish_reason"],
        "Traceback" in full["stderr"],
        "No space left on device" in full["stderr"],
        reasons,
        damage,
        after["returncode"],
        sorted(stored_urls(db)) == sorted(default_articles(server.site)),
        repaired.returncode,
    ) == (74, "storage_error", False, True, {"warc_write_error"}, [], 0, True, 0)
