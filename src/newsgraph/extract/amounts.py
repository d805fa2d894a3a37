"""Money amounts and percentages: "$97.4 billion", "nearly $100 billion", "850m euros", "100p", "5.2 per cent".

Finding: regular expressions over the text (compiled once from the lexicons ``currencies.json``
and ``amount_qualifiers.txt``) for every written form, then spaCy's MONEY/PERCENT entities for
whatever they miss. Normalising: ``parse_amount`` turns a span's text into a fully expanded value,
an ISO 4217 code (or ``percent``), whether it is approximate, its qualifier and a range's high end.
No span crosses a line break.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from .. import lexicons
from ..model import Amount
from .numbers import _S, DIGITS, NUMBER, SCALE, parse_number, scale_of
from . import doc_cache

if TYPE_CHECKING:
    from spacy.tokens import Doc

_CUR = lexicons.table("currencies.json")
_PREFIX: dict[str, str] = _CUR["prefix"]
_NEEDS_SCALE = frozenset(_CUR["needs_scale"])
_NOT_PENCE = frozenset(_CUR["not_pence"])


def _key(text: str) -> str:
    return " ".join(text.lower().split())


_SUFFIX = {_key(k): v for k, v in _CUR["suffix"].items()}
_SUBUNIT = {_key(k): v for k, v in _CUR["subunit"].items()}
_MULTI = {_key(k): v for k, v in _CUR["multi"].items()}
_QUALIFIERS = lexicons.lines("amount_qualifiers.txt")


def _alt(keys, *, spaced: bool = False) -> str:
    """A regex alternation of literal keys, longest first (spaces in keys match any horizontal space)."""
    parts = []
    for k in sorted(keys, key=len, reverse=True):
        esc = re.escape(k)
        parts.append(esc.replace(r"\ ", _S + "+") if spaced else esc)
    return "(?:" + "|".join(parts) + ")"


_PRE = _alt(_PREFIX)
_SUF = "(?i:" + _alt(_CUR["suffix"], spaced=True) + ")"
_SUB = _alt([k for k in _CUR["subunit"] if k != "p"], spaced=True)  # lower case only: not "50 Cent"
_NUM = f"(?i:{NUMBER})"
_SCL = f"(?i:{SCALE})"
_END = r"(?![\w$£€¥%])"
_NOT_WEIGHT = rf"(?!{_S}+of\b)"
#: a range joiner: "-" or "to", or "and" after "between" (group ``btw``)
_JOIN = rf"(?(btw){_S}+and{_S}+|(?:{_S}?[-–]{_S}?|{_S}+to{_S}+))"

_MONEY_PREFIX = re.compile(
    rf"(?<![\w$£€¥.,])(?P<pre>{_PRE}){_S}?(?P<n1>{_NUM})(?P<s1>{_SCL}|{_S}m(?![\w]))?"
    rf"(?:(?:{_S}?[-–]{_S}?(?P<pre2>{_PRE})?{_S}?(?P<n2>{DIGITS})(?P<s2>{_SCL})?)"
    rf"|(?:{_S}+to{_S}+(?P<n3>{DIGITS})(?P<s3>{_SCL})))?"
    rf"(?:{_S}+(?P<suf>{_SUF}){_NOT_WEIGHT})?{_END}")
_MONEY_SUFFIX = re.compile(
    rf"(?<![\w$£€¥.,])(?P<btw>(?i:between){_S}+)?(?P<n1>{_NUM})(?P<s1>{_SCL})?"
    rf"(?:{_JOIN}(?P<n2>{_NUM})(?P<s2>{_SCL})?)?"
    rf"(?:{_S}+|-)(?P<suf>{_SUF}){_NOT_WEIGHT}{_END}")
_MONEY_SUBUNIT = re.compile(
    rf"(?<![\w$£€¥.,])(?P<n1>{_NUM})(?:(?P<p>p)|{_S}*(?P<sub>{_SUB})){_END}")
_PERCENT = re.compile(
    rf"(?<![\w$£€¥.,])(?P<btw>(?i:between){_S}+)?(?P<n1>{_NUM})"
    rf"(?:(?(btw)(?:{_S}?%)?{_S}+and{_S}+|(?:(?:{_S}?%)?{_S}?[-–]{_S}?|{_S}+to{_S}+))(?P<n2>{_NUM}))?"
    rf"(?P<unit>{_S}?%|pc\b|{_S}*(?i:per{_S}?cent|percent)(?P<pp>{_S}*(?i:age){_S}+(?i:points?))?\b)")
_MULTI_RX = re.compile(
    rf"(?<![\w-])(?i:(?:multi-?(?:million|billion|trillion)|(?:multi-?)?(?:million|billion|trillion)(?=-))"
    rf"[- ](?P<cur>{_alt(_MULTI)})s?|(?:(?:hundreds|tens){_S}+of{_S}+)?(?:thousands|millions|billions|trillions)"
    rf"{_S}+of{_S}+(?P<cur2>{_alt(_MULTI)})s){_END}")
_QUAL_BEFORE = re.compile(rf"(?<![\w-])(?P<q>(?i:{_alt(_QUALIFIERS, spaced=True)}|between)){_S}+\Z")
_FINDERS = (("prefix", _MONEY_PREFIX), ("suffix", _MONEY_SUFFIX), ("subunit", _MONEY_SUBUNIT),
            ("percent", _PERCENT), ("multi", _MULTI_RX))
_BARE = re.compile(rf"(?<![\w.,])(?P<n>{_NUM})(?P<s>(?i:{_S}+(?:thousand|million|billion|trillion)|bn|m))")
_WINDOW = 40  # characters looked back for a qualifier
#: qualifiers that may open an "A to B" range ("about $16m to $28m"; not "more than $2 to $43", a change)
_RANGE_OPENERS = lexicons.words("amount_range_openers.txt")


class Parsed(NamedTuple):
    """A normalised amount: value fully expanded (None when unknown), unit, approximate, qualifier, range top."""

    value: float | None
    unit: str
    approximate: bool = False
    qualifier: str | None = None
    value_high: float | None = None


def _range(n1: str, s1: str | None, n2: str | None, s2: str | None) -> tuple[float, float | None] | None:
    """Low and high values of "5-10m" / "$1bn-$2bn" (the high end's scale carries over to a bare low end)."""
    v1 = parse_number(n1)
    if v1 is None:
        return None
    if not n2:
        return v1 * scale_of(s1), None
    v2 = parse_number(n2)
    if v2 is None:
        return None
    return v1 * scale_of(s1 or s2), v2 * scale_of(s2)


def _interpret(kind: str, m: re.Match) -> Parsed | None:
    """Turn one regex match into a value and unit (None when the match is not an amount after all)."""
    g = m.groupdict()
    if kind == "multi":
        return Parsed(None, _MULTI[_key(g["cur"] or g["cur2"])], True)
    if kind == "percent":
        vals = _range(g["n1"], None, g["n2"], None)
        unit = "percentage_point" if g["pp"] else "percent"
        return None if vals is None else Parsed(vals[0], unit, qualifier=_between(g), value_high=vals[1])
    if kind == "subunit":
        if g["p"] and (not g["n1"][0].isdigit() or g["n1"] in _NOT_PENCE):
            return None
        vals = _range(g["n1"], None, None, None)
        unit = "GBP" if g["p"] else _SUBUNIT[_key(g["sub"])]
        return None if vals is None else Parsed(vals[0] / 100.0, unit)
    if kind == "prefix":
        unit = _PREFIX[g["pre"]]
        if g["suf"] and g["pre"] == "$" and _SUFFIX.get(_key(g["suf"])):
            unit = _SUFFIX[_key(g["suf"])]
        vals = _range(g["n1"], g["s1"], g["n2"] or g["n3"], g["s2"] or g["s3"])
        return None if vals is None else Parsed(vals[0], unit, value_high=vals[1])
    suf = _key(g["suf"])
    if suf in _NEEDS_SCALE and not (g["s1"] or g["s2"]):
        return None
    vals = _range(g["n1"], g["s1"], g["n2"], g["s2"])
    return None if vals is None else Parsed(vals[0], _SUFFIX[suf], qualifier=_between(g), value_high=vals[1])


def _between(groups: dict[str, str | None]) -> str | None:
    """``between`` when the match opened with it ("between three and seven percent")."""
    return "between" if groups.get("btw") else None


def _candidates(text: str) -> list[tuple[int, int, Parsed]]:
    """Every non-overlapping amount the patterns find in ``text`` (longest first at each place), in text order."""
    found = []
    for kind, rx in _FINDERS:
        for m in rx.finditer(text):
            parsed = _interpret(kind, m)
            if parsed is not None:
                found.append((m.start(), m.end(), parsed))
    found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, Parsed]] = []
    for c in found:
        if kept and c[0] < kept[-1][1]:
            continue  # overlaps an earlier (or, at the same place, longer) match
        kept.append(c)
    return kept


