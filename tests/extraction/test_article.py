"""extract_article on the seed page and on hand-made pages: one field, one assertion."""

from __future__ import annotations

from collections.abc import Callable

from ccme_crawler.extraction import extract_article
from ccme_crawler.items import ExtractedArticle

SEED_URL = (
    "https://www.ccme.org.ma/"
    "le-maroc-et-la-belgique-signent-plusieurs-accords-et-conventions-de-cooperation/"
)
URL = "https://www.ccme.org.ma/x/"
Golden = Callable[[str], ExtractedArticle]
Page = Callable[..., str]


# --- The seed page (ground truth in shared/seed/README.md) ----------------------------------
def test_seed_url_is_echoed(seed: ExtractedArticle) -> None:
    assert seed.url == SEED_URL


def test_seed_title(seed: ExtractedArticle) -> None:
    assert (
        seed.title
        == "Le Maroc et la Belgique signent plusieurs accords et conventions de coopération"
    )


def test_seed_published_at(seed: ExtractedArticle) -> None:
    assert seed.published_at == "2014-02-19T09:00:00+00:00"


def test_seed_modified_at(seed: ExtractedArticle) -> None:
    assert seed.modified_at == "2023-10-24T10:52:37+00:00"


def test_seed_language(seed: ExtractedArticle) -> None:
    assert seed.language == "fr"


def test_seed_category(seed: ExtractedArticle) -> None:
    assert seed.category == "Médias et migration"


def test_seed_category_url(seed: ExtractedArticle) -> None:
    assert (
        seed.category_url
        == "https://www.ccme.org.ma/category/archives-du-ccme/medias-et-migration/"
    )


def test_seed_breadcrumb(seed: ExtractedArticle) -> None:
    assert seed.breadcrumb == ["Home", "Archives du CCME", "Médias et migration"]


def test_seed_body_starts_with_first_paragraph(seed: ExtractedArticle) -> None:
    assert seed.body.startswith("Le Maroc et la Belgique ont signé, mardi à Bruxelles,")


def test_seed_body_ends_with_last_paragraph(seed: ExtractedArticle) -> None:
    assert seed.body.endswith("remonte à 1965.")


def test_seed_body_has_nine_paragraphs(seed: ExtractedArticle) -> None:
    assert len(seed.body.split("\n\n")) == 9


def test_seed_br_becomes_a_line_break(seed: ExtractedArticle) -> None:
    assert "populations des pays d’Afrique subsaharienne.\nDans le domaine" in seed.body


def test_seed_body_has_no_chrome(seed: ExtractedArticle) -> None:
    assert not any(s in seed.body for s in ("Facebook", "Related", "Nos dernières", "Copy Link"))


def test_seed_source(seed: ExtractedArticle) -> None:
    assert seed.source == "MAP"


def test_seed_source_date(seed: ExtractedArticle) -> None:
    assert seed.source_date == "2014-02-18"


def test_seed_source_date_raw(seed: ExtractedArticle) -> None:
    assert seed.source_date_raw == "18 févr. 2014"


def test_seed_post_id(seed: ExtractedArticle) -> None:
    assert seed.post_id == 60338


def test_seed_author(seed: ExtractedArticle) -> None:
    assert seed.author == "Equipe de rédaction"


def test_seed_canonical_url(seed: ExtractedArticle) -> None:
    assert seed.canonical_url == SEED_URL


def test_seed_word_count(seed: ExtractedArticle) -> None:
    assert seed.word_count == len(seed.body.split())


def test_seed_method(seed: ExtractedArticle) -> None:
    assert seed.extraction_method == "template"


def test_seed_has_no_flags(seed: ExtractedArticle) -> None:
    assert seed.flags == []


def test_str_and_bytes_agree(seed_html: bytes, seed: ExtractedArticle) -> None:
    assert extract_article(seed_html.decode("utf-8"), SEED_URL) == seed


# --- Golden variants -------------------------------------------------------------------------
def test_visible_moroccan_date_beats_sidebar_dates(golden: Golden) -> None:
    assert golden("041-ar-visible-moroccan-date").published_at == "2015-08-12"


def test_visible_date_is_kept_raw(golden: Golden) -> None:
    assert golden("041-ar-visible-moroccan-date").published_raw == "12 غشت 2015"


def test_english_visible_date(golden: Golden) -> None:
    assert golden("051-en-visible-date").published_at == "2016-07-03"


def test_caption_source_is_not_taken(golden: Golden) -> None:
    assert golden("010-figure-caption-source").source is None


def test_caption_text_is_not_body(golden: Golden) -> None:
    assert "Reuters" not in golden("010-figure-caption-source").body


def test_blockquote_source_is_not_taken(golden: Golden) -> None:
    assert golden("012-blockquote-source-mid").source is None


def test_table_source_is_not_taken(golden: Golden) -> None:
    assert golden("011-table-source").source == "EFE"


def test_video_only_post_is_flagged_empty(golden: Golden) -> None:
    assert "empty_body" in golden("015-video-only").flags


def test_title_entities_and_nbsp(golden: Golden) -> None:
    assert golden("016-title-entities").title == "Maroc : l’« exception » migratoire & ses défis"


def test_mis_declared_arabic_page_language(golden: Golden) -> None:
    assert golden("045-ar-declared-fr").language == "ar"


