"""The bundled sample of the site (pre-rendered pages shipped with the package) and the loopback
server behind ``crawl --sample`` and ``serve-sample``. See ``server.py`` and ``docs/mirror.md``."""

from ccme_crawler.sample.server import SITE_DIR, SampleServer, StaticSite

__all__ = ["SITE_DIR", "SampleServer", "StaticSite"]
