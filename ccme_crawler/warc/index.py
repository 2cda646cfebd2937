"""CDXJ index beside the WARCs, and WACZ 1.1.1 packages for replay tools."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import heapq
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cdxj_indexer.main import CDXJIndexer, write_cdx_index
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParser
from warcio.timeutils import iso_date_to_timestamp

from ccme_crawler import __version__
from ccme_crawler.fsutil import atomic_replace, temp_path_beside
from ccme_crawler.warc.naming import sorted_warcs

INDEX_NAME = "index.cdxj"
_LOCK_NAME = ".index.lock"


@contextmanager
def _index_lock(directory: Path) -> Iterator[None]:
    """Held while ``index.cdxj`` is read and replaced: two crawls sharing a WARC folder would
    otherwise each replace the index with their own additions, and one run's lines would be lost.
    """
    with open(directory / _LOCK_NAME, "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


WACZ_VERSION = "1.1.1"


def write_cdxj(directory: Path, output: Path | None = None) -> Path:
    """(Re)write ``index.cdxj`` for every WARC of ``directory``: one sorted line per response,
    revisit and resource record (``SURT timestamp {json}``, with url, mime, status, digest,
    length, offset and filename as cdxj-indexer writes them). Replaced atomically
    (``fsutil.atomic_replace``), under the index lock."""
    directory = Path(directory)
    if output is None:
        with _index_lock(directory):
            return _write_cdxj(directory, directory / INDEX_NAME, closed_only=True)
    return _write_cdxj(directory, Path(output))


def being_written(path: Path) -> bool:
    """True while a writer holds ``path`` open (``WarcWriter`` locks the file it writes)."""
    try:
        with open(path, "rb") as fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    return False


def _write_cdxj(directory: Path, output: Path, *, closed_only: bool = False) -> Path:
    warcs = [
        str(path) for path in sorted_warcs(directory) if not (closed_only and being_written(path))
    ]
    with atomic_replace(output) as tmp:
        if warcs:
            write_cdx_index(str(tmp), warcs, {"sort": True, "post_append": True})
        else:
            tmp.open("x").close()
    return output


_FILENAME = re.compile(r'"filename": "([^"]+)"')


def indexed_records(directory: Path) -> set[tuple[str, int]]:
    """``(filename, offset)`` of every record ``index.cdxj`` of ``directory`` lists."""
    index = Path(directory) / INDEX_NAME
    found: set[tuple[str, int]] = set()
    if not index.exists():
        return found
    with index.open(encoding="utf-8") as fh:
        for line in fh:
            _, _, fields = line.partition(" {")
            try:
                entry = json.loads("{" + fields)
                found.add((str(entry["filename"]), int(entry["offset"])))
            except (ValueError, KeyError, TypeError):
                continue
    return found


# What the indexer reads the HTTP head of a response or revisit record with (warcio's loader,
# verify_http off as in cdxj-indexer), so that a line made from the bytes written is the line
# the indexer would read back.
_HTTP_HEAD_PARSER = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, False)
_SPACE = CDXJIndexer.RE_SPACE
_URL_KEY = CDXJIndexer(None, []).get_url_key
# A URL whose SURT is its origin's SURT followed by its path in lower case, less a trailing
# slash: segments of letters, digits, "-", "_" and escaped non-ASCII bytes (which surt unescapes
# and escapes again the same), no query. Every other URL gets its key from surt itself.
_PLAIN_URL = re.compile(
    r"([a-z][a-z0-9+.-]*://[^/?#@\\]+)((?:/(?:[A-Za-z0-9_-]|%[89A-Fa-f][0-9A-Fa-f])+)+)/?"
)


@functools.lru_cache(maxsize=64)
def _origin_key(origin: str) -> str:
    return str(_URL_KEY(origin + "/"))[:-1]  # "…)/" without its slash


def url_key(url: str) -> str:
    """The SURT key cdxj-indexer gives ``url``, without surt's ~0.2 ms canonicalization for
    the plain URLs of a crawl (one origin, simple paths); the same string either way."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return str(_URL_KEY(url))
    origin, path = plain.groups()
    return _origin_key(origin) + path.lower()


