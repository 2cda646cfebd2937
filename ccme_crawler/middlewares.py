"""Downloader middlewares that turn the faults of a long unattended crawl into named outcomes.

Stock Scrapy ignores ``Retry-After``, keeps hammering a site that is down, drops redirect loops
through its dupefilter without a trace and treats a robots.txt answering 5xx as "allow all".
These middlewares make each of those an outcome the run records (a ``PageFailure`` reason, or a
close reason that ``runner`` maps to an exit status). See ``docs/faults.md``.

Priorities (``DOWNLOADER_MIDDLEWARES``; ``process_response`` runs from high to low):

- ``SharedRobotsTxtMiddleware`` 100: replaces ``RobotsTxtMiddleware``.
- ``RedirectGuardMiddleware`` 610: sees a 3xx before ``RedirectMiddleware`` (600) follows it.
- ``RetryAfterMiddleware`` 550: replaces ``RetryMiddleware``.
- ``SiteDownMiddleware`` 545: sees each page's final outcome, once retries are spent.
- ``RobotsTxtGuardMiddleware`` 540: sees robots.txt's final answer, after retries.
- ``ByteCheckedMetaRefreshMiddleware`` 580: replaces ``MetaRefreshMiddleware``.
- ``IsalHttpCompressionMiddleware`` 590: replaces ``HttpCompressionMiddleware``.
"""

from __future__ import annotations

import codecs
import functools
import logging
import time
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import HtmlResponse, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from ccme_crawler.clock import utc_now
from ccme_crawler.compression import decode_content
from ccme_crawler.items import PageFailure
from ccme_crawler.run import RATE_LIMITED, ROBOTS_UNAVAILABLE, SITE_DOWN, Run, close_spider
from ccme_crawler.urls import is_site_url, normalize_base_url, origin_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)

# RFC 9309 §2.3.1.4: a robots.txt that cannot be read because of a server or network error
# means "complete disallow".
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
#: Response flag of a response no server sent (a middleware's stand-in): never written to a WARC.
NOT_FROM_SERVER_FLAG = "ccme_not_from_server"


class FetchFailed(IgnoreRequest):
    """A fetch given up for a cause the crawler names itself; ``reason`` is what gets recorded."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def parse_retry_after(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or HTTP-date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but a 429/503 with ``Retry-After`` waits as asked before any request.

    A wait up to ``CCME_RETRY_AFTER_MAX`` seconds pauses every new request (the whole crawl, not
    just the page: the site asked us to slow down). A longer wait ends the run politely with
    close reason ``rate_limited`` (exit status 4); the page is recorded as failed.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("CCME_RETRY_AFTER_MAX", 300.0)
        self.codes = {
            int(c) for c in crawler.settings.getlist("CCME_RETRY_AFTER_CODES", [429, 503])
        }
        self._resume_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        wait = self._resume_at - time.monotonic()
        if wait > 0:
            await sleep(wait)

    # RetryMiddleware still takes an optional ``spider`` (deprecated in Scrapy 2.13), which
    # Scrapy no longer passes: leaving it out is what Scrapy asks of new components.
    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.codes:
            return super().process_response(request, response)
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return super().process_response(request, response)
        stats = self.crawler.stats
        assert stats is not None
        if wait > self.max_wait:
            stats.inc_value("ccme/retry_after/over_cap")
            logger.error(
                "%s asked to wait %.0fs (Retry-After), more than CCME_RETRY_AFTER_MAX=%.0fs: "
                "stopping the run",
                request.url,
                wait,
                self.max_wait,
            )
            close_spider(self.crawler, RATE_LIMITED)
            return response
        stats.inc_value("ccme/retry_after/waits")
        stats.max_value("ccme/retry_after/max_wait", wait)
        self._resume_at = max(self._resume_at, time.monotonic() + wait)
        logger.info("%s: Retry-After %.1fs, pausing the crawl", request.url, wait)
        return super().process_response(request, response)


class SiteDownMiddleware:
    """Circuit breaker: ``CCME_SITE_DOWN_AFTER`` distinct URLs failing in a row (5xx or no
    answer at all, after their retries), with no success in between, close the run with reason
    ``site_down`` (exit status 3) instead of retrying every page of a dead site. The failures
    that tripped it are recorded; pages still waiting are left for the next run. 0 turns it
    off."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.threshold = crawler.settings.getint("CCME_SITE_DOWN_AFTER", 20)
        if self.threshold <= 0:
            raise NotConfigured
        self._failing: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        # Page requisites neither trip the breaker nor reset it: static files often answer
        # while the pages are down.
        if request.meta.get("ccme_kind") == "requisite":
            return response
        if response.status >= 500:
            self._failed(request, f"HTTP {response.status}")
        elif response.status != 429:
            self._failing.clear()
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if (
            not isinstance(exception, IgnoreRequest)
            and request.meta.get("ccme_kind") != "requisite"
        ):
            self._failed(request, type(exception).__name__)

    def _failed(self, request: Request, cause: str) -> None:
        self._failing.add(request.url)
        if len(self._failing) >= self.threshold:
            if Run.of(self.crawler).close_reason is None:
                assert self.crawler.stats is not None
                self.crawler.stats.set_value("ccme/site_down", 1)
                logger.error(
                    "The site looks down: %d different pages failed in a row (last: %s, %s); "
                    "stopping the run",
                    len(self._failing),
                    request.url,
                    cause,
                )
            close_spider(self.crawler, SITE_DOWN)


