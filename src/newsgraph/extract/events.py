"""Business events (bids, acquisitions, foundings, departures, ...) with their
participants, amounts, dates and status.

Two steps, as in spaCy components: ``find_mentions`` reads one parsed Doc and
returns every event mention (trigger, type, roles, status) without merging;
``extract_events`` merges the mentions of one real event (the bid in the
headline, the lead and the quote) into one ``Event`` whose status is the most
decisive one stated (a later "rejected" updates the bid). Triggers, roles and
status cues are data (``lexicons/event_*.json``). Work per sentence is bounded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..lexicons import table
from ..model import Amount, Entity, Event, Quote, TimeExpr
from .event_args import ACQ_VERBS as _ACQ_VERBS
from .event_args import _noun_roles, _price_and_date, _verb_roles
from .event_context import context_ok, people_without_name, vetoed
from .event_index import DocIndex, build_index
from .event_status import cues, is_negated, mention_status
from . import doc_cache

#: Bounds that keep bad input (run-on sentences, lists of 40 companies) linear.
MAX_TRIGGERS_PER_SENTENCE = 12
MAX_SENTENCE_TOKENS = 400
MAX_ROLE_VALUES = 6    # participants of one role (merger of A, B and C)
PRICE_TOLERANCE = 0.03  # two prices within 3% are the same offer
_BID_CONTROL = frozenset({"offer", "bid", "propose", "attempt", "try", "seek"})
_MA_TYPES = frozenset({"acquisition_bid", "acquisition", "merger"})
_SECURITIES = frozenset({"stock", "share", "stake", "equity", "position", "bond", "$", "billion", "million"})
_PERSON_TYPES = frozenset({"departure", "appointment"})
_MULTI = frozenset({"merger", "partnership", "deal"})


@lru_cache(maxsize=1)
def _lexicon_table() -> dict[str, Any]:
    """The trigger lexicon file as read."""
    return table("event_triggers.json")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Triggers indexed by their first word, and the role table."""
    by_first: dict[str, list[dict[str, Any]]] = {}
    for entry in _lexicon_table()["triggers"]:
        entry = {**entry, "words": entry["phrase"].lower().split()}
        by_first.setdefault(entry["words"][0], []).append(entry)
    for lst in by_first.values():
        lst.sort(key=lambda e: -len(e["words"]))
    return by_first, table("event_roles.json")


@dataclass
class Mention:
    """One mention of an event in one sentence, before merging."""

    type: str
    trigger: Token
    sent: Span
    roles: dict[str, list[str]] = field(default_factory=dict)
    status: str | None = None
    price: float | None = None
    anaphoric: bool = False  # "the bid": no participant of its own
    agent_role: str = ""     # the role its subject fills ("seller" for "sell", else the type's agent)

    def add(self, role: str, ref: str | None) -> None:
        """Add a filler to a role (no duplicates, bounded)."""
        if ref and ref not in self.roles.setdefault(role, []) and len(self.roles[role]) < MAX_ROLE_VALUES:
            self.roles[role].append(ref)


def _match(ix: DocIndex, i: int, words_: list[str]) -> bool:
    """Whether the phrase ``words_`` starts at token ``i`` (lemma, or for phrases also lower-cased text)."""
    if len(words_) == 1:
        return ix.lemma[i] == words_[0]
    return all(ix.lemma[i + k] == w or ix.lower[i + k] == w for k, w in enumerate(words_))


def _triggers(sent: Span, ix: DocIndex) -> list[tuple[Token, dict[str, Any]]]:
    """(head token, lexicon entry) for every trigger in a sentence, longest phrase first, bounded."""
    by_first, _ = _lexicon()
    out: list[tuple[Token, dict[str, Any]]] = []
    taken: set[int] = set()
    doc = sent.doc
    end = min(sent.end, sent.start + MAX_SENTENCE_TOKENS)
    for i in range(sent.start, end):
        if i in taken:
            continue
        lem, low = ix.lemma[i], ix.lower[i]
        if lem not in by_first and low not in by_first:
            continue
        cands = by_first.get(lem, []) + (by_first.get(low, []) if low != lem else [])
        for entry in cands:
            w = entry["words"]
            if i + len(w) > end or not _match(ix, i, w):
                continue
            span = doc[i:i + len(w)]
            head = _phrase_head(span, entry["pos"])
            if len(w) == 1 and not _pos_ok(head, entry["pos"]):
                continue
            out.append((head, entry))
            taken.update(range(i, i + len(w)))
            break
        if len(out) >= MAX_TRIGGERS_PER_SENTENCE:
            break
    return out


def _phrase_head(span: Span, pos: str) -> Token:
    """The token standing for a multi-word trigger: a verb's first word, a noun's last."""
    if pos == "VERB" and span[0].lower_ != "co":
        return span[0]
    return span[-1]


def _pos_ok(tok: Token, pos: str) -> bool:
    if pos == "VERB":
        return tok.pos_ in ("VERB", "AUX")
    return tok.pos_ in ("NOUN", "PROPN", "ADJ", "X", "NUM")


def find_mentions(doc: Doc, ix: DocIndex) -> list[Mention]:
    """Every event mention in the document, in text order, before merging."""
    out: list[Mention] = []
    _, role_table = _lexicon()
    for sent in ix.sents:
        trig = _triggers(sent, ix)
        heads = {t.i: e for t, e in trig}
        for tok, entry in trig:
            m = _mention(ix, tok, entry, role_table[entry["type"]], heads)
            if m is not None:
                out.append(m)
        low = doc_cache.span_text(sent).lower()
        if any(p in low for p in cues()["not_for_sale"]):
            m = _not_for_sale(ix, sent)
            if m is not None:
                out.append(m)
    return out


