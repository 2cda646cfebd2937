"""Scrapy downloader middleware writing every HTTP exchange to WARC files."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ccme_crawler.middlewares import NOT_FROM_SERVER_FLAG, FetchFailed
from ccme_crawler.run import STORAGE_ERROR, close_spider
from ccme_crawler.warc.handler import RAW_META_KEY, RawExchange
from ccme_crawler.warc.writer import DEFAULT_MAX_SIZE, WarcWriter

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.http.headers import Headers

    from ccme_crawler.items import WarcPointer

logger = logging.getLogger(__name__)

#: request.meta key holding the capture time (ISO 8601, UTC) of the response.
FETCHED_AT_META_KEY = "ccme_fetched_at"
#: request.meta / response.meta key holding the WarcPointer of the response (or revisit) record.
META_KEY = "ccme_warc"

# Settings whose values describe how the capture was made; written into each warcinfo record.
_WARCINFO_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_MAXSIZE",
    "CCME_BASE_URL",
    "CCME_REQUISITES",
)


class WarcCaptureMiddleware:
    """Writes each downloaded exchange (robots.txt, redirects and errors included) to a WARC and
    sets ``request.meta["ccme_warc"]`` to the :class:`~ccme_crawler.items.WarcPointer`.

    Settings: ``CCME_WARC_DIR`` (empty/None: middleware disabled), ``CCME_WARC_MAX_SIZE`` (bytes
    per file before rotation), ``CCME_WARC_PREFIX`` (file name prefix, default ``ccme``),
    ``CCME_WARC_OPERATOR`` (contact written into warcinfo).
    """

    def __init__(self, writer: WarcWriter, crawler: Crawler) -> None:
        self.writer = writer
        self.crawler = crawler
        self._warned_fallback = False
        self.broken: str | None = None  # why the WARC folder cannot be written, once it cannot

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        directory = settings.get("CCME_WARC_DIR")
        if not directory:
            raise NotConfigured  # no message: Scrapy would log a warning for a normal case
        info = {
            "operator": settings.get("CCME_WARC_OPERATOR") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
        }
        info.update(
            {f"scrapy-{name.lower()}": str(settings.get(name)) for name in _WARCINFO_SETTINGS}
        )
        writer = WarcWriter(
            Path(directory),
            prefix=settings.get("CCME_WARC_PREFIX") or "ccme",
            max_size=settings.getint("CCME_WARC_MAX_SIZE", DEFAULT_MAX_SIZE),
            warcinfo=info,
        )
        middleware = cls(writer, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if NOT_FROM_SERVER_FLAG in response.flags:
            return response  # a WARC holds only what a server sent
        raw: RawExchange | None = request.meta.pop(RAW_META_KEY, None)
        if raw is None and not self._warned_fallback:
            self._warned_fallback = True
            logger.warning(
                "WARC capture without ccme_crawler.warc.handler.CaptureHTTP11DownloadHandler: "
                "status lines are recorded without reason phrase and headers as Scrapy keeps them"
            )
        fetched_at = raw.sent_at if raw is not None and raw.sent_at else datetime.now(UTC)
        if self.broken is not None:
            raise FetchFailed("warc_write_error", f"not captured: {self.broken}")
        revisits_before = self.writer.revisits_written
        try:
            pointer = self._write(request, response, raw, fetched_at)
        except OSError as exc:
            # Disk full (or an I/O error) under --warc: the exchange was cut back off the file,
            # which stays whole; the page is not stored without its capture, and the run stops
            # as for a database that cannot be written (exit status 74).
            self.broken = f"cannot write to the WARC folder {self.writer.directory}: {exc}"
            logger.error("%s: stopping the run", self.broken)
            close_spider(self.crawler, STORAGE_ERROR)
            raise FetchFailed("warc_write_error", f"not captured: {self.broken}") from None
        request.meta[META_KEY] = pointer
        # The WARC-Date, so that the crawl and a re-extraction of its WARCs store the same time.
        request.meta[FETCHED_AT_META_KEY] = fetched_at.astimezone(UTC).isoformat()
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("ccme/warc/exchanges")
        stats.set_value("ccme/warc/revisits", self.writer.revisits_written)
        if request.meta.get("ccme_kind") == "requisite":
            # Counted apart from pages (see warc/requisites.py): bytes as received.
            stats.inc_value("ccme/requisites/responses")
            stats.inc_value(
                "ccme/requisites/bytes", len(raw.body if raw is not None else response.body)
            )
            if self.writer.revisits_written > revisits_before:
                stats.inc_value("ccme/requisites/revisits")
        return response

    def _write(
        self, request: Request, response: Response, raw: RawExchange | None, fetched_at: datetime
    ) -> WarcPointer:
        return self.writer.write_exchange(
            target_uri=request.url.split("#", 1)[0],
            request_method=request.method,
            request_headers=_header_pairs(request.headers),
            request_body=request.body,
            protocol=response.protocol or "HTTP/1.1",
            status=response.status,
            reason="",
            response_headers=_header_pairs(response.headers),
            payload=raw.body if raw is not None else response.body,
            fetched_at=fetched_at,
            peer_ip=str(response.ip_address) if response.ip_address else None,
            request_head=raw.request_head if raw is not None else None,
            response_head=raw.response_head if raw is not None and raw.response_head else None,
            extra_headers=_flag_headers(response.flags),
        )

    def spider_closed(self) -> None:
        try:
            self.writer.close()
        except OSError as exc:
            logger.error(
                "Cannot update the WARC index in %s (%s): run `ccme-crawler verify --repair` "
                "once there is room",
                self.writer.directory,
                exc,
            )
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("ccme/warc/files", len(self.writer.files_written))


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def _flag_headers(flags: list[str]) -> dict[str, str]:
    # A body Twisted could not read to its announced end is marked, per WARC 1.1 §5.13.
    if "dataloss" in flags or "partial" in flags:
        return {"WARC-Truncated": "disconnect"}
    return {}