def _with_qualifiers(text: str, spans: list[tuple[int, int, Parsed]]) -> list[tuple[int, int, Parsed]]:
    """Extend each amount leftwards over a qualifier ("nearly $100bn"), and join "between A and B" ranges."""
    out: list[tuple[int, int, Parsed]] = []
    for start, end, p in spans:
        floor = out[-1][1] if out else 0
        m = _QUAL_BEFORE.search(text, max(floor, start - _WINDOW), start)
        if m:
            q = " ".join(m.group("q").lower().split())
            start, p = m.start(), p._replace(qualifier=q, approximate=q != "between" or p.approximate)
        elif out and _join_range(text, out[-1], (start, end, p)):
            prev = out.pop()
            p = prev[2]._replace(value_high=p.value_high or p.value)
            start = prev[0]
        out.append((start, end, p))
    return out


def _join_range(text: str, prev: tuple[int, int, Parsed], cur: tuple[int, int, Parsed]) -> bool:
    """Whether ``cur`` closes a range opened by ``prev``: "between $12m and $20m", "about $16m to $28m"."""
    p0 = prev[2]
    if p0.qualifier is None or p0.unit != cur[2].unit or p0.value_high is not None:
        return False
    gap = text[prev[1]:cur[0]].strip().lower()
    return (gap == "and" and p0.qualifier == "between") or (gap == "to" and p0.qualifier in _RANGE_OPENERS)


