"""Quotations and reported speech: who said what, in which words, with offsets.

``direct``: text inside quote marks (straight "...", curly “...”, NYT-style ''...'',
single ‘...’ only when clearly a quote) attached to a reporting cue and speaker.
``mixed``: a reported clause that contains a quoted fragment (X said the plan was "a
disaster"); its text is the whole reported clause. ``indirect``: reported speech
without marks ("X said (that) ...", "X described the move as ...", "according to X, ...").

Choices: a quote split around its cue ("A," he said, "B.") gives two Quote records
with the same speaker and cue, each with exact offsets. A quote running over several
paragraphs (each reopening the mark, only the last closing it) is one record from the
first opening to the last closing mark; the reopening marks stay in its text. A mark
left open at a paragraph end that the next paragraph does not reopen is dropped, so
unbalanced marks never swallow text. A trailing comma inside the marks is not content.

Who said a quoted stretch, first rule that applies: the nearest reporting cue in its
sentence (after it: '"...," Jane said'; before it: preferring the verb whose clause holds
the quote, and an outer reporting verb over one nested in its reported clause); the
sentence a colon ends ("He said: ...", "Pollster Jane Doe: ..."); a dash signature
("..." ― Jane Doe); the verb a quoted fragment is an argument of (mixed); the speaker of
the attributed quote or reported speech just before it (same paragraph, or the previous
one when the quote opens its paragraph; speaker_mention and cue are then that earlier
quote's); the reporting verb of the sentence before. Quotes of at least
MIN_UNATTRIBUTED_WORDS words with none of these are kept without a speaker; shorter
ones (scare quotes, titles) are dropped.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .. import lexicons
from ..model import Entity, Quote
from . import speakers
from .speakers import EntityIndex
from . import doc_cache

#: Thresholds, calibrated on PolNeAR train (see the data file's note).
_LIMITS = lexicons.table("quote_thresholds.json")
#: A quote with no cue of its own is kept (speaker unknown) from this many words on.
MIN_UNATTRIBUTED_WORDS: int = _LIMITS["min_unattributed_words"]
#: A single-quoted (‘...’) stretch counts as a quote from this many words on.
MIN_SINGLE_WORDS: int = _LIMITS["min_single_quote_words"]
#: A quoted stretch of at most this many words, all capitalised, is a title or name.
MAX_TITLE_WORDS: int = _LIMITS["max_title_words"]
#: A reported clause shorter than this (in tokens) is not kept ("he said so").
MIN_REPORTED_TOKENS: int = _LIMITS["min_reported_tokens"]

#: Marks, longest first; a newline ends a paragraph.
_SCAN = re.compile(r"\n|''|``|[\"“”‘’'`]")
_STYLE = {"“": "curly", "”": "curly", '"': "straight", "''": "two", "``": "two"}
_MARK_CHARS = "\"“”‘’'`"
_OPENERS = "([{—–-/:;\u2026"
#: Small words a title may leave lower-case.
_MINOR = frozenset("a an and as at but by for from in into of on or the to with".split())


@dataclass(frozen=True, slots=True)
class Marked:
    """A stretch between quote marks: opening mark at ``open``, content [start, end), closing mark ends at ``close``."""

    open: int
    start: int
    end: int
    close: int


def _role(text: str, i: int, j: int, mark: str) -> str | None:
    """``open``, ``close``, ``either`` or None (an apostrophe) for the mark at text[i:j]."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[j] if j < len(text) else "\n"
    left_open = prev.isspace() or prev in _OPENERS or prev in "\"“‘'"
    right_open = nxt.isspace() or nxt in ".,;:!?)]}—–-\u2026" or nxt in "\"”’'"
    if prev == "=" or nxt == ">" or (prev in "\"'" and i > 1 and text[i - 2] == "="):
        return None  # an attribute value in markup (<tweet author="...">), not a quotation
    if mark in ("“", "``"):
        # ... 51 percent.“ at a paragraph end: a mistyped closing mark
        return "close" if mark == "“" and right_open and not left_open and nxt != "“" else "open"
    if mark == "”":
        # a paragraph that opens with ” (”Mr. Trump ...) has a mistyped opening mark
        return "open" if left_open and nxt.isalpha() and prev != "\u201c" else "close"
    if mark in ("‘", "'", "’"):
        if left_open and nxt.isalpha():
            return "open" if mark != "’" else None
        if right_open and not prev.isspace() and not nxt.isalnum():
            return "close" if mark != "‘" else None
        return None
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    return "either"


