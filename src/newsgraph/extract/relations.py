"""Standing facts between entities: titles ("OpenAI CEO Sam Altman"), founders,
owners ("Musk's xAI"), employees, competitors, partners, parent companies and
headquarters.

Each rule looks only at a short window beside one entity mention (a title and an
organisation before a name, an apposition after it, a possessive), so the work
is linear in the number of mentions, never in pairs of entities. Cue words are
data (``lexicons/titles.txt``, ``lexicons/relation_cues.json``). Every relation
carries the offsets of the sentence that states it.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span

from ..lexicons import lines, table
from ..model import Entity, Relation, TimeExpr
from .event_index import DocIndex, build_index
from . import doc_cache

#: Characters of context read on each side of a mention (bounds the regexes' work).
CONTEXT_CHARS = 140
#: Tokens scanned after a possessive for the thing owned ("Musk's own platform, X").
OWNER_TOKENS = 6
_ORG = ("ORG",)
_PLACE = ("GPE", "LOC")
_DET = r"(?:(?:the|a|an|its|their|his|her)\s+)?"


def _alt(items) -> str:
    """A regex alternation of phrases, longest first, spaces and hyphens flexible."""
    parts = sorted({i.strip().lower() for i in items if i.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*") for p in parts)


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    return table("relation_cues.json")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    c = _cues()
    titles = _alt(lines("titles.txt"))
    pre = rf"(?:(?:{_alt(c['title_premods'])})\s+)?"
    flags = re.IGNORECASE
    return {
        # "... OpenAI CEO |Sam Altman", "OpenAI's Chief Global Affairs Officer, |Chris Lehane"
        "title_left": re.compile(rf"(?<![\w-]){pre}(?P<title>{titles})\s*,?\s*$", flags),
        # "Sam Altman|, chief executive of OpenAI", "Musk|, a co-founder of OpenAI"
        "title_of": re.compile(rf"^\s*,\s*{_DET}{pre}(?P<title>{titles})\s+(?:of|at|for|with)\s+(?:the\s+)?", flags),
        # "Smith|, the bank's chief economist" (organisation found at the match end)
        "appos_org": re.compile(rf"^\s*,\s*(?:the\s+)?", flags),
        "title_after_org": re.compile(rf"^(?:['’]s)?\s+{pre}(?P<title>{titles})\b", flags),
        "subsidiary": re.compile(rf"^\s*,\s*(?:a|an|the|its)\s+(?:[\w-]+\s+){{0,3}}?(?:{_alt(c['subsidiary'])})\s+of\s+(?:the\s+)?", flags),
        "owned_by": re.compile(r"^\s*,?\s*(?:which\s+is\s+)?(?:\w+\s+)?owned\s+by\s+(?:the\s+)?", flags),
        "based_in": re.compile(rf"^\s*,?\s*(?:which\s+is\s+|is\s+)?(?:{_alt(c['based'])})\s+in\s+(?:the\s+)?", flags),
        "based_left": re.compile(r"\s*-\s*based\s+(?:[\w-]+\s+){0,3}$", flags),
        "works_for": re.compile(r"^\s*,?\s*(?:who\s+)?(?:works|worked|working|has\s+worked)\s+(?:for|at)\s+(?:the\s+)?", flags),
        "rival": re.compile(rf"(?<![\w-])(?:{_alt(c['competitor'])})\s+(?:[a-z][\w-]*\s+){{0,2}}$"),
        "partner": re.compile(rf"(?<![\w-])(?:{_alt(c['partner'])})\s+(?:[a-z][\w-]*\s+){{0,2}}$"),
    }


class _Finder:
    """Collects relations for one document, deduplicated by (type, subject, object, value)."""

    def __init__(self, doc: Doc, ix: DocIndex):
        self.doc, self.ix, self.text = doc, ix, doc_cache.text(doc)
        self.starts = doc_cache.starts(doc)
        self.out: list[Relation] = []
        self.seen: set[tuple] = set()

    def tok_at(self, char: int) -> int:
        """Index of the token containing a character offset."""
        return max(0, bisect_right(self.starts, char) - 1)

    def ent_at(self, char: int, types: tuple[str, ...]) -> str | None:
        """The entity of ``types`` whose mention covers the character, if any."""
        if not 0 <= char < len(self.text):
            return None
        eid = self.ix.ent_at[self.tok_at(char)]
        return eid if eid and self.ix.entity_type(eid) in types else None

    def ent_ending_before(self, char: int, types: tuple[str, ...]) -> str | None:
        """The entity whose mention ends just before ``char`` (skipping spaces and a possessive)."""
        left = self.text[max(0, char - 6):char]
        stripped = re.sub(r"(?:['’]s)?\s*$", "", left)
        return self.ent_at(char - (len(left) - len(stripped)) - 1, types) if stripped else None

    def add(self, rtype: str, subject: str | None, obj: str | None, sent: Span, value: str | None = None) -> None:
        if not subject or subject == obj:
            return
        # a founder is one fact whether or not a date is given; the dated statement wins
        key = (rtype, subject, obj, "" if rtype == "founder" else (value or "").lower())
        if key in self.seen:
            if rtype == "founder" and value:
                for k, r in enumerate(self.out):
                    if (r.type, r.subject, r.object) == key[:3] and not r.value:
                        self.out[k] = Relation(r.id, r.type, r.subject, r.start, r.end, r.object, value)
            return
        self.seen.add(key)
        end = sent.end_char
        while end > sent.start_char and self.text[end - 1].isspace():
            end -= 1
        self.out.append(Relation(f"r{len(self.out) + 1}", rtype, subject, sent.start_char, end, obj, value))


def extract_relations(doc: Doc, entities: list[Entity], times: list[TimeExpr]) -> list[Relation]:
    """The relations stated in one article, ids r1, r2, ..."""
    ix = build_index(doc, entities, (), times, ())
    f = _Finder(doc, ix)
    for ent in entities:
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            sent = ix.sent(span[-1])
            if ent.type == "PERSON":
                _person_rules(f, ent.id, m.start, m.end, sent)
            elif ent.type == "ORG":
                _org_rules(f, ent.id, m.start, m.end, sent)
    _founders(f, doc, ix)
    return f.out


def _title_value(match: re.Match[str]) -> str:
    return re.sub(r"\s+", " ", match.group("title")).strip()


def _person_rules(f: _Finder, pid: str, start: int, end: int, sent: Span) -> None:
    """Titles, founders, employers and owned organisations of one person mention."""
    p, text = _patterns(), f.text
    left = text[max(sent.start_char, start - CONTEXT_CHARS):start]
    right = text[end:min(sent.end_char, end + CONTEXT_CHARS)]
    found: list[tuple[str, str | None]] = []
    m = p["title_left"].search(left)
    if m:
        org = f.ent_ending_before(start - len(left) + m.start(), _ORG + ("GPE",))
        found.append((_title_value(m), org))
    m = p["title_of"].match(right)
    if m:
        found.append((_title_value(m), f.ent_at(end + m.end(), _ORG)))
    else:
        m = p["appos_org"].match(right)
        org = f.ent_at(end + m.end(), _ORG) if m else None
        if org:
            org_end = _mention_end(f, end + m.end())
            t = p["title_after_org"].match(text[org_end:min(sent.end_char, org_end + CONTEXT_CHARS)])
            if t:
                found.append((_title_value(t), org))
    founder_titles = {x.replace(" ", "") for x in _cues()["founder_titles"]}
    staff = set(_cues()["staff_titles"])
    for title, org in found:
        key = title.lower().replace(" ", "")
        if key in founder_titles:
            if org and f.ix.entity_type(org) == "ORG":
                f.add("founder", pid, org, sent)
            continue
        f.add("title", pid, org, sent, title)
        if org and title.lower().split()[-1] in staff and f.ix.entity_type(org) == "ORG":
            f.add("employee", pid, org, sent, title)
    m = p["works_for"].match(right)
    if m:
        f.add("employee", pid, f.ent_at(end + m.end(), _ORG), sent)
    owned = _possessed(f, end, sent)
    if owned and f.ix.entity_type(owned) == "ORG":
        f.add("owner", pid, owned, sent)


def _mention_end(f: _Finder, char: int) -> int:
    """End offset of the entity mention covering ``char``."""
    i = f.tok_at(char)
    eid = f.ix.ent_at[i]
    while i + 1 < len(f.doc) and f.ix.ent_at[i + 1] == eid:
        i += 1
    tok = f.doc[i]
    return tok.idx + len(tok.text)


def _possessed(f: _Finder, end: int, sent: Span) -> str | None:
    """The entity right after "X's" (skipping a few words like "own platform,")."""
    doc, ix = f.doc, f.ix
    j = f.tok_at(end)
    if j < len(doc) and doc[j].idx < end:
        j += 1
    if j >= sent.end or doc[j].lower_ not in ("'s", "’s", "'"):
        return None
    skip = set(_cues()["owner_skip"])
    for k in range(j + 1, min(sent.end, j + 1 + OWNER_TOKENS)):
        if ix.ent_at[k]:
            return ix.ent_at[k]
        if doc[k].lower_ not in skip:
            return None
    return None


def _org_rules(f: _Finder, oid: str, start: int, end: int, sent: Span) -> None:
    """Parents, headquarters, competitors and partners around one organisation mention."""
    p, text, ix = _patterns(), f.text, f.ix
    right = text[end:min(sent.end_char, end + CONTEXT_CHARS)]
    left = text[max(sent.start_char, start - CONTEXT_CHARS):start]
    for name in ("subsidiary", "owned_by"):
        m = p[name].match(right)
        if m:
            f.add("parent", f.ent_at(end + m.end(), _ORG), oid, sent)
    m = p["based_in"].match(right)
    if m:
        f.add("headquarters", oid, f.ent_at(end + m.end(), _PLACE), sent)
    m = p["based_left"].search(left)
    if m:
        f.add("headquarters", oid, f.ent_ending_before(start - len(left) + m.start(), _PLACE), sent)
    owned = _possessed(f, end, sent)
    if owned and ix.entity_type(owned) == "ORG":
        f.add("parent", oid, owned, sent)
    if left.endswith(("'s ", "’s ")):
        place = f.ent_ending_before(start - 1, _PLACE)
        if place:
            f.add("headquarters", oid, place, sent)
    for name, rtype in (("rival", "competitor"), ("partner", "partner")):
        m = p[name].search(left)
        if m:
            cue_at = start - len(left) + m.start()
            other = f.ent_ending_before(cue_at, _ORG) or ix.nearest_before(
                f.tok_at(cue_at), _ORG, max_chars=cue_at - sent.start_char, skip=frozenset({oid}))
            f.add(rtype, other, oid, sent)


def _founders(f: _Finder, doc: Doc, ix: DocIndex) -> None:
    """Founder relations from founding statements ("co-founded OpenAI in 2015"), with the date as value."""
    from .events import _lexicon, _mention, _triggers
    _, role_table = _lexicon()
    for sent in ix.sents:
        if "found" not in doc_cache.span_text(sent).lower():
            continue
        trig = _triggers(sent, ix)
        heads = {t.i: e for t, e in trig}
        for tok, entry in trig:
            if entry["type"] != "founding":
                continue
            m = _mention(ix, tok, entry, role_table["founding"], heads)
            if m is None:
                continue
            date = next(iter(m.roles.get("date", [])), None)
            value = ix.times[date].value if date else None
            for person in m.roles.get("founder", []):
                for org in m.roles.get("org", []):
                    f.add("founder", person, org, sent, value)
