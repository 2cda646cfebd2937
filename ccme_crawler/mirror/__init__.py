"""A faithful local copy of the CCME site's markup, served on 127.0.0.1.

``sample_site()`` is the bundled sample (quick start, tests); ``generate_site(n)`` builds mirrors
of any size (benchmarks); ``MirrorServer`` serves a site over real HTTP. See ``docs/mirror.md``.
"""

from ccme_crawler.mirror.sample import sample_site
from ccme_crawler.mirror.server import MirrorServer, RequestRecord
from ccme_crawler.mirror.site import MirrorArticle, MirrorCategory, MirrorSite, generate_site

__all__ = [
    "MirrorArticle",
    "MirrorCategory",
    "MirrorServer",
    "MirrorSite",
    "RequestRecord",
    "generate_site",
    "sample_site",
]