def cdxj_line(
    *,
    rec_type: str,
    target_uri: str,
    warc_date: str,
    block: bytes,
    payload_digest: str,
    offset: int,
    length: int,
    filename: str,
) -> str:
    """The ``index.cdxj`` line cdxj-indexer writes for a response or revisit record of a GET
    exchange (its ``block``: HTTP head and payload, or a revisit's head alone), made from what
    the writer knows instead of reading the record back: the same SURT key, timestamp and JSON.

    Raises ``ValueError`` for a record whose line this cannot vouch for (an HTTP head warcio
    would not parse): its file is then indexed by reading it.
    """
    http_headers = None
    if block and target_uri.startswith(ArcWarcRecordLoader.HTTP_SCHEMES):
        try:
            http_headers = _HTTP_HEAD_PARSER.parse(io.BytesIO(block))
        except EOFError:
            if rec_type != "revisit":  # the indexer ends the file there
                raise ValueError(f"no HTTP head in the response to {target_uri}") from None
        except Exception as exc:  # warcio's parse errors have no common type
            raise ValueError(f"HTTP head of {target_uri} unreadable ({exc})") from exc
    fields: dict[str, str] = {"url": target_uri}
    if rec_type == "revisit":
        fields["mime"] = "warc/revisit"
    elif http_headers:  # the indexer's test: a status line or a header
        mime = http_headers.get_header("content-type")
        if mime is not None:
            fields["mime"] = _SPACE.split(mime, 1)[0].strip() if mime else mime
    if http_headers:
        fields["status"] = http_headers.get_statuscode()
    fields["digest"] = payload_digest
    fields["length"] = str(length)
    fields["offset"] = str(offset)
    fields["filename"] = filename
    key = url_key(target_uri)
    return f"{key} {iso_date_to_timestamp(warc_date)} {json.dumps(fields)}\n"


class CdxjSpill:
    """The ``index.cdxj`` lines of a WARC being written, kept on disk beside it (not in memory)
    until ``update_cdxj`` merges them into the index: sorted runs of at most ``RUN_LINES`` lines
    appended to ``.{WARC name}.cdxj-runs``.

    The file is only ever read by the run that wrote it, through the run boundaries it holds; a
    file left by a killed run is stale (its WARC is indexed by reading it) and ``update_cdxj``
    deletes it.
    """

    RUN_LINES = 4096

    def __init__(self, warc: Path) -> None:
        self.path = spill_path(warc)
        self._fh: BinaryIO | None = open(self.path, "wb")  # noqa: SIM115 - closed in finish()
        self._lines: list[bytes] = []
        self._runs: list[tuple[int, int]] = []
        self._end = 0

    def add(self, line: str) -> None:
        """Add one line (``cdxj_line``). Raises ``ValueError`` for a line UTF-8 cannot encode,
        ``OSError`` when a run cannot be written: the caller then indexes the WARC by reading it.
        """
        self._lines.append(line.encode("utf-8"))
        if len(self._lines) >= self.RUN_LINES:
            self._write_run()

    def _write_run(self) -> None:
        if not self._lines:
            return
        assert self._fh is not None
        self._lines.sort()  # UTF-8 bytes sort as their text does
        data = b"".join(self._lines)
        self._fh.write(data)
        self._runs.append((self._end, self._end + len(data)))
        self._end += len(data)
        self._lines = []

    def finish(self) -> None:
        """Write the last run and close the file (the WARC is complete)."""
        if self._fh is not None:
            try:
                self._write_run()
                self._fh.flush()
            finally:
                self._fh.close()
                self._fh = None

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._lines = []
        self.path.unlink(missing_ok=True)

    def runs(self, fd: int) -> list[Iterator[str]]:
        """Each sorted run as lines, read from ``fd`` (this spill file, opened by the caller)."""
        return [_read_run(fd, start, end) for start, end in self._runs]


SPILL_SUFFIX = ".cdxj-runs"


