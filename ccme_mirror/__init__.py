"""The test and benchmark harness: a faithful local copy of the CCME site's markup, served on
127.0.0.1, with fault injection. Lives beside the product in the repository; not installed.

``sample_site()`` is the bundled sample (tests; pre-rendered into ``ccme_crawler/sample/site/`` for
the product's ``crawl --sample``); ``generate_site(n)`` builds mirrors of any size (benchmarks);
``generate_site(n, variant=...)`` builds a WordPress variant (renamed slugs, sitemaps, other SEO
plugins…, see ``ccme_mirror.variant``); ``MirrorServer`` serves a site over real HTTP; ``ccme_mirror.faults`` breaks it on purpose.
See ``docs/mirror.md``.
"""

from ccme_mirror.sample import sample_site
from ccme_mirror.server import MirrorServer, RequestRecord
from ccme_mirror.site import MirrorArticle, MirrorCategory, MirrorSite, generate_site
from ccme_mirror.variant import VARIANTS, SiteVariant, variant_named

__all__ = [
    "VARIANTS",
    "MirrorArticle",
    "MirrorCategory",
    "MirrorServer",
    "MirrorSite",
    "RequestRecord",
    "SiteVariant",
    "generate_site",
    "sample_site",
    "variant_named",
]
