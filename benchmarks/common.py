"""What every benchmark shares: the mirror in a process of its own, measured crawl subprocesses,
the machine's description and the result rows.

A generated mirror is served by ``python -m ccme_mirror serve --articles N --control`` in a
separate process, so that the server's Python never shares a GIL (or a core's time slice) with
the crawler being measured. ``mirror(n)`` keeps one running server per size for the whole run
(``run_all.py`` runs every benchmark in one process), and ``full_crawl(n)`` keeps the result of
our full crawl of it (database, WARCs, figures), so the crawl, scale, refresh and re-extraction
benchmarks crawl each size once.

Each crawl runs in a subprocess waited for with ``os.wait4``: wall time from spawn to exit, its
CPU time, its peak resident set size (``VmHWM``, polled from /proc while it runs) and the CPU time
of the processes it started (the extraction workers and their forkserver, polled while they run).
"""

from __future__ import annotations

import atexit
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PYTHON = sys.executable
if str(ROOT) not in sys.path:  # runnable from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from ccme_crawler.runner import LOCAL_MIRROR_SETTINGS  # noqa: E402
from ccme_mirror.site import default_categories  # noqa: E402

# Every category of a generated mirror: 20,000 articles make 2,000 listing pages (+ ~3 % of the
# articles listed in two categories).
ALL_CATEGORIES: list[str] = [c.path for c in default_categories()]


def loopback_settings() -> list[str]:
    """``-s NAME=VALUE`` arguments turning politeness off, shared by our crawl and the bare one."""
    args: list[str] = []
    for name, value in LOCAL_MIRROR_SETTINGS.items():
        args += ["-s", f"{name}={value}"]
    return args


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """CPU model, cores, RAM, OS and the versions that matter to the figures."""
    import psutil
    import scrapy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import lxml.etree

        lxml_version = ".".join(map(str, lxml.etree.LXML_VERSION))
    except ImportError:
        lxml_version = "-"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "lxml": lxml_version,
        # Other work on the machine skews every figure; recorded so that a reader can tell.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def describe_machine(info: dict[str, Any] | None = None) -> str:
    m = info or machine()
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, "
        f"Scrapy {m['scrapy']}, SQLite {m['sqlite']}, lxml {m['lxml']}; "
        f"load average at start {m['load_average_at_start']}"
    )


# --- the mirror, in a process of its own ------------------------------------------------------


class MirrorProcess:
    """``python -m ccme_mirror serve --articles N --port 0 --control`` as a context manager.

    ``add(n)`` publishes n new articles, ``counts()`` returns the requests served by kind,
    ``reset()`` forgets them, ``cpu_seconds()`` is the server's CPU time so far (to tell a
    server-bound baseline from a crawler-bound one).
    """

    def __init__(self, articles: int, *, seed: int = 0) -> None:
        self.articles = articles
        self.seed = seed
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def start(self) -> MirrorProcess:
        cmd = [PYTHON, "-m", "ccme_mirror", "serve", "--articles", str(self.articles)]
        cmd += ["--seed", str(self.seed), "--port", "0", "--control"]
        self._proc = subprocess.Popen(
            cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"mirror did not start: {line!r}")
        self.base_url = line
        return self

    def command(self, text: str) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin and self._proc.stdout
        with self._lock:
            self._proc.stdin.write(text + "\n")
            self._proc.stdin.flush()
            while True:  # skip the category lines printed at start-up
                line = self._proc.stdout.readline()
                if not line:
                    raise RuntimeError("mirror process ended")
                if line.startswith("{"):
                    answer: dict[str, Any] = json.loads(line)
                    if "error" in answer:
                        raise RuntimeError(answer["error"])
                    return answer

    def add(self, n: int) -> dict[str, Any]:
        return self.command(f"add {n}")

    def counts(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.command("count").items()}

    def reset(self) -> None:
        self.command("reset")

    def cpu_seconds(self) -> float:
        import psutil

        assert self._proc is not None
        times = psutil.Process(self._proc.pid).cpu_times()
        return float(times.user + times.system)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin:
            proc.stdin.close()  # end of input stops the server
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()

    def __enter__(self) -> MirrorProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_MIRRORS: dict[int, MirrorProcess] = {}


def mirror(articles: int) -> MirrorProcess:
    """The shared, unchanged mirror of ``articles`` articles (started once, stopped at exit).

    Benchmarks that change the site (refresh) start a ``MirrorProcess`` of their own.
    """
    if articles not in _MIRRORS:
        _MIRRORS[articles] = MirrorProcess(articles).start()
    return _MIRRORS[articles]