def test_mis_declared_arabic_page_flag(golden: Golden) -> None:
    assert "language_mismatch" in golden("045-ar-declared-fr").flags


def test_windows_1252_page_title(golden: Golden) -> None:
    assert golden("036-windows-1252").title == "Les Marocains d’Europe et l’été"


def test_theme_change_uses_fallback(golden: Golden) -> None:
    assert golden("060-k2-fr").extraction_method == "fallback:trafilatura"


def test_theme_change_is_flagged(golden: Golden) -> None:
    assert "fallback" in golden("060-k2-fr").flags


def test_theme_change_visible_date(golden: Golden) -> None:
    assert golden("060-k2-fr").published_at == "2024-11-20"


def test_pre_keeps_its_lines(golden: Golden) -> None:
    assert "Ateliers :\n1. Recherche\n2. Entreprise" in golden("024-pre-block").body


# --- Hand-made pages ------------------------------------------------------------------------
def test_title_falls_back_to_og_title_without_suffix() -> None:
    html = '<html><head><meta property="og:title" content="Titre - CCME | Études et actualités" /></head><body><p>x</p></body></html>'
    assert extract_article(html, URL).title == "Titre"


def test_title_falls_back_to_json_ld_headline() -> None:
    html = '<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"Titre \\u00e9t\\u00e9"}]}</script></head><body></body></html>'
    assert extract_article(html, URL).title == "Titre été"


def test_long_title_is_truncated(page: Page) -> None:
    assert len(extract_article(page("<p>x</p>", title="a" * 5000), URL).title or "") == 1000


def test_long_title_is_flagged(page: Page) -> None:
    assert "title_truncated" in extract_article(page("<p>x</p>", title="a" * 5000), URL).flags


def test_control_and_bidi_characters_are_stripped(page: Page) -> None:
    html = page("<p>a\x01b\u202ec\u2066d\x7f</p>", title="T\x00i\u202dtre")
    article = extract_article(html, URL)
    assert (article.title, article.body) == ("Titre", "abcd")


def test_invalid_utf8_is_flagged(page: Page) -> None:
    data = page("<p>caf\xe9</p>").encode("utf-8").replace("caf\xe9".encode(), b"caf\xe9")
    assert "decode_errors" in extract_article(data, URL).flags


def test_given_encoding_wins(page: Page) -> None:
    data = page("<p>été</p>").replace('charset="UTF-8"', "").encode("cp1252")
    assert extract_article(data, URL, encoding="cp1252").body == "été"


def test_mojibake_is_flagged(page: Page) -> None:
    assert "mojibake" in extract_article(page("<p>Ã©tÃ© Ã  Rabat</p>"), URL).flags


def test_no_date_is_flagged(page: Page) -> None:
    assert "no_date" in extract_article(page("<p>x</p>", time=""), URL).flags


def test_unreadable_date_is_flagged(page: Page) -> None:
    html = page("<p>x</p>", time='<time class="post-date">il y a longtemps</time>')
    assert "date_unreadable" in extract_article(html, URL).flags


def test_unreadable_date_keeps_raw_text(page: Page) -> None:
    html = page("<p>x</p>", time='<time class="post-date">il y a longtemps</time>')
    assert extract_article(html, URL).published_raw == "il y a longtemps"


def test_sidebar_date_is_never_used(page: Page) -> None:
    sidebar = '<span class="meta-item date"><time class="post-date" datetime="2025-06-25T10:00:00+01:00">25 juin 2025</time></span>'
    assert extract_article(page("<p>x</p>", time="", sidebar=sidebar), URL).published_at is None


def test_meta_date_used_without_time_attribute(page: Page) -> None:
    head = '<meta property="article:published_time" content="2014-02-19T09:00:00+00:00" />'
    html = page("<p>x</p>", time="<time class='post-date'>19 février 2014</time>", head=head)
    assert extract_article(html, URL).published_at == "2014-02-19T09:00:00+00:00"


def test_empty_input_does_not_raise() -> None:
    assert "empty_body" in extract_article("", URL).flags


def test_garbage_bytes_do_not_raise() -> None:
    assert extract_article(b"\xff\xfe\x00<<<>>>\x00\x9f", URL).url == URL


def test_xml_declaration_is_accepted(page: Page) -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>' + page("<p>Bonjour</p>")
    assert extract_article(html, URL).body == "Bonjour"


def test_truncated_page_keeps_what_is_there(page: Page) -> None:
    html = page("<p>Premier paragraphe.</p><p>Second paragraphe.</p>")
    assert extract_article(html[: html.index("Second")], URL).body == "Premier paragraphe."


def test_share_block_inside_content_is_dropped(page: Page) -> None:
    content = (
        '<p>Texte.</p><div class="post-share"><a><span class="label">Facebook</span></a></div>'
    )
    assert extract_article(page(content), URL).body == "Texte."


def test_list_items_are_blocks(page: Page) -> None:
    assert extract_article(page("<ul><li>un</li><li>deux</li></ul>"), URL).body == "un\n\ndeux"


def test_post_id_from_body_class(page: Page) -> None:
    assert extract_article(page("<p>x</p>").replace('id="post-42"', ""), URL).post_id == 42
