"""content_hash: deterministic, sensitive to content, blind to presentation."""

from __future__ import annotations

import dataclasses

from ccme_crawler.extraction import content_hash
from ccme_crawler.items import ExtractedArticle


def _article(**kw: object) -> ExtractedArticle:
    base = ExtractedArticle(
        url="https://www.ccme.org.ma/x/", title="Titre", body="Un.\n\nDeux.", source="MAP"
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def test_hash_is_sha256_hex() -> None:
    assert len(content_hash(_article())) == 64


def test_hash_is_deterministic() -> None:
    assert content_hash(_article()) == content_hash(_article())


def test_hash_changes_with_body() -> None:
    assert content_hash(_article()) != content_hash(_article(body="Un.\n\nTrois."))


def test_hash_changes_with_source_date() -> None:
    assert content_hash(_article()) != content_hash(_article(source_date="2014-02-18"))


def test_hash_ignores_whitespace_and_nbsp() -> None:
    assert content_hash(_article()) == content_hash(
        _article(title=" Titre\u00a0", body="Un. \n\nDeux.")
    )


def test_hash_ignores_url_and_flags() -> None:
    assert content_hash(_article()) == content_hash(
        _article(url="http://127.0.0.1/x/", flags=["fallback"])
    )


def test_hash_ignores_unicode_normalization_form() -> None:
    assert content_hash(_article(title="été")) == content_hash(_article(title="e\u0301te\u0301"))


def test_hash_changes_with_source_url() -> None:
    assert content_hash(_article()) != content_hash(_article(source_url="https://lematin.ma/a/1"))


def test_hash_without_source_url_is_the_hash_of_extractor_version_1() -> None:
    # Stored records are compared by hash: a new field must not change the hash of every article.
    assert content_hash(_article()) == (
        "5cbf316e2ee399ef9b1c796ce61ca0b33e5c66c64b45ba00d94aa0e97581ae26"
    )