@atexit.register
def stop_mirrors() -> None:
    for server in _MIRRORS.values():
        server.stop()
    _MIRRORS.clear()


# --- measured subprocesses --------------------------------------------------------------------


@dataclass
class Measured:
    cmd: list[str]
    returncode: int
    wall_seconds: float
    peak_rss_mb: float  # the process's own high-water mark (VmHWM)
    cpu_seconds: float  # user + system
    stdout: str
    stderr: str
    server_cpu_seconds: float | None = None
    # The processes the command started (extraction workers, their forkserver), user + system,
    # as last polled before each ended: up to one polling interval (0.1 s) of each is missed.
    descendants_cpu_seconds: float = 0.0

    def json_line(self) -> dict[str, Any]:
        """The last JSON object the process printed on stdout."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                parsed: dict[str, Any] = json.loads(line)
                return parsed
        raise RuntimeError(
            f"no JSON line from {' '.join(self.cmd[:4])}… (exit {self.returncode})\n"
            f"{self.stderr[-2000:]}"
        )

    def check(self) -> Measured:
        if self.returncode != 0:
            raise RuntimeError(
                f"{' '.join(self.cmd)} exited {self.returncode}\n{self.stderr[-3000:]}"
            )
        return self


def run_measured(
    cmd: list[str], *, server: MirrorProcess | None = None, timeout: float = 7200
) -> Measured:
    """Run ``cmd`` to its end; wall time, peak RSS and CPU time of that process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    OUT.mkdir(parents=True, exist_ok=True)
    with _spool() as out, _spool() as err:
        server_cpu = server.cpu_seconds() if server else None
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        peak = _PeakWatcher(proc.pid)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            peak.stop()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if server is not None and server_cpu is not None:
            server_cpu = server.cpu_seconds() - server_cpu
        out.seek(0)
        err.seek(0)
        return Measured(
            cmd=cmd,
            returncode=proc.returncode,
            wall_seconds=wall,
            # ru_maxrss of a child counts the parent's memory at fork time on Linux (exec keeps
            # the old address space's high-water mark), so the child's own VmHWM is preferred.
            peak_rss_mb=(peak.kib or usage.ru_maxrss) / 1024,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            stdout=out.read(),
            stderr=err.read(),
            server_cpu_seconds=server_cpu,
            descendants_cpu_seconds=peak.descendants_cpu_seconds,
        )


