"""Language: declared by the page, checked against the script of the text."""

from __future__ import annotations

from ccme_crawler.extraction.language import detect_language

ARABIC = "نظم مجلس الجالية المغربية بالخارج لقاء حول الكفاءات المغربية المقيمة في أوروبا"
FRENCH = "Le Conseil a organisé une rencontre sur les compétences marocaines établies en Europe et dans le monde."
ENGLISH = (
    "The Council hosted a meeting on the Moroccan professionals living in Europe and in the world."
)


def test_declared_language_is_used() -> None:
    assert detect_language("fr-FR", None, FRENCH) == ("fr", False)


def test_og_locale_when_no_html_lang() -> None:
    assert detect_language(None, "en_US", ENGLISH) == ("en", False)


def test_arabic_text_overrides_french_declaration() -> None:
    assert detect_language("fr-FR", "fr_FR", ARABIC) == ("ar", True)


def test_undeclared_language_from_text() -> None:
    assert detect_language(None, None, FRENCH) == ("fr", False)


def test_undeclared_english_from_text() -> None:
    assert detect_language(None, None, ENGLISH) == ("en", False)


def test_short_text_keeps_declaration() -> None:
    assert detect_language("ar", None, "OK") == ("ar", False)
