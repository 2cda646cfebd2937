"""How WARC files are named, numbered and ordered in a capture folder.

Files are named ``{prefix}-{UTC timestamp to the microsecond}-{serial:05d}.warc.gz``; the writer
creates them, the index, reader and verifier list them in the order they were written.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

WARC_SUFFIX = ".warc.gz"
_NAME = re.compile(r"^(?P<prefix>.+)-(?P<ts>\d{20})-(?P<serial>\d{5,})\.warc\.gz$")


def warc_file_name(prefix: str, moment: datetime, serial: int) -> str:
    """The name of the WARC file number ``serial`` of ``prefix``, started at ``moment`` (UTC)."""
    return f"{prefix}-{moment.strftime('%Y%m%d%H%M%S%f')}-{serial:05d}{WARC_SUFFIX}"


def last_serial(directory: Path, prefix: str) -> int:
    """The highest serial of ``prefix``'s WARC files in ``directory`` (-1 when there are none)."""
    serials = [
        int(m["serial"])
        for path in Path(directory).glob(f"*{WARC_SUFFIX}")
        if (m := _NAME.match(path.name)) and m["prefix"] == prefix
    ]
    return max(serials, default=-1)


def sorted_warcs(directory: Path) -> list[Path]:
    """The WARC files of a directory in the order they were written (timestamp, then serial)."""

    def key(path: Path) -> tuple[str, int, str]:
        m = _NAME.match(path.name)
        return (m["ts"], int(m["serial"]), path.name) if m else ("", 0, path.name)

    return sorted((p for p in Path(directory).glob(f"*{WARC_SUFFIX}") if p.is_file()), key=key)
