"""Find the dates, times, durations and sets in an article and normalise them to TIMEX3.

Candidates come from the rule grammar (``timex_rules``), each rule run only in the stretches
around its anchor words (one cheap scan finds them); the longest non-overlapping matches win.
Each is normalised by ``timex.normalise`` against the publication date, with the tense of its
clause choosing past or future readings; anaphors ("that day", "the day before") and bare clock
times read against the dates mentioned around them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..errors import NG109_BAD_DATE, InputError
from ..model import TimeExpr
from .timex import normalise
from .timex_rules import CAPITAL_KINDS, CAPITAL_SCAN, NUMERIC_KINDS, NUMERIC_SCAN, RULES, WORD_KINDS, WORD_SCAN, WORDS
from . import doc_cache

_REACH = 100  # characters around a time word searched for a match (the longest expressions are ~60)
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would", "’ll"})
_NUMERIC_ENTS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
_SENT_START = re.compile(r"(?:^|[.!?\"“”]\s*|\n\s*)$")
_AGE_AFTER = re.compile(r"^(?:-| )old\b|^ of age\b")
_AGE_BEFORE = re.compile(r"\b(?:ages?|aged)\s+(?:(?:[\w.]+\s+){1,2}(?:to|and|or|through)\s+)?$", re.I)
_PROSPECTIVE = frozenset(WORDS["prospective_verbs"]) | {"due", "likely", "expected", "scheduled", "set", "poised"}
_SCHEDULING = frozenset({"plan", "schedule", "slate"})
_ADJ_ONLY = frozenset({"quarterly", "annual", "future"})
_A_UNIT = re.compile(r"^(?:a|an|one|per) (year|month|week|day|hour|night)$", re.I)
_RATE_BEFORE = re.compile(r"(?:\d|times|twice|once|percent|%|cents?|dollars?|\$\S*|[mb]illion|hours|days)\s*$", re.I)
_RATE_PERIOD = {"year": "P1Y", "month": "P1M", "week": "P1W", "day": "P1D", "night": "P1D", "hour": "PT1H"}
_MAY_VERB = re.compile(r" (?:be|have|not|also|well)\b")
_PACE_AFTER = re.compile(r" (?:miles?|kilometres?|kilometers?|km|laps?)\b")
_SECOND = re.compile(r"(?:^|\s)(?:a|one) second$")
_FRACTION = re.compile(r"(?:^|\s)(?:a|one)[- ]quarter$|-quarters?$")
_FRACTION_OF = re.compile(r"(?:^|\s)(?:two|three)[- ]quarters$")
_TITLE_AFTER = re.compile(r" (?:of|for) (?:the )?[A-Z]")
_TITLE_WORD = re.compile(r"(?<=[\w.] )(?:Week|Month|Year|Minutes|Hours|Days|Today|Tonight|Tomorrow)\b")
_TITLE_DEICTIC = re.compile(r"Today|Tonight|Tomorrow")
_NAME_BEFORE = re.compile(r"[A-Z][\w.]* $")
_NAME_AFTER = re.compile(r" (?-i:[A-Z][a-z])")
_CURRENT_NOUN = re.compile(r" (?:account|affairs|events)")
_FOUR_DIGITS = re.compile(r"\d{4}")
_YEAR_START = re.compile(r"\d{4}\b")
_PERIOD_NOUN = re.compile(r"the (?:fiscal |full )?(?:year|quarter)")
_BACKWARD = re.compile(r"(?i)\b(?:previous|prior)\b")


def anchor_date(published: str | dt.date | None) -> dt.date | None:
    """The publication date as a date: from an ISO 8601 date or datetime string, a date, or None."""
    if published is None or published == "":
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    text = str(published).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            raise InputError(f"publication date {published!r} is not ISO 8601", code=NG109_BAD_DATE) from None


_TOKEN_KINDS: dict[str, frozenset[str]] = {}  # kinds anchored by a word seen before, by its lowercase form


def _token_kinds(token: str) -> frozenset[str]:
    """The kinds of rule a word anchors: those of every anchor word inside it ("Yesterday" holds "day")."""
    low = token.lower()
    kinds = _TOKEN_KINDS.get(low)
    if kinds is None:
        kinds = frozenset(k for w, ks in WORD_KINDS.items() if w in low for k in ks)
        if len(_TOKEN_KINDS) > 100_000:
            _TOKEN_KINDS.clear()
        _TOKEN_KINDS[low] = kinds
    return kinds


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each kind of rule, the stretches of text around its anchor words, merged: where it can match."""
    hits: list[tuple[int, int, frozenset[str]]] = [
        (m.start(), m.end(), NUMERIC_KINDS) for m in NUMERIC_SCAN.finditer(text)]
    hits += [(m.start(), m.end(), CAPITAL_KINDS) for m in CAPITAL_SCAN.finditer(text)]
    hits += [(m.start(), m.end(), kinds) for m in WORD_SCAN.finditer(text) if (kinds := _token_kinds(m.group()))]
    hits.sort(key=lambda h: h[0])
    out: dict[str, list[tuple[int, int]]] = {}
    for start, end, kinds in hits:
        lo, hi = max(0, start - _REACH), min(len(text), end + _REACH)
        for kind in kinds:
            spans = out.setdefault(kind, [])
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
            else:
                spans.append((lo, hi))
    return out


