"""``ccme-crawler doctor``: does the site still look like what the crawler reads? (docs/doctor.md)

:func:`run_doctor` runs the ``doctor`` spider (``spiders/doctor.py``: the crawl's own discovery,
then one listing page and one article per language) and :func:`diagnose` judges what it got, as
a pure function: what discovery found (robots.txt, sitemaps, the archive listings of each
language) and, per language, each thing the crawl relies on (listing items, pagination, title,
date, body, closing lines, language, post id), whether it was found and how. The exit status:
0 when everything the crawl needs holds, 7 (``site_changed``) when something is missing or read
only by the fallback extractor, 3 (``site_down``) when the site does not answer at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from parsel import Selector
from scrapy import signals
from scrapy.crawler import CrawlerProcess

from ccme_crawler.discovery import answered_at_all, plan_walks
from ccme_crawler.extraction.article import extract_article
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import DiscoveryResult, DoctorPage
from ccme_crawler.run import EXIT_OK, EXIT_SITE_CHANGED, EXIT_SITE_DOWN
from ccme_crawler.runner import build_settings_base
from ccme_crawler.spiders.doctor import DoctorSpider
from ccme_crawler.urls import LANGUAGES, normalize_base_url

OK, FALLBACK, MISSING, INFO = "ok", "fallback", "missing", "info"
# The doctor needs no database, no WARC files and no run bookkeeping.
_DOCTOR_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},
    "CCME_WARC_DIR": None,
    "LOG_LEVEL": "ERROR",
}
# Those that record into the run's database or close a run; Scrapy's retries stand in.
_DOCTOR_MIDDLEWARES = {
    "ccme_crawler.warc.middleware.WarcCaptureMiddleware": None,
    "ccme_crawler.middlewares.RobotsTxtGuardMiddleware": None,
    "ccme_crawler.middlewares.SiteDownMiddleware": None,
    "ccme_crawler.middlewares.RetryAfterMiddleware": None,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
}


@dataclass
class DoctorCheck:
    """One thing the crawl relies on: ``status`` ok, fallback (found, but not the way the crawl
    expects), missing or info (reported, not needed); ``how`` it was found; ``required``: the
    crawl cannot do without it."""

    name: str
    language: str | None
    status: str
    how: str = ""
    url: str = ""
    required: bool = True

    @property
    def failing(self) -> bool:
        if not self.required:
            return False
        # Fallback bodies are what a redesign produces; other fallbacks still give the field.
        return self.status == MISSING or (self.status == FALLBACK and self.name == "body")


@dataclass
class DoctorReport:
    base_url: str
    checks: list[DoctorCheck] = field(default_factory=list)
    site_down: bool = False

    @property
    def exit_code(self) -> int:
        if self.site_down:
            return EXIT_SITE_DOWN
        return EXIT_SITE_CHANGED if any(c.failing for c in self.checks) else EXIT_OK

    @property
    def verdict(self) -> str:
        return {EXIT_OK: "ok", EXIT_SITE_DOWN: "site_down"}.get(self.exit_code, "site_changed")

    def as_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "checks": [{**asdict(c), "failing": c.failing} for c in self.checks],
        }


# -- judging pages ------------------------------------------------------------------------------


def _answer(page: DoctorPage) -> str:
    if page.status is None:
        return page.error or "no answer"
    return f"HTTP {page.status}"


def _attempt_note(result: DiscoveryResult, step: str) -> tuple[int | None, str]:
    for attempt in result.attempts:
        if attempt.step == step:
            answer = f"HTTP {attempt.status}" if attempt.status is not None else "no answer"
            return attempt.status, f"{answer}, {attempt.note}" if attempt.note else answer
    return None, "not fetched"


def _discovery_checks(result: DiscoveryResult) -> list[DoctorCheck]:
    """What discovery found: robots.txt and sitemaps (reported), and in each language the
    listings a crawl of the archive would walk, and how they were found."""
    status, how = _attempt_note(result, "robots")
    checks = [
        DoctorCheck("robots.txt", None, OK if status == 200 else MISSING, how, required=False)
    ]
    roles = Counter(s.role for s in result.sitemaps)
    how = ", ".join(f"{n} {role}" for role, n in sorted(roles.items()))
    checks.append(
        DoctorCheck(
            "sitemaps",
            None,
            INFO if roles else MISSING,
            how or "none found (robots.txt, /wp-sitemap.xml, /sitemap_index.xml)",
            required=False,
        )
    )
    _, how = _attempt_note(result, "menu")
    checks.append(DoctorCheck("menu", None, INFO, how, required=False))
    found = {x.path: x for x in result.listings}
    plan = plan_walks(result.listings, "archive")
    for language in LANGUAGES:
        walked = [found[p] for p in plan.listings if found[p].language == language]
        by = ", ".join(f"{n} by {how}" for how, n in Counter(x.found_by for x in walked).items())
        if not walked:
            verdict, how = MISSING, "no listing found"
        elif language in plan.author_languages:
            verdict, how = FALLBACK, f"author archives only ({by}): no archive category found"
        else:
            verdict, how = OK, f"{len(walked)} archive listings ({by})"
        checks.append(DoctorCheck("archive listings", language, verdict, how))
    return checks


def _text(page: DoctorPage) -> str:
    # The encoding Scrapy decided, as the crawl reads the page (records.page_from_response).
    return page.body.decode(page.encoding or "utf-8", "replace")


def _listing_checks(page: DoctorPage, language: str) -> list[DoctorCheck]:
    if page.status != 200:
        how = page.error if not page.url else f"{_answer(page)} (found by {page.found_by})"
        return [DoctorCheck("listing", language, MISSING, how, page.url)]
    html = _text(page)
    listing = extract_listing(html, page.url)
    checks = [DoctorCheck("listing", language, OK, f"page 1, found by {page.found_by}", page.url)]
    sel = Selector(text=html)
    selector = "article.l-post h2.post-title a"
    checks.append(
        DoctorCheck(
            "listing items",
            language,
            OK if listing.items else MISSING,
            f"{len(listing.items)} items ({selector})" if listing.items else f"no {selector}",
            page.url,
        )
    )
    page_two = [
        href
        for href in sel.css("a::attr(href)").getall()
        if re.search(r"/page/2/?$", href.split("?")[0])
    ]
    if sel.css("nav.main-pagination a.next"):
        status, how = OK, "nav.main-pagination a.next"
    elif listing.next_url:
        status, how = FALLBACK, "link[rel=next] only"
    elif page_two:
        status, how = MISSING, f"page 2 is linked ({page_two[0]}) but not as a next page"
    else:
        status, how = OK, "a single page"
    if listing.last_page:
        how += f", last page {listing.last_page}"
    checks.append(DoctorCheck("pagination", language, status, how, page.url))
    return checks


def _how_title(sel: Selector, title: str | None) -> tuple[str, str]:
    if title is None:
        return MISSING, "no title anywhere"
    header = " ".join(" ".join(sel.css(".the-post-header h1.post-title ::text").getall()).split())
    if header:
        return OK, ".the-post-header h1.post-title"
    if sel.css('meta[property="og:title"]'):
        return FALLBACK, "og:title (no post-title h1)"
    return FALLBACK, "<title> or JSON-LD headline (no post-title h1)"


def _how_date(sel: Selector, raw: str | None, value: str | None) -> tuple[str, str]:
    if value is None:
        return MISSING, f"unreadable: {raw!r}" if raw else "no date anywhere"
    if raw and raw in sel.css(".the-post-header time.post-date::attr(datetime)").getall():
        return OK, ".the-post-header time.post-date[datetime]"
    if raw and raw in sel.css('meta[property="article:published_time"]::attr(content)').getall():
        return OK, "meta article:published_time"
    if raw and raw in sel.css('script[type="application/ld+json"]::text').get(""):
        return OK, "JSON-LD datePublished"
    return FALLBACK, f"visible date text {raw!r}"


def _post_id_how(sel: Selector, post_id: int | None) -> tuple[str, str]:
    if post_id is None:
        return MISSING, "no article#post-ID, shortlink or body.postid-ID"
    if sel.css(f"article#post-{post_id}"):
        return OK, "article#post-ID"
    if sel.css("link[rel=shortlink]"):
        return OK, "link[rel=shortlink]"
    return OK, "body.postid-ID"


def _article_checks(page: DoctorPage, language: str) -> list[DoctorCheck]:
    if page.status != 200:
        return [DoctorCheck("article", language, MISSING, _answer(page), page.url)]
    article = extract_article(page.body, page.url, encoding=page.encoding)
    sel = Selector(text=_text(page))
    checks = [DoctorCheck("article", language, OK, "first item of the listing", page.url)]
    status, how = _how_title(sel, article.title)
    checks.append(DoctorCheck("title", language, status, how, page.url))
    status, how = _how_date(sel, article.published_raw, article.published_at)
    checks.append(DoctorCheck("date", language, status, how, page.url))
    if not article.body:
        body = (MISSING, "no text")
    elif article.extraction_method == "template":
        body = (OK, f".post-content.entry-content, {article.word_count} words")
    else:
        body = (FALLBACK, f"fallback extractor ({article.extraction_method}), no .entry-content")
    checks.append(DoctorCheck("body", language, *body, page.url))
    closing = [f"source {article.source!r}"] if article.source else []
    closing += [f"source date {article.source_date}"] if article.source_date else []
    checks.append(
        DoctorCheck(
            "closing lines",
            language,
            OK if closing else INFO,
            ", ".join(closing) or "none on this article (not every article names its source)",
            page.url,
            required=False,
        )
    )
    declared = sel.xpath("/html/@lang").get()
    lang_ok = article.language == language
    checks.append(
        DoctorCheck(
            "language",
            language,
            OK if lang_ok else MISSING,
            f"{article.language} (html lang={declared!r})"
            + ("" if lang_ok else f", expected {language}"),
            page.url,
        )
    )
    checks.append(DoctorCheck("post id", language, *_post_id_how(sel, article.post_id), page.url))
    return checks


def diagnose(base_url: str, discovery: DiscoveryResult, pages: list[DoctorPage]) -> DoctorReport:
    """The doctor's report on what discovery found and the pages the doctor spider fetched."""
    report = DoctorReport(base_url)
    if not answered_at_all(discovery):
        report.site_down = True
        return report
    report.checks += _discovery_checks(discovery)
    for language in LANGUAGES:
        listing = next((p for p in pages if p.kind == "listing" and p.language == language), None)
        if listing is None:
            continue  # "archive listings" says it is missing
        report.checks += _listing_checks(listing, language)
        article = next((p for p in pages if p.kind == "article" and p.language == language), None)
        if article is not None:
            report.checks += _article_checks(article, language)
        elif listing.status == 200:
            report.checks.append(DoctorCheck("article", language, MISSING, "no item to open"))
    return report


