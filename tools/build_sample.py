"""Regenerate the bundled sample that ships with the product from the test mirror's sample site.

    python tools/build_sample.py

Rewrites ``ccme_crawler/sample/site/`` (pre-rendered pages, robots.txt, 404 page, manifest) from
``ccme_mirror.sample_site()``. Run it after changing the sample, the templates or the renderer;
``tests/mirror/test_static_sample.py`` fails until the shipped files match again.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout: ccme_mirror is not installed

from ccme_crawler.sample import SITE_DIR  # noqa: E402
from ccme_mirror import sample_site  # noqa: E402
from ccme_mirror.static import static_files  # noqa: E402


def main() -> None:
    files = static_files(sample_site())
    shutil.rmtree(SITE_DIR, ignore_errors=True)
    for name, data in sorted(files.items()):
        path = SITE_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    size = sum(len(data) for data in files.values())
    print(f"wrote {len(files)} files ({size / 1e6:.1f} MB) to {SITE_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