def spill_path(warc: Path) -> Path:
    """Where the index lines of ``warc`` are spilled while it is being written."""
    return warc.with_name(f".{warc.name}{SPILL_SUFFIX}")


def _read_run(fd: int, start: int, end: int) -> Iterator[str]:
    pending = b""
    while start < end:
        chunk = os.pread(fd, min(1 << 16, end - start), start)
        if not chunk:
            raise OSError(f"index lines cut short at byte {start} of {end}")
        start += len(chunk)
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            yield line.decode("utf-8") + "\n"
    if pending:
        raise OSError("index lines without a final newline")


def update_cdxj(directory: Path, written: Mapping[str, CdxjSpill] | None = None) -> Path:
    """Add to ``index.cdxj`` the closed WARCs of ``directory`` it does not cover yet.

    ``written``: the spilled lines (``CdxjSpill``, finished) of files the caller wrote, by file
    name; those files are not read again, and their spill files are deleted here. Every other
    file the index does not cover is read, and spill files left by killed runs are deleted (a
    file is never indexed twice: a file the index names is left out).

    A run adds its own files (and those of a run killed before it could index them), so a
    refresh does not pay for re-reading the whole archive. A file another run sharing the folder
    is still writing (it holds a lock on it) is left to that run: indexed half-written, its name
    would be in the index and its later records never. The new lines are merged into the sorted
    index and the file is replaced atomically, under a lock (two runs ending together would
    each replace the other's additions). `verify` reports records missing from the index;
    `verify --repair` rebuilds it.
    """
    directory = Path(directory)
    written = written or {}
    try:
        with _index_lock(directory):
            return _update_cdxj(directory, written)
    finally:
        for spill in written.values():
            spill.discard()


def _update_cdxj(directory: Path, written: Mapping[str, CdxjSpill]) -> Path:
    output = directory / INDEX_NAME
    indexed: set[str] = set()
    if output.exists():
        with output.open(encoding="utf-8") as fh:
            indexed = {m.group(1) for line in fh if (m := _FILENAME.search(line))}
    unknown = [p for p in sorted_warcs(directory) if p.name not in indexed]
    spills = [written[p.name] for p in unknown if p.name in written]
    to_read = [str(p) for p in unknown if p.name not in written and not being_written(p)]
    _remove_stale_spills(directory, written)
    if not spills and not to_read:
        return output
    added = temp_path_beside(output)  # the lines of the files read, merged into the index below
    try:
        if to_read:
            write_cdx_index(str(added), to_read, {"sort": True, "post_append": True})
        else:
            added.touch()
        with ExitStack() as stack:
            runs = []
            for spill in spills:
                fd = os.open(spill.path, os.O_RDONLY)
                stack.callback(os.close, fd)
                runs += spill.runs(fd)
            merged = stack.enter_context(atomic_replace(output))
            old = stack.enter_context(
                output.open(encoding="utf-8") if output.exists() else io.StringIO()
            )
            new = stack.enter_context(added.open(encoding="utf-8"))
            out = stack.enter_context(merged.open("x", encoding="utf-8"))
            out.writelines(heapq.merge(old, new, *runs))
    finally:
        added.unlink(missing_ok=True)
    return output


def _remove_stale_spills(directory: Path, written: Mapping[str, CdxjSpill]) -> None:
    """Delete the spill files of killed runs: WARCs nobody is writing any more, not the caller's."""
    for path in directory.glob(f".*{SPILL_SUFFIX}"):
        warc = path.with_name(path.name[1 : -len(SPILL_SUFFIX)])
        if warc.name not in written and not being_written(warc):
            path.unlink(missing_ok=True)


def _sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return "sha256:" + digest.hexdigest(), size


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class IncompleteIndexError(ValueError):
    """Pages of the package are missing from the index built from its WARCs (damaged records)."""


def _indexed_urls(index: Path) -> set[str]:
    urls = set()
    with index.open(encoding="utf-8") as fh:
        for line in fh:
            _, _, fields = line.partition(" {")
            try:
                urls.add(str(json.loads("{" + fields)["url"]))
            except (ValueError, KeyError):
                continue
    return urls


