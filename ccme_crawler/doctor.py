"""``ccme-crawler doctor``: does the site still look like what the crawler reads? (docs/doctor.md)

:func:`run_doctor` runs the ``doctor`` spider (``spiders/doctor.py``: robots.txt, sitemaps, the
home's menu, the language switcher or the author archives, one listing page and one article per
language) and :func:`diagnose` judges the pages it fetched, as a pure function: per thing the
crawl relies on (listing items, pagination, title, date, body, closing lines, language, post id)
whether it was found and how. The exit status: 0 when everything the crawl needs holds,
7 (``site_changed``) when something is missing or read only by the fallback extractor, 3
(``site_down``) when the site does not answer at all.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from parsel import Selector
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap

from ccme_crawler.extraction.article import extract_article
from ccme_crawler.extraction.listing import extract_listing
from ccme_crawler.items import DoctorPage
from ccme_crawler.runner import EXIT_OK, EXIT_SITE_CHANGED, EXIT_SITE_DOWN, build_settings_base
from ccme_crawler.spiders.doctor import LANGUAGES, DoctorSpider
from ccme_crawler.urls import normalize_base_url

OK, FALLBACK, MISSING, INFO = "ok", "fallback", "missing", "info"
# The doctor needs no database, no WARC files and no run bookkeeping.
_DOCTOR_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},
    "CCME_WARC_DIR": None,
    "LOG_LEVEL": "ERROR",
}
_DOCTOR_MIDDLEWARES_OFF = (
    "ccme_crawler.warc.middleware.WarcCaptureMiddleware",
    "ccme_crawler.middlewares.RobotsTxtGuardMiddleware",  # records into the database
)


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


def _robots_and_sitemaps(pages: list[DoctorPage]) -> list[DoctorCheck]:
    checks = []
    for page in pages:
        if page.kind == "robots":
            text = page.body.decode("utf-8", "replace")
            lines = sum(1 for line in text.splitlines() if line.lower().startswith("sitemap:"))
            how = f"{_answer(page)}, {lines} Sitemap line{'s' * (lines != 1)}"
            status = OK if page.status == 200 else MISSING
            checks.append(DoctorCheck("robots.txt", None, status, how, page.url, required=False))
    sitemaps = [p for p in pages if p.kind == "sitemap"]
    read = []
    for page in sitemaps:
        if page.status != 200:
            continue
        try:
            sitemap = Sitemap(page.body)
            read.append(
                f"{page.url} ({sitemap.type}, {len(list(sitemap))} entries, via {page.found_by})"
            )
        except Exception:  # not XML
            read.append(f"{page.url} (not a sitemap)")
    tried = ", ".join(f"{p.url} ({_answer(p)})" for p in sitemaps if p.status != 200)
    how = "; ".join(read) or f"none found (tried {tried or 'nothing'})"
    checks.append(DoctorCheck("sitemaps", None, INFO if read else MISSING, how, required=False))
    return checks


def _listing_checks(page: DoctorPage, language: str) -> list[DoctorCheck]:
    if page.status != 200:
        how = page.error if not page.url else f"{_answer(page)} (found by {page.found_by})"
        return [DoctorCheck("listing", language, MISSING, how, page.url)]
    html = page.body.decode("utf-8", "replace")
    listing = extract_listing(html, page.url)
    checks = [DoctorCheck("listing", language, OK, f"found by {page.found_by}", page.url)]
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
    article = extract_article(page.body, page.url)
    sel = Selector(text=page.body.decode("utf-8", "replace"))
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


def diagnose(base_url: str, pages: list[DoctorPage]) -> DoctorReport:
    """The doctor's report on the pages the doctor spider fetched."""
    report = DoctorReport(base_url)
    report.checks += _robots_and_sitemaps(pages)
    homes = [p for p in pages if p.kind == "home"]
    robots = [p for p in pages if p.kind == "robots"]
    answered = [p for p in (*robots, *homes) if p.status is not None and p.status < 500]
    if not answered:
        report.site_down = True
        return report
    for language in LANGUAGES:
        listing = next((p for p in pages if p.kind == "listing" and p.language == language), None)
        if listing is None:
            report.checks.append(DoctorCheck("listing", language, MISSING, "not reached"))
            continue
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
    middlewares.update(dict.fromkeys(_DOCTOR_MIDDLEWARES_OFF))
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    settings.setdict(overrides or {}, priority="cmdline")
    pages: list[DoctorPage] = []
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DoctorSpider)

    def collect(item: Any) -> None:
        if isinstance(item, DoctorPage):
            pages.append(item)

    crawler.signals.connect(collect, signal=signals.item_scraped)
    process.crawl(crawler, base_url=base_url)
    process.start()
    return diagnose(base_url, pages)