def format_report(report: DoctorReport) -> str:
    """The report as text: one line a check, failing ones marked."""
    width = max((len(c.name) for c in report.checks), default=10)
    lines = [f"ccme-crawler doctor: {report.base_url}"]
    for check in report.checks:
        mark = "FAIL" if check.failing else check.status
        where = f"[{check.language}] " if check.language else "     "
        lines.append(f"  {where}{check.name:<{width}}  {mark:<8} {check.how}")
    if report.site_down:
        lines.append("  the site does not answer (robots.txt and home page)")
    lines.append(f"verdict: {report.verdict} (exit {report.exit_code})")
    return "\n".join(lines)


# -- running ----------------------------------------------------------------------------------


def run_doctor(base_url: str, overrides: dict[str, Any] | None = None) -> DoctorReport:
    """Run the doctor spider against ``base_url`` in this process and diagnose what it got.
    ``overrides`` are Scrapy settings (``-s NAME=VALUE``)."""
    base_url = normalize_base_url(base_url)
    settings = build_settings_base()
    settings.setdict(_DOCTOR_SETTINGS, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.update(_DOCTOR_MIDDLEWARES)
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    pages: list[DoctorPage] = []
    results: list[DiscoveryResult] = []
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DoctorSpider)

    def collect(item: Any) -> None:
        if isinstance(item, DoctorPage):
            pages.append(item)
        elif isinstance(item, DiscoveryResult):
            results.append(item)

    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, base_url=base_url)
    process.start()
    return diagnose(base_url, results[0] if results else DiscoveryResult([], [], []), pages)
