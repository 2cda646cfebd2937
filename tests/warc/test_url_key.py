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
# Path segments surt leaves as they are (but for case), and others it changes or that end the
# path: the fast path must take the first kind and leave the rest to surt.
PLAIN = ["fr", "ar", "2024", "a-b", "x_y", "-", "_", "Fr", "AbC", "%d8%a7", "%D8%A7%D9%84-2"]
OTHER = ["%d8%A7", "%41", "%25", "%2F", "%7e", "é", ".", "..", "", "index.php", "~u", "a+b"]
OTHER += ["a;jsessionid=1", "(a(123456789012345678901234))", "x.aspx"]
TAILS = ["", "/", "?", "?b=2&a=1", "?PHPSESSID=1", "#top", "//", "/?x"]


def generated_urls(count: int, pieces: list[str], tails: list[str]) -> list[str]:
    rng = random.Random(15)
    urls = []
    for _ in range(count):
        segments = [rng.choice(pieces) for _ in range(rng.randint(0, 4))]
        path = "".join("/" + s for s in segments)
        urls.append(rng.choice(ORIGINS) + path + rng.choice(tails))
    return urls


def test_key_is_surts_key_for_plain_urls() -> None:
    urls = generated_urls(2000, PLAIN, ["", "/"])
    assert [u for u in urls if url_key(u) != surt.surt(u)] == []


def test_key_is_surts_key_for_any_url() -> None:
    urls = generated_urls(3000, PLAIN + OTHER, TAILS)
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
