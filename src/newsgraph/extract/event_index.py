"""Token-level lookups shared by the event and relation extractors.

Maps every token of a parsed Doc to the entity, amount and time fact it belongs
to, and resolves pronouns and definite descriptions ("his", "we" inside a quote,
"the company") to the nearest fitting entity named before them. Building the
index is linear in the number of tokens and mentions; every lookup is bounded.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..lexicons import words
from ..model import Amount, Entity, Quote, TimeExpr
from . import doc_cache

#: How far back (in characters) a pronoun or "the company" may look for its antecedent.
ANTECEDENT_CHARS = 1200
_HE = frozenset("he his him himself she her hers herself".split())
_IT = frozenset("it its itself they their them".split())
_WE = frozenset("i me my we us our ours".split())
_WHO = frozenset("who which that whose".split())
_DEMONSTRATIVE = frozenset("the this that its their our".split())
_PERCENT_UNITS = frozenset({"%", "percent", "per cent", "PERCENT", "pct"})
_ORGISH = ("ORG", "PRODUCT", "FAC", "MISC")


def is_money(amount: Amount) -> bool:
    """A currency amount (not a percentage, count or other quantity)."""
    unit = (amount.unit or "").strip()
    return len(unit) == 3 and unit.isalpha() and unit.isupper() and amount.value is not None


def is_percent(amount: Amount) -> bool:
    """A percentage."""
    unit = (amount.unit or "").strip()
    return unit in _PERCENT_UNITS or unit.lower() in _PERCENT_UNITS or amount.text.rstrip().endswith("%")


@dataclass
class DocIndex:
    """Which fact each token belongs to, plus sorted mention starts for antecedent search."""

    doc: Doc
    entities: dict[str, Entity]
    ent_at: list[str | None]
    amount_at: list[str | None]
    amounts: dict[str, Amount]
    time_at: list[str | None]
    times: dict[str, TimeExpr]
    speaker_at: dict[int, str] = field(default_factory=dict)
    # (token index, entity id) of every mention's last token, sorted; one list per coarse type
    starts: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    _affiliation: dict[str, str | None] = field(default_factory=dict)
    sents: list = field(default_factory=list)
    sent_of: list[int] = field(default_factory=list)
    lemma: list[str] = field(default_factory=list)
    lower: list[str] = field(default_factory=list)

    def sent(self, tok: Token):
        """The sentence of a token (``Token.sent`` rescans the Doc on every call)."""
        return self.sents[self.sent_of[tok.i]]

    def entity_type(self, eid: str | None) -> str | None:
        """The type of an entity id, or None."""
        ent = self.entities.get(eid or "")
        return ent.type if ent else None

    def nearest_before(self, i: int, types: tuple[str, ...], *, max_chars: int = ANTECEDENT_CHARS,
                       skip: frozenset[str] = frozenset()) -> str | None:
        """The entity of a type in ``types`` whose mention ends closest before token ``i``."""
        best: tuple[int, str] | None = None
        limit = self.doc[i].idx - max_chars
        for typ in types:
            lst = self.starts.get(typ, [])
            k = bisect_left(lst, (i, ""))
            # walk back past mentions to skip; bounded
            for j in range(k - 1, max(k - 6, -1), -1):
                pos, eid = lst[j]
                if eid in skip:
                    continue
                if self.doc[pos].idx >= limit and (best is None or pos > best[0]):
                    best = (pos, eid)
                break
        return best[1] if best else None

    def resolve(self, tok: Token, types: tuple[str, ...]) -> str | None:
        """The entity a token names or refers back to, if of one of ``types``."""
        eid = self.ent_at[tok.i]
        if eid is not None:
            return eid if self.entity_type(eid) in types else None
        low = tok.lower_
        if low in _WE and tok.i in self.speaker_at:
            eid = self.speaker_at[tok.i]
            return eid if self.entity_type(eid) in types else None
        if low in _HE and "PERSON" in types:
            return self.nearest_before(tok.i, ("PERSON",))
        if low in _IT and any(t in types for t in _ORGISH):
            return self.nearest_before(tok.i, tuple(t for t in types if t in _ORGISH))
        if low in _WHO and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "relcl":
            return self.np_entity(tok.head.head, types)
        if tok.lemma_.lower() in words("event_anaphora.txt") and any(t in types for t in _ORGISH):
            if any(c.dep_ in ("det", "poss") and c.lower_ in _DEMONSTRATIVE for c in tok.children):
                return self.nearest_before(tok.left_edge.i, tuple(t for t in types if t in _ORGISH))
        return None

    def person_org(self, tok: Token) -> str | None:
        """The organisation a person is introduced with here ("OpenAI CEO Sam Altman", "X's chief, Y")."""
        sent = self.sent(tok)
        lo, hi = max(sent.start, tok.i - 6), min(sent.end, tok.i + 8)
        titles = words("titles.txt")
        if not any(self.doc[j].lower_ in titles for j in range(lo, hi)):
            return None
        for j in list(range(tok.i - 1, lo - 1, -1)) + list(range(tok.i + 1, hi)):
            eid = self.ent_at[j]
            if eid and self.entity_type(eid) == "ORG":
                return eid
        return None

    def affiliation(self, pid: str) -> str | None:
        """The organisation a person is introduced with anywhere in the article (first found)."""
        if pid not in self._affiliation:
            found = None
            for m in self.entities[pid].mentions[:20]:
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None and len(span):
                    found = self.person_org(span[-1])
                    if found:
                        break
            self._affiliation[pid] = found
        return self._affiliation[pid]

    def np_entity(self, tok: Token, types: tuple[str, ...]) -> str | None:
        """The entity a noun phrase headed by ``tok`` names: the head, else an apposition or compound."""
        eid = self.resolve(tok, types)
        if eid:
            return eid
        for child in tok.children:
            if child.dep_ in ("appos", "compound", "conj") and abs(child.i - tok.i) <= 6:
                eid = self.ent_at[child.i]
                if eid and self.entity_type(eid) in types:
                    return eid
        return None


def build_index(doc: Doc, entities: list[Entity], amounts: list[Amount] = (), times: list[TimeExpr] = (),
                quotes: list[Quote] = ()) -> DocIndex:
    """Index the facts of one document by token."""
    n = len(doc)
    ent_at: list[str | None] = [None] * n
    starts: dict[str, list[tuple[int, str]]] = {}
    for ent in entities:
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            toks = [t for t in span if not (t.tag_ == "POS" or t.lower_ in ("'s", "’s"))] or list(span)
            for t in toks:
                ent_at[t.i] = ent.id
            starts.setdefault(ent.type, []).append((toks[-1].i, ent.id))
    for lst in starts.values():
        lst.sort()
    amount_at = _cover(doc, amounts)
    time_at = _cover(doc, times)
    speaker_at: dict[int, str] = {}
    by_name = {e.name: e.id for e in entities}
    for q in quotes:
        speaker = None
        if q.speaker_mention is not None:
            sp = doc.char_span(q.speaker_mention.start, q.speaker_mention.end, alignment_mode="expand")
            speaker = next((ent_at[t.i] for t in sp or () if ent_at[t.i]), None)
        if speaker is None and q.speaker:
            speaker = q.speaker if any(e.id == q.speaker for e in entities) else by_name.get(q.speaker)
        if speaker is None:
            continue
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        for t in span or ():
            if t.lower_ in _WE:
                speaker_at[t.i] = speaker
    sents = doc_cache.sentences(doc)
    sent_of = [0] * n
    for k, s in enumerate(sents):
        sent_of[s.start:s.end] = [k] * (s.end - s.start)
    return DocIndex(doc, {e.id: e for e in entities}, ent_at, amount_at, {a.id: a for a in amounts},
                    time_at, {t.id: t for t in times}, speaker_at, starts, {}, sents, sent_of,
                    [s.lower() for s in doc_cache.strings(doc, "lemma")], doc_cache.strings(doc, "lower"))


def _cover(doc: Doc, facts) -> list[str | None]:
    """Per token, the id of the fact (amount or time) whose span covers it."""
    out: list[str | None] = [None] * len(doc)
    for f in facts:
        span = doc.char_span(f.start, f.end, alignment_mode="expand")
        for t in span or ():
            if out[t.i] is None:
                out[t.i] = f.id
    return out