def find_marked(text: str) -> list[Marked]:
    """Every quoted stretch in ``text``, outermost only, in one linear pass.

    Inside a double quote, marks of another style (“...” inside "...") nest; single
    marks are nested quotes or apostrophes and are passed over.
    """
    out: list[Marked] = []
    cur: tuple[int, int, str] | None = None  # (open index, content start, style)
    inner: str | None = None  # style of a nested double quote left open
    reopen = -1
    for m in _SCAN.finditer(text):
        i, j, mark = m.start(), m.end(), m.group()
        if mark == "\n":
            if cur is not None and reopen < i:
                reopen = _reopens(text, j, cur[2] != "single")
                inner = None
                if reopen < 0:
                    cur = None
            continue
        if i == reopen:
            continue
        role = _role(text, i, j, mark)
        if role is None:
            continue
        style = _STYLE.get(mark, "single")
        if cur is None:
            if role != "close":
                cur, inner = (i, j, style), None
            continue
        if cur[2] == "single":
            if style != "single":  # a double mark ends a doubtful single quote
                cur = (i, j, style) if role != "close" else None
                continue
        elif style == "single":
            continue
        elif style != cur[2]:
            if role == "open" or (role == "either" and inner != style):
                inner = style
            elif inner == style:
                inner = None
            else:
                cur = _close(text, cur, i, j, out)  # sloppy mix: “..."
            continue
        if role == "open" and mark != "'":
            cur, inner = (i, j, style), None  # the previous opening was never closed
            continue
        cur = _close(text, cur, i, j, out)
    return out


def _close(text: str, cur: tuple[int, int, str], i: int, j: int, out: list[Marked]) -> None:
    """Record the quote that ``cur`` opened and the mark at [i, j) closes (if it is one)."""
    q = _trimmed(text, cur[0], cur[1], i, j)
    after_colon = text[max(0, cur[0] - 2):cur[0]].strip().endswith(":")
    if q is None or (_is_title(text[q.start:q.end]) and not after_colon):
        return None  # a title or name, unless a colon introduces it (a headline quote)
    if cur[2] != "single" or len(text[q.start:q.end].split()) >= MIN_SINGLE_WORDS:
        out.append(q)
    return None


def _is_title(content: str) -> bool:
    """A short stretch whose every word is capitalised: a title or name ("Fox and Friends"), not a quote."""
    words = [w for w in content.split() if w[:1].isalpha()]
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    content_words = [w for w in words if w.lower() not in _MINOR]
    return bool(content_words) and all(w[0].isupper() for w in content_words) and len(words) > 1


def _reopens(text: str, pos: int, double: bool) -> int:
    """Index of the mark that reopens a quote at the start of the next paragraph, else -1."""
    k = pos
    while k < len(text) and text[k].isspace():
        k += 1
    for mark in (("''", '"', "“", "``") if double else ("‘", "'")):
        if text.startswith(mark, k):
            return k
    return -1


def _trimmed(text: str, open_: int, start: int, end: int, close: int) -> Marked | None:
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
        e -= 1
    return Marked(open_, s, e, close) if e > s else None


class _Ctx:
    """A parsed document with the lookups every step needs (built once, linear)."""

    def __init__(self, doc: Doc, entities: list[Entity]):
        self.doc = doc
        self.text = doc_cache.text(doc)
        self.index = EntityIndex(entities, doc)
        self.starts = doc_cache.starts(doc)
        n = len(doc)
        self.sent_start, self.sent_end = [0] * n, [n] * n
        for sent in doc_cache.sentences(doc):
            for i in range(sent.start, sent.end):
                self.sent_start[i], self.sent_end[i] = sent.start, sent.end
        self.inside = [False] * n  # tokens within quote marks (their verbs are never cues)

    def tok(self, pos: int) -> int:
        """Index of the first token starting at or after character ``pos``."""
        return bisect_left(self.starts, pos)


def extract_quotes(doc: Doc, entities: list[Entity]) -> list[Quote]:
    """Direct, mixed and indirect quotes of ``doc``, speakers resolved to ``entities``; ids q1, ... in text order."""
    ctx = _Ctx(doc, entities)
    marked = find_marked(ctx.text)
    for q in marked:
        for i in range(ctx.tok(q.open), ctx.tok(q.close)):
            ctx.inside[i] = True
    reported = _indirect(ctx)
    found = _direct(ctx, marked, reported)
    used = {q.cue_start for q in found if q.cue_start is not None}
    found += [q for q in reported if q.cue_start not in used]
    found.sort(key=lambda q: (q.start, q.end))
    return [_with_id(q, f"q{n}") for n, q in enumerate(found, 1)]