class _PeakWatcher:
    """Polls ``VmHWM`` (peak resident set of the process's own address space, fresh after exec)
    from /proc/PID/status until stopped; ``kib`` is the last reading (0 if none).

    It also polls the CPU time of the process's descendants: the extraction workers are children
    of a forkserver, not of the crawl, so neither ``wait4`` nor the crawl's ``RUSAGE_CHILDREN``
    counts them; the last reading of each before it ends is kept."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        import psutil

        self.kib = 0
        self._path = Path(f"/proc/{pid}/status")
        self._descendants: dict[tuple[int, float], float] = {}  # (pid, created at) -> CPU s
        try:
            self._process: psutil.Process | None = psutil.Process(pid)
        except psutil.Error:
            self._process = None
        self._stopped = threading.Event()
        self._interval = interval
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stopped.is_set():
            try:
                for line in self._path.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.kib = max(self.kib, int(line.split()[1]))
                        break
            except (OSError, ValueError):
                pass
            self._poll_descendants()
            self._stopped.wait(self._interval)

    def _poll_descendants(self) -> None:
        import psutil

        if self._process is None:
            return
        try:
            children = self._process.children(recursive=True)
        except psutil.Error:  # the process has ended
            return
        for child in children:
            try:
                with child.oneshot():
                    times = child.cpu_times()
                    key = (child.pid, child.create_time())
            except psutil.Error:  # ended meanwhile: its last reading stays
                continue
            self._descendants[key] = times.user + times.system

    @property
    def descendants_cpu_seconds(self) -> float:
        return sum(self._descendants.values())

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def _spool() -> IO[str]:
    import tempfile

    return tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")


def crawl_command(
    db: Path,
    base_url: str,
    *,
    pagination: str = "parallel",
    warc_dir: Path | None = None,
    categories: list[str] | None = None,
    extra: list[str] | None = None,
    requisites: str = "none",
) -> list[str]:
    """``python -m ccme_crawler crawl`` of a mirror with politeness off. Page requisites are not
    fetched unless asked (``requisites="site"``): the other benchmarks measure pages."""
    cmd = [PYTHON, "-m", "ccme_crawler", "crawl", "--db", str(db), "--base-url", base_url]
    cmd += ["--json", "--no-progress", *loopback_settings(), "-s", f"CCME_PAGINATION={pagination}"]
    for category in categories or ALL_CATEGORIES:
        cmd += ["--category", category]
    cmd += ["--warc", str(warc_dir), "--requisites", requisites] if warc_dir else ["--no-warc"]
    return cmd + list(extra or [])


def bare_command(base_url: str, *, pagination: str = "parallel") -> list[str]:
    cmd = [PYTHON, str(ROOT / "benchmarks" / "bare_spider.py"), "--base-url", base_url]
    cmd += ["--pagination", pagination, *loopback_settings()]
    for category in ALL_CATEGORIES:
        cmd += ["--category", category]
    return cmd


def fresh_dir(name: str) -> Path:
    """An empty folder under benchmarks/out/ (kept after the run for inspection)."""
    path = OUT / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@dataclass
class CrawlResult:
    articles: int  # size of the mirror
    db: Path
    warc_dir: Path | None
    measured: Measured
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return int(self.summary.get("pages_fetched", 0))

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.measured.wall_seconds


_FULL_CRAWLS: dict[tuple[int, str, bool], CrawlResult] = {}


def full_crawl(articles: int, *, pagination: str = "parallel", warc: bool = True) -> CrawlResult:
    """Our full crawl (extraction, SQLite, FTS, WARC) of the shared mirror, once per run."""
    key = (articles, pagination, warc)
    if key not in _FULL_CRAWLS:
        server = mirror(articles)
        folder = fresh_dir(f"crawl-{articles}-{pagination}{'-warc' if warc else ''}")
        db = folder / "ccme.sqlite"
        warc_dir = folder / "warc" if warc else None
        cmd = crawl_command(db, server.base_url, pagination=pagination, warc_dir=warc_dir)
        measured = run_measured(cmd, server=server).check()
        summary = measured.json_line()
        if summary.get("articles_new") != articles or summary.get("failures"):
            raise RuntimeError(f"crawl of {articles} articles went wrong: {summary}")
        _FULL_CRAWLS[key] = CrawlResult(articles, db, warc_dir, measured, summary)
    return _FULL_CRAWLS[key]


# --- result rows ------------------------------------------------------------------------------


def row(
    bench: str,
    metric: str,
    value: float | None,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    target: str = "",
    met: bool | None = None,
    note: str = "",
    ratio: float | None = None,
) -> dict[str, Any]:
    """One figure beside its baseline (measured in the same run) and their ratio."""
    if ratio is None and value is not None and baseline:
        ratio = value / baseline
    return {
        "bench": bench,
        "metric": metric,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "ratio": ratio,
        "target": target,
        "met": met,
        "note": note,
    }


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def format_rows(rows: list[dict[str, Any]], *, markdown: bool = False) -> str:
    """Rows as a table: figure, baseline, ratio, target, verdict."""
    header = ["bench", "figure", "ours", "baseline", "ratio", "target", "met"]
    lines = []
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        base = (
            f"{_fmt(r['baseline'])}{unit} ({r['baseline_name']})"
            if r["baseline"] is not None
            else r["baseline_name"] or "-"
        )
        verdict = {True: "yes", False: "NO", None: "-"}[r["met"]]
        ratio = _fmt_ratio(r["ratio"])
        lines.append(
            [
                r["bench"],
                r["metric"],
                f"{_fmt(r['value'])}{unit}",
                base,
                ratio,
                r["target"],
                verdict,
            ]
        )
        if r["note"]:
            lines.append(["", f"  ↳ {r['note']}", "", "", "", "", ""])
    if markdown:
        out = ["| " + " | ".join([*header, "note"]) + " |", "|" + " --- |" * (len(header) + 1)]
        for r, cells in zip(rows, [c for c in lines if c[0]], strict=True):
            note = r["note"].replace("|", "/")
            out.append("| " + " | ".join([*cells, note]) + " |")
        return "\n".join(out)
    widths = [max(len(str(c[i])) for c in [header, *lines]) for i in range(len(header))]
    widths[1] = min(widths[1], 48)
    text = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    for cells in lines:
        if not cells[0] and cells[1].startswith("  ↳"):
            text.append(" " * (widths[0] + 2) + cells[1].strip())
            continue
        text.append("  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)))
    return "\n".join(text)


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n== {title} ==")
    print(format_rows(rows), flush=True)