class RedirectGuardMiddleware:
    """Names redirect failures instead of letting them vanish.

    A redirect back to a URL already in the chain would be dropped silently by the dupefilter;
    it becomes a ``redirect_loop`` failure. A chain longer than ``REDIRECT_MAX_TIMES`` becomes
    ``too_many_redirects`` (stock Scrapy only logs it at debug level). A listing or article
    page redirected to another host is refused (``offsite_redirect``): that host's page would
    be stored under the CCME URL (an open redirect would inject foreign content).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES")
        if not crawler.settings.getbool("REDIRECT_ENABLED"):
            raise NotConfigured

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not 300 <= response.status < 400 or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if request.meta.get("ccme_kind") in ("listing", "article") and not same_site(
            target, chain[0]
        ):
            raise FetchFailed(
                "offsite_redirect",
                f"redirect to another host refused: {request.url} -> {target[:300]}",
            )
        if target in chain:
            raise FetchFailed(
                "redirect_loop",
                f"redirect loop after {len(chain)} redirect(s): {' -> '.join(chain)} -> {target}",
            )
        if request.meta.get("redirect_times", 0) + 1 > self.max_times:
            raise FetchFailed(
                "too_many_redirects",
                f"more than {self.max_times} redirects (REDIRECT_MAX_TIMES) from {chain[0]}; "
                f"last: {request.url} -> {target}",
            )
        return response


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_site(target: str, crawled: str) -> bool:
    """True when a redirect from ``crawled`` to ``target`` stays on the site: the CCME hosts
    (www. or not), the crawled host itself, or that host moving between http and https."""
    try:
        if is_site_url(target, origin_of(crawled)):
            return True
        to, src = urlsplit(target), urlsplit(crawled)
        to_port, src_port = to.port, src.port
    except ValueError:
        return False
    return (
        to.scheme in _DEFAULT_PORTS
        and bool(to.hostname)
        and to.hostname == src.hostname
        and to_port in (None, _DEFAULT_PORTS[to.scheme])
        and src_port in (None, _DEFAULT_PORTS.get(src.scheme))
    )


# RFC 9309 §2.5: crawlers "SHOULD impose a parsing limit" of at least 500 KiB.
ROBOTS_TXT_MAX_BYTES = 512 * 1024
_ROBOTS_BYTES_META = "ccme_robots_bytes"


def _is_robots_request(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and (
        urlparse_cached(request).path == "/robots.txt"
    )


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with robots.txt applied to every request that waited for it.

    In Scrapy 2.19 the requests waiting while robots.txt downloads all await one Deferred through
    ``maybe_deferred_to_future``; ``Deferred.asFuture`` makes the Deferred fire ``None`` for every
    later waiter, so all but one of them went out as if there were no robots.txt (regression of
    scrapy/scrapy#6802). The parser is read back from the middleware's table instead.

    A robots.txt is read up to ROBOTS_TXT_MAX_BYTES: the download stops there, and only the
    complete lines before the limit are parsed.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        crawler.signals.connect(self._cap_robots_download, signal=signals.bytes_received)

    def _cap_robots_download(self, data: bytes, request: Request, **_: object) -> None:
        """Stop downloading a robots.txt past ROBOTS_TXT_MAX_BYTES (a 10 MB one took 740 MB)."""
        if not _is_robots_request(request):
            return
        received = request.meta.get(_ROBOTS_BYTES_META, 0) + len(data)
        request.meta[_ROBOTS_BYTES_META] = received
        if received > ROBOTS_TXT_MAX_BYTES:
            raise StopDownload(fail=False)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        body = response.body
        if len(body) > ROBOTS_TXT_MAX_BYTES:
            # RFC 9309 §2.5: what lies past the limit is ignored; a line cut in two is dropped.
            cut = body[:ROBOTS_TXT_MAX_BYTES]
            response = response.replace(body=cut[: cut.rfind(b"\n") + 1])
            logger.warning(
                "%s is larger than %d bytes: only its first %d bytes are read (RFC 9309)",
                response.url,
                ROBOTS_TXT_MAX_BYTES,
                len(response.body),
            )
        await super()._parse_robots(response, netloc, request)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser


class RobotsTxtGuardMiddleware:
    """robots.txt answering 5xx (after retries) or not at all: RFC 9309 says complete disallow.

    The answer is replaced by "Disallow: /" so nothing more is fetched from that host, the fault
    is recorded as a ``robots`` failure, and the run closes with reason ``robots_unavailable``
    (exit status 3, like a site that is down: try again later).
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status < 500 or not _is_robots_request(request):
            return response
        return self._unavailable(request, f"HTTP {response.status}", response.status)

    def process_exception(self, request: Request, exception: Exception) -> Response | None:
        if isinstance(exception, IgnoreRequest) or not _is_robots_request(request):
            return None
        return self._unavailable(request, f"{type(exception).__name__}: {exception}"[:500], None)

    def _unavailable(self, request: Request, detail: str, status: int | None) -> Response:
        origin = self.crawler.settings.get("CCME_BASE_URL")
        if not is_site_url(request.url, normalize_base_url(origin) if origin else None):
            # Another host's (off-site page requisites): nothing is fetched from it, the run
            # goes on.
            logger.warning(
                "%s could not be read (%s): nothing fetched from that host", request.url, detail
            )
            return _disallow_all(request)
        logger.error(
            "%s could not be read (%s): per RFC 9309 nothing may be fetched; stopping the run",
            request.url,
            detail,
        )
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("ccme/failures")
        reason = f"http_{status}" if status else "robots_unreachable"
        self.crawler.stats.inc_value(f"ccme/failures/{reason}")
        run = Run.of(self.crawler)
        run.storage.record_failure(
            PageFailure(request.url, reason, detail, status, "robots", utc_now()), run.run_id
        )
        close_spider(self.crawler, ROBOTS_UNAVAILABLE)
        return _disallow_all(request)


