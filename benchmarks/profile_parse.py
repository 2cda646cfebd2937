"""How much a faster HTML parser could buy: the parse's share of extracting a page.

    python benchmarks/profile_parse.py [--warc DIR] [--limit N] [--rounds N]

For the golden corpus and a crawl's article pages (as ``profile_records.py`` reads them), CPU ms
a page (``time.process_time``, best of ``--rounds``) of ``record_from_page`` (the whole
extraction), of decoding and cutting the page (``decode_html`` + ``post_cut``), and of lxml's
parse of the cut as the extraction parses it. With selectolax installed (``pip install
selectolax``: not a dependency) it also times Lexbor's parse of the same cut, an HTML5 tree
builder often quoted as several times faster than libxml2.

Even a parse that cost nothing would only save its own share: the last line prints the most a
faster parser could make the extraction, before rewriting every XPath rule for another tree
(and accepting the records that tree gives).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from profile_records import DEFAULT_WARC, _cpu_ms_per_item, golden_pages, warc_pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warc", type=Path, default=DEFAULT_WARC, help="WARC directory")
    parser.add_argument("--limit", type=int, default=600, help="at most this many WARC pages")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes (best one counts)")
    args = parser.parse_args()

    from ccme_crawler.extraction.article import _parse
    from ccme_crawler.extraction.cut import post_cut
    from ccme_crawler.extraction.text import decode_html
    from ccme_crawler.records import record_from_page

    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        LexborHTMLParser = None

    for name, pages in {
        "golden": golden_pages(),
        "mirror": warc_pages(args.warc, args.limit),
    }.items():
        list(map(record_from_page, pages))  # warm: imports, caches
        cuts = [post_cut(p.body, p.encoding) for p in pages]
        cut_texts = [c for c in cuts if c is not None]
        share = len(cut_texts) / max(1, len(pages))
        whole = _cpu_ms_per_item(record_from_page, pages, args.rounds)
        prepare = _cpu_ms_per_item(
            lambda p: (decode_html(p.body, p.encoding), post_cut(p.body, p.encoding)),
            pages,
            args.rounds,
        )
        lxml_parse = share * _cpu_ms_per_item(_parse, cut_texts, args.rounds)
        print(f"{name}: {len(pages)} pages, {len(cut_texts)} cut")
        print(f"  record_from_page          {whole:6.3f} ms a page")
        print(f"  decode + post_cut         {prepare:6.3f} ms a page")
        print(f"  lxml parse of the cut     {lxml_parse:6.3f} ms a page ({lxml_parse / whole:.0%})")
        if LexborHTMLParser is not None:
            lexbor = share * _cpu_ms_per_item(LexborHTMLParser, cut_texts, args.rounds)
            print(
                f"  lexbor parse of the cut   {lexbor:6.3f} ms a page ({lexbor / lxml_parse:.2f}× lxml's)"
            )
        else:
            print("  lexbor: not installed (pip install selectolax)")
        print(f"  a free parse: at most {whole / (whole - lxml_parse):.2f}× the extraction's speed")


if __name__ == "__main__":
    main()
