"""Scrapy settings for arsip, plus arsip's own ARSIP_* settings (override with --set NAME=VALUE)."""

from __future__ import annotations

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "arsip"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- arsip's own settings -------------------------------------------------
ARSIP_DB = "archive.db"  # path or SQLAlchemy URL of the archive
ARSIP_KEEP_RAW = True  # store each page's compressed HTML for `arsip reparse`
ARSIP_CONTACT_URL = ""  # where site owners can reach the operator; goes in USER_AGENT
ARSIP_MAX_PAGES = 5000  # pages per site per run when neither --max-pages nor sites.toml says
ARSIP_MAX_HOPS = 4  # link hops from a start URL (pagination does not count)
ARSIP_MAX_LISTING_PAGES = 50  # pages followed down one pagination chain
ARSIP_MAX_ARTICLE_PAGES = 20  # pages of one split article merged into one record
ARSIP_MAX_LINKS = 5000  # links read from one page; a portal page has 150-300
ARSIP_MIN_WORDS = 30  # shorter pages are dropped as "too_short"
ARSIP_BATCH_SIZE = 50  # archive writes: records per transaction
ARSIP_BATCH_SECONDS = 2.0  # ... or this long since the first buffered record
ARSIP_KNOWN_BATCH = 500  # URLs per known-URL lookup
ARSIP_RETRY_BACKOFF = 1.0  # seconds before the first retry; doubles each attempt
ARSIP_RETRY_BACKOFF_MAX = 60.0  # longest wait, also the longest Retry-After honoured
ARSIP_WORKERS = None  # page-worker processes; default 2 on a multi-core machine, 0 = none
ARSIP_INLINE_PAGES = 30  # pages extracted in the crawler itself before workers start
ARSIP_ARCHIVE_WRITER = "inline"  # or "process": archive batches written by a process of their own

# --- politeness --------------------------------------------------------------
USER_AGENT = "arsip/0.1 (Indonesian tech-news archive for research)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
# Scrapy would wait 0.5-1.5x DOWNLOAD_DELAY between requests to a host: below
# the floor half the time. AutoThrottle already varies the delay with latency.
DOWNLOAD_DELAY_JITTER = 0
COOKIES_ENABLED = False
# Outputs of one callback processed at once. A page yields one record and some
# links; Scrapy's default of 100 spawns 100 asyncio tasks per response.
CONCURRENT_ITEMS = 8
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control extension serves an HTTP endpoint that runs Python
# sent to it: not something to leave open from cron, and importing its web
# server (aiohttp) alone costs ~0.1 s, a seventh of an incremental run.
# Scrapy imports every component it is told about, even one set to None, so
# the unused ones leave its base lists (whatever else a Scrapy upgrade adds
# to them stays). Cookies are off too: their middleware's imports (tldextract,
# requests) cost another ~35 ms. To crawl with cookies, set COOKIES_ENABLED and
# add "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": 700 to
# DOWNLOADER_MIDDLEWARES.
REMOTE_CONTROL_ENABLED = False
EXTENSIONS_BASE = {
    name: order
    for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if not name.endswith((".RemoteControl", ".TelnetConsole"))
}
DOWNLOADER_MIDDLEWARES_BASE = {
    name: order
    for name, order in _scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
    if not name.endswith(".CookiesMiddleware")
}

# --- defence -----------------------------------------------------------------
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # a news page is well under 1 MB; 8 MB allows heavy themes
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True
DEPTH_LIMIT = 120  # backstop only: ARSIP_MAX_HOPS and ARSIP_MAX_LISTING_PAGES bound the walk
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 10
URLLENGTH_LIMIT = 2048
# Only the web: no file://, ftp://, s3:// or data: fetches, whatever a page links to.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None, "data": None}
# A name that does not resolve will not resolve a second later; retrying DNS
# failures is what makes an offline crawl hang for minutes.
DNS_TIMEOUT = 10
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # the failure is recorded in fetch_errors, not shouted
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    "spiders.middlewares.AllowedHostsMiddleware": 55,
    # Last before the downloader: nothing after it can answer a request (the
    # HTTP cache, 900) and so leave the host waiting for a download that never was.
    "spiders.middlewares.CrawlDelayMiddleware": 990,
}
# An archive failure under a spider callback stops the run (spiders/archive_guard.py).
SPIDER_MIDDLEWARES = {"spiders.archive_guard.ArchiveFailureMiddleware": 950}
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"  # drops are counted by reason in the run summary

# --- pipeline ----------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.archive.ArchivePipeline": 400,
}

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
