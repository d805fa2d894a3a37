"""Participants, amounts and dates of one event mention, from the dependency parse.

Subjects and objects of verb triggers (climbing "offered to buy" chains, passives
and relative clauses), possessors and prepositional complements of noun triggers
("Musk's bid", "bid from X", "offer for Y", "for $N"), and, where the parse fails,
the nearest fitting entity within a few tokens. Every search is bounded.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spacy.tokens import Span, Token

from ..model import TimeExpr
from .event_index import DocIndex, is_money, is_percent
from .event_status import cues, governors, verb_key

WINDOW_LEFT = 14       # tokens a verb's missing subject may sit to its left
WINDOW_RIGHT = 6       # tokens a missing object may sit to the right
ACQ_VERBS = frozenset({"acquire", "buy", "purchase", "take", "merge", "snap", "absorb"})
_ACQ_VERBS = ACQ_VERBS

if TYPE_CHECKING:
    from .events import Mention


def _subject(verb: Token, depth: int = 3) -> Token | None:
    """The subject of a verb, climbing through xcomp/conj/advcl chains ("offered to buy")."""
    cur = verb
    for _ in range(depth):
        for c in cur.children:
            if c.dep_ in ("nsubj", "csubj", "expl") and c.dep_ != "expl":
                return c
        if cur.dep_ in ("xcomp", "conj", "advcl", "pcomp") and cur.head is not cur:
            cur = cur.head
            continue
        if cur.dep_ in ("acl", "relcl") and cur.tag_ != "VBN":
            return cur.head
        return None
    return None


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN")


def _window_entity(ix: DocIndex, tok: Token, types: tuple[str, ...], *, left: int, right: int,
                   skip: set[str]) -> str | None:
    """The nearest entity of ``types`` within the sentence, ``left`` tokens before or ``right`` after."""
    sent = ix.sent(tok)
    for step in range(1, max(left, right) + 1):
        for j in ((tok.i + step) if step <= right else None, (tok.i - step) if step <= left else None):
            if j is None or not sent.start <= j < sent.end:
                continue
            eid = ix.ent_at[j]
            if eid and eid not in skip and ix.entity_type(eid) in types:
                return eid
    return None


def _money_in(ix: DocIndex, toks) -> str | None:
    for t in toks:
        aid = ix.amount_at[t.i]
        if aid and is_money(ix.amounts[aid]):
            return aid
    return None


def _percent_in(ix: DocIndex, toks) -> str | None:
    for t in toks:
        aid = ix.amount_at[t.i]
        if aid and is_percent(ix.amounts[aid]):
            return aid
    return None


def _np_left(tok: Token) -> list[Token]:
    """The words of a noun phrase before (and including) its head, bounded."""
    start = max(tok.left_edge.i, tok.i - 10)
    return list(tok.doc[start:tok.i + 1])


def _pobjs(tok: Token, preps: list[str] | tuple[str, ...]) -> list[Token]:
    """Objects of the given prepositions under ``tok`` ("bid for X", "stake in Y"), with conjuncts."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    out.append(p)
                    out.extend(x for x in p.children if x.dep_ == "conj")
    return out


def _verb_roles(ix: DocIndex, m: Mention, tok: Token, roles: dict[str, Any], agent_role: str,
                agent_t: tuple[str, ...], patient_t: tuple[str, ...]) -> None:
    patient_role = roles["patient"]
    target = tok
    # "offered to buy X", "bid to acquire X": the complement verb carries the object
    for c in tok.children:
        if c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in _ACQ_VERBS:
            target = c
    passive = _is_passive(tok)
    for c in target.children:
        if c.dep_ in ("dobj", "attr", "oprd") and not passive:
            m.add(patient_role, ix.np_entity(c, patient_t))
        if c.dep_ == "nsubjpass":
            m.add(patient_role, ix.np_entity(c, patient_t))
    for p in _pobjs(target, roles["patient_preps"]):
        m.add(patient_role, ix.np_entity(p, patient_t))
    if agent_role == "seller":  # "sell X to Y": Y acquires
        for p in _pobjs(target, ("to",)):
            m.add("acquirer", ix.np_entity(p, agent_t))
    if passive:
        for p in _pobjs(tok, ["by"]):
            m.add(agent_role, ix.np_entity(p, agent_t))
        if tok.dep_ == "acl" and not m.roles.get(patient_role):
            m.add(patient_role, ix.np_entity(tok.head, patient_t))
    subj = None if passive else _subject(tok)
    if not passive:
        if subj is not None:
            m.add(agent_role, ix.np_entity(subj, agent_t) or _person_side(ix, subj, agent_t))
    skip = set(m.roles.get(patient_role, []))
    unnamed = subj is not None and subj.pos_ == "NOUN" and m.type == "departure"
    if not m.roles.get(agent_role) and not passive and not unnamed:  # "three top bosses stood down": no name
        m.add(agent_role, _window_entity(ix, tok, agent_t, left=WINDOW_LEFT, right=0, skip=skip))
    if not m.roles.get(patient_role) and agent_role != "seller":
        skip = set(m.roles.get(agent_role, []))
        left = 8 if m.type == "departure" else 0
        m.add(patient_role, _window_entity(ix, target, patient_t, left=left, right=WINDOW_RIGHT, skip=skip))
    if m.type == "founding" and not m.roles.get(agent_role):
        for org in m.roles.get(patient_role, []):
            m.add(agent_role, _possessor(ix, org, ix.sent(tok)))


