"""How an article ends: the outlet and its date, "…Suite" links to the outlet, chrome lines.

Migrated press-review posts end with the outlet and the outlet's date (``18 févr. 2014`` /
``Source : MAP``, ``8-12-2011`` / ``المصدر/ جريدة …``), or with a link to the outlet's article
(``…Suite``, ``تتمة المقال``), or name the outlet inline (``… تتمة عن جريدة X``). None of these
lines is body text; neither are the chrome lines that plugins and editors leave in the content
(``Read more (French)``, AMP's ``Exit mobile version``, photo credits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..urls import is_site_url, origin_of
from .dates import is_date_line
from .sources import (
    is_newspaper_line,
    looks_like_outlet,
    match_source_line,
    outlet_for_url,
    split_name_and_date,
)
from .text import normalize_inline


@dataclass(slots=True)
class Block:
    """A block of content text, as the body collector (or the fallback extractor) found it."""

    text: str  # lines separated by "\n" (a <br>)
    closing: bool = True  # may hold the closing lines: top level, not in a quote/table/figure/list
    links: list[tuple[str, str]] = field(default_factory=list)  # (link text, href) in the block


@dataclass(slots=True)
class Closing:
    """The body without its closing and chrome lines, and what the closing lines said."""

    texts: list[str]
    source: str | None = None
    source_date: str | None = None
    source_date_raw: str | None = None
    source_url: str | None = None  # the outlet's article, when a link to it leaves the site


# Whole lines that are never text: AMP trailers, links to the other language's version.
_CHROME_LINE = re.compile(
    r"^(?:exit mobile version|wordpress lightbox"
    r"|read more \((?:in )?(?:french|arabic|english)\)"
    r"|lire (?:la suite|plus) \((?:en )?(?:arabe|anglais|français|francais)\))$",
    re.IGNORECASE,
)
# Photo captions and credits ("Photo : MAP", "Crédit photo : DR", "ph. DR", "© AFP"): a credit
# names the photographer's agency, not the article's source.
_CREDIT_LINE = re.compile(
    r"^[(\[]?\s*(?:"
    r"(?:photos?|crédits?\s+photos?|crédits?|credits?|photo\s+credits?|illustration"
    r"|الصورة|صورة|تصوير)\s*[:：]"
    r"|ph\.|©"
    r")\s*\S.{0,59}$",
    re.IGNORECASE,
)
# Words of a link that ends a summary and leads to the outlet's article (folded, see _fold).
_CONTINUATION_WORDS = frozenset(
    [
        "suite",
        "la suite",
        "lire la suite",
        "lire plus",
        "en savoir plus",
        "plus",
        "read more",
        "more",
        "continue reading",
        "تتمه",
        "التتمه",
        "تتمه المقال",
        "الحوار",
        "المزيد",
        "اقرا المزيد",
        "للمزيد",
        "التفاصيل",
        "اقرا المقال",
    ]
)
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
_EDGE = " .…:»«>→-–—"
# The same words as plain text at the end of a line: after an ellipsis ("…Suite", "... الحوار"),
# or, for the unambiguous ones, after a space.
_ELLIPSIS_WORDS = (
    r"suite|lire la suite|lire plus|read more|تتمة المقال|تتمة|التتمة|الحوار|المزيد|اقرأ المزيد"
    r"|اقرا المزيد|التفاصيل"
)
_PLAIN_CONTINUATION = re.compile(
    rf"(?:\s*(?:…|\.{{2,}})\s*(?:{_ELLIPSIS_WORDS})|(?:^|\s)(?:lire la suite|تتمة المقال"
    r"|read more \((?:in )?(?:french|arabic|english)\)))\s*[.»>→]*\s*$",
    re.IGNORECASE,
)
# The plain continuation is searched for only in lines that can hold it: its regex tries every
# position of a line, the cheap tests below skip nearly every line. A match holds an ellipsis,
# or ends (before its trailing spaces and marks) with one of these phrases.
_PLAIN_CONTINUATION_END = re.compile(
    r"(?:lire la suite|تتمة المقال|read more \((?:in )?(?:french|arabic|english)\))$",
    re.IGNORECASE,
)
_PHRASE_MAX = len("read more (in english)")
# "… تتمة عن جريدة X": the summary names its outlet in its last words, with no source line.
_INLINE_OUTLET = re.compile(
    r"\s*(?:…|\.{2,})?\s*(?:تتمة|التتمة)(?:\s+المقال)?\s+(?:عن|من)\s+"
    r"(?P<name>\S[^.…:]{0,79}?)\s*\.?\s*$"
)


def _fold(text: str) -> str:
    return " ".join(text.casefold().translate(_AR_FOLD).split()).strip(_EDGE)


def is_chrome_line(line: str) -> bool:
    """A line that is never article text: AMP trailers, "Read more (French)", photo credits."""
    line = line.strip()
    return bool(_CHROME_LINE.match(line) or _CREDIT_LINE.match(line))


def strip_continuation(line: str, links: list[tuple[str, str]]) -> tuple[str, str | None]:
    """``line`` without a trailing "…Suite"-like marker, and the marker link's href (if a link)."""
    trimmed = line.rstrip(" »>→")
    for text, href in reversed(links):
        text = normalize_inline(text)
        if text and trimmed.endswith(text) and _fold(text) in _CONTINUATION_WORDS:
            return trimmed[: -len(text)].rstrip(), href
    match = _PLAIN_CONTINUATION.search(line) if _may_continue(line) else None
    if match is not None:
        return line[: match.start()].rstrip(), None
    return line, None