def find_amounts(text: str) -> list[tuple[int, int, Parsed]]:
    """All amounts in a plain text as (start, end, parsed), in text order; no spaCy needed."""
    return _with_qualifiers(text, _candidates(text))


def parse_amount(text: str) -> Parsed | None:
    """Normalise one amount written alone ("nearly $100 billion" -> (1e11, 'USD', True, 'nearly', None))."""
    s = " ".join(text.split())
    found = find_amounts(s)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(s):
        return found[0][2]
    return None


def extract_amounts(doc: "Doc") -> list[Amount]:
    """Money amounts and percentages in a parsed article, ids a1, a2, ... in text order."""
    text = doc_cache.text(doc)
    found = find_amounts(text)
    found = _add_spacy(doc, found)
    return [Amount(id=f"a{i}", text=text[s:e], start=s, end=e, value=p.value, unit=p.unit,
                   approximate=p.approximate, qualifier=p.qualifier, value_high=p.value_high)
            for i, (s, e, p) in enumerate(found, 1)]


def _add_spacy(doc: "Doc", found: list[tuple[int, int, Parsed]]) -> list[tuple[int, int, Parsed]]:
    """Add spaCy MONEY entities the patterns missed: a full amount, or a bare scaled number ("four billion")
    in the currency of the closest money amount before it."""
    text = doc_cache.text(doc)
    extra = []
    for ent in doc.ents:
        if ent.label_ != "MONEY":
            continue
        s, e = ent.start_char, ent.end_char
        if "\n" in text[s:e] or any(s < fe and fs < e for fs, fe, _ in found):
            continue
        parsed = parse_amount(text[s:e])
        if parsed is None:
            m = _BARE.search(text, s, e)
            units = [p.unit for fs, _, p in found if fs < s and p.unit.isupper()]
            if m is None or m.end() != e or not units:
                continue
            s, parsed = m.start(), _bare_money(m, units[-1])
        if parsed is not None:
            extra.append((s, e, parsed))
    return sorted(found + extra, key=lambda c: c[0]) if extra else found


def _bare_money(m: re.Match, unit: str) -> Parsed | None:
    """A scaled number with no currency ("another 3 billion"), valued in the last currency named before it."""
    value = parse_number(m.group("n"))
    return None if value is None else Parsed(value * scale_of(m.group("s")), unit)
