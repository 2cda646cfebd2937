"""CPU per page of turning a fetched page into its record, part by part, and the records made.

    python benchmarks/profile_records.py [--code DIR] [--warc DIR] [--limit N] [--rounds N]
                                         [--dump FILE] [--profile FILE]

Pages: the golden corpus (``tests/golden/pages``) and the article pages of a crawl's WARCs
(``--warc``, by default the saved 2,000-article crawl ``benchmarks/out/tm-2000/warc``, read as
``reextract`` reads them). For each set, the CPU milliseconds a page (``time.process_time``,
best of ``--rounds`` passes) of :func:`ccme_crawler.workers.analysed_record` (the whole path of
the extraction worker) and of its parts: ``record_from_page`` (decoding, post cut, parse,
fields), ``extract_countries`` and ``story_signature``.

``--code DIR`` imports ``ccme_crawler`` from another checkout (a baseline tree: ``git worktree
add /tmp/base <commit>``), so that the same script measures both in one sitting. ``--dump FILE``
writes every record (``dataclasses.asdict`` of the ArticleRecord with its analysis, or of the
PageFailure) as JSON lines: the dumps of two trees are identical byte for byte when they make the
same records (``cmp``). ``--profile FILE`` saves a cProfile of the whole path over the pages.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WARC = ROOT / "benchmarks" / "out" / "tm-2000" / "warc"


def _import_from(code: Path | None) -> None:
    path = str((code or ROOT).resolve())
    if path not in sys.path:
        sys.path.insert(0, path)


def golden_pages() -> list[Any]:
    from ccme_crawler.records import page_from_file

    pages = []
    for expected in sorted((ROOT / "tests" / "golden" / "expected").glob("*.json")):
        url = json.loads(expected.read_text("utf-8"))["url"]
        html = ROOT / "tests" / "golden" / "pages" / (expected.stem + ".html")
        pages.append(page_from_file(html, url))
    return pages


def warc_pages(warc_dir: Path, limit: int | None) -> list[Any]:
    """The article pages captured in ``warc_dir``, as ``reextract`` hands them to extraction."""
    from ccme_crawler.records import page_from_capture
    from ccme_crawler.warc import iter_captured_pages
    from ccme_crawler.warc.reader import CaptureClassifier

    classifier = CaptureClassifier()
    pages = []
    for capture in iter_captured_pages(warc_dir):
        kind = classifier.kind(capture.target_uri, capture.status, capture.headers.get("location"))
        if kind == "page":
            pages.append(page_from_capture(capture, classifier.fetched_url(capture.target_uri)))
            if limit is not None and len(pages) >= limit:
                break
    return pages


def _cpu_ms_per_item(work: Callable[[Any], Any], items: list[Any], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            work(item)
        best = min(best, time.process_time() - start)
    return 1000 * best / max(1, len(items))


def measure(pages: list[Any], rounds: int) -> dict[str, float]:
    """CPU ms a page of the whole path and of each part (parts timed on their own inputs)."""
    from ccme_crawler.extraction.countries import extract_countries
    from ccme_crawler.items import ArticleRecord
    from ccme_crawler.records import record_from_page
    from ccme_crawler.stories import story_signature
    from ccme_crawler.workers import analysed_record

    # One untimed pass: imports, the gazetteer, the folded-word cache (as in a worker that has
    # run for a while).
    records = list(map(analysed_record, pages))
    articles = [r.article for r in records if isinstance(r, ArticleRecord)]
    n = max(1, len(pages))
    share = len(articles) / n  # the parts after extraction run on articles only
    return {
        "whole": _cpu_ms_per_item(analysed_record, pages, rounds),
        "record_from_page": _cpu_ms_per_item(record_from_page, pages, rounds),
        "countries": share
        * _cpu_ms_per_item(
            lambda a: extract_countries(a.title, a.body, a.language), articles, rounds
        ),
        "signature": share * _cpu_ms_per_item(lambda a: story_signature(a.body), articles, rounds),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def dump_records(pages: list[Any], path: Path) -> None:
    """Every record, one JSON line a page, its type named (see the module's docstring)."""
    from ccme_crawler.workers import analysed_record

    with path.open("w", encoding="utf-8") as out:
        for page in pages:
            record = analysed_record(page)
            row = {"type": type(record).__name__, **_jsonable(dataclasses.asdict(record))}
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, help="checkout to import ccme_crawler from")
    parser.add_argument("--warc", type=Path, default=DEFAULT_WARC, help="WARC directory")
    parser.add_argument("--limit", type=int, help="at most this many WARC article pages")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed passes (best one counts); 0: no timing"
    )
    parser.add_argument("--dump", type=Path, help="write every record here (JSON lines)")
    parser.add_argument("--profile", type=Path, help="save a cProfile of the whole path here")
    args = parser.parse_args()
    _import_from(args.code)
    import ccme_crawler

    sets = {"golden": golden_pages(), "mirror": warc_pages(args.warc, args.limit)}
    print(f"ccme_crawler from {Path(ccme_crawler.__file__).parent.parent}")
    if args.dump:
        dump_records(sets["golden"] + sets["mirror"], args.dump)
    if args.profile:
        import cProfile

        from ccme_crawler.workers import analysed_record

        everything = sets["golden"] + sets["mirror"]
        cProfile.runctx(
            "for p in pages: work(p)",
            {},
            {"pages": everything, "work": analysed_record},
            str(args.profile),
        )
    if args.rounds < 1:
        return
    print("| pages | n | whole | record_from_page | countries | signature |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, pages in sets.items():
        figures = measure(pages, args.rounds)
        cells = " | ".join(f"{figures[k]:.3f}" for k in figures)
        print(f"| {name} | {len(pages)} | {cells} |")


if __name__ == "__main__":
    main()