def _person_side(ix: DocIndex, tok: Token, types: tuple[str, ...]) -> str | None:
    """A person standing for their organisation ("OpenAI CEO Sam Altman rejected...")."""
    if "ORG" in types:
        eid = ix.resolve(tok, ("PERSON",))
        if eid:
            return ix.person_org(tok) or ix.affiliation(eid)
    return None


def _possessor(ix: DocIndex, org: str, sent: Span) -> str | None:
    """The person named as owner of ``org`` in this sentence ("Musk's xAI")."""
    doc = ix.doc
    for j in range(sent.start + 2, sent.end):
        if ix.ent_at[j] == org and ix.ent_at[j - 1] != org and doc[j - 1].lower_ in ("'s", "’s"):
            pid = ix.ent_at[j - 2]
            if pid and ix.entity_type(pid) == "PERSON":
                return pid
    return None


def _noun_roles(ix: DocIndex, m: Mention, tok: Token, roles: dict[str, Any], agent_role: str,
                agent_t: tuple[str, ...], patient_t: tuple[str, ...]) -> None:
    patient_role = roles["patient"]
    for c in tok.children:
        if c.dep_ == "poss":
            m.add(agent_role, ix.np_entity(c, agent_t))
        if c.dep_ in ("acl", "xcomp", "relcl") and c.lemma_.lower() in _ACQ_VERBS:
            for d in c.children:
                if d.dep_ == "dobj":
                    m.add(patient_role, ix.np_entity(d, patient_t))
    for p in _pobjs(tok, roles["agent_preps"]):
        m.add(agent_role, ix.np_entity(p, agent_t))
    for p in _pobjs(tok, roles["patient_preps"]):
        m.add(patient_role, ix.np_entity(p, patient_t))
    c = cues()
    for gov in governors(tok):
        if gov.pos_ not in ("VERB", "AUX") or gov.dep_ == "prep":
            continue
        key = verb_key(gov)
        subj = _subject(gov)
        if subj is not None and key in c["target_side"] + ["secure", "obtain", "win", "get", "land", "attract"]:
            if not m.roles.get(patient_role) or patient_role == agent_role:
                m.add(patient_role, ix.np_entity(subj, patient_t) or _person_side(ix, subj, patient_t))
        elif subj is not None and key in c["light"] and not m.roles.get(agent_role):
            m.add(agent_role, ix.np_entity(subj, agent_t))
        break


def _price_and_date(ix: DocIndex, m: Mention, tok: Token, is_verb: bool) -> None:
    """Money (price/amount), percentage (stake) and date of a mention."""
    where = []
    target = next((c for c in tok.children if c.dep_ in ("xcomp",) and c.lemma_.lower() in _ACQ_VERBS), tok)
    for p in _pobjs(target, ("for", "of", "at", "worth")) + _pobjs(tok, ("for", "of", "worth")):
        where.extend(p.subtree)
    if is_verb:
        for c in target.children:
            if c.dep_ in ("dobj",):
                where.extend(_np_left(c))
        if tok.dep_ in ("acl", "relcl"):
            where.extend(_np_left(tok.head))
    else:
        where.extend(_np_left(tok))
        where.extend(c for c in tok.children if c.dep_ in ("appos", "amod"))
    money = _money_in(ix, where[:60])
    if money:
        role = "amount" if m.type in ("investment", "ipo", "financing") else "price"
        m.add(role, money)
        m.price = ix.amounts[money].value
    if m.type == "investment":
        m.add("stake", _percent_in(ix, where[:60]))
    m.add("date", _date(ix, tok))


def _date(ix: DocIndex, tok: Token) -> str | None:
    """The time expression of a trigger: in its own phrase, else the nearest just after, else before."""
    sent = ix.sent(tok)
    lo, hi = max(sent.start, tok.i - 12), min(sent.end, tok.i + 13)
    for t in tok.subtree:
        tid = ix.time_at[t.i] if lo <= t.i < hi else None
        if tid and _datable(ix.times[tid]):
            return tid
    for j in list(range(tok.i + 1, min(hi, tok.i + 7))) + list(range(tok.i - 1, max(lo, tok.i - 5) - 1, -1)):
        tid = ix.time_at[j]
        if tid and _datable(ix.times[tid]):
            return tid
    return None


def _datable(t: TimeExpr) -> bool:
    """A calendar date (not "formerly", "now" or a duration)."""
    return t.type == "DATE" and bool(t.value) and t.value[:1].isdigit()


