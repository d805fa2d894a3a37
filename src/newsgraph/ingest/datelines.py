"""Datelines at the start of a story: "Paris, France|", "LONDON (Reuters) -", "WASHINGTON —".

A dateline names where the story was filed; it is not part of the first sentence.
"""
from __future__ import annotations

import re

from ..model import Span

# A place (capitalised words, commas, dots), optionally a date and an agency in
# parentheses, then a separator: a bar, a dash or an em/en dash followed by a space.
_PLACE = r"[A-Z][A-Za-z.'’-]*(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,4}"
_DATE = r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?))?"
_AGENCY = r"(?:\s*\([A-Za-z .&-]{2,40}\))?"
_DATELINE = re.compile(
    rf"\A[ \t]*(?P<dateline>{_PLACE}{_DATE}{_AGENCY})"
    r"(?:\s*\|\s*|\s+[-—–]{1,2}\s+|\s*[—–]\s*|:\s+)"
)


def find_dateline(text: str) -> Span | None:
    """The dateline at the start of ``text`` (its place part, without the separator), or None.

    The whole match (place + separator) must be short and be followed by a capitalised
    word or a quote mark, so an ordinary first sentence is never taken for a dateline.
    """
    first_line = text[:200].split("\n", 1)[0]
    m = _DATELINE.match(first_line)
    if not m:
        return None
    rest = first_line[m.end():]
    if not rest or not (rest[0].isupper() or rest[0] in "\"“‘'"):
        return None
    place = m.group("dateline")
    # Upper-case datelines ("LONDON -") are common; mixed case needs the bar or an
    # em dash, which an ordinary sentence opening does not use.
    sep = first_line[m.end("dateline"):m.end()].strip()
    if not (place.split("(")[0].split(",")[0].strip().isupper() or sep in {"|", "—", "–", "--"}):
        return None
    if ":" == sep:
        return None
    return Span(m.start("dateline"), m.end("dateline"), place)


def dateline_end(text: str) -> int:
    """Offset where the body starts after the dateline and its separator (0 when none)."""
    first_line = text[:200].split("\n", 1)[0]
    if find_dateline(text) is None:
        return 0
    m = _DATELINE.match(first_line)
    return m.end() if m else 0
