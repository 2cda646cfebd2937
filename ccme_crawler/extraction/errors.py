"""The one exception extraction raises: the extractor itself could not read a page."""

from __future__ import annotations


class ExtractionError(Exception):
    """A page the extractor could not run on (not a property of the page's content).

    ``reason`` is short and machine-readable (``fallback_failed``), ``detail`` says what broke
    (``fallback:trafilatura: ImportError: …``); callers record both as the page's failure.
    """

    def __init__(self, reason: str, detail: str, url: str | None = None) -> None:
        super().__init__(f"{url or '?'}: {reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.url = url
