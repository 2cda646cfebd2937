"""Property tests of the URL rules (ccme_crawler/urls.py): no surprise exceptions, stable keys.

``canonical_path`` and ``canonical_article_url`` may refuse a URL only with ``ValueError`` (what
``urllib.parse`` raises for a malformed netloc); ``category_path`` documents ``ValueError`` for
anything that is not a category. Canonicalizing a canonical URL must change nothing: the record
key of an article cannot depend on how many times it went through the rules.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ccme_crawler.urls import SITE_ORIGIN, canonical_article_url, canonical_path, category_path

# Path segments as found in links on the site: slugs, Arabic, percent escapes, junk, queries.
_segment = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    st.text(alphabet="مغربيةالجالية-", min_size=1, max_size=10),
    st.sampled_from(["%C2%AB", "%2F", "%25", "%41", "«", "»", ".", "..", "'", '"', "page", "2"]),
    st.text(max_size=8),
)
_query = st.lists(
    st.tuples(
        st.sampled_from(["amp", "utm_source", "fbclid", "p", "s", "lang", "x"]),
        st.text(max_size=6),
    ),
    max_size=3,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
_site_url = st.builds(
    lambda origin, segments, trailing, query, fragment: (
        origin
        + "/"
        + "/".join(segments)
        + ("/" if trailing else "")
        + (f"?{query}" if query else "")
        + (f"#{fragment}" if fragment else "")
    ),
    st.sampled_from(["https://www.ccme.org.ma", "http://ccme.org.ma", "http://127.0.0.1:8000", ""]),
    st.lists(_segment, max_size=5),
    st.booleans(),
    _query,
    st.text(max_size=4),
)
_any_text = st.one_of(_site_url, st.text(max_size=60))


@settings(max_examples=300, deadline=None)
@given(_any_text)
@example("http://[::1/")  # a malformed IPv6 netloc: urllib refuses it with ValueError
def test_canonical_functions_raise_nothing_but_value_error(url: str) -> None:
    for function in (canonical_path, canonical_article_url, category_path):
        try:
            result = function(url)
        except ValueError:
            continue
        assert isinstance(result, str)


@settings(max_examples=300, deadline=None)
@given(_site_url)
@example("https://www.ccme.org.ma/slug/%C2%AB")
@example("https://www.ccme.org.ma/a/?amp=1&utm_source=x#top")
def test_canonical_article_url_is_idempotent(url: str) -> None:
    try:
        key = canonical_article_url(url)
    except ValueError:
        return
    assert (key.startswith(SITE_ORIGIN + "/"), canonical_article_url(key)) == (True, key)


@settings(max_examples=300, deadline=None)
@given(_site_url)
def test_canonical_path_is_idempotent(url: str) -> None:
    try:
        path = canonical_path(url)
    except ValueError:
        return
    assert canonical_path(path) == path


@settings(max_examples=300, deadline=None)
@given(st.lists(_segment, min_size=1, max_size=4), st.booleans())
def test_category_path_is_idempotent(segments: list[str], paged: bool) -> None:
    text = "/category/" + "/".join(segments) + ("/page/3/" if paged else "/")
    try:
        path = category_path(text)
    except ValueError:
        return
    assert (path.startswith("/"), "/category/" in path, category_path(path)) == (True, True, path)


@pytest.mark.parametrize("path", ["/%2541/", "/a-%252F-b/"])
def test_canonical_path_of_a_double_encoded_percent_is_stable(path: str) -> None:
    once = canonical_path(path)
    assert canonical_path(once) == once


def test_a_category_path_ending_in_pagination_twice_is_normalized_once() -> None:
    # Found by the property above: "/category/page/0/page/3/" used to give "/category/page/0/",
    # which normalizes again to the non-listing "/category/".
    with pytest.raises(ValueError, match="not an archive listing"):
        category_path("/category/page/0/page/3/")
