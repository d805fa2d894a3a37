"""Cues and speakers for quotations: the reporting verb next to a quote, its speaker
phrase, and the entity that phrase names (directly, or through a pronoun or a
definite description such as "the company").

Works on the dependency parse only through O(1) attributes (head, dep, left/right
edge) and bounded windows, so a very long sentence costs linear time.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from .. import lexicons
from ..model import Entity, Span
from . import doc_cache

_LIMITS = lexicons.table("quote_thresholds.json")
#: How far (in tokens) from a quote mark a cue may sit, and how far up the tree a
#: subject-less cue may look for the subject of the clause it hangs off.
WINDOW: int = _LIMITS["cue_window_tokens"]
#: After a quote that ends its sentence, how far into the next sentence a cue may sit.
NEW_SENTENCE_WINDOW: int = _LIMITS["new_sentence_cue_window_tokens"]
CLIMB: int = _LIMITS["subject_climb_steps"]
#: Dependency labels of a subject; of clauses whose subject is their head's subject.
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = ("advcl", "xcomp", "conj", "pcomp", "acl", "dobj", "pobj", "prep", "ccomp", "relcl")
_NOUNISH = ("PROPN", "NOUN", "PRON")
_RELATIVE = frozenset(("who", "that", "which", "whom"))
_MODIFIER_DEPS = frozenset(("compound", "amod", "nmod", "poss", "nummod", "det", "npadvmod", "advmod"))
_WHEN = frozenset(("DATE", "TIME"))
_DASHES = frozenset(("―", "—", "–", "--"))


@dataclass(frozen=True, slots=True)
class Cue:
    """A reporting cue (verb or phrase, token range) and the head token of its speaker."""

    start: int
    end: int
    speaker: int | None


@lru_cache(maxsize=1)
def _verbs() -> frozenset[str]:
    return lexicons.words("speech_verbs.txt")


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.lower().split()) for p in lexicons.lines("speech_phrases.txt"))


@lru_cache(maxsize=1)
def _speaker_words() -> dict:
    return lexicons.table("quote_speakers.json")


@lru_cache(maxsize=1)
def _phrasal() -> frozenset[str]:
    return lexicons.words("speech_phrasal_verbs.txt")


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every word a cue can start with: a phrase's first word, a speech verb, a phrasal verb's
    verb. A token whose lower-case form and lemma are not in it is neither (a cheap first test)."""
    return _verbs() | {p[0] for p in _phrases()} | {p.split()[0] for p in _phrasal()}


