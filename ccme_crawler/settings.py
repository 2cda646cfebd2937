"""Scrapy settings of ccme-crawler: polite defaults for the live site.

Tests and the bundled sample override these explicitly (see ``runner.LOCAL_MIRROR_SETTINGS``).
"""

from ccme_crawler import __version__

BOT_NAME = "ccme_crawler"
SPIDER_MODULES = ["ccme_crawler.spiders"]
NEWSPIDER_MODULE = "ccme_crawler.spiders"

USER_AGENT = (
    f"ccme-crawler/{__version__} (archival crawler; +https://github.com/ccme-crawler/ccme-crawler)"
)

# Politeness towards the live site.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
COOKIES_ENABLED = False
# Items of one response processed at once: a response yields one page, or a listing's few items.
CONCURRENT_ITEMS = 10
# A response holds its place in the scraper (by body size) until its items leave the pipelines,
# which takes the worker's round trip and the store's group commit: ~40 pages of ~100 KB filled
# Scrapy's 5 MB, and the engine then stopped sending requests (the downloader sat empty in 13-28 %
# of a crawl's samples, 3-4 % with this room; docs/benchmarks.md, crawlflow).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 16_000_000
TELNETCONSOLE_ENABLED = False
STATS_CLASS = "ccme_crawler.stats.PlainStatsCollector"
# A page larger than this is not an article: recorded as too large, memory stays bounded.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "Accept-Language": "fr,ar;q=0.8,en;q=0.6",
}

ITEM_PIPELINES = {
    "ccme_crawler.pipelines.ExtractArticlePipeline": 100,
    "ccme_crawler.pipelines.SitemapScopePipeline": 200,
    "ccme_crawler.pipelines.DeduplicateArticlePipeline": 300,
    "ccme_crawler.pipelines.StoreArticlePipeline": 900,
}

# WARC capture (off unless CCME_WARC_DIR is set; `ccme-crawler crawl` turns it on for the live
# site). The download handler keeps the bytes, status line and headers exactly as received.
DOWNLOADER_MIDDLEWARES = {
    # Above HttpCompressionMiddleware (590) and RedirectMiddleware (600): it sees the response
    # as downloaded.
    "ccme_crawler.warc.middleware.WarcCaptureMiddleware": 950,
    # Faults become named outcomes (docs/faults.md); priorities explained in middlewares.py.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "ccme_crawler.middlewares.SharedRobotsTxtMiddleware": 100,
    "ccme_crawler.middlewares.RedirectGuardMiddleware": 610,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "ccme_crawler.middlewares.RetryAfterMiddleware": 550,
    "ccme_crawler.middlewares.SiteDownMiddleware": 545,
    "ccme_crawler.middlewares.RobotsTxtGuardMiddleware": 540,
    # Looks for a meta refresh only in pages whose bytes could hold one (middlewares.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "ccme_crawler.middlewares.ByteCheckedMetaRefreshMiddleware": 580,
    # Inflates a gzip page with ISA-L, a third of Scrapy's time (middlewares.py).
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "ccme_crawler.middlewares.IsalHttpCompressionMiddleware": 590,
}
DOWNLOAD_HANDLERS = {
    "http": "ccme_crawler.warc.handler.CaptureHTTP11DownloadHandler",
    "https": "ccme_crawler.warc.handler.CaptureHTTP11DownloadHandler",
}
CCME_WARC_DIR = None
CCME_WARC_MAX_SIZE = 1_000_000_000
CCME_WARC_OPERATOR = "ccme-crawler user (set CCME_WARC_OPERATOR to a contact)"

# Page requisites (stylesheets, scripts, images, fonts, icons) of every page, captured with it when
# WARC capture is on: "site" (the site's own hosts), "all" (off-site too) or "none".
# See docs/warc.md for their cost.
SPIDER_MIDDLEWARES = {
    # Above RefererMiddleware (700): requisite requests carry the page as Referer, as a browser's.
    "ccme_crawler.warc.requisites.RequisitesMiddleware": 750,
}
CCME_REQUISITES = "site"
# At most this many requisite requests a run (0: no cap).
CCME_REQUISITES_MAX = 100_000
# Requisites captured less than this many days ago (into a WARC still in the folder) are not
# fetched again; 0 fetches them every run (an unchanged one becomes a revisit record).
CCME_REQUISITES_MAX_AGE_DAYS = 30

