"""Refuse what cannot be a news article, with a numbered error; never guess silently."""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime

from .. import lexicons
from ..errors import (NG101_EMPTY, NG102_BINARY, NG103_UNDECODABLE, NG105_NOT_ENGLISH,
                      NG106_TOO_LARGE, NG109_BAD_DATE, InputError)

#: Largest text accepted, in characters (override with NEWSGRAPH_MAX_CHARS). Longer
#: texts are refused with NG106, never cut. Below it, long texts are parsed in chunks.
MAX_CHARS = 5_000_000
#: Share of English function words among the words of an English news text; measured
#: on the BBC corpus (every article >= 0.25) and on French/German/Spanish news
#: paragraphs (all < 0.06). A text of 40+ words under the threshold is refused when it has
#: more function words of another language than English ones (tables of names and
#: numbers, like sports results, have few of either and are kept: CoNLL++ has 77 such).
MIN_ENGLISH_RATIO = 0.12
#: A text whose letters are mostly outside the Latin script is not English.
MAX_NON_LATIN_SHARE = 0.5

_WORDS = re.compile(r"[^\W\d_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, where: str) -> str:
    """UTF-8 bytes to text (a BOM is dropped); binary or undecodable bytes are refused."""
    if b"\x00" in data[:8192]:
        raise InputError("binary input (NUL bytes)", where, code=NG102_BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"undecodable bytes (not UTF-8) at byte {exc.start}", where,
                         code=NG103_UNDECODABLE) from exc


def check_text(text: str, where: str, *, max_chars: int = MAX_CHARS) -> str:
    """Return ``text`` unchanged if it can be an English news article; raise InputError otherwise."""
    if not text.strip():
        raise InputError("empty input", where, code=NG101_EMPTY)
    if len(text) > max_chars:
        raise InputError(f"input too large ({len(text):,} characters; the limit is {max_chars:,},"
                         " see NEWSGRAPH_MAX_CHARS)", where, code=NG106_TOO_LARGE)
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100) or "\x00" in sample:
        raise InputError("binary input (control characters)", where, code=NG102_BINARY)
    letters = [c for c in sample if c.isalpha()]
    if len(letters) >= 200 and sum(not _latin(c) for c in letters) > MAX_NON_LATIN_SHARE * len(letters):
        raise InputError("not English (mostly non-Latin script)", where, code=NG105_NOT_ENGLISH)
    words = _WORDS.findall(sample.lower())
    if len(words) >= 40:
        english = sum(w in _function_words() for w in words) / len(words)
        foreign = sum(w in _foreign_words() for w in words) / len(words)
        if english < MIN_ENGLISH_RATIO and foreign > english:
            raise InputError(f"not English (English function words {english:.2f}, other languages' "
                             f"{foreign:.2f})", where, code=NG105_NOT_ENGLISH)
    return text


def check_published(value: str | date | None, where: str | None = None) -> str | None:
    """An ISO 8601 date or date-time string, or None; anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = str(value).strip()
    try:
        if len(text) <= 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"publication date {text!r} is not ISO 8601", where,
                         code=NG109_BAD_DATE) from exc
    return text


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset(" ".join(lexicons.lines("english_function_words.txt")).lower().split())


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    return frozenset(" ".join(lexicons.lines("foreign_function_words.txt")).lower().split())


def _latin(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"
