"""Property tests: any input gives a value or None, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccme_crawler.extraction import (
    content_hash,
    extract_article,
    is_soft_404,
    normalize_source,
    parse_date_text,
)
from ccme_crawler.extraction.closing import Block, read_closing
from ccme_crawler.items import ExtractedArticle

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TAGS = st.sampled_from(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "blockquote",
        "table",
        "td",
        "figure",
        "figcaption",
        "pre",
        "h2",
        "script",
        "time",
        "article",
        "span",
        "strong",
    ]
)
_CLASSES = st.sampled_from(
    [
        "",
        "post-content entry-content",
        "the-post-header",
        "meta-item date",
        "post-title",
        "post-share",
        "wp-caption-text",
        "error404",
    ]
)
_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ab é’«»:\n\t<>&;/0123456789\x00\u202e\u00a0\ud800غشتكانونSource")
    ),
    max_size=40,
)


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag, cls, text = draw(_TAGS), draw(_CLASSES), draw(_TEXT)
        close = draw(st.booleans())
        parts.append(f'<{tag} class="{cls}">{text}' + (f"</{tag}>" if close else ""))
    return "<html><body>" + "".join(parts)


@FAST
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300), html_fragments()))
def test_extract_article_never_raises(data: str | bytes) -> None:
    article = extract_article(data, "https://www.ccme.org.ma/x/")
    assert isinstance(article, ExtractedArticle)


@FAST
@given(html_fragments())
def test_extracted_text_is_clean(data: str) -> None:
    article = extract_article(data, "https://www.ccme.org.ma/x/")
    stored = (article.title or "") + article.body + (article.source or "")
    assert not any(ch in stored for ch in ("\x00", "\u202e", "\ud800"))


@FAST
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300), html_fragments()))
def test_is_soft_404_is_boolean(data: str | bytes) -> None:
    assert is_soft_404(data) in (True, False)


@FAST
@given(_TEXT, st.sampled_from([None, "fr", "ar", "en", "xx"]))
def test_parse_date_text_gives_iso_or_none(text: str, language: str | None) -> None:
    value = parse_date_text(text, language)
    assert value is None or (len(value) == 10 and value[4] == "-")


@FAST
@given(st.one_of(st.none(), st.text(max_size=200)))
def test_normalize_source_gives_text_or_none(raw: str | None) -> None:
    value = normalize_source(raw)
    assert value is None or (isinstance(value, str) and value.strip() == value and value)


@FAST
@given(html_fragments())
def test_content_hash_is_stable(data: str) -> None:
    article = extract_article(data, "https://www.ccme.org.ma/x/")
    assert content_hash(article) == content_hash(article)


_LINE = st.lists(
    st.sampled_from(
        [*"ab é….:-()0123456789/ ", "Suite", "Source", "المصدر", "تتمة", "عن", "جريدة", "Photo"]
    ),
    max_size=10,
).map("".join)


@FAST
@given(
    st.lists(
        st.tuples(
            st.lists(_LINE, min_size=1, max_size=3),
            st.booleans(),
            st.lists(
                st.tuples(
                    _LINE,
                    st.sampled_from(["https://lematin.ma/a", "/x/", "http://[", "mailto:a@b"]),
                )
            ),
        ),
        max_size=5,
    )
)
def test_read_closing_never_raises_and_never_adds_text(
    raw: list[tuple[list[str], bool, list[tuple[str, str]]]],
) -> None:
    blocks = [Block("\n".join(lines), eligible, links) for lines, eligible, links in raw]
    closing = read_closing(blocks, "https://www.ccme.org.ma/x/")
    original = "\n".join(block.text for block in blocks)
    assert all(line in original for text in closing.texts for line in text.split("\n"))
