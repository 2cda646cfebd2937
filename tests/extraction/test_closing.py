"""read_closing: the ways real articles end (REAL-SITE.md), one shape per test."""

from __future__ import annotations

from ccme_crawler.extraction.closing import Block, is_chrome_line, read_closing, strip_continuation

PAGE = "https://www.ccme.org.ma/x/"
TEXT = "Le Conseil a organisé une rencontre à Rabat."
AR_TEXT = "نظم مجلس الجالية المغربية بالخارج لقاء بالرباط."


def _blocks(*texts: str) -> list[Block]:
    return [Block(text) for text in texts]


# --- Source and date lines -------------------------------------------------------------------
def test_arabic_slash_source() -> None:
    closing = read_closing(_blocks(AR_TEXT, "8-12-2011", "المصدر/ جريدة الاتحاد الاشتراكي"))
    assert closing.source == "جريدة الاتحاد الاشتراكي"


def test_arabic_slash_source_date() -> None:
    closing = read_closing(_blocks(AR_TEXT, "8-12-2011", "المصدر/ جريدة الاتحاد الاشتراكي"))
    assert closing.source_date == "2011-12-08"


def test_arabic_slash_source_lines_leave_the_body() -> None:
    closing = read_closing(_blocks(AR_TEXT, "8-12-2011", "المصدر/ جريدة الاتحاد الاشتراكي"))
    assert closing.texts == [AR_TEXT]


def test_arabic_colon_source_with_slash_date() -> None:
    closing = read_closing(_blocks(AR_TEXT, "14/05/2016", "المصدر : هسبريس"))
    assert (closing.source, closing.source_date) == ("هسبريس", "2016-05-14")


def test_labelled_source_and_date_on_one_line() -> None:
    closing = read_closing(_blocks(TEXT, "Source : Le Matin - 18 juin 2016"))
    assert (closing.source, closing.source_date) == ("Le Matin", "2016-06-18")


def test_source_date_raw_of_a_combined_line_is_the_date() -> None:
    closing = read_closing(_blocks(TEXT, "Source : Le Matin - 18 juin 2016"))
    assert closing.source_date_raw == "18 juin 2016"


def test_unlabelled_date_then_outlet() -> None:
    closing = read_closing(_blocks(TEXT, "18 juin 2016 - Le Matin"))
    assert (closing.source, closing.source_date) == ("Le Matin", "2016-06-18")


def test_unlabelled_outlet_with_date_in_parentheses() -> None:
    closing = read_closing(_blocks(TEXT, "Hespress (14/05/2016)"))
    assert (closing.source, closing.source_date) == ("Hespress", "2016-05-14")


def test_unlabelled_outlet_dash_english_date() -> None:
    closing = read_closing(_blocks(TEXT, "Morocco World News – March 3, 2016"))
    assert (closing.source, closing.source_date) == ("Morocco World News", "2016-03-03")


def test_sentence_ending_with_a_date_is_body() -> None:
    closing = read_closing(_blocks(TEXT, "Le Conseil a tenu sa réunion, 18 juin 2016"))
    assert closing.source is None


def test_unlabelled_newspaper_line_after_date() -> None:
    closing = read_closing(_blocks(AR_TEXT, "22-11-2011", "جريدة العلم"))
    assert (closing.source, closing.source_date) == ("جريدة العلم", "2011-11-22")


def test_ccme_summary_names_the_ccme() -> None:
    assert read_closing(_blocks(TEXT, "CCME (Summary)")).source == "CCME"


def test_date_and_source_in_br_lines_of_the_summary() -> None:
    closing = read_closing(_blocks(f"{AR_TEXT}\n14/05/2016\nالمصدر : هسبريس"))
    assert closing.texts == [AR_TEXT]


# --- "…Suite" and other links to the outlet --------------------------------------------------
def test_suite_link_is_not_body() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "https://lematin.ma/a/1.html")])
    assert read_closing([block], PAGE).texts == [TEXT]


def test_suite_link_off_site_is_the_source_url() -> None:
    block = Block(f"{TEXT} ...Suite", links=[("...Suite", "https://lematin.ma/a/1.html")])
    assert read_closing([block], PAGE).source_url == "https://lematin.ma/a/1.html"


def test_suite_link_domain_names_the_outlet() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "https://lematin.ma/a/1.html")])
    assert read_closing([block], PAGE).source == "Le Matin"


def test_suite_link_of_an_unknown_domain_names_no_outlet() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "https://example.org/a/1")])
    assert read_closing([block], PAGE).source is None


def test_source_line_wins_over_the_suite_link_domain() -> None:
    blocks = [
        Block(f"{TEXT} …Suite", links=[("…Suite", "https://lematin.ma/a/1.html")]),
        Block("Source : MAP"),
    ]
    assert read_closing(blocks, PAGE).source == "MAP"


