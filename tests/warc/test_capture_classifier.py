"""What a captured response is, as ``reextract`` and ``import`` both read it (unit tests)."""

from __future__ import annotations

from ccme_crawler.warc.reader import CaptureClassifier

SITE = "https://www.ccme.org.ma"
POST = f"{SITE}/fr/revue-de-presse/12345-un-article/"


def test_a_post_is_a_page() -> None:
    assert CaptureClassifier().kind(POST, 200, None) == "page"


def test_a_redirect_with_a_location_is_a_redirect() -> None:
    assert CaptureClassifier().kind(f"{SITE}/?p=12345", 301, POST) == "redirect"


def test_a_3xx_without_a_location_is_not_a_redirect() -> None:
    assert CaptureClassifier().kind(POST, 304, None) == "page"


def test_the_home_page_is_discovery() -> None:
    assert CaptureClassifier().kind(f"{SITE}/", 200, None) == "discovery"


def test_robots_txt_is_discovery() -> None:
    assert CaptureClassifier().kind(f"{SITE}/robots.txt", 200, None) == "discovery"


def test_a_stylesheet_is_a_requisite() -> None:
    url = f"{SITE}/wp-content/themes/smart-mag/style.css"
    assert CaptureClassifier().kind(url, 200, None) == "requisite"


def test_a_listing_page_is_a_listing() -> None:
    url = f"{SITE}/fr/category/revue-de-presse/page/2/"
    assert CaptureClassifier().kind(url, 200, None) == "listing"


def test_a_page_reached_by_a_redirect_keeps_the_url_first_asked_for() -> None:
    classifier = CaptureClassifier()
    classifier.kind(f"{SITE}/?p=12345", 301, POST)
    assert classifier.fetched_url(POST) == f"{SITE}/?p=12345"


def test_a_relative_location_is_resolved_against_the_redirect() -> None:
    classifier = CaptureClassifier()
    classifier.kind(f"{SITE}/?p=12345", 302, "/fr/revue-de-presse/12345-un-article/")
    assert classifier.fetched_url(POST) == f"{SITE}/?p=12345"


def test_a_chain_of_redirects_keeps_its_first_url() -> None:
    classifier = CaptureClassifier()
    classifier.kind("http://ccme.org.ma/?p=12345", 301, f"{SITE}/?p=12345")
    classifier.kind(f"{SITE}/?p=12345", 301, POST)
    assert classifier.fetched_url(POST) == "http://ccme.org.ma/?p=12345"


def test_a_page_without_redirect_is_fetched_as_itself() -> None:
    assert CaptureClassifier().fetched_url(POST) == POST
