"""extract_article on the seed page and on hand-made pages: one field, one assertion."""

from __future__ import annotations

from collections.abc import Callable

from ccme_crawler.extraction import extract_article
from ccme_crawler.items import ExtractedArticle

from .conftest import golden_page

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


# --- Deeply nested content (Word pastes): libxml2 drops everything past depth 256 -------------
def test_content_nested_300_deep_keeps_its_body(page: Page) -> None:
    content = "<div>" * 300 + "<p>Texte profond.</p>" + "</div>" * 300
    assert extract_article(page(content), URL).body == "Texte profond."


def test_unclosed_inline_tags_pasted_from_word_keep_the_body(page: Page) -> None:
    # 150 paragraphs, each leaving <font><b> open: 300 unclosed inline tags.
    content = "".join(f"<p><font face='Arial'><b>Paragraphe {n}." for n in range(150))
    assert "Paragraphe 149." in extract_article(page(content + "<p>Fin.</p>"), URL).body


def test_content_nested_1500_deep_keeps_its_body(page: Page) -> None:
    # The content walk has its own stack: no RecursionError on very deep trees.
    content = "<div>" * 1500 + "<p>Texte très profond.</p>" + "</div>" * 1500
    assert extract_article(page(content), URL).body == "Texte très profond."


def test_closing_lines_after_deep_nesting(page: Page) -> None:
    content = "<div>" * 300 + "<p>Texte.</p>" + "</div>" * 300 + "<p>Source : MAP</p>"
    assert extract_article(page(content), URL).source == "MAP"


# --- Post ids: every place WordPress writes one -----------------------------------------------
def _bare_page(head: str = "", body_class: str = "single", article_id: str = "") -> str:
    return (
        f'<html lang="fr-FR"><head>{head}</head><body class="{body_class}">'
        f'<article{article_id}><div class="post-content entry-content"><p>x</p></div></article>'
        "</body></html>"
    )


def test_post_id_from_article_id() -> None:
    assert extract_article(_bare_page(article_id=' id="post-169565"'), URL).post_id == 169565


def test_post_id_from_body_class_alone() -> None:
    html = _bare_page(body_class="single single-post postid-169565")
    assert extract_article(html, URL).post_id == 169565


def test_post_id_from_shortlink_alone() -> None:
    head = "<link rel='shortlink' href='https://www.ccme.org.ma/en/?p=169565' />"
    assert extract_article(_bare_page(head=head), URL).post_id == 169565


def test_post_id_from_rest_link_alone() -> None:
    head = '<link rel="alternate" type="application/json" href="https://www.ccme.org.ma/wp-json/wp/v2/posts/169565" />'
    assert extract_article(_bare_page(head=head), URL).post_id == 169565


def test_post_id_from_json_ld_alone() -> None:
    head = (
        '<script type="application/ld+json">{"@graph":[{"@type":"BlogPosting",'
        '"@id":"https://www.ccme.org.ma/?p=169565#richSnippet"}]}</script>'
    )
    assert extract_article(_bare_page(head=head), URL).post_id == 169565


def test_shortlink_url_and_permalink_give_one_post_id(golden: Golden) -> None:
    html = golden_page("095-en-short-month-date-line")
    at_shortlink = extract_article(html, "https://www.ccme.org.ma/en/?p=72095")
    assert at_shortlink.post_id == golden("095-en-short-month-date-line").post_id == 72095


def test_shortlink_url_page_keeps_the_permalink_as_canonical() -> None:
    html = golden_page("095-en-short-month-date-line")
    article = extract_article(html, "https://www.ccme.org.ma/en/?p=72095")
    assert article.canonical_url == "https://www.ccme.org.ma/en/en-golden-095/"


# --- URL slugs are never titles or dates ----------------------------------------------------
JOOMLA_URL = "https://www.ccme.org.ma/ar/2013-03-19-17-13-35-3199/"


def test_joomla_slug_is_not_a_title(page: Page) -> None:
    html = page("<p>نص</p>", title="").replace('lang="fr-FR"', 'lang="ar"')
    assert extract_article(html, JOOMLA_URL).title is None


def test_joomla_slug_is_not_a_date(page: Page) -> None:
    html = page("<p>نص</p>", time="").replace('lang="fr-FR"', 'lang="ar"')
    assert extract_article(html, JOOMLA_URL).published_at is None


def test_joomla_slug_is_not_a_date_on_the_fallback_path() -> None:
    html = (
        "<html lang='ar'><body><div><p>" + "نص طويل عن الهجرة. " * 30 + "</p></div></body></html>"
    )
    assert extract_article(html, JOOMLA_URL).published_at is None


def test_joomla_slug_page_reads_its_own_date(golden: Golden) -> None:
    html = golden_page("080-ar-slash-source-joomla-slug")
    assert extract_article(html, JOOMLA_URL).published_at == "2011-12-09T10:00:00+00:00"


# --- Pages without Yoast ----------------------------------------------------------------------
def test_rank_math_json_ld_date(golden: Golden) -> None:
    assert golden("079-rank-math").published_at == "2016-06-18T11:20:00+01:00"


def test_rank_math_json_ld_author(golden: Golden) -> None:
    assert golden("079-rank-math").author == "Equipe de rédaction"


def test_no_seo_visible_date_with_french_weekday(golden: Golden) -> None:
    assert golden("100-no-seo-weekday").published_at == "2015-09-02"


def test_no_seo_visible_date_with_arabic_weekday(golden: Golden) -> None:
    assert golden("084-ar-no-seo-weekday").published_at == "2011-11-23"


def test_no_seo_visible_date_with_english_weekday(golden: Golden) -> None:
    assert golden("094-en-no-seo-weekday").published_at == "2017-06-07"


def test_render_clock_is_not_the_publication_date(golden: Golden) -> None:
    assert golden("101-k2-fr-render-clock").published_at == "2015-09-02"


def test_hijri_date_is_not_the_publication_date(golden: Golden) -> None:
    assert golden("102-k2-ar-hijri").published_at == "2011-11-23"


# --- The outlet's article ---------------------------------------------------------------------
def test_suite_link_gives_the_source_url(golden: Golden) -> None:
    assert (
        golden("073-suite-offsite").source_url
        == "https://lematin.ma/journal/2016/espagne-affilies/251234.html"
    )


def test_suite_link_is_not_in_the_body(golden: Golden) -> None:
    assert "Suite" not in golden("073-suite-offsite").body


def test_read_more_french_is_not_in_the_body(golden: Golden) -> None:
    assert "Read more" not in golden("091-en-read-more-french").body


def test_amp_trailers_are_not_in_the_body(golden: Golden) -> None:
    body = golden("093-en-amp-trailers").body
    assert "Exit mobile version" not in body and "Lightbox" not in body


def test_photo_credit_is_not_the_source(golden: Golden) -> None:
    assert golden("075-photo-credits").source == "Le360"
