"""The benchmark scripts run (the cheapest one, quick mode). No figure is checked: figures come
from `benchmarks/run_all.py`, never from timed assertions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.slow
def test_run_all_quick_storage_runs_and_writes_results() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run_all.py", "--quick", "--only", "storage"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "machine:" in result.stdout
    assert "upserts/s" in result.stdout
    path = result.stdout.strip().splitlines()[-1].removeprefix("results: ")
    payload = json.loads((ROOT / path).read_text())
    assert payload["mode"] == "quick"
    assert {r["bench"] for r in payload["rows"]} == {"storage"}
    assert all(r["value"] is not None and r["baseline"] for r in payload["rows"])