def _may_continue(line: str) -> bool:
    """False only for a line :data:`_PLAIN_CONTINUATION` cannot match."""
    if "…" in line or ".." in line:
        return True
    # Without an ellipsis only the phrases match, followed by spaces, then marks, then spaces.
    core = line.rstrip().rstrip(".»>→").rstrip()
    return _PLAIN_CONTINUATION_END.search(core[-_PHRASE_MAX:]) is not None


def _inline_outlet(line: str) -> tuple[str, str] | None:
    """(text before the marker, outlet) for a line ending "… تتمة عن جريدة X"."""
    match = _INLINE_OUTLET.search(line)
    if match is None:
        return None
    name = normalize_inline(match.group("name"))
    if not name or len(name.split()) > 8:
        return None
    return line[: match.start()].rstrip(), name


class _Site:
    """Tells the page's own site from the outlets' sites."""

    def __init__(self, page_url: str | None) -> None:
        self.page_url = page_url or ""
        self.origin = origin_of(page_url) if page_url else None

    def off_site(self, href: str) -> str | None:
        """The absolute URL of ``href`` when it leads off the CCME site (and off a mirror)."""
        try:
            url = urljoin(self.page_url, href.strip())
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return None
            return None if is_site_url(url, self.origin) else url
        except ValueError:  # a malformed link ("http://[…", a bad port) leads nowhere
            return None


def read_closing(blocks: list[Block], page_url: str | None = None) -> Closing:
    """Take the chrome, continuation links and closing source/date lines off an article.

    Closing lines are the last lines of the last two eligible blocks (a line is a whole block or
    one line of a block split by ``<br>``). Accepted endings: "date / Source", "Source / date",
    "Source" alone, a source and its date on one line (either order, labelled or not), a date
    alone as the very last line, and the inline "… تتمة عن جريدة X". When no line names the
    source, a continuation link to a known outlet's domain does.
    """
    site = _Site(page_url)
    continuation_urls: list[str] = []
    kept: list[Block] = []
    for block in blocks:
        lines = []
        for line in block.text.split("\n"):
            if is_chrome_line(line):
                continue
            line, href = strip_continuation(line, block.links)
            if href is not None and (url := site.off_site(href)) is not None:
                continuation_urls.append(url)
            if line and not is_chrome_line(line):
                lines.append(line)
        if lines:
            kept.append(Block("\n".join(lines), block.closing, block.links))

    result = Closing(texts=[])
    lines_of = [block.text.split("\n") for block in kept]
    taken = _closing_lines(kept, lines_of, result)
    if taken and result.source is not None:
        block_index, line_index = taken[0]
        line = lines_of[block_index][line_index]
        result.source_url = _article_link(line, kept[block_index].links, site)
    for block_index, line_index in taken:
        lines_of[block_index][line_index] = ""
    if result.source is None:
        _take_inline_outlet(kept, lines_of, result, site, continuation_urls)
    if continuation_urls:
        result.source_url = continuation_urls[-1]
        if result.source is None:
            result.source = outlet_for_url(result.source_url)
    result.texts = [t for t in ("\n".join(x for x in lines if x) for lines in lines_of) if t]
    return result


