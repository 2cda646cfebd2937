"""An HTTP/1.1 download handler that keeps the bytes of each exchange for the WARC writer.

Scrapy's ``Response`` keeps the protocol and status but not the reason phrase, folds header names
to title case, drops the connection headers Twisted consumes (``Transfer-Encoding``,
``Connection``, …) and hands over a de-chunked body. An archive needs what was on the wire, so
this handler is Scrapy's own ``HTTP11DownloadHandler`` with three taps:

* the request header block, as Twisted writes it to the socket (``Host``, ``Connection: close``,
  ``Content-Length`` included);
* the response status line and header lines, as read from the socket, in order and case;
* the response body before transfer decoding (still chunked if it was sent chunked, still
  gzip'd if it was sent gzip'd).

The taps are stored as a :class:`RawExchange` in ``request.meta["_ccme_raw_exchange"]``, which
:class:`~ccme_crawler.warc.middleware.WarcCaptureMiddleware` pops. Nothing else changes: the
``Response`` that Scrapy builds is the same as with the stock handler.

This relies on Scrapy 2.19's private ``_ScrapyAgent`` and Twisted's ``HTTPClientParser`` hooks
(tests/warc/test_scrapy_capture.py fails loudly if they change). Without this handler the
middleware still works, recording what the ``Response`` object holds (see docs/warc.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
    _ScrapyAgent,
)
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.web._newclient import HEADER, STATUS

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress
    from twisted.web._newclient import HTTP11ClientProtocol
    from twisted.web._newclient import Request as TxRequest
    from twisted.web.iweb import IResponse

logger = logging.getLogger(__name__)

RAW_META_KEY = "_ccme_raw_exchange"


@dataclass(slots=True)
class RawExchange:
    """The bytes of one HTTP exchange as they crossed the socket."""

    request_head: bytes | None = None  # request line + header lines + blank line
    sent_at: datetime | None = None
    response_head: bytes = b""  # status line + header lines + blank line
    body_parts: list[bytes] = field(default_factory=list)
    body_trim: int = 0  # bytes at the end of body_parts that belong to the next message
    complete: bool = False

    @property
    def status_line(self) -> bytes:
        return self.response_head.split(b"\n", 1)[0].rstrip(b"\r")

    @property
    def body(self) -> bytes:
        data = b"".join(self.body_parts)
        return data[: len(data) - self.body_trim] if self.body_trim else data


class _CapturingParser(_LenientHTTPClientParser):
    """Records the status/header lines and raw body bytes the parser is fed."""

    _ccme_lines: list[bytes]
    _ccme_raw: RawExchange | None = None

    def lineReceived(self, line: bytes) -> None:
        if self.state == STATUS:
            self._ccme_lines = []  # also resets after an ignored 1xx response
        if self.state in (STATUS, HEADER):
            # LineReceiver splits on LF and keeps any CR: line + LF is the line as received.
            self._ccme_lines.append(line + b"\n")
        super().lineReceived(line)

    def allHeadersReceived(self) -> None:
        response = getattr(self, "response", None)
        if response is not None and not 100 <= response.code < 200:
            raw = RawExchange(
                request_head=getattr(self.request, "_ccme_sent_head", None),
                sent_at=getattr(self.request, "_ccme_sent_at", None),
                response_head=b"".join(self._ccme_lines),
            )
            self._ccme_raw = raw
            response._ccme_raw = raw
        super().allHeadersReceived()

    def rawDataReceived(self, data: bytes) -> None:
        raw = self._ccme_raw
        if raw is not None and not raw.complete:
            raw.body_parts.append(data)
        super().rawDataReceived(data)

    def _finished(self, rest: bytes) -> None:
        raw = self._ccme_raw
        if raw is not None and not raw.complete:
            raw.complete = True
            # `rest` is the tail of the last chunk fed to rawDataReceived (or, for bodiless
            # responses, of the line buffer, in which case nothing was recorded).
            if raw.body_parts:
                raw.body_trim = len(rest)
        super()._finished(rest)


class _CapturingProtocol(_LenientHTTP11ClientProtocol):
    def request(self, request: TxRequest) -> Deferred[IResponse]:
        write_headers = request._writeHeaders

        def _write_headers(transport: Any, te_or_cl: bytes | None) -> None:
            recorder = _Recorder()
            write_headers(recorder, te_or_cl)
            # Kept on Twisted's request (which has no slot for it) for the parser of its answer.
            request._ccme_sent_head = b"".join(recorder.data)  # type: ignore[attr-defined]
            request._ccme_sent_at = datetime.now(UTC)  # type: ignore[attr-defined]
            transport.writeSequence(recorder.data)

        # Wraps Twisted's private header writer to record the bytes sent (no public hook).
        request._writeHeaders = _write_headers  # type: ignore[method-assign]
        d = super().request(request)
        if self._parser is not None:
            self._parser.__class__ = _CapturingParser
        return d


class _Recorder:
    def __init__(self) -> None:
        self.data: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.data.append(data)

    def writeSequence(self, seq: list[bytes]) -> None:
        self.data.extend(seq)


class _CapturingFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: IAddress | None) -> HTTP11ClientProtocol:
        return _CapturingProtocol(self._quiescentCallback)


class _CapturingAgent(_ScrapyAgent):
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        raw = getattr(txresponse, "_ccme_raw", None)
        if raw is not None:
            request.meta[RAW_META_KEY] = raw
        return super()._cb_bodyready(txresponse, request)


class CaptureHTTP11DownloadHandler(HTTP11DownloadHandler):
    """``HTTP11DownloadHandler`` that also records each exchange's raw bytes (see module doc)."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self._pool._factory = _CapturingFactory

    async def download_request(self, request: Request) -> Response:
        # Scrapy 2.19's HTTP11DownloadHandler.download_request with the agent class swapped.
        spider = self._crawler.spider
        agent = _CapturingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=getattr(spider, "download_maxsize", self._default_maxsize),
            warnsize=getattr(spider, "download_warnsize", self._default_warnsize),
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise


DOWNLOAD_HANDLERS = {
    "http": "ccme_crawler.warc.handler.CaptureHTTP11DownloadHandler",
    "https": "ccme_crawler.warc.handler.CaptureHTTP11DownloadHandler",
}
