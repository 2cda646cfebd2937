"""pywb, the replay tool, in a virtualenv of its own: ``.venv-replay`` in the checkout.

pywb cannot share the project's environment (requirements.txt says why). ``./dev test`` builds
it before pytest starts (``python tests/replay/venv.py``); the replay fixtures call
:func:`replay_venv` too, under a file lock, so that pytest run alone (or its xdist workers,
together) builds it once. It is kept while requirements.txt is unchanged.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
REQUIREMENTS = Path(__file__).with_name("requirements.txt")
REPLAY_VENV = ROOT / ".venv-replay"
_LOCK = ROOT / ".venv-replay.lock"


class ReplayVenvError(RuntimeError):
    """pip could not install the replay tool (the message holds pip's output)."""


def _ready(bin_dir: Path, stamp: Path, wanted: str) -> bool:
    return stamp.exists() and stamp.read_text() == wanted and (bin_dir / "wayback").exists()


def replay_venv() -> Path:
    """The bin folder of .venv-replay, created (or rebuilt) when requirements.txt changed."""
    stamp = REPLAY_VENV / ".requirements-sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    bin_dir = REPLAY_VENV / "bin"
    if _ready(bin_dir, stamp, wanted):
        return bin_dir
    with open(_LOCK, "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if _ready(bin_dir, stamp, wanted):  # another process built it while we waited
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
            raise ReplayVenvError(
                f"could not install pywb into {REPLAY_VENV}:\n{install.stderr[-3000:]}"
            )
        stamp.write_text(wanted)
    return bin_dir


if __name__ == "__main__":
    print(f"replay tool: {replay_venv() / 'wayback'}")