def is_speech_verb(tok: Token) -> bool:
    """A verb from the speech lexicon (by lemma, else by lower-cased form), or a phrasal one ("shot back")."""
    if tok.pos_ not in ("VERB", "AUX") and not tok.tag_.startswith("VB"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in _verbs() or tok.lower_ in _verbs():
        return True
    return any(c.dep_ in ("prt", "advmod") and c.i == tok.i + 1 and f"{lemma} {c.lower_}" in _phrasal()
               for c in tok.children)


def phrase_at(doc: Doc, i: int) -> int:
    """Length of the attribution phrase ("according to") starting at token ``i``, else 0."""
    low = doc[i].lower_
    for words in _phrases():
        n = len(words)
        if low == words[0] and i + n <= len(doc) and all(doc[i + k].lower_ == words[k] for k in range(1, n)):
            return n
    return 0


def object_of(tok: Token) -> int | None:
    """The noun governed by the last word of a phrase cue ("to" -> the report)."""
    for child in tok.children:
        if child.dep_ == "pobj":
            return child.i
    nxt = tok.i + 1
    if nxt < len(tok.doc) and tok.doc[nxt].pos_ in _NOUNISH:
        return nxt
    return None


def speaker_of(verb: Token, skip: list[bool], floor: int = 0, *, after: bool = False) -> int | None:
    """The speaker head of a reporting verb (never a word inside quote marks).

    In order: its subject; the agent of a passive; for a participle modifying a noun
    ("Clinton asking, ...") that noun; for a subject-less verb ("..., stating, ...") the
    subject of the clause it hangs off; the name between a quote and its cue when the
    parse missed it; the name right after the cue ("..." said Jane Doe); a name the parser
    attached to the verb under another label; for a participle, the nearest subject before
    it in its sentence.
    """
    doc = verb.doc
    tok = verb
    for _ in range(CLIMB + 1):
        subj = subject_of(tok, skip)
        if subj is not None:
            return subj if subj >= 0 else None
        if tok.dep_ == "acl" and tok.head.pos_ in ("PROPN", "PRON") and not skip[tok.head.i]:
            return _appos_name(tok.head)
        if tok.dep_ not in _CLIMB_DEPS or tok.head is tok or skip[tok.head.i]:
            break
        tok = tok.head
    for k in range(verb.i - 1, max(floor, verb.i - 12) - 1 if after else verb.i - 1, -1):  # '"...," Jane Doe said'
        t = doc[k]
        if skip[k] or t.is_quote:
            break
        if t.pos_ in ("PROPN", "PRON") and t.head.i not in range(floor, k) and t.ent_type_ not in _WHEN:
            return _appos_name(t) if t.pos_ == "PROPN" else k
    nxt = verb.i + 1
    if nxt < len(doc) and doc[nxt].pos_ in ("PROPN", "PRON") and doc[nxt].ent_type_ not in _WHEN and not skip[nxt]:
        return _appos_name(doc[nxt])
    for k in range(verb.i - 1, max(floor, verb.i - 12) - 1, -1):  # a subject the parser mislabelled
        t = doc[k]
        if skip[k] or t.is_sent_start and k < verb.i - 1:
            break
        if t.head.i == verb.i and t.pos_ in ("PROPN", "PRON") and t.ent_type_ not in _WHEN:
            return _appos_name(t)
    if verb.tag_ in ("VBG", "VBN"):
        for k in range(verb.i - 1, max(0, verb.i - WINDOW) - 1, -1):
            t = doc[k]
            if t.dep_ in ("nsubj", "nsubjpass") and not skip[k] and t.lower_ not in _RELATIVE:
                return _appos_name(t)
            if t.is_sent_start:
                break
    return None


def subject_of(tok: Token, skip: list[bool]) -> int | None:
    """The subject of ``tok`` as a speaker head; -1 for a passive without agent; None if it has none."""
    passive = False
    for child in tok.children:
        if child.dep_ in ("nsubj", "csubj") and child.lower_ not in _RELATIVE and not skip[child.i]:
            return _appos_name(child)
        if child.dep_ == "nsubj" and child.lower_ in _RELATIVE and tok.dep_ == "relcl":
            return _appos_name(tok.head)
        if child.dep_ == "nsubjpass":
            passive = True
    if passive:
        for child in tok.children:
            if child.dep_ == "agent":
                obj = object_of(child)
                return obj if obj is not None else -1
        return -1
    return None


def _appos_name(tok: Token) -> int:
    """Prefer a named appositive ("the company's chief, Jane Doe") over a common-noun head."""
    if tok.pos_ == "PROPN":
        return tok.i
    for child in tok.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return child.i
    return tok.i


def cue_near(doc: Doc, before: tuple[int, int], after: tuple[int, int], *,
             after_new_sentence: bool, skip: list[bool]) -> Cue | None:
    """The reporting cue nearest to a quote, searching the tokens just before it
    (``before``: [start, end), ending at the opening mark) and just after it."""
    best: tuple[int, int, Cue] | None = None
    a0, a1 = after
    limit = min(a1, a0 + (NEW_SENTENCE_WINDOW if after_new_sentence else WINDOW))
    for i in range(a0, limit):
        cue = None if skip[i] else _cue_at(doc, i, skip, a0, after=True)
        if cue and _reports_onward(doc[cue.start], new_sentence=after_new_sentence and i - a0 > 3):
            cue = None  # the verb reports what follows it, not this quote
        if cue:
            best = (i - a0, 0, cue)
            break
    b0, b1 = before
    nearest: Cue | None = None
    for i in range(b1 - 1, max(b0, b1 - WINDOW) - 1, -1):
        cue = None if skip[i] else _cue_at(doc, i, skip, b0)
        if cue is None:
            continue
        nearest = nearest or cue
        if doc[cue.start].right_edge.i >= b1:  # the cue's clause holds the quote: its cue
            nearest = cue
            break
    if nearest is not None:
        nearest = outermost(doc, nearest, skip, b0)
        cand = (b1 - nearest.end, 1, nearest)
        if best is None or cand[:2] < best[:2]:
            best = cand
    return best[2] if best else None


@lru_cache(maxsize=1)
def _addressee_verbs() -> frozenset[str]:
    return lexicons.words("speech_addressee_verbs.txt")


def _reports_onward(verb: Token, *, new_sentence: bool) -> bool:
    """A verb after a quote that reports something else: its own clause or object follows it
    ("..." when he said that ...), or it is an infinitive ("... for Ginsburg to criticize Trump")."""
    for c in verb.children:
        if c.i < verb.i:
            if c.dep_ == "aux" and c.lower_ == "to":
                return True
            continue
        if c.is_quote:
            continue
        if c.dep_ in ("ccomp", "xcomp"):
            return True
        if c.dep_ == "dobj" and (new_sentence or verb.lemma_.lower() not in _addressee_verbs()):
            return True
    return False


def _dominated_by_xcomp(verb: Token) -> bool:
    """A speech verb with an infinitive complement ("will continue to be", "vowed to fight") is not a cue."""
    return any(c.dep_ == "xcomp" for c in verb.children)


def outermost(doc: Doc, cue: Cue, skip: list[bool], floor: int) -> Cue:
    """The reporting verb whose clause holds ``cue``'s, if any ("Jane said Bob called it "a farce""
    -> Jane): news attribution credits the outer speaker with the quoted words."""
    tok = doc[cue.start]
    reported = False  # only from inside a reported clause, not from "..., stating, ..." (an adverbial)
    for _ in range(6):
        if tok.head is tok or tok.head.i < floor or skip[tok.head.i]:
            break
        reported = reported or tok.dep_ == "ccomp"
        tok = tok.head
        if reported and tok.i < cue.start and is_speech_verb(tok) and not _dominated_by_xcomp(tok):
            subj = speaker_of(tok, skip, floor)
            if subj is not None:
                return Cue(tok.i, tok.i + 1, subj)
    return cue


def cue_in(doc: Doc, start: int, end: int, *, skip: list[bool]) -> Cue | None:
    """The last reporting cue in tokens [start, end) (a sentence that ends in a colon)."""
    for i in range(end - 1, max(start, end - WINDOW) - 1, -1):
        if not skip[i]:
            cue = _cue_at(doc, i, skip, start)
            if cue:
                return cue
    return None


def colon_lead(doc: Doc, colon: int, skip: list[bool]) -> Cue | None:
    """For a quote introduced by a colon without a speech verb ("Politico reveals the facts: ...",
    "Pollster Jane Doe: ..."): the subject of the clause the colon ends, or the name it follows."""
    head = doc[colon].head
    if skip[head.i] or head.i > colon:
        return None
    if head.pos_ == "PROPN":
        return Cue(colon, colon + 1, _appos_name(head))
    floor = colon
    while floor > 0 and not doc[floor].is_sent_start and colon - floor < WINDOW:
        floor -= 1
    subj = speaker_of(head, skip, floor)
    if subj is None:
        return None
    return Cue(head.i, head.i + 1, subj) if head.pos_ in ("VERB", "AUX") else Cue(colon, colon + 1, subj)


def sentence_lead(doc: Doc, start: int, end: int, skip: list[bool]) -> Cue | None:
    """The reporting verb of the sentence [start, end) before a quote that has no cue of its own
    ("Lynch announced the lawsuit. "We are seeking ..."")."""
    for i in range(start, min(end, start + WINDOW)):
        tok = doc[i]
        if tok.dep_ == "ROOT" and not skip[i]:
            if is_speech_verb(tok) and not _dominated_by_xcomp(tok):
                subj = subject_of(tok, skip)
                if subj is not None and subj >= 0:
                    return Cue(i, i + 1, subj)
            return None
    return None


def governing(doc: Doc, t0: int, t1: int, skip: list[bool]) -> Cue | None:
    """For a quoted fragment with no reporting cue: the verb it is an argument of, with that
    verb's subject ("Cruz blamed the law on "knuckleheaded politicians"")."""
    tok = doc[t0]
    for _ in range(16):
        if not t0 <= tok.head.i < t1 or tok.head is tok:
            break
        tok = tok.head
    if tok.dep_ in _MODIFIER_DEPS:
        return None  # a quoted modifier ("the "establishment" candidate") is a label, not speech
    for _ in range(3):
        if tok.head is tok:
            return None
        tok = tok.head
        if skip[tok.i] and not t0 <= tok.i < t1:
            return None
        if tok.pos_ in ("VERB", "AUX") and not t0 <= tok.i < t1:
            subj = subject_of(tok, skip)
            return Cue(tok.i, tok.i + 1, subj) if subj is not None and subj >= 0 else None
    return None


def dash_signature(doc: Doc, pos: int, end: int) -> Cue | None:
    """A signature after a quote: a dash then a name ("... ” ― Jane Doe"); ``pos`` is the
    character just after the closing mark, ``end`` the token the signature must end before."""
    text = doc_cache.text(doc)
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text) or text[pos] not in "―—–":
        return None
    i = _tok_near(doc, pos) + 1  # the token after the one holding the dash
    j = i
    while j < min(end, i + 6) and doc[j].pos_ == "PROPN":
        j += 1
    return Cue(max(0, i - 1), i, j - 1) if j > i else None


