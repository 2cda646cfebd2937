"""The CDXJ key of a plain URL is made without surt, and must be surt's own key, byte for byte."""

from __future__ import annotations

import itertools
import random

import surt

from ccme_crawler.warc.index import url_key

ORIGINS = [
    "https://www.ccme.org.ma",
    "http://127.0.0.1:4567",
    "https://WWW.CCME.org.ma:443",
    "http://www2.example.com:80",
    "https://user:pw@example.com",
    "http://[::1]:8080",
    "https://xn--mgbh0fb.example",
]
# Path pieces the fast path must take (plain) or leave to surt (everything else).
PIECES = [
    "fr",
    "ar",
    "2024",
    "a-b",
    "x_y",
    "-",
    "_",
    "Fr",
    "%d8%a7",
    "é",
    ".",
    "..",
    "",
    "index.php",
    "a;jsessionid=1",
    "(a(123456789012345678901234))",
    "x.aspx",
    "~u",
    "a+b",
]
TAILS = ["", "/", "?", "?b=2&a=1", "?PHPSESSID=1", "#top", "//", "/?x"]


def generated_urls(count: int) -> list[str]:
    rng = random.Random(15)
    urls = []
    for _ in range(count):
        segments = [rng.choice(PIECES) for _ in range(rng.randint(0, 4))]
        path = "".join("/" + s for s in segments)
        urls.append(rng.choice(ORIGINS) + path + rng.choice(TAILS))
    return urls


def test_key_is_surts_key_for_generated_urls() -> None:
    urls = generated_urls(3000)
    assert [u for u in urls if url_key(u) != surt.surt(u)] == []


def test_the_site_s_urls_take_the_fast_path_and_match() -> None:
    paths = [
        "/fr/",
        "/fr/actualites/",
        "/ar/12345-titre-d-article/",
        "/fr/category/archives/page/2/",
    ]
    for origin, path in itertools.product(ORIGINS[:2], paths):
        assert url_key(origin + path) == surt.surt(origin + path)