def _direct(ctx: _Ctx, marked: list[Marked], reported: list[Quote]) -> list[Quote]:
    """One Quote per marked stretch that has a cue, continues an attributed quote (direct or
    reported, in the same or the previous paragraph), or is long."""
    doc, text, out = ctx.doc, ctx.text, []
    prev: Quote | None = None
    prev_para = -1
    para, para_pos = 0, 0
    by_end = sorted(reported, key=lambda r: r.end)
    j = 0
    for k, q in enumerate(marked):
        para += _breaks(text, para_pos, q.open)
        para_pos = q.open
        last = None
        while j < len(by_end) and by_end[j].end <= q.open:
            last, j = by_end[j], j + 1
        if last is not None and (prev is None or last.end > prev.end):
            prev, prev_para = last, para - _breaks(text, last.end, q.open)
        t_open, t0, t1, t_close = ctx.tok(q.open), ctx.tok(q.start), ctx.tok(q.end), ctx.tok(q.close)
        if t1 <= t0:
            continue
        lo = ctx.sent_start[t_open]
        hi = ctx.sent_end[t_close] if t_close < len(doc) else len(doc)
        nxt = ctx.tok(marked[k + 1].open) if k + 1 < len(marked) else len(doc)
        hi = min(hi, nxt)
        new_sent = t_close < len(doc) and ctx.sent_start[t_close] == t_close
        cue = speakers.cue_near(doc, (lo, t_open), (t_close, max(hi, t_close)), after_new_sentence=new_sent,
                                skip=ctx.inside)
        if cue is None:
            cue = _colon_cue(ctx, q, t_open) or speakers.dash_signature(doc, q.close, nxt)
        quote: Quote | None = None
        if cue is not None:
            kind, start = _kind(ctx, cue, t_open, t0, t1)
            quote = _make(ctx, kind, start if kind == "mixed" else q.start, q.end, cue)
        elif (gov := speakers.governing(doc, t0, t1, ctx.inside)) is not None:
            gov = speakers.outermost(doc, gov, ctx.inside, ctx.sent_start[t_open])
            quote = _make(ctx, "mixed", doc[gov.end].idx if gov.end < t_open else q.start, q.end, gov)
        elif prev is not None and (para == prev_para or para == prev_para + 1 and _starts_paragraph(text, q.open)):
            quote = Quote("", "direct", text[q.start:q.end], q.start, q.end, prev.speaker,
                          prev.speaker_mention, prev.cue, prev.cue_start, prev.cue_end)
        elif (lead := _previous_sentence_lead(ctx, t_open)) is not None:
            quote = _make(ctx, "direct", q.start, q.end, lead)
        elif len(text[q.start:q.end].split()) >= MIN_UNATTRIBUTED_WORDS:
            quote = Quote("", "direct", text[q.start:q.end], q.start, q.end)
        if quote is not None:
            out.append(quote)
            if quote.speaker_mention is not None:
                prev, prev_para = quote, para + _breaks(text, q.open, q.close)
    return out


def _colon_cue(ctx: _Ctx, q: Marked, t_open: int) -> speakers.Cue | None:
    """The cue of the sentence that introduces a quote with a colon ("He said: ...", over a line break too)."""
    k = q.open - 1
    while k >= 0 and ctx.text[k].isspace():
        k -= 1
    if k < 0 or ctx.text[k] != ":":
        return None
    t_colon = ctx.tok(k)
    if t_colon >= len(ctx.doc):
        return None
    return (speakers.cue_in(ctx.doc, ctx.sent_start[t_colon], t_colon, skip=ctx.inside)
            or speakers.colon_lead(ctx.doc, t_colon, ctx.inside))


def _previous_sentence_lead(ctx: _Ctx, t_open: int) -> speakers.Cue | None:
    """For a quote that starts its sentence: the reporting verb at the root of the sentence before."""
    start = ctx.sent_start[t_open]
    k = start
    while k < t_open and (ctx.doc[k].is_space or ctx.doc[k].is_punct):
        k += 1
    if k != t_open or start == 0:
        return None
    prev_end = start
    while prev_end > 0 and ctx.doc[prev_end - 1].is_space:
        prev_end -= 1
    if prev_end == 0:
        return None
    return speakers.sentence_lead(ctx.doc, ctx.sent_start[prev_end - 1], prev_end, ctx.inside)


def _kind(ctx: _Ctx, cue: speakers.Cue, t_open: int, t0: int, t1: int) -> tuple[str, int]:
    """``direct``, or ``mixed`` with the start of the reported clause when the cue's clause
    begins before the marks (X said the plan was "a disaster")."""
    doc = ctx.doc
    if cue.end > t_open:
        return "direct", -1
    tok = doc[t0]
    for _ in range(16):  # climb to the quote's own root: the first token whose head is outside it
        if not t0 <= tok.head.i < t1 or tok.head is tok:
            break
        tok = tok.head
    path = []
    for _ in range(6):
        if tok.head is tok or tok.head.i == cue.start:
            break
        tok = tok.head
        path.append(tok)
    if not path or tok.head.i != cue.start:
        return "direct", -1
    if not any(cue.end <= p.i < t_open and not p.is_punct and p.lower_ != "that" for p in path):
        return "direct", -1
    first = max(path[-1].left_edge.i, cue.end)
    while first < t_open and (doc[first].is_punct or doc[first].lower_ == "that"):
        first += 1
    return "mixed", doc[first].idx


