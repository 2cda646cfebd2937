"""The files a mirror page needs to render: theme stylesheets and scripts, logos, icons, fonts,
and the photos of the posts that have one.

Every asset is small, deterministic bytes per path (the same on every run and in the shipped
sample), in a real format a browser renders: valid PNG and baseline JPEG images drawn from the
path, SVG, and stylesheets that make the page look like the site's (the theme's ``style.css``
``@import``s a skin, and the stylesheets reference a font and background images with
``url()``). The bytes are stand-ins written for the mirror, not the theme's files.

``asset(site, path)`` answers a request path (query ignored): ``(content type, bytes)``, or
None for a path the mirror does not serve. Posts with a photo (``has_photo``: two in three; the
seed, 60338, has none, as in the reference page) get a featured image and an image in the text,
each in three sizes (``photo_paths``).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccme_mirror.site import MirrorArticle, MirrorSite

THEME = "/wp-content/themes/smart-mag"
UPLOADS = "/wp-content/uploads"
# The date every theme file was "uploaded": Last-Modified of the assets.
ASSET_DATE = "Wed, 26 Jun 2024 10:00:00 GMT"

CSS = "text/css"
JS = "application/javascript"
PNG = "image/png"
JPEG = "image/jpeg"
SVG = "image/svg+xml"
WOFF2 = "font/woff2"

# Featured image and in-text image: (width, height) of each size WordPress generates.
PHOTO_SIZES: tuple[tuple[int, int], ...] = ((300, 200), (768, 512), (1024, 683))
_PHOTO = re.compile(
    rf"^{UPLOADS}/(?P<y>\d{{4}})/(?P<m>\d{{2}})/ccme-(?P<id>\d+)(?P<b>-b)?-(?P<w>\d+)x(?P<h>\d+)\.jpg$"
)
_SIZE_IN_NAME = re.compile(r"-(\d+)x(\d+)\.(?:png|jpg)$")


# -- stylesheets and scripts ----------------------------------------------------------------

_STYLE = """/* SmartMag (stand-in for the mirror): the site's layout in a few rules. */
@import url("css/skin-ccme.css?ver=10.2.1");
@font-face { font-family: "ts-icons"; src: url("fonts/ts-icons.woff2?ver=10.2.1") format("woff2"); font-display: block; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 15px/1.7 var(--body-font, Arial, sans-serif); color: #2a2a2a; background: #f4f1ec url("images/paper.png") repeat; }
a { color: #1d3b5a; text-decoration: none; }
img { max-width: 100%; height: auto; }
.visuallyhidden, .off-canvas, .off-canvas-backdrop, .smart-head-mobile, .search-modal-wrap, .post-share-float,
.smart-head-scroll-nav, .logo-image-dark, .mc4wp-response, .ccme-lang-switcher .sub-menu, .navigation .sub-menu { display: none; }
.wrap, .ts-contain { max-width: 1140px; margin: 0 auto; padding: 0 20px; }
.smart-head-main { background: #fff; border-bottom: 3px solid var(--c-main, #b58a4c); }
.smart-head-row .inner { display: flex; align-items: center; justify-content: space-between; min-height: var(--head-h, 60px); }
.navigation .menu { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
.navigation .menu > li > a { color: #1d3b5a; font-weight: 600; }
.breadcrumbs { font-size: 13px; color: #777; padding: 14px 0; }
.main { background: #fff; padding-top: 24px; padding-bottom: 24px; }
.ts-row { display: flex; gap: 36px; }
.col-8 { flex: 2 1 0; min-width: 0; }
.col-4, .sidebar { flex: 1 1 0; min-width: 0; }
.post-title { font-family: var(--title-font, Georgia, serif); line-height: 1.25; }
.the-post-header h1.post-title { font-size: 32px; margin: 0 0 10px; }
.post-meta-items { color: #777; font-size: 13px; }
.post-meta .category { color: var(--c-main, #b58a4c); text-transform: uppercase; font-weight: 700; margin-right: 10px; }
.post-share { display: flex; gap: 6px; margin: 14px 0 20px; }
.post-share .service { background: #1d3b5a; color: #fff; padding: 4px 10px; border-radius: 3px; font-size: 12px; }
.featured { margin: 0 0 24px; }
.featured img { display: block; width: 100%; }
.entry-content p { margin: 0 0 1.2em; }
.entry-content figure { margin: 0 0 1.4em; }
.related-posts .block-head, .widget-title { border-bottom: 2px solid #1d3b5a; margin: 30px 0 14px; }
.related-posts .loop { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.loop-small article.l-post { display: flex; gap: 12px; margin-bottom: 14px; }
.loop-small .media { flex: 0 0 110px; }
.loop-list article.l-post { border-bottom: 1px solid #eee; padding: 16px 0; }
.main-pagination { display: flex; gap: 8px; margin: 24px 0; }
.main-footer { background: #16283b; color: #d9dee4; margin-top: 30px; padding: 30px 0; font-size: 13px; }
.main-footer a { color: #fff; }
.main-footer ul { list-style: none; padding: 0; }
"""

_SKIN = """/* CCME skin (stand-in): colours and the header rule. */
:root { --c-main: #b58a4c; }
.smart-head-bot { background: #f6f1ea url("../images/head-rule.svg") repeat-x bottom left; }
.archive-heading { color: #1d3b5a; }
"""

_ICONS = """/* Theme icon font (stand-in). */
@font-face { font-family: "ts-icons"; src: url("../../fonts/ts-icons.woff2?ver=10.2.1") format("woff2"), url("../../fonts/ts-icons.woff?ver=10.2.1") format("woff"); }
.tsi { font-family: "ts-icons"; font-style: normal; }
"""

_LAZYLOAD = """/* SmartMag lazy loading (stand-in): images keep the real file in data-src / data-srcset. */
(function () {
  function load(img) {
    if (img.dataset.srcset) { img.srcset = img.dataset.srcset; }
    if (img.dataset.src) { img.src = img.dataset.src; }
    img.classList.remove("lazyload");
    img.classList.add("lazyloaded");
  }
  function all() { document.querySelectorAll("img.lazyload").forEach(load); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
"""


def _script(name: str) -> bytes:
    return f"/* {name} (stand-in for the mirror) */\n(function () {{ return 0; }})();\n".encode()


def _stylesheet(name: str) -> bytes:
    return f"/* {name} (stand-in for the mirror) */\n".encode()


# -- images ---------------------------------------------------------------------------------


def _colour(seed: str) -> tuple[int, int, int]:
    digest = hashlib.sha1(seed.encode("utf-8")).digest()
    return digest[0] // 2 + 40, digest[1] // 2 + 40, digest[2] // 2 + 60


def png(width: int, height: int, seed: str, colour: tuple[int, int, int] | None = None) -> bytes:
    """A valid RGB PNG: a colour (from ``seed`` unless given) with a lighter band across the
    middle."""
    r, g, b = colour or _colour(seed)
    light = bytes((min(255, r + 90), min(255, g + 90), min(255, b + 90)))
    plain = bytes((r, g, b))
    if colour is not None:
        light = plain
    rows = []
    for y in range(height):
        band = height // 3 <= y < 2 * height // 3
        rows.append(b"\x00" + (light if band else plain) * width)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


# Baseline JPEG with the standard luminance DC table, an AC table holding only end-of-block and
# a quantization table of ones: every 8x8 block is one flat colour (a mosaic, drawn as a
# gradient from the path), which is all a stand-in photo needs and decodes everywhere.
_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
_DC_VALUES = tuple(range(12))


def _huffman_codes(bits: tuple[int, ...], values: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC_CODES = _huffman_codes(_DC_BITS, _DC_VALUES)


class _BitWriter:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.count = 0

    def write(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.count += length
        while self.count >= 8:
            self.count -= 8
            byte = (self.acc >> self.count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)  # byte stuffing
        self.acc &= (1 << self.count) - 1

    def flush(self) -> bytes:
        if self.count:
            self.write((1 << (8 - self.count)) - 1, 8 - self.count)  # pad with ones
        return bytes(self.out)


@cache
def _jpeg_scan(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    r0, g0, b0 = colour
    cols, rows = -(-width // 8), -(-height // 8)
    bits = _BitWriter()
    previous = [0, 0, 0]
    for by in range(rows):
        for bx in range(cols):
            shade = 0.55 + 0.45 * (bx / max(1, cols - 1)) * (1 - 0.6 * by / max(1, rows - 1))
            r, g, b = (min(255, int(c * shade + 60 * (1 - shade))) for c in (r0, g0, b0))
            ycc = (
                0.299 * r + 0.587 * g + 0.114 * b,
                128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
            )
            for component, value in enumerate(ycc):
                dc = round(8 * (value - 128))
                diff = dc - previous[component]
                previous[component] = dc
                category = abs(diff).bit_length()
                code, length = _DC_CODES[category]
                bits.write(code, length)
                if category:
                    bits.write(diff if diff > 0 else diff + (1 << category) - 1, category)
                bits.write(0, 1)  # end of block (the only AC code)
    return bits.flush()


# Photos take one of a few colours: the entropy-coded scan, the costly part in Python, is then
# built once per (size, colour) and the bytes of each path still differ (its comment segment),
# so that a mirror of 20,000 posts serves its 120,000 photos at the speed of its pages.
_PHOTO_PALETTE = tuple(_colour(f"photo palette {i}") for i in range(16))


def jpeg(width: int, height: int, seed: str) -> bytes:
    """A valid baseline JPEG of ``width`` x ``height``: a gradient of 8x8 blocks in a colour
    picked by ``seed``, which it also names in a comment."""
    colour = _PHOTO_PALETTE[hashlib.sha1(seed.encode("utf-8")).digest()[0] % len(_PHOTO_PALETTE)]
    scan = _jpeg_scan(width, height, colour)

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    quant = bytes([0]) + bytes([1] * 64)
    frame = struct.pack(">BHHB", 8, height, width, 3) + b"".join(
        bytes((ident, 0x11, 0)) for ident in (1, 2, 3)
    )
    tables = bytes([0x00]) + bytes(_DC_BITS) + bytes(_DC_VALUES)
    tables += bytes([0x10]) + bytes([1] + [0] * 15) + bytes([0x00])
    start = bytes([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xFE, f"ccme mirror {seed}".encode())
        + segment(0xDB, quant)
        + segment(0xC0, frame)
        + segment(0xC4, tables)
        + segment(0xDA, start)
        + scan
        + b"\xff\xd9"
    )


def _svg(seed: str) -> bytes:
    r, g, b = _colour(seed)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="6" viewBox="0 0 8 6">'
        f'<rect y="5" width="8" height="1" fill="rgb({r},{g},{b})"/></svg>\n'
    ).encode()


def _font(name: str) -> bytes:
    # Not a usable font (a browser falls back to the next family): only its bytes matter here.
    magic = b"wOF2" if name.endswith(".woff2") else b"wOFF"
    return magic + hashlib.sha256(name.encode()).digest() * 8


# -- the files a page references ------------------------------------------------------------


@dataclass(frozen=True)
class Asset:
    content_type: str
    build: str  # how the bytes are made: "text", "png", "paper" (plain PNG), "jpeg", "svg", "font"
    text: str = ""


def _image_asset(path: str) -> Asset:
    return Asset(JPEG if path.endswith(".jpg") else PNG, "jpeg" if path.endswith(".jpg") else "png")


_JS_FILES = (
    "/wp-includes/js/jquery/jquery.min.js",
    "/wp-includes/js/jquery/jquery-migrate.min.js",
    f"{THEME}/js/jquery.mfp-lightbox.js",
    f"{THEME}/js/jquery.sticky-sidebar.js",
    f"{THEME}/js/theme.js",
    "/wp-content/plugins/mailchimp-for-wp/assets/js/forms.js",
    "/wp-content/plugins/elementor/assets/js/webpack.runtime.min.js",
    "/wp-content/plugins/elementor/assets/js/frontend-modules.min.js",
    "/wp-content/plugins/elementor/assets/js/frontend.min.js",
)
_CSS_FILES = (
    "/wp-includes/css/dist/block-library/style.min.css",
    "/wp-content/plugins/elementor/assets/css/frontend-lite.min.css",
    f"{UPLOADS}/elementor/css/post-6.css",
    f"{THEME}/css/lightbox.css",
)
_IMAGES = (
    f"{UPLOADS}/2023/10/cropped-favicon-ccme-32x32.png",
    f"{UPLOADS}/2023/10/cropped-favicon-ccme-180x180.png",
    f"{UPLOADS}/2023/10/cropped-favicon-ccme-192x192.png",
    f"{UPLOADS}/2023/10/cropped-favicon-ccme-270x270.png",
    f"{UPLOADS}/2023/10/logo-ccme.png",
    f"{UPLOADS}/2023/10/logo-ccme@2x.png",
    f"{UPLOADS}/2023/10/logo-ccme-blanc.png",
    f"{UPLOADS}/2023/10/logo-ccme-footer.png",
    f"{UPLOADS}/2024/05/google-play-badge.png",
    f"{UPLOADS}/2024/05/app-store-badge.png",
    *(
        f"{UPLOADS}/2025/06/{name}-{size}.jpg"
        for name in (
            "arles-2025-ccme",
            "Karima-Ahdad",
            "hanane-harrath-faten-wehbe",
            "forum-droits-humains-gnaoua-2025",
        )
        for size in ("150x100", "300x200", "450x300")
    ),
)
_NAMED_SIZES = {
    "logo-ccme.png": (260, 60),
    "logo-ccme@2x.png": (520, 120),
    "logo-ccme-blanc.png": (260, 60),
    "logo-ccme-footer.png": (200, 64),
    "google-play-badge.png": (160, 48),
    "app-store-badge.png": (160, 48),
    "paper.png": (16, 16),
}

THEME_ASSETS: dict[str, Asset] = {
    f"{THEME}/style.css": Asset(CSS, "text", _STYLE),
    f"{THEME}/css/skin-ccme.css": Asset(CSS, "text", _SKIN),
    f"{THEME}/css/icons/icons.css": Asset(CSS, "text", _ICONS),
    f"{THEME}/js/lazyload.js": Asset(JS, "text", _LAZYLOAD),
    f"{THEME}/fonts/ts-icons.woff2": Asset(WOFF2, "font"),
    f"{THEME}/fonts/ts-icons.woff": Asset("font/woff", "font"),
    f"{THEME}/images/head-rule.svg": Asset(SVG, "svg"),
    f"{THEME}/images/paper.png": Asset(PNG, "paper"),
    **{path: Asset(JS, "text", _script(path).decode()) for path in _JS_FILES},
    **{path: Asset(CSS, "text", _stylesheet(path).decode()) for path in _CSS_FILES},
    **{path: _image_asset(path) for path in _IMAGES},
}


def _size_of(path: str) -> tuple[int, int]:
    name = path.rsplit("/", 1)[-1]
    if name in _NAMED_SIZES:
        return _NAMED_SIZES[name]
    match = _SIZE_IN_NAME.search(name)
    return (int(match.group(1)), int(match.group(2))) if match else (64, 64)


@cache
def _bytes(path: str, asset: Asset) -> bytes:
    if asset.build == "text":
        return asset.text.encode("utf-8")
    if asset.build == "paper":
        return png(*_size_of(path), path, colour=(244, 241, 236))
    if asset.build == "png":
        return png(*_size_of(path), path)
    if asset.build == "jpeg":
        return jpeg(*_size_of(path), path)
    if asset.build == "svg":
        return _svg(path)
    return _font(path)


# -- photos of posts ------------------------------------------------------------------------


def has_photo(article: MirrorArticle) -> bool:
    """Two posts in three have a featured photo and a photo in the text; the seed (60338) has
    none, as in the reference page."""
    return article.post_id % 3 != 2


def photo_paths(article: MirrorArticle, second: bool = False) -> list[str]:
    """The three sizes of a post's featured photo (or, with ``second``, of its photo in the
    text), smallest first, in the upload folder of its publication month."""
    month = article.published_at[:7].replace("-", "/")
    suffix = "-b" if second else ""
    return [f"{UPLOADS}/{month}/ccme-{article.post_id}{suffix}-{w}x{h}.jpg" for w, h in PHOTO_SIZES]


def _photo(site: MirrorSite, path: str) -> bool:
    match = _PHOTO.match(path)
    if match is None:
        return False
    article = site.find_by_id(int(match.group("id")))
    return (
        article is not None
        and has_photo(article)
        and path in photo_paths(article, second=bool(match.group("b")))
    )


def asset(site: MirrorSite, path: str) -> tuple[str, bytes] | None:
    """(Content-Type, bytes) of the asset at ``path`` (no query), or None when there is none."""
    theme = THEME_ASSETS.get(path)
    if theme is not None:
        return theme.content_type, _bytes(path, theme)
    if _photo(site, path):
        # Not cached: a large mirror's photos would hold gigabytes; a photo is cheap to build.
        return JPEG, jpeg(*_size_of(path), path)
    return None


def asset_headers(data: bytes) -> dict[str, str]:
    """What Apache sends with a static file: validators and a year of caching."""
    return {
        "ETag": '"' + hashlib.sha1(data).hexdigest()[:16] + '"',
        "Last-Modified": ASSET_DATE,
        "Cache-Control": "max-age=31536000",
    }


def site_asset_paths(site: MirrorSite) -> list[str]:
    """Every asset path the pages of ``site`` can reference (theme files and post photos)."""
    paths = list(THEME_ASSETS)
    for article in site.articles:
        if has_photo(article):
            paths += photo_paths(article) + photo_paths(article, second=True)
    return paths
