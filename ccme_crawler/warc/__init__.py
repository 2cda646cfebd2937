"""Archival capture in WARC/1.1: writer, Scrapy capture, verification, CDXJ and WACZ.

See docs/warc.md.
"""

from ccme_crawler.warc.index import IncompleteIndexError, package_wacz, write_cdxj
from ccme_crawler.warc.reader import CapturedPage, iter_captured_pages
from ccme_crawler.warc.verify import Problem, RepairResult, VerifyReport, repair_warc, verify_warcs
from ccme_crawler.warc.writer import WarcWriter

__all__ = [
    "CapturedPage",
    "IncompleteIndexError",
    "Problem",
    "RepairResult",
    "VerifyReport",
    "WarcWriter",
    "iter_captured_pages",
    "package_wacz",
    "repair_warc",
    "verify_warcs",
    "write_cdxj",
]