def _make(ctx: _Ctx, kind: str, start: int, end: int, cue: speakers.Cue) -> Quote:
    cue_span = ctx.doc[cue.start:cue.end]
    c0, c1 = cue_span.start_char, cue_span.end_char
    while c0 < c1 - 1 and ctx.text[c0] in _MARK_CHARS:  # a dash glued to a closing mark: ”―
        c0 += 1
    speaker, mention = None, None
    if cue.speaker is not None:
        speaker, mention = speakers.resolve(ctx.doc, cue.speaker, ctx.index)
    return Quote("", kind, ctx.text[start:end], start, end, speaker, mention, ctx.text[c0:c1], c0, c1)


def _indirect(ctx: _Ctx) -> list[Quote]:
    """Reported speech without marks: a speech verb's clause, or "according to X, ..."."""
    doc, out = ctx.doc, []
    inside_before = [0]  # quoted tokens before each index, to test a clause in O(1)
    for flag in ctx.inside:
        inside_before.append(inside_before[-1] + flag)
    words = speakers.cue_words()
    for i, (low, lemma) in enumerate(zip(doc_cache.strings(doc, "lower"), doc_cache.strings(doc, "lemma"))):
        if ctx.inside[i] or (low not in words and lemma.lower() not in words):
            continue
        tok = doc[i]
        n = speakers.phrase_at(doc, tok.i)
        if n:
            span, cue = _according(ctx, tok.i, n)
        elif speakers.is_speech_verb(tok) and (span := speakers.reported_clause(tok)) is not None:
            cue = speakers.Cue(tok.i, tok.i + 1, speakers.speaker_of(tok, ctx.inside, ctx.sent_start[tok.i]))
        else:
            continue
        if span is None or cue.speaker is None or (
                tok.lemma_.lower() in lexicons.words("speech_evidential_verbs.txt") and not _can_speak(doc[cue.speaker])):
            continue
        a, b = _strip(doc, *span)
        if b - a < MIN_REPORTED_TOKENS or inside_before[b] - inside_before[a]:
            continue  # too short, or it holds quote marks (a mixed quote, found above)
        out.append(_make(ctx, "indirect", doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), cue))
    return out


def _can_speak(head: Token) -> bool:
    """A reported-speech speaker is a name, a pronoun or a noun for people or organisations
    ("the company", "analysts"), not a thing ("OpenAI's transformation suggests ...")."""
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    words = speakers._speaker_words()
    lemma = head.lemma_.lower()
    return (head.lower_ in words["pronouns"] or head.lower_ in ("they", "we", "i", "you")
            or lemma in words["descriptions"] or head.lower_ in words["descriptions"]
            or lemma in lexicons.words("speaker_nouns.txt"))


def _according(ctx: _Ctx, i: int, n: int) -> tuple[tuple[int, int] | None, speakers.Cue]:
    """The clause that "according to X" hangs off, less the phrase itself."""
    doc = ctx.doc
    phrase = doc[i]
    p0, p1 = phrase.left_edge.i, phrase.right_edge.i + 1
    p1 = max(p1, i + n)
    cue = speakers.Cue(i, i + n, speakers.object_of(doc[i + n - 1]))
    head = phrase.head
    if head is phrase:
        return None, cue
    c0, c1 = head.left_edge.i, head.right_edge.i + 1
    before, after = (c0, p0), (p1, c1)
    return (after if after[1] - after[0] >= before[1] - before[0] else before), cue


def _strip(doc: Doc, a: int, b: int) -> tuple[int, int]:
    """Drop punctuation, spaces and a leading "that" from the edges of a token range."""
    while a < b and (doc[a].is_punct or doc[a].is_space or doc[a].lower_ == "that"):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    return a, b


_BREAKS = re.compile(r"\n\s*")


def _breaks(text: str, start: int, end: int) -> int:
    """Paragraph breaks in text[start:end] (a blank line between paragraphs counts once)."""
    return len(_BREAKS.findall(text, start, end))


def _starts_paragraph(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k < 0 or text[k] == "\n"


def _with_id(q: Quote, qid: str) -> Quote:
    return Quote(qid, q.kind, q.text, q.start, q.end, q.speaker, q.speaker_mention, q.cue, q.cue_start, q.cue_end)
