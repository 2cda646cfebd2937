"""``python -m ccme_mirror serve [--sample | --articles N] [--variant NAME] [--sitemaps STYLE]
[--jsonld STYLE] [--slugs STYLE] [--translations LANGS] [--port P] [--live-links] [--control]``.

``--variant`` serves a generated WordPress variant of the site (``ccme_mirror.variant.VARIANTS``;
120 articles unless ``--articles`` says otherwise); ``--sitemaps``, ``--jsonld``, ``--slugs``,
``--slug-seed``, ``--translations`` and ``--no-robots-sitemap`` change one knob of it.

``--control`` (for benchmarks that run the mirror in a process of its own) reads one command a
line on stdin and answers each with one JSON line on stdout; end of input stops the server:

- ``add N``: publish N new French articles, newest of all (``MirrorSite.add_article``);
- ``count``: requests served so far, by kind (``robots``, ``listing``, ``article``, ``asset``, ``other``);
- ``reset``: forget the requests served so far.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from ccme_crawler.urls import SITE_ORIGIN
from ccme_mirror.sample import sample_site
from ccme_mirror.server import MirrorServer
from ccme_mirror.site import MirrorArticle, MirrorSite, generate_site
from ccme_mirror.variant import (
    JSONLD_STYLES,
    SITEMAP_STYLES,
    SLUG_STYLES,
    VARIANTS,
    SiteVariant,
    variant_named,
)

VARIANT_ARTICLES = 120


def publish_new_articles(site: MirrorSite, n: int) -> None:
    """Add ``n`` French articles dated now (one second apart), spread over the French categories."""
    categories = [c for c in site.categories if c.language == "fr"] or site.categories
    start = datetime.now(UTC).replace(microsecond=0)
    serial = len(site.articles)
    for i in range(n):
        number = serial + i
        site.add_article(
            MirrorArticle(
                slug_path=f"/nouvel-article-{number}/",
                title=f"Nouvel article {number}",
                published_at=(start + timedelta(seconds=i)).isoformat(),
                language="fr",
                category=categories[i % len(categories)],
                paragraphs=[f"Premier paragraphe de l’article {number}.", "Second paragraphe."],
                source="MAP",
                source_date=start.date().isoformat(),
            )
        )


def _control_loop(server: MirrorServer) -> None:
    for line in sys.stdin:
        command, *args = line.split() or [""]
        if command == "add" and len(args) == 1 and args[0].isdigit():
            publish_new_articles(server.site, int(args[0]))
            answer: dict[str, object] = {
                "added": int(args[0]),
                "articles": len(server.site.articles),
            }
        elif command == "count":
            kinds = ("robots", "home", "sitemap", "listing", "article", "asset", "other")
            answer = {kind: server.count(kind) for kind in kinds}
            answer["total"] = server.count()
        elif command == "reset":
            server.reset_requests()
            answer = {"reset": True}
        else:
            answer = {"error": f"unknown command: {line.strip()!r}"}
        print(json.dumps(answer), flush=True)


def _variant(args: argparse.Namespace) -> SiteVariant | None:
    """The variant the options ask for (None: the sample or a legacy generated mirror)."""
    knobs: dict[str, object] = {}
    for name in ("sitemaps", "jsonld", "slugs", "slug_seed"):
        if getattr(args, name) is not None:
            knobs[name] = getattr(args, name)
    if args.translations is not None:
        knobs["translations"] = tuple(t for t in args.translations.split(",") if t.strip())
    if args.no_robots_sitemap:
        knobs["robots_sitemap"] = False
    if args.variant is None and not knobs:
        return None
    if args.sample:
        raise ValueError("--sample is the bundled sample; variants are generated (--articles N)")
    base = variant_named(args.variant or "wordpress")
    return replace(base, name=base.name if not knobs else f"{base.name}+", **knobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ccme_mirror", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a mirror on 127.0.0.1 until interrupted")
    which = serve.add_mutually_exclusive_group()
    which.add_argument("--sample", action="store_true", help="the bundled sample (default)")
    which.add_argument("--articles", type=int, metavar="N", help="a generated mirror of N articles")
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated mirror")
    serve.add_argument(
        "--variant",
        choices=list(VARIANTS),
        help="a generated WordPress variant of the site (docs/mirror.md, Variants)",
    )
    serve.add_argument("--sitemaps", choices=SITEMAP_STYLES, help="sitemaps of the variant")
    serve.add_argument("--jsonld", choices=JSONLD_STYLES, help="SEO plugin's JSON-LD")
    serve.add_argument("--slugs", choices=SLUG_STYLES, help="category slugs of the variant")
    serve.add_argument("--slug-seed", type=int, help="seed of renamed slugs")
    serve.add_argument(
        "--translations",
        metavar="LANGS",
        help="languages whose categories translate the French ones, e.g. 'ar,en' or ''",
    )
    serve.add_argument(
        "--no-robots-sitemap", action="store_true", help="no Sitemap: line in robots.txt"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    serve.add_argument(
        "--live-links",
        action="store_true",
        help=f"write links as the live site does ({SITE_ORIGIN}) instead of the mirror's own URL",
    )
    serve.add_argument(
        "--control",
        action="store_true",
        help="read commands on stdin (add N, count, reset; see the module doc); EOF stops",
    )
    args = parser.parse_args(argv)
    if args.articles is not None and args.articles < 0:
        parser.error("--articles must be >= 0")
    try:
        variant = _variant(args)
    except ValueError as exc:
        parser.error(str(exc))
    if variant is not None:
        site = generate_site(
            VARIANT_ARTICLES if args.articles is None else args.articles,
            seed=args.seed,
            variant=variant,
        )
    elif args.articles is not None:
        site = generate_site(args.articles, seed=args.seed)
    else:
        site = sample_site()
    server = MirrorServer(
        site, args.host, args.port, link_origin=SITE_ORIGIN if args.live_links else None
    )
    try:
        server.start()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(server.base_url, flush=True)
    if variant is not None:
        print(f"  variant {variant.name}: {variant.describe()}", flush=True)
    for cat in site.categories:
        print(
            f"  {server.base_url}{cat.path}  ({site.category_size(cat.path)} articles)", flush=True
        )
    try:
        if args.control:
            _control_loop(server)
        else:
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
