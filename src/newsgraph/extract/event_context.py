"""Whether a trigger word stands for an event here: its context needs and its vetoes.

``context_ok`` checks a trigger's ``needs`` (an M&A context, an object from a list, a
job title nearby, a ``for`` complement); ``vetoed`` drops a trigger that is part of a
name ("Wespath Investment Management"), that carries a modifier or head word that
empties it ("a big deal", "at stake"), or that sits among words of another domain
("labour contract"). All word lists are data (``lexicons/event_triggers.json``).
"""
from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from ..lexicons import words
from .event_args import ACQ_VERBS
from .event_args import _money_in as money_in
from .event_args import _np_left as np_left
from .event_args import _pobjs as pobjs
from .event_index import DocIndex
from .event_status import governors

#: How many tokens either side of a trigger ``not_near`` words are looked for.
NEAR = 6
_MA_WORDS = frozenset({"takeover", "buyout", "cash", "share", "hostile", "merger", "acquisition", "counter",
                       "all-share", "all-cash", "rival", "formal"})
_DEFINITE = frozenset({"the", "this", "that", "his", "her", "its"})
_NAME_TYPES = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW"})


def vetoed(ix: DocIndex, tok: Token, entry: dict[str, Any]) -> bool:
    """Whether the trigger is part of a name, is emptied by a modifier, or sits in another domain."""
    eid = ix.ent_at[tok.i]
    if eid and ix.entity_type(eid) in _NAME_TYPES:
        return True
    if entry.get("strict_pos") and tok.pos_ not in ("NOUN", "PROPN", "VERB"):
        return True
    if tok.lower_ in entry.get("not_forms", ()):
        return True  # "sales" (revenue) is not a sale, "combined" (added up) not a merger
    not_with = entry.get("not_with")
    if not_with and (tok.head.lemma_.lower() in not_with or tok.head.lower_ in not_with or
                     any(c.lemma_.lower() in not_with or c.lower_ in not_with for c in tok.children)):
        return True
    not_near = entry.get("not_near")
    if not_near:
        sent = ix.sent(tok)
        for j in range(max(sent.start, tok.i - NEAR), min(sent.end, tok.i + NEAR + 1)):
            if ix.lemma[j] in not_near:
                return True
    return False


def context_ok(ix: DocIndex, tok: Token, entry: dict[str, Any]) -> bool:
    """The trigger's 'needs' check (see lexicons/event_triggers.json)."""
    needs = entry.get("needs")
    if needs in (None, "org", "arg"):
        return True
    if needs == "money":
        return bool(money_in(ix, np_left(tok)) or any(money_in(ix, p.subtree) for p in pobjs(tok, ("of", "worth"))))
    if needs == "for":
        return any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children)
    if needs == "obj":
        objs = set(entry.get("objects", ()))
        if entry["pos"] == "VERB":
            for c in tok.children:
                if c.dep_ in ("dobj", "nsubjpass", "prt"):
                    if c.lemma_.lower() in objs or any(x.lemma_.lower() in objs for x in c.subtree):
                        return True
            return False
        return any(g.lemma_.lower() in objs for g in governors(tok, steps=2))
    if needs == "title":
        titles = words("titles.txt")
        sent = ix.sent(tok)
        if any(c.dep_ == "dobj" and ix.np_entity(c, ("PERSON",)) for c in tok.children):
            return True  # "Uber fired Levandowski"
        return any(sent.doc[j].lower_ in titles for j in range(max(sent.start, tok.i - 8), min(sent.end, tok.i + 9)))
    if needs == "ma" and entry["pos"] == "VERB":
        # "offered to buy X", "bid for X": a verb offer needs an acquisition complement or a company to buy
        return any(c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in ACQ_VERBS for c in tok.children) or \
            any(ix.np_entity(p, ("ORG",)) for p in pobjs(tok, ("for",)))
    if needs == "ma":
        near = list(tok.children) + [tok.head]
        if any(c.lemma_.lower() in _MA_WORDS for c in near):
            return True
        if any(c.dep_ in ("acl", "xcomp", "relcl") and c.lemma_.lower() in ACQ_VERBS for c in tok.children):
            return True
        if money_in(ix, np_left(tok)) or any(money_in(ix, p.subtree) for p in pobjs(tok, ("for", "of"))):
            return True
        if any(ix.np_entity(p, ("ORG",)) for p in pobjs(tok, ("for",))):
            return True
        # "Musk's offer", "the bid": only where an M&A story is already running (checked when merging)
        if entry.get("strict_ma"):
            return False
        return entry["pos"] == "NOUN" and any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE)
                                              for c in tok.children)
    return True


def people_without_name(tok: Token) -> bool:
    """Whether a hire or departure is about staff or a post, not a named person ("hire 800 workers",
    "four top executives will depart", "the newly appointed chief executive")."""
    nouns = staff_nouns() | words("titles.txt")
    near = [c for c in tok.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "poss")] + [tok.head]
    return any(t.lemma_.lower() in nouns or t.lower_ in nouns for t in near)


def staff_nouns() -> frozenset[str]:
    """Nouns naming employees in general (``staff_nouns`` in ``lexicons/event_triggers.json``)."""
    from .events import _lexicon_table
    return frozenset(_lexicon_table().get("staff_nouns", ()))
