"""Merge event mentions into one event per real event.

The bid in the headline, the lead ("rejected a bid from X"), the later sentence
("X had made a formal offer") and the quote ("X's offer") are one event: they
share a participant and no role conflicts, or (for "the bid", "the deal") they
name no participant and refer back to the latest event of their kind. The merged
event keeps its first mention's sentence and trigger and the most decisive
status stated (ties: the later mention).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Event, Role
from .event_index import DocIndex
from .event_status import rank
from .events import PRICE_TOLERANCE, Mention, _lexicon
from . import doc_cache

#: How many earlier events a mention is compared with (keeps merging linear).
LOOKBACK = 30
_FAMILY = {"acquisition_bid": "ma", "acquisition": "ma", "merger": "merger"}
_AMOUNT_TYPES = frozenset({"investment", "ipo", "financing"})
_VALUE_ROLES = frozenset({"price", "amount", "stake", "date", "count", "title"})
_ANAPHORIC_TARGETS = {"deal": ("acquisition", "acquisition_bid", "merger", "partnership", "investment")}


@dataclass
class _Draft:
    type: str
    first: Mention
    roles: dict[str, list[str]] = field(default_factory=dict)
    status: str | None = None
    price: float | None = None
    mentions: list[Mention] = field(default_factory=list)


def _core_roles(etype: str) -> tuple[str, str]:
    roles = _lexicon()[1][etype]
    return roles["agent"], roles["patient"]


def _compatible(d: _Draft, m: Mention) -> tuple[bool, bool]:
    """(no conflict, shares a participant) between a draft event and a mention."""
    shared = False
    for role in set(_core_roles(d.type)) | set(_core_roles(m.type)):
        a, b = set(d.roles.get(role, ())), set(m.roles.get(role, ()))
        if a and b:
            if a & b:
                shared = True
            elif d.type not in ("merger", "partnership", "deal"):
                return False, False
    if d.price and m.price and abs(d.price - m.price) > PRICE_TOLERANCE * max(d.price, m.price):
        return False, shared
    return True, shared


def _same_kind(d: _Draft, m: Mention) -> bool:
    if d.type == m.type:
        return True
    if m.type == "acquisition" and d.type == "acquisition_bid" and (m.status or "") not in ("completed",):
        return True
    return m.anaphoric and d.type in _ANAPHORIC_TARGETS.get(m.type, ())


def merge_mentions(mentions: list[Mention], ix: DocIndex) -> list[Event]:
    """One Event per real event, ids v1, v2, ... in order of first mention."""
    drafts: list[_Draft] = []
    for m in mentions:
        target = None
        for d in reversed(drafts[-LOOKBACK:]):
            if not _same_kind(d, m):
                continue
            ok, shared = _compatible(d, m)
            if ok and (shared or m.anaphoric):
                target = d
                break
        if target is None:
            if not any(refs for role, refs in m.roles.items() if role not in _VALUE_ROLES):
                continue  # "the bid" with nothing to refer back to, no participant: not an event on its own
            drafts.append(_Draft(m.type, m, {}, None, None, []))
            target = drafts[-1]
        _absorb(target, m)
    return [_event(i, d) for i, d in enumerate(drafts, 1)]


def _absorb(d: _Draft, m: Mention) -> None:
    """Add a mention's evidence to a draft event."""
    d.mentions.append(m)
    rename = {}
    if m.type != d.type and m.type in _lexicon()[1]:
        rename = dict(zip(_core_roles(m.type), _core_roles(d.type)))
        money = "amount" if d.type in _AMOUNT_TYPES else "price"
        rename.update({"price": money, "amount": money})
    for role, refs in m.roles.items():
        role = rename.get(role, role)
        have = d.roles.setdefault(role, [])
        single = role in _VALUE_ROLES
        for ref in refs:
            if ref not in have and (not single or not have):
                have.append(ref)
    if m.price and not d.price:
        d.price = m.price
    if m.status and rank(m.status) >= rank(d.status):
        d.status = m.status


def _event(n: int, d: _Draft) -> Event:
    sent = d.first.sent
    start = sent.start_char
    end = sent.end_char
    text = doc_cache.text(sent.doc)
    while end > start and text[end - 1].isspace():
        end -= 1
    roles = tuple(Role(role, ref) for role, refs in d.roles.items() for ref in refs)
    return Event(f"v{n}", d.type, start, end, roles, d.status, d.first.trigger.text)