def find_spans(text: str) -> list[tuple[int, int, str]]:
    """Rule matches over the text as ``(start, end, kind)``, longest first wins, in text order."""
    found: list[tuple[int, int, str, int]] = []
    windows = _windows(text)
    for rank, rule in enumerate(RULES):
        for lo, hi in windows.get(rule.kind, ()):
            for m in rule.pattern.finditer(text, lo, hi):
                if m.end() > m.start():
                    found.append((m.start(), m.end(), rule.kind, rank))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[3], f[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, kind, _ in found:
        if all(end <= s or start >= e for s, e, _k in taken) and _plausible(text, start, end, kind):
            taken.append((start, end, kind))
    return sorted(taken)


def _plausible(text: str, start: int, end: int, kind: str) -> bool:
    """Drop matches that are words, not times: ages, "May" opening a sentence, fractions."""
    after, before = text[end:end + 12], text[max(0, start - 12):start]
    if kind in ("duration", "ago") and (_AGE_AFTER.match(after) or _AGE_BEFORE.search(text[max(0, start - 30):start])):
        return False  # an age: "a 44-year-old", "children ages 6 months to 5 years"
    if kind == "month" and end - start <= 5 and _SENT_START.search(before):
        return text[start:end] not in ("May", "March")
    if kind == "month" and text[start:end] == "May" and _MAY_VERB.match(after):
        return False
    surface = text[start:end].lower()
    if kind == "duration" and "-" in surface and _PACE_AFTER.match(text, end):
        return False  # a pace: "a five-minute mile"
    if kind == "duration" and _SECOND.search(surface):
        return False  # "a second bid"
    if kind == "duration" and (_FRACTION.search(surface) or (_FRACTION_OF.search(surface) and after.startswith(" of"))):
        return False  # a fraction: "three-quarters of", "about a quarter", "two quarters of the shares"
    if kind == "month" and _TITLE_AFTER.match(text[end:end + 30]):
        return False  # "the March for Life", "March of the Mothers"
    if kind == "part" and text[start:end].lower() == "the night" and after.startswith(" of"):
        return False
    if kind == "ref" and surface == "current" and _CURRENT_NOUN.match(after):
        return False
    if _TITLE_WORD.search(text, start + 1, end) or (_TITLE_DEICTIC.fullmatch(text, start, end)
                                                    and _NAME_BEFORE.search(text, max(0, start - 20), start)):
        return False  # a show or paper: ABC's "This Week", "60 Minutes", "VOA Today"
    if kind == "set" and surface == "daily" and _NAME_AFTER.match(text, end):
        return False  # "the Communist Party daily Granma": a newspaper
    return True


def _verb_tense(verb: Token, depth: int = 0) -> str | None:
    """past / present / future for a verb, from its tag and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or ("going" in words and any(c.lower_ == "to" for c in auxes)):
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and (not auxes or any(a.lemma_ == "have" for a in auxes)):
        return "past"  # "has announced", or a participle clause "the deal, announced Friday"
    if verb.tag_ == "VB" and "to" in words:
        head = verb.head
        if head is not verb and head.pos_ in ("VERB", "AUX", "ADJ") and depth < 4:
            if head.lemma_ in _PROSPECTIVE:
                return "future"
            outer = _verb_tense(head, depth + 1)
            return "past" if outer == "past" else "future"
        return "future"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def sentence_of(doc: Doc, starts: list[int], span: SpacySpan) -> SpacySpan:
    """The sentence around a span, from precomputed sentence starts (``Span.sent`` walks the whole doc)."""
    i = bisect_right(starts, span.start) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(doc)
    return doc[starts[i]:end]


def tense_at(span: SpacySpan, *, sent: SpacySpan | None = None) -> str | None:
    """The tense of the clause a time expression sits in (its governing verb, else the sentence)."""
    tok = span.root
    if tok.tag_ == "NNP" and any(c.tag_ == "POS" for c in tok.children) and tok.lower_.endswith("day"):
        return None  # "Wednesday's ruling": a day just past or coming, whatever the verb
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "MD":
            tense = _verb_tense(tok)
            if tense == "past" and tok.lemma_ in _SCHEDULING and tok.i < span.start \
                    and (tok.tag_ == "VBD" or any(c.dep_ == "aux" for c in tok.children)):
                return "future"  # "planned a rally on Saturday", "has scheduled a news conference Thursday"
            if tense:
                return tense
        if tok.head is tok:
            break
        tok = tok.head
    sent = sent if sent is not None else span.sent
    tags = [t.tag_ for t in sent]
    lowers = {t.lower_ for t in sent}
    if lowers & _FUTURE_AUX:
        return "future"
    if "VBD" in tags:
        return "past"
    return "present" if {"VBZ", "VBP"} & set(tags) else None


def _numeric_year(doc: Doc, text: str, start: int, end: int, kind: str) -> bool:
    """A bare four-digit "year" that spaCy reads as a count or amount ("2000 troops")."""
    if kind != "year" or not _FOUR_DIGITS.fullmatch(text[start:end]):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span[0].ent_type_ in _NUMERIC_ENTS


_PERIOD_ENDED = re.compile(r"^ (?:that |which )?(?:ended|ending|ends|to end)\b")
_YEAR_AGO = re.compile(r"(?i)^(?:a|one) year (?:ago|earlier)$|^(?:the )?year-(?:ago|earlier)$")


def _in_context(value: tuple[str, str | None] | None, surface: str, kind: str, text: str, start: int, end: int,
                anchor: dt.date | None, span: SpacySpan | None,
                sent: SpacySpan | None) -> tuple[str, str | None] | None:
    """Readings that depend on the words around: "$5 a year" is a set; "the year ended June 30" is a
    duration; "a year earlier" beside quarterly results is that quarter a year before."""
    low = surface.lower()
    unit = _A_UNIT.match(surface)
    if kind == "duration" and unit and _RATE_BEFORE.search(text[max(0, start - 30):start]):
        return ("SET", _RATE_PERIOD[unit.group(1).lower()])  # "$5 a year", "24 hours a day": a rate
    if kind in ("relunit", "quarter") and _PERIOD_ENDED.match(text[end:end + 20]) and _PERIOD_NOUN.fullmatch(low):
        return ("DURATION", "P1Q" if low.endswith("quarter") else "P1Y")
    if anchor is not None and sent is not None and _YEAR_AGO.match(surface):
        window = text[max(0, sent.start_char - 300):sent.end_char].lower()
        if "quarter" in window:
            q = (anchor.month - 1) // 3
            year = anchor.year - 1 if q else anchor.year - 2
            return ("DATE", f"{year}-Q{q or 4}")
    return value


_STORY_KINDS = frozenset({"month", "date"})
_STORY_REACH = 60  # a year just before, in the same sentence: "In 2011, in October, ..."
_YEAR_AFTER = re.compile(r"(?: [a-z]+)? (?:day |morning |night |evening )?(?:in|of) ((?:1[6-9]|20)\d\d)\b")
_YEAR_IN = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)")
_DAY_VALUE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def _reference(value: tuple[str, str | None], kind: str) -> dt.date | None:
    """The day a newly read date establishes as the narrative's reference point, if any."""
    m = _DAY_VALUE.match(value[1] or "")
    if not m or kind in ("deictic", "anaphor", "ago"):
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def extract_times(doc: Doc, published: str | dt.date | None) -> list[TimeExpr]:
    """Every TIMEX3 date, time, duration and set in the document, ids t1, t2, ... in text order."""
    anchor = anchor_date(published)
    text = doc_cache.text(doc)
    out: list[TimeExpr] = []
    # the last day and year mentioned: what "that day" and "the following year" refer to
    ref: dt.date | None = None
    ref_year: int | None = None
    starts = doc_cache.sentence_starts(doc)
    story: tuple[int, int] | None = None  # the last year written out, and where: the story's own year
    taken_to = 0  # the end of a day range's tail, whose year is already read
    for start, end, kind in find_spans(text):
        if start < taken_to or _numeric_year(doc, text, start, end, kind):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if kind in ("set", "ref") and span is not None and len(span) == 1 and span[0].dep_ == "amod" \
                and span[0].lower_ in _ADJ_ONLY:
            continue  # "quarterly dividend", "future payments": a modifier, not a time
        sent = sentence_of(doc, starts, span) if span is not None and len(span) else None
        tense = tense_at(span, sent=sent) if sent is not None else None
        surface = text[start:end]
        if kind == "nth_day" and tense == "past":
            continue  # "the 99th day of the strike" in a past story: which day needs the strike's start
        if kind == "year_tail":
            head = text[start - 5:start - 1]  # "1957-58": the tail takes the head's century
            if not head.isdigit() or int(surface) <= int(head[2:]):
                continue
            value: tuple[str, str | None] | None = ("DATE", head[:2] + surface)
        elif kind == "anaphor" and surface.lower().endswith("year"):
            base = ref_year or (anchor.year if anchor else None)
            step = 1 if "following" in surface.lower() else -1 if _BACKWARD.search(surface) else 0
            value = ("DATE", str(base + step) if base else "XXXX")
        elif kind == "anaphor":
            value = normalise(surface, ref or anchor, tense, kind=kind)
        else:
            value = normalise(surface, anchor, tense, kind=kind)
            value = _in_context(value, surface, kind, text, start, end, anchor, span, sent)
        if value is None:
            continue
        later_year = _YEAR_AFTER.match(text, end, min(len(text), end + 24)) if kind in _STORY_KINDS else None
        if later_year and _YEAR_START.match(value[1] or "") and not _YEAR_IN.search(surface):
            value = (value[0], f"{later_year.group(1)}{value[1][4:]}")  # "that January day in 2011"
        elif kind in _STORY_KINDS and story and anchor and tense == "past" and story[0] < anchor.year \
                and sent is not None and story[1] >= max(sent.start_char, start - _STORY_REACH) \
                and not _YEAR_IN.search(surface) \
                and _YEAR_START.match(value[1] or ""):
            value = (value[0], f"{story[0]}{value[1][4:]}")  # "in October" in a story told about 2011
        if _YEAR_IN.search(surface) and _YEAR_START.match(value[1] or "") and kind not in ("ago", "year_tail"):
            story = (int(value[1][:4]), end)
        ref = _reference(value, kind) or ref
        if kind not in ("deictic", "anaphor", "ago") and _YEAR_START.match(value[1] or ""):
            ref_year = int(value[1][:4])
        out.append(TimeExpr(id=f"t{len(out) + 1}", text=surface, start=start, end=end,
                            type=value[0], value=value[1]))
        tail = _DAY_TAIL.match(text, end) if kind == "date" and _DAY_VALUE.fullmatch(value[1] or "") else None
        if tail and int(value[1][8:]) < int(tail.group(1)) <= 31:  # "April 24 and 25": the 25th of April too
            year = tail.group(2) or value[1][:4]  # "March 5-7, 2011": the year closing the range is both ends'
            out[-1] = dataclasses.replace(out[-1], value=year + value[1][4:])
            out.append(TimeExpr(id=f"t{len(out) + 1}", text=text[tail.start(1):tail.end()], start=tail.start(1),
                                end=tail.end(), type="DATE", value=f"{year}{value[1][4:8]}{int(tail.group(1)):02d}"))
            taken_to = tail.end()
    return _clock_days(out, doc, starts, anchor)


_DAY_TAIL = re.compile(r"(?:,? and | to | through | ?[-–] ?)([0-3]?\d)(?:st|nd|rd|th)?\b"
                       r"(?![\d:%]|[.,]\d| ?(?:percent|[mb]illion))"
                       r"(?:,? ((?:1[6-9]|20)\d\d)\b)?")


_DAY_WORD = re.compile(r"(?i)day\b|tonight|tomorrow|\d{4}|(?-i:[A-Z][a-z]{2}\.? \d)")


def _clock_days(times: list[TimeExpr], doc: Doc, starts: list[int], anchor: dt.date | None) -> list[TimeExpr]:
    """A clock time with no day of its own ("at 10 p.m.") takes the day named nearest in its sentence."""
    if anchor is None:
        return times
    day = anchor.isoformat()
    out = list(times)
    for i, t in enumerate(times):
        if t.type != "TIME" or not (t.value or "").startswith(day + "T") or _DAY_WORD.search(t.text):
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        sent = sentence_of(doc, starts, span)
        days = [(abs(o.start - t.start), o.value[:10]) for o in times
                if o is not t and sent.start_char <= o.start < sent.end_char and o.type == "DATE"
                and _DAY_VALUE.fullmatch(o.value or "")]
        if days:
            out[i] = dataclasses.replace(t, value=min(days)[1] + t.value[10:])
    return out