def _not_for_sale(ix: DocIndex, sent: Span) -> Mention | None:
    """'X is not for sale': X rejects whatever bid targets it."""
    for tok in sent:
        if tok.lower_ == "sale" and tok.head.lower_ == "for":
            verb = tok.head.head
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None:
                return None
            target = ix.resolve(subj, ("ORG",))
            if target is None:
                pid = ix.resolve(subj, ("PERSON",))
                target = ix.affiliation(pid) if pid else None
            if target is None:
                return None
            m = Mention("acquisition_bid", tok, sent, status="rejected")
            m.add("target", target)
            return m
    return None


def _mention(ix: DocIndex, tok: Token, entry: dict[str, Any], roles: dict[str, Any],
             heads: dict[int, dict[str, Any]]) -> Mention | None:
    """One mention from one trigger, or None when its context does not fit the type."""
    etype = entry["type"]
    is_verb = entry["pos"] == "VERB"
    # a noun trigger modifying another trigger ("acquisition offers"), or a verb under a bid ("bid to buy")
    if tok.dep_ in ("compound", "amod") and tok.head.i in heads:
        return None
    if is_verb and tok.dep_ in ("xcomp", "acl") and tok.head.i in heads and \
            heads[tok.head.i]["type"] in ("acquisition_bid",) and etype in _MA_TYPES:
        return None
    if is_verb and (is_negated(tok) or (tok.dep_ == "amod" and tok.tag_ == "VBG")):
        return None  # "did not buy"; "its founding principles"
    if not is_verb and tok.head.lower_ == "in" and tok.lower_ == "bid" and not any(
            c.dep_ in ("acl", "xcomp") and c.lemma_ in _ACQ_VERBS for c in tok.children):
        return None  # "in a bid to cut costs"
    if vetoed(ix, tok, entry) or not context_ok(ix, tok, entry):
        return None
    if etype in _MULTI and not is_verb and any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _ACQ_VERBS
                                               for c in tok.children):
        return None  # "the $4.9 billion deal to buy Piedmont": the verb states the acquisition
    if is_verb and etype == "acquisition" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _SECURITIES for c in tok.children):
        etype = "investment"  # "bought $250 million of Disney stock"
        roles = _lexicon()[1][etype]
    if is_verb and etype in _MA_TYPES and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _BID_CONTROL:
        etype = "acquisition_bid"
        roles = _lexicon()[1][etype]
    objs = [c for c in tok.children if c.dep_ == "dobj"] if is_verb else []
    if entry.get("org_object_type") and any(ix.np_entity(c, ("ORG",)) for c in objs):
        etype = entry["org_object_type"]  # "NASA hired Vector to build ...": a contract, not a hire
        roles = _lexicon()[1][etype]
    default = roles["default_status"]
    m = Mention(etype, tok, ix.sent(tok), status=mention_status(tok, etype, default))
    agent_t = tuple(roles["agent_types"])
    patient_t = tuple(entry.get("patient_types", roles["patient_types"]))
    agent_role = entry.get("agent", roles["agent"])
    m.agent_role = agent_role
    if is_verb:
        _verb_roles(ix, m, tok, roles, agent_role, agent_t, patient_t)
    else:
        _noun_roles(ix, m, tok, roles, agent_role, agent_t, patient_t)
    if agent_role != roles["patient"] and m.roles.get(agent_role):
        m.roles[agent_role] = [r for r in m.roles[agent_role] if r not in m.roles.get(roles["patient"], ())]
    _price_and_date(ix, m, tok, is_verb)
    m.anaphoric = not (m.roles.get(agent_role) or m.roles.get(roles["patient"]))
    if m.status is None and etype in ("acquisition", "merger"):
        m.status = "proposed" if any(ix.doc[i].lower_ == "have" for i in range(tok.i - 2, tok.i)) else None
    needs = entry.get("needs")
    has_patient = m.roles.get(roles["patient"]) or (etype in ("ipo", "founding") and not m.anaphoric)
    if needs in ("org", "for") and not has_patient:
        if entry.get("count_type") and _counted_object(tok, is_verb):
            # "agreed to purchase 60 aircraft": an order of goods, not the purchase of a company
            plain = {k: v for k, v in entry.items() if k not in ("needs", "agent", "count_type")}
            new_type = entry["count_type"]
            return _mention(ix, tok, {**plain, "type": new_type}, _lexicon()[1][new_type], heads)
        return None
    if needs == "arg" and not any(m.roles.values()):
        return None
    named = any(ix.entity_type(r) == "PERSON" for refs in m.roles.values() for r in refs)
    if etype in _PERSON_TYPES and not named and not people_without_name(tok):
        return None  # "flight departures": no person leaves
    return m


def _counted_object(tok: Token, is_verb: bool) -> bool:
    """Whether the thing bought is counted ("purchase 60 aircraft", "the purchase of 22 jets")."""
    objs = [c for c in tok.children if c.dep_ == "dobj"] if is_verb else \
        [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    return any(o.pos_ == "NUM" or any(c.dep_ == "nummod" for c in o.children) for o in objs)


def extract_events(doc: Doc, entities: list[Entity], amounts: list[Amount], times: list[TimeExpr],
                   quotes: list[Quote]) -> list[Event]:
    """The business events of one article, one per real event, ids v1, v2, ..."""
    from .event_merge import merge_mentions
    ix = build_index(doc, entities, amounts, times, quotes)
    return merge_mentions(find_mentions(doc, ix), ix)
