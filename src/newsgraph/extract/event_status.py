"""The status of one event mention (rumored, proposed, rejected, withdrawn, accepted,
completed, ongoing) from the words around its trigger: modifiers ("reported bid"),
governing verbs ("rejected a bid", "made an offer"), modals and tense ("will buy",
"bought"), control verbs ("agreed to buy"); hypotheticals ("would have valued")
and negated verbs are never completed facts.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.tokens import Token

from ..lexicons import table

#: How many heads up the tree a governing status verb may sit ("rejected" -> "bid").
GOVERNOR_STEPS = 3
_CLIMB_DEPS = frozenset({"dobj", "pobj", "prep", "nsubjpass", "nsubj", "attr", "appos", "conj", "xcomp", "acl",
                         "oprd", "npadvmod", "compound", "pcomp"})


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The status lexicon (``lexicons/event_status.json``)."""
    return table("event_status.json")


def rank(status: str | None) -> int:
    """How decisive a status is; merging keeps the most decisive one."""
    return int(cues()["rank"].get(status or "", 0))


def verb_key(tok: Token) -> str:
    """The lemma of a verb plus its particle ("turn down"), lower-cased."""
    lemma = tok.lemma_.lower()
    prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    return f"{lemma} {prt}" if prt else lemma


def governors(tok: Token, *, steps: int = GOVERNOR_STEPS) -> list[Token]:
    """The words governing ``tok`` up the dependency tree, nearest first (bounded)."""
    out: list[Token] = []
    cur = tok
    for _ in range(steps):
        if cur.dep_ not in _CLIMB_DEPS or cur.head is cur:
            break
        cur = cur.head
        out.append(cur)
    return out


def is_negated(tok: Token) -> bool:
    """A verb with a negation ("did not buy")."""
    return any(c.dep_ == "neg" for c in tok.children)


def is_hypothetical(tok: Token) -> bool:
    """'would/could have' + participle: a counterfactual, not a fact."""
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    return "have" in auxes and any(a in ("would", "could", "might", "should") for a in auxes)


def mention_status(trigger: Token, etype: str, default: str | None) -> str | None:
    """The status this mention states, or the type's default."""
    c = cues()
    for child in trigger.children:
        st = c["modifiers"].get(child.lower_) if child.dep_ in ("amod", "compound", "advmod") else None
        if st and rank(st) >= 4:
            return st
    if trigger.pos_ in ("VERB", "AUX"):
        head = trigger.head
        if trigger.dep_ in ("xcomp", "acl") and head is not trigger:
            key = verb_key(head)
            if key in c["control"] and not is_negated(head):
                return c["control"][key]
        return _verb_status(trigger, etype, default)
    for gov in governors(trigger):
        if gov.pos_ in ("VERB", "AUX", "NOUN"):
            key = verb_key(gov)
            if key in c["governors"] and not is_negated(gov):
                return c["governors"][key]
        if gov.pos_ in ("VERB", "AUX"):
            break
    for child in trigger.children:
        st = c["modifiers"].get(child.lower_) if child.dep_ in ("amod", "compound") else None
        if st:
            return st
    return default


def _verb_status(tok: Token, etype: str, default: str | None) -> str | None:
    """Status of a verb trigger from its modals, aspect and tense."""
    c = cues()
    if is_hypothetical(tok):
        return None
    for child in tok.children:
        if child.dep_ == "aux" and child.lemma_.lower() in c["modals"]:
            return c["modals"][child.lemma_.lower()]
        if child.dep_ == "mark" and child.lower_ == "if":
            return "proposed"
    if tok.tag_ == "VBG" and any(ch.dep_ == "aux" and ch.lemma_ == "be" for ch in tok.children):
        return "ongoing"
    if tok.tag_ in ("VBD", "VBN", "VBZ", "VBP"):
        return "completed" if etype not in ("acquisition_bid", "lawsuit", "restructuring") else default
    return default