def _tail(blocks: list[Block], lines_of: list[list[str]]) -> list[tuple[int, int, str]]:
    """The last lines of the last eligible blocks, from the end: (block, line, text)."""
    tail: list[tuple[int, int, str]] = []
    for index in range(len(blocks) - 1, max(len(blocks) - 3, -1), -1):
        if not blocks[index].closing:
            break
        lines = lines_of[index]
        tail.extend((index, n, lines[n]) for n in range(len(lines) - 1, -1, -1) if lines[n])
        if len(tail) >= 2:
            break
    return tail


def _closing_lines(
    blocks: list[Block], lines_of: list[list[str]], result: Closing
) -> list[tuple[int, int]]:
    """Read the closing source/date lines into ``result``; the (block, line) positions taken,
    the source line first."""
    tail = _tail(blocks, lines_of)
    if not tail:
        return []
    last = tail[0]
    previous = tail[1] if len(tail) > 1 else None
    source_line = _source_of_line(last[2])
    if source_line is not None:
        result.source, date_value, date_raw = source_line
        taken = [(last[0], last[1])]
        if date_value is None and previous is not None:
            date_value = is_date_line(previous[2])
            date_raw = previous[2] if date_value is not None else None
            if date_value is not None:
                taken.append((previous[0], previous[1]))
        result.source_date, result.source_date_raw = date_value, date_raw
        return taken
    date_value = is_date_line(last[2])
    if date_value is None:
        return []
    result.source_date, result.source_date_raw = date_value, last[2]
    if previous is not None:
        previous_source = _source_of_line(previous[2])
        if previous_source is not None and previous_source[1] is None:
            result.source = previous_source[0]
            return [(previous[0], previous[1]), (last[0], last[1])]
    return [(last[0], last[1])]


def _source_of_line(line: str) -> tuple[str, str | None, str | None] | None:
    """(outlet, date, date as written) of a closing source line, in any of the site's shapes."""
    name = match_source_line(line)
    if name is not None:
        combined = split_name_and_date(name)
        return combined if combined is not None else (name, None, None)
    combined = split_name_and_date(line)
    if combined is not None and looks_like_outlet(combined[0]):
        return combined
    name = is_newspaper_line(line)
    if name is not None:
        return name, None, None
    return None


def _take_inline_outlet(
    blocks: list[Block],
    lines_of: list[list[str]],
    result: Closing,
    site: _Site,
    continuation_urls: list[str],
) -> None:
    """The outlet named at the end of the last line ("… تتمة عن جريدة X"), when it is one."""
    for index in range(len(blocks) - 1, -1, -1):
        lines = lines_of[index]
        last = next((n for n in range(len(lines) - 1, -1, -1) if lines[n]), None)
        if last is None:
            continue
        inline = _inline_outlet(lines[last]) if blocks[index].closing else None
        if inline is None:
            return
        marker = lines[last][len(inline[0]) :]
        lines[last], result.source = inline
        # "تتمة" is usually a link to the outlet's article.
        for text, href in blocks[index].links:
            text = normalize_inline(text)
            if text and text in marker and (url := site.off_site(href)) is not None:
                continuation_urls.append(url)
        return


def _article_link(line: str, links: list[tuple[str, str]], site: _Site) -> str | None:
    """An off-site link to an article (not a home page) written in the source line."""
    for text, href in links:
        text = normalize_inline(text)
        url = site.off_site(href)
        if text and text in line and url is not None and urlsplit(url).path.strip("/"):
            return url
    return None