def _tok_near(doc: Doc, pos: int) -> int:
    """Index of the token holding character ``pos`` (binary search on offsets)."""
    lo, hi = 0, len(doc)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc[mid].idx + len(doc[mid].text) <= pos:
            lo = mid + 1
        else:
            hi = mid
    return min(lo, len(doc) - 1)


def _cue_at(doc: Doc, i: int, skip: list[bool], floor: int, *, after: bool = False) -> Cue | None:
    tok = doc[i]
    n = phrase_at(doc, i)
    if n:
        return Cue(i, i + n, object_of(doc[i + n - 1]))
    if is_speech_verb(tok) and not _dominated_by_xcomp(tok):
        return Cue(i, i + 1, speaker_of(tok, skip, floor, after=after))
    return None


@lru_cache(maxsize=1)
def _as_verbs() -> frozenset[str]:
    return lexicons.words("speech_as_verbs.txt")


def reported_clause(verb: Token) -> tuple[int, int] | None:
    """Token range of what a speech verb reports: its clausal complement, or for
    "describe/call ... as ..." the object with its "as" phrase; None if it has neither."""
    for child in verb.children:
        if child.dep_ == "ccomp":
            return child.left_edge.i, child.right_edge.i + 1
    if verb.lemma_.lower() not in _as_verbs():
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    pred = [c for c in verb.children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as")]
    pred += [c for c in obj.children if c.dep_ == "prep" and c.lower_ == "as"]
    if not pred:
        return None
    return obj.left_edge.i, max(p.right_edge.i for p in pred) + 1


def noun_phrase(doc: Doc, head: int) -> tuple[int, int]:
    """Token range [start, end) of the speaker phrase: the head and its left modifiers."""
    tok = doc[head]
    start = tok.left_edge.i
    # stop at a comma or opening bracket inside the left part (appositions, asides)
    for k in range(head - 1, start - 1, -1):
        if doc[k].is_punct and doc[k].text not in ("'s", "’s", "-", "."):
            start = k + 1
            break
    return start, head + 1


class EntityIndex:
    """Entity mentions sorted by offset, to find what a speaker phrase names."""

    def __init__(self, entities: list[Entity], doc: Doc | None = None):
        pairs = sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda p: (p[0], p[1]))
        self._starts = [p[0] for p in pairs]
        self._pairs = pairs
        self._subject = [False] * len(pairs)
        if doc is not None:
            for k, (s, e, _) in enumerate(pairs):
                span = doc.char_span(s, e, alignment_mode="expand")
                self._subject[k] = span is not None and len(span) > 0 and span.root.dep_ in _SUBJ

    def covering(self, start: int, end: int) -> tuple[Entity, Span] | None:
        """The entity mention overlapping [start, end), preferring the one ending last."""
        k = bisect_right(self._starts, end - 1)
        best = None
        for j in range(k - 1, max(-1, k - 12), -1):
            s, e, ent = self._pairs[j]
            if e > start and s < end:
                if best is None or e > best[1]:
                    best = (s, e, ent)
        if best is None:
            return None
        s, e, ent = best
        return ent, _span_of(ent, s, e)

    def preceding(self, pos: int, types: tuple[str, ...]) -> Entity | None:
        """The entity of one of ``types`` a pronoun or description at ``pos`` stands for:
        the nearest one that was a subject not long before, else the nearest one."""
        k = bisect_right(self._starts, pos - 1)
        nearest = None
        for j in range(k - 1, max(-1, k - 1 - LOOKBACK_MENTIONS), -1):
            s, e, ent = self._pairs[j]
            if e > pos or ent.type not in types:
                continue
            if self._subject[j] and pos - s <= SUBJECT_REACH:
                return ent
            nearest = nearest or ent
        return nearest


