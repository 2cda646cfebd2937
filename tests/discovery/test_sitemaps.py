"""Sitemaps and robots.txt, read with Scrapy's sitemap support."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import Response, TextResponse, XmlResponse

from ccme_crawler.discovery import (
    normalize_lastmod,
    parse_sitemap,
    sitemap_body,
    sitemap_role,
    sitemap_urls_in_robots,
)
from tests.discovery.conftest import fixture_bytes

ORIGIN = "https://www.ccme.org.ma"


def test_robots_sitemap_lines_any_case() -> None:
    assert sitemap_urls_in_robots(fixture_bytes("robots.txt"), ORIGIN + "/robots.txt") == [
        ORIGIN + "/sitemap_index.xml",
        "https://cdn.example.net/ccme/sitemap.xml",
    ]


def test_robots_without_sitemap_lines() -> None:
    assert sitemap_urls_in_robots(b"User-agent: *\nDisallow: /wp-admin/\n", ORIGIN) == []


def test_core_index_is_an_index() -> None:
    kind, _ = parse_sitemap(fixture_bytes("wp-sitemap.xml"))
    assert kind == "sitemapindex"


def test_core_index_names_its_sitemaps_in_order() -> None:
    _, entries = parse_sitemap(fixture_bytes("wp-sitemap.xml"))
    assert [sitemap_role(e["loc"]) for e in entries] == [
        "posts",
        "posts",
        "other",  # pages
        "categories",
        "other",  # tags
        "users",
    ]


def test_yoast_index_names_its_sitemaps() -> None:
    _, entries = parse_sitemap(fixture_bytes("sitemap_index.xml"))
    assert [sitemap_role(e["loc"]) for e in entries] == [
        "posts",
        "posts",
        "other",
        "categories",
        "users",
    ]


def test_post_sitemap_gives_each_post_with_its_lastmod() -> None:
    kind, entries = parse_sitemap(fixture_bytes("wp-sitemap-posts-post-1.xml"))
    assert (kind, [e.get("lastmod") for e in entries]) == (
        "urlset",
        ["2023-10-24T10:12:43+01:00", "2013-03-19", "2018-05-02T08:00:00Z", None],
    )


def test_post_sitemap_keeps_alternate_links() -> None:
    _, entries = parse_sitemap(fixture_bytes("wp-sitemap-posts-post-1.xml"))
    assert entries[1]["alternate"] == [ORIGIN + "/vote-des-marocains/"]


def test_category_sitemap_gives_category_urls() -> None:
    _, entries = parse_sitemap(fixture_bytes("wp-sitemap-taxonomies-category-1.xml"))
    assert len([e["loc"] for e in entries if "/category/" in e["loc"]]) == 4


def test_not_xml_is_invalid() -> None:
    assert parse_sitemap(b"<html><body>Not found</body></html>")[0] not in (
        "sitemapindex",
        "urlset",
    )


def test_empty_body_is_invalid() -> None:
    assert parse_sitemap(b"") == ("invalid", [])


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("/wp-sitemap-posts-post-12.xml", "posts"),
        ("/post-sitemap.xml", "posts"),
        ("/post-sitemap3.xml.gz", "posts"),
        ("/wp-sitemap-taxonomies-category-1.xml", "categories"),
        ("/category-sitemap.xml", "categories"),
        ("/wp-sitemap-users-1.xml", "users"),
        ("/author-sitemap.xml", "users"),
        ("/wp-sitemap-posts-page-1.xml", "other"),
        ("/post_tag-sitemap.xml", "other"),
    ],
)
def test_sitemap_role_from_its_name(name: str, role: str) -> None:
    assert sitemap_role(name) == role


@pytest.mark.parametrize(
    ("value", "utc"),
    [
        ("2023-10-24T10:12:43+01:00", "2023-10-24T09:12:43+00:00"),
        ("2018-05-02T08:00:00Z", "2018-05-02T08:00:00+00:00"),
        ("2013-03-19", "2013-03-19T00:00:00+00:00"),
        ("2013-03", "2013-03-01T00:00:00+00:00"),
        ("2013", "2013-01-01T00:00:00+00:00"),
        ("2024-01-01T10:00:00.123456+00:00", "2024-01-01T10:00:00+00:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_lastmod_in_utc(value: str | None, utc: str | None) -> None:
    assert normalize_lastmod(value) == utc


def test_sitemap_body_of_an_xml_response() -> None:
    body = fixture_bytes("wp-sitemap.xml")
    assert sitemap_body(XmlResponse(ORIGIN + "/wp-sitemap.xml", body=body), 10**6) == body


def test_sitemap_body_of_a_gzipped_file_is_gunzipped() -> None:
    body = fixture_bytes("wp-sitemap-users-1.xml")
    response = Response(ORIGIN + "/author-sitemap.xml.gz", body=gzip.compress(body))
    assert sitemap_body(response, 10**6) == body


def test_sitemap_body_larger_than_the_cap_is_refused() -> None:
    response = Response(ORIGIN + "/post-sitemap.xml.gz", body=gzip.compress(b"<x/>" * 10_000))
    assert sitemap_body(response, 1000) is None


def test_html_page_is_not_a_sitemap_body() -> None:
    response = TextResponse(ORIGIN + "/wp-sitemap.xml/", body=b"<html></html>", encoding="utf-8")
    assert sitemap_body(response, 10**6) is None
