"""Text hygiene shared by every extractor: decoding, invisible characters, whitespace.

Everything stored passes through :func:`clean_text`, so control characters, lone surrogates and
bidi overrides (which can reorder what a reader sees, or break JSON/SQLite consumers) never
reach the database.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# NUL and C0/C1 controls except \t and \n, DEL, lone surrogates, bidi embeddings/overrides/isolates
# (U+202A–U+202E, U+2066–U+2069) and the BOM / zero-width no-break space.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
# Horizontal whitespace, NBSP and the other Unicode spaces collapse to one plain space. Only the
# runs that change are matched (two or more, or one that is not a plain space): a match a word
# would cost more than the rest of the normalization.
_OTHER_SPACES = "\t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[ {_OTHER_SPACES}](?:[ {_OTHER_SPACES}]+|(?<=[{_OTHER_SPACES}]))")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
# UTF-8 read as Latin-1/cp1252 leaves these tell-tale pairs ("Ã©" for "é", "â€™" for "’").
_MOJIBAKE = re.compile(
    "[\u00c3\u00c2][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u0178]|\u00e2\u20ac"
)


def clean_text(text: str) -> str:
    """Remove characters that must never be stored (controls, surrogates, bidi overrides)."""
    return _INVISIBLE.sub("", text)


def normalize_line(text: str) -> str:
    """Collapse every kind of horizontal whitespace (NBSP included) to single spaces, trimmed."""
    return _SPACES.sub(" ", text).strip()


def normalize_block(text: str) -> str:
    """Normalize a block that may hold line breaks: each line collapsed, empty lines dropped."""
    # One substitution over the block: no run of spaces holds a newline, so it is the same as
    # one per line, at a fraction of the calls.
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return "\n".join([line for line in lines if line])


def normalize_inline(text: str) -> str:
    """One-line value (title, category, outlet): all whitespace, newlines included, collapsed."""
    return normalize_line(clean_text(text).replace("\n", " "))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _lookup(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding.strip()).name
    except (LookupError, ValueError):
        return None


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB (``<meta charset>`` or http-equiv)."""
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    return _lookup(match.group(1).decode("ascii", "ignore"))


def html_codec(data: bytes, encoding: str | None = None) -> tuple[bytes, str]:
    """The bytes to decode (without a UTF-8 BOM) and the codec :func:`decode_html` uses."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :], "utf-8"
    return data, _lookup(encoding) or sniff_meta_charset(data) or "utf-8"


def decode_html(data: str | bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Decode a page to text, reporting how clean the decoding was.

    Order: the caller's encoding (Scrapy's decision), a BOM, the page's meta charset, then UTF-8.
    Undecodable bytes are replaced (never an exception) and flagged ``decode_errors``.
    """
    flags: list[str] = []
    if isinstance(data, str):
        text = data
    else:
        data, chosen = html_codec(data, encoding)
        try:
            text = data.decode(chosen)
        except (UnicodeDecodeError, LookupError):
            text = data.decode(chosen if _lookup(chosen) else "utf-8", errors="replace")
            flags.append("decode_errors")
    if "\ufffd" in text and "decode_errors" not in flags:
        flags.append("decode_errors")
    return text, flags


def looks_mojibake(text: str) -> bool:
    """True when text shows UTF-8 read as Latin-1/cp1252 ("Ã©" for "é", "â€™" for "’")."""
    return _MOJIBAKE.search(text) is not None