def _disallow_all(request: Request) -> Response:
    """A robots.txt disallowing everything, in place of one that could not be read; flagged:
    the server sent no such answer, so it is kept out of the WARC."""
    return Response(
        request.url, status=200, body=DISALLOW_ALL, request=request, flags=[NOT_FROM_SERVER_FLAG]
    )


# Scrapy looks for a meta refresh in the first 4,096 characters of the text: at most 4 bytes
# each in the codecs the byte check trusts.
_REFRESH_SCAN_BYTES = 4 * 4096


class ByteCheckedMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's ``MetaRefreshMiddleware``, which decodes every HTML body to text to look for
    ``<meta http-equiv="refresh">``, but only on a page whose first bytes hold the word
    "refresh": the others (nearly every page, the articles' included, whose text the crawl's
    process never reads) cannot have one and stay undecoded. A page in a codec that does not
    write ASCII as ASCII bytes (UTF-16, EBCDIC) is always decoded and looked at."""

    # MetaRefreshMiddleware still takes an optional ``spider`` (deprecated in Scrapy 2.13).
    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if (
            isinstance(response, HtmlResponse)
            and _ascii_as_bytes(response.encoding)
            # Lower-cased bytes and a plain search: ten times faster than a case-blind regex.
            and b"refresh" not in response.body[:_REFRESH_SCAN_BYTES].lower()
        ):
            return response
        return super().process_response(request, response)


@functools.cache
def _ascii_as_bytes(encoding: str) -> bool:
    """Whether ``encoding`` writes the ASCII letters as their ASCII bytes (UTF-8, Latin-1,
    cp1252, …): then a word is absent from the text when its bytes are absent."""
    try:
        return codecs.encode("REFRESH refresh", encoding) == b"REFRESH refresh"
    except (LookupError, UnicodeError):
        return False


class IsalHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's ``HttpCompressionMiddleware``, decoding through
    :func:`ccme_crawler.compression.decode_content` (a whole gzip member inflated by ISA-L)."""

    @staticmethod
    def _decode(body: bytes, encoding: bytes, max_size: int) -> bytes:
        return decode_content(body, encoding, max_size)
