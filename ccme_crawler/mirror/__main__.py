"""``python -m ccme_crawler.mirror serve [--sample | --articles N] [--port P] [--live-links]``."""

from __future__ import annotations

import argparse
import sys
import time

from ccme_crawler.mirror.sample import sample_site
from ccme_crawler.mirror.server import MirrorServer
from ccme_crawler.mirror.site import generate_site
from ccme_crawler.urls import SITE_ORIGIN


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ccme_crawler.mirror", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve a mirror on 127.0.0.1 until interrupted")
    which = serve.add_mutually_exclusive_group()
    which.add_argument("--sample", action="store_true", help="the bundled sample (default)")
    which.add_argument("--articles", type=int, metavar="N", help="a generated mirror of N articles")
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated mirror")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port (default 8000)")
    serve.add_argument(
        "--live-links",
        action="store_true",
        help=f"write links as the live site does ({SITE_ORIGIN}) instead of the mirror's own URL",
    )
    args = parser.parse_args(argv)
    if args.articles is not None and args.articles < 0:
        parser.error("--articles must be >= 0")
    site = (
        generate_site(args.articles, seed=args.seed) if args.articles is not None else sample_site()
    )
    server = MirrorServer(
        site, args.host, args.port, link_origin=SITE_ORIGIN if args.live_links else None
    )
    try:
        server.start()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(server.base_url, flush=True)
    for cat in site.categories:
        print(
            f"  {server.base_url}{cat.path}  ({site.category_size(cat.path)} articles)", flush=True
        )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