def package_wacz(
    warc_dir: Path,
    pages: Iterable[dict[str, object]],
    output: Path,
    *,
    title: str = "CCME archive",
    description: str = "",
) -> Path:
    """Build a WACZ 1.1.1 file from the WARCs of ``warc_dir``.

    ``pages`` yields dicts with ``url`` and ``ts`` (ISO 8601 or RFC 3339; a trailing ``+00:00``
    becomes ``Z``) and optionally ``title`` and ``id``. WARCs are stored (not re-compressed), so
    the CDXJ offsets stay valid inside the zip. The output is replaced atomically
    (``fsutil.atomic_replace``).

    Raises ``IncompleteIndexError``, and writes nothing, when pages are missing from the index
    (a damaged record stops the indexer at that point of its file): a replay of such a package
    would silently lack them.
    """
    warc_dir = Path(warc_dir)
    output = Path(output)
    warcs = sorted_warcs(warc_dir)
    if not warcs:
        raise FileNotFoundError(f"no .warc.gz files in {warc_dir}")
    with tempfile.TemporaryDirectory(prefix="wacz-") as work_name:
        work = Path(work_name)
        index = write_cdxj(warc_dir, work / INDEX_NAME)
        pages = list(pages)
        indexed = _indexed_urls(index)
        missing = [str(page["url"]) for page in pages if page["url"] not in indexed]
        if missing:
            raise IncompleteIndexError(
                f"{len(missing)} of {len(pages)} pages are missing from the index of the WARCs "
                f"(first: {missing[0]}); damaged records? run `ccme-crawler verify`"
            )
        pages_path = work / "pages.jsonl"
        main_page: dict[str, object] | None = None
        with open(pages_path, "w", encoding="utf-8") as fh:
            header = {"format": "json-pages-1.0", "id": "pages", "title": title}
            fh.write(json.dumps(header, ensure_ascii=False) + "\n")
            for number, page in enumerate(pages):
                entry = {
                    "id": str(page.get("id") or f"p{number}"),
                    "url": page["url"],
                    "ts": _normalize_ts(str(page["ts"])),
                }
                if page.get("title"):
                    entry["title"] = page["title"]
                main_page = main_page or entry
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

        entries: list[tuple[str, Path]] = [(f"archive/{p.name}", p) for p in warcs]
        entries += [("indexes/index.cdxj", index), ("pages/pages.jsonl", pages_path)]
        resources = []
        for arcname, path in entries:
            digest, size = _sha256_file(path)
            resources.append(
                {"name": Path(arcname).name, "path": arcname, "hash": digest, "bytes": size}
            )
        now = _rfc3339(datetime.now(UTC))
        datapackage: dict[str, object] = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": title,
            "description": description,
            "created": now,
            "modified": now,
            "software": f"ccme-crawler/{__version__}",
            "resources": resources,
        }
        if main_page:
            datapackage["mainPageUrl"] = main_page["url"]
            datapackage["mainPageDate"] = main_page["ts"]
        datapackage_bytes = json.dumps(datapackage, indent=2, ensure_ascii=False).encode("utf-8")
        digest_doc = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest(),
        }

        output.parent.mkdir(parents=True, exist_ok=True)
        with (
            atomic_replace(output) as tmp,
            zipfile.ZipFile(tmp, "x", compression=zipfile.ZIP_STORED) as zf,
        ):
            for arcname, path in entries:
                compression = zipfile.ZIP_STORED
                if arcname.endswith((".cdxj", ".jsonl")):
                    compression = zipfile.ZIP_DEFLATED
                zf.write(path, arcname, compress_type=compression)
            zf.writestr("datapackage.json", datapackage_bytes, zipfile.ZIP_DEFLATED)
            zf.writestr(
                "datapackage-digest.json",
                json.dumps(digest_doc, indent=2).encode("utf-8"),
                zipfile.ZIP_DEFLATED,
            )
    return output


def _normalize_ts(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _rfc3339(moment)
