"""Command-line values checked once for every command: dates, paths to create, input files.

Each check is a plain function raising ``ValueError`` with a one-line message (the runner and
the exports call them too), wrapped in a click ``ParamType`` for the option declarations, so a
bad value is a usage error (exit 2) before anything is written.
"""

from __future__ import annotations

import errno
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import click

# ASCII digits only: ``\d`` would take full-width and Arabic-Indic digits, which
# date.fromisoformat reads but SQLite's text comparisons do not.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Fallbacks when the file system does not say (POSIX minimums are lower; Linux uses these).
_NAME_MAX = 255
_PATH_MAX = 4096


def parse_date(value: str) -> str:
    """``value`` if it is a calendar date written YYYY-MM-DD in ASCII digits, else ValueError."""
    if not _ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r}: expected a date as YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r}: no such date (expected YYYY-MM-DD)") from None
    return value


def _limits(path: Path) -> tuple[int, int]:
    """NAME_MAX and PATH_MAX of the file system holding ``path``'s nearest existing ancestor."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_NAME_MAX"), os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError):
        return _NAME_MAX, _PATH_MAX


def check_path_length(path: Path) -> Path:
    """Refuse a path the file system cannot hold (a name over NAME_MAX, a path over PATH_MAX)."""
    absolute = Path(os.path.abspath(path))
    name_max, path_max = _limits(absolute)
    if len(os.fsencode(absolute)) >= path_max:
        raise ValueError(f"{path}: path too long (over {path_max} bytes)")
    for part in absolute.parts:
        if len(os.fsencode(part)) > name_max:
            raise ValueError(f"{path}: name too long ({part[:20]}…, over {name_max} bytes)")
    return path


def _first_existing_ancestor(path: Path) -> Path:
    for ancestor in Path(os.path.abspath(path)).parents:
        if ancestor.exists():
            return ancestor
    return Path("/")


def check_new_file(path: Path) -> Path:
    """A file to write: its folder exists, it is not a folder, the name fits the file system."""
    check_path_length(path)
    if path.is_dir():
        raise ValueError(f"{path}: is a folder")
    parent = path.parent
    if not parent.exists():
        raise ValueError(f"{path}: folder {parent} does not exist")
    if not parent.is_dir():
        raise ValueError(f"{path}: {parent} is a file, not a folder")
    return path


def check_folder_to_create(path: Path) -> Path:
    """A folder that exists or can be created: no part of it is a file, its names fit."""
    check_path_length(path)
    if path.exists():
        if not path.is_dir():
            raise ValueError(f"{path}: is a file, not a folder")
        return path
    ancestor = _first_existing_ancestor(path)
    if not ancestor.is_dir():
        raise ValueError(f"{path}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise ValueError(f"{path}: cannot create it, {ancestor} is not writable")
    return path


def check_warc_folder(path: Path) -> Path:
    """A folder holding at least one WARC file written by a crawl."""
    from ccme_crawler.warc.writer import sorted_warcs

    if not sorted_warcs(path):
        raise ValueError(f"{path}: no .warc.gz files in this folder")
    return path


class _Checked(click.ParamType):
    """A click type running one of the checks above (after ``click.Path`` when given)."""

    def __init__(self, name: str, check: Any, base: click.ParamType | None = None) -> None:
        self.name = name
        self._check = check
        self._base = base

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return self.name.upper()

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if self._base is not None:
            value = self._base.convert(value, param, ctx)
        try:
            return self._check(Path(value) if self._base is not None else value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        except OSError as exc:  # a path the system refuses outright (ENAMETOOLONG, ELOOP…)
            self.fail(f"{value}: {exc.strerror or errno.errorcode.get(exc.errno, exc)}", param, ctx)


_PATH = click.Path(path_type=Path)

DATE = _Checked("date", parse_date)
DATABASE = _Checked("path", check_path_length, click.Path(dir_okay=False, path_type=Path))
NEW_FILE = _Checked("path", check_new_file, _PATH)
FOLDER_TO_CREATE = _Checked("dir", check_folder_to_create, _PATH)
WARC_FOLDER = _Checked(
    "dir", check_warc_folder, click.Path(exists=True, file_okay=False, path_type=Path)
)


class QueryCommand(click.Command):
    """A command whose argument may start with ``-``: say how to pass it when click refuses."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            if not exc.option_name.startswith("--"):  # "-maroc" read as -m -a -r…, not a typo
                exc.message += " (a query starting with '-' goes after '--': search -- -word)"
            raise