def test_suite_link_on_the_site_is_no_source_url() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "/fr/medias-et-migration/50666")])
    assert read_closing([block], PAGE).source_url is None


def test_suite_link_to_the_mirror_host_is_no_source_url() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "http://127.0.0.1:8123/autre/")])
    assert read_closing([block], "http://127.0.0.1:8123/x/").source_url is None


def test_arabic_link_word_ends_the_summary() -> None:
    block = Block(f"{AR_TEXT} تتمة المقال", links=[("تتمة المقال", "https://hespress.com/a")])
    assert read_closing([block], PAGE).texts == [AR_TEXT]


def test_arabic_interview_link_after_dots() -> None:
    block = Block(f"{AR_TEXT} ... الحوار", links=[("الحوار", "https://hespress.com/a")])
    assert read_closing([block], PAGE).source_url == "https://hespress.com/a"


def test_plain_suite_after_an_ellipsis_is_not_body() -> None:
    assert strip_continuation(f"{TEXT}…Suite", []) == (TEXT, None)


def test_suite_without_ellipsis_or_link_is_text() -> None:
    assert strip_continuation("La réunion a eu lieu. Suite", []) == (
        "La réunion a eu lieu. Suite",
        None,
    )


def test_the_word_interview_mid_sentence_stays() -> None:
    line = "أجرت الجريدة الحوار مع الباحث"
    assert strip_continuation(line, [("الحوار", "https://hespress.com/a")]) == (line, None)


def test_inline_outlet_at_the_end_of_the_summary() -> None:
    closing = read_closing(_blocks(f"{AR_TEXT} … تتمة عن جريدة الإتحاد الإشتراكي"))
    assert closing.source == "جريدة الإتحاد الإشتراكي"


def test_inline_outlet_leaves_the_summary() -> None:
    closing = read_closing(_blocks(f"{AR_TEXT} … تتمة عن جريدة الإتحاد الإشتراكي"))
    assert closing.texts == [AR_TEXT]


def test_inline_outlet_link_is_the_source_url() -> None:
    block = Block(
        f"{AR_TEXT} … تتمة عن جريدة الاتحاد الاشتراكي",
        links=[("تتمة", "https://www.alittihad.info/a/1")],
    )
    assert read_closing([block], PAGE).source_url == "https://www.alittihad.info/a/1"


def test_link_in_the_source_line_is_the_source_url() -> None:
    block = Block("Source : Le Matin", links=[("Le Matin", "https://lematin.ma/a/1.html")])
    assert read_closing([Block(TEXT), block], PAGE).source_url == "https://lematin.ma/a/1.html"


def test_home_page_link_in_the_source_line_is_no_source_url() -> None:
    block = Block("Source : Médias 24", links=[("Médias 24", "https://www.medias24.com/")])
    assert read_closing([Block(TEXT), block], PAGE).source_url is None


# --- Chrome inside the content ---------------------------------------------------------------
def test_read_more_french_is_chrome() -> None:
    assert is_chrome_line("Read more (French)")


def test_amp_exit_mobile_version_is_chrome() -> None:
    assert is_chrome_line("Exit mobile version")


def test_amp_wordpress_lightbox_is_chrome() -> None:
    assert is_chrome_line("WordPress Lightbox")


def test_photo_credit_is_chrome() -> None:
    assert is_chrome_line("Photo : MAP")


def test_credit_photo_is_chrome() -> None:
    assert is_chrome_line("Crédit photo : AFP")


def test_ph_dr_is_chrome() -> None:
    assert is_chrome_line("ph. DR")


def test_arabic_photo_credit_is_chrome() -> None:
    assert is_chrome_line("الصورة: و.م.ع")


def test_a_sentence_about_photos_is_text() -> None:
    assert not is_chrome_line("Photographies et lettres retracent soixante ans d’immigration.")


def test_photo_credit_is_not_the_source() -> None:
    assert read_closing(_blocks(TEXT, "Photo : MAP")).source is None


def test_credit_after_the_source_line_does_not_hide_it() -> None:
    assert read_closing(_blocks(TEXT, "Source : Le360", "Crédit photo : AFP")).source == "Le360"


def test_read_more_french_after_the_ccme_summary() -> None:
    closing = read_closing(_blocks(TEXT, "CCME (Summary)", "Read more (French)"))
    assert (closing.texts, closing.source) == ([TEXT], "CCME")


def test_amp_trailers_after_the_source_line() -> None:
    closing = read_closing(
        _blocks(TEXT, "Source: AFP", "WordPress Lightbox", "Exit mobile version")
    )
    assert (closing.texts, closing.source) == ([TEXT], "AFP")


def test_malformed_suite_link_is_no_source_url() -> None:
    block = Block(f"{TEXT} …Suite", links=[("…Suite", "http://127.0.0.1:port/x")])
    assert read_closing([block], "http://127.0.0.1:8123/x/").source_url is None