EXTENSIONS = {
    # Before CrawlRunExtension: its spider_closed closes the run's row and the database.
    "ccme_crawler.site_health.SiteHealthExtension": 90,
    "ccme_crawler.extensions.CrawlRunExtension": 100,
}

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# ccme-crawler's own settings.
CCME_DB_PATH = "data/ccme.sqlite"
CCME_BASE_URL = "https://www.ccme.org.ma"
# Listings to walk instead of the discovered ones (docs/discovery.md): categories (--category)
# and any archive listing (--listing). Empty: discover them.
CCME_CATEGORIES: list[str] = []
CCME_LISTINGS: list[str] = []
# "archive": the "Archives du CCME" categories in every language (author archives where a
# language has none); "site": every category and author listing the site links.
CCME_SCOPE = "archive"
# The menu entry whose children make up the archive (matched ignoring case, accents, spacing).
CCME_ARCHIVE_MENU_LABELS = ["Archives du CCME"]
CCME_LANGUAGES = ["fr", "ar", "en"]
# Discovered listings are cached in the database; discover again after this many days, when a
# cached listing answers 404, or when CCME_REDISCOVER (--rediscover) is set.
CCME_DISCOVERY_MAX_AGE_DAYS = 30.0
CCME_REDISCOVER = False
# After the walks, read the post sitemaps: fetch the posts no walk reached, re-fetch (with a
# conditional request) the stored posts whose lastmod moved.
CCME_SITEMAP_BACKFILL = True
# "sequential" follows "next" links one page at a time (polite); "parallel" schedules every listing
# page at once from the last page number (fast on a local mirror). Refresh walks are sequential.
CCME_PAGINATION = "sequential"
# A refresh stops walking a category after this many consecutive listing pages with nothing new.
CCME_REFRESH_LOOKAHEAD = 1
# Safety cap on listing pages per category (endless pagination).
CCME_MAX_LISTING_PAGES = 5000
# Exit status 1 when failures exceed this share of pages fetched (and at least one failure).
CCME_FAILURE_THRESHOLD = 0.0
# The site looks changed (exit status 7, crawl_runs.site_changed) when more than these shares of
# listing pages hold no item, or of articles (at least CCME_CHANGE_MIN_ARTICLES) are read by the
# fallback extractor or lack a title or a date (docs/doctor.md).
CCME_CHANGE_EMPTY_LISTINGS = 0.2
CCME_CHANGE_FALLBACK = 0.2
CCME_CHANGE_MISSING_TITLES = 0.05
CCME_CHANGE_MISSING_DATES = 0.05
CCME_CHANGE_MIN_ARTICLES = 5
# A 429/503 asking to wait (Retry-After) up to this many seconds pauses the crawl; a longer wait
# ends the run politely (close reason "rate_limited", exit status 4).
CCME_RETRY_AFTER_MAX = 300.0
CCME_RETRY_AFTER_CODES = [429, 503]
# This many different pages failing in a row (5xx or no answer) with no success in between: the
# site is down, the run stops (close reason "site_down", exit status 3). 0 turns it off.
CCME_SITE_DOWN_AFTER = 20
# After SIGINT/SIGTERM, work in flight may end for this many seconds; then (or at a second
# signal) the run stops at once and is marked interrupted (exit status 130).
CCME_SHUTDOWN_GRACE = 10.0
# A write refused because another process holds the database's write lock is tried again, without
# blocking the downloads, for up to this many seconds; then it is a "storage_busy" page failure.
CCME_WRITE_WAIT = 60.0
# An article that answered 404 in this many runs is gone for good (table gone_pages; a stored
# row is kept): its 404 no longer fails a run. 0 never marks a page gone.
CCME_GONE_AFTER = 3
# Worker processes that extract fetched pages (0: in the crawl's process). None: one when the
# machine has a second core, or CCME_EXTRACT_WORKERS from the environment (docs/architecture.md).
CCME_EXTRACT_WORKERS: int | None = None