#: How many mentions back a pronoun may look; how far back (characters) a subject wins over a nearer mention.
LOOKBACK_MENTIONS: int = _LIMITS["pronoun_lookback_mentions"]
SUBJECT_REACH: int = _LIMITS["pronoun_subject_reach_chars"]


def _span_of(ent: Entity, start: int, end: int) -> Span:
    for m in ent.mentions:
        if m.start == start and m.end == end:
            return m
    raise AssertionError("mention not found")  # pragma: no cover


def resolve(doc: Doc, head: int, index: EntityIndex) -> tuple[str | None, Span]:
    """The entity id a speaker head names (or None) and the exact speaker mention."""
    tok = doc[head]
    t0, t1 = noun_phrase(doc, head)
    span = doc[t0:t1]
    mention = Span(span.start_char, span.end_char, doc_cache.span_text(span))
    for cand in (tok, *(c for c in tok.children if c.dep_ == "appos")):
        hit = index.covering(cand.idx, cand.idx + len(cand.text))
        if hit:
            return hit[0].id, hit[1]
    words = _speaker_words()
    low = tok.lower_
    if tok.pos_ == "PRON" and low in words["pronouns"]:
        ent = index.preceding(tok.idx, _types(words["pronouns"][low]))
        return (ent.id if ent else None), mention
    kind = words["descriptions"].get(tok.lemma_.lower()) or words["descriptions"].get(low)
    if kind and t1 - t0 >= 2 and _definite(doc, t0, head):
        ent = index.preceding(span.start_char, _types(kind))
        return (ent.id if ent else None), mention
    return None, mention


def _definite(doc: Doc, t0: int, head: int) -> bool:
    first = doc[t0]
    return first.lower_ in _speaker_words()["determiners"] or any(doc[k].dep_ == "poss" for k in range(t0, head))


def _types(kind: str) -> tuple[str, ...]:
    return ("ORG", "NORP") if kind == "ORG" else (kind,)
