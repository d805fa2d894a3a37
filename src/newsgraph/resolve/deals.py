"""Deals across articles: every report of one bid, offer, rejection or completion joins one deal.

A deal is keyed by its kind (acquisition, investment, ...), its parties (global entity ids
by side) and time: a report joins an existing deal of the same kind when it shares a party on
the same side, names no conflicting party, and is dated within ``window_days`` of the deal.
Each report is kept as its own row (status, price, date, article, sentence), so reports that
disagree stand side by side instead of overwriting each other.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from .. import lexicons
from ..model import Article, Event

if TYPE_CHECKING:
    from ..store.db import Store

_CONF = "resolve_deals.json"
SIDES = ("buyer", "target", "partner")
_MONEY = re.compile(r"^[A-Z]{3}$")
_SENT_END = re.compile(r"[.!?][\"”’')\]]*\s+|\n+")


def _conf() -> dict:
    return lexicons.table(_CONF)


def deal_kind(event_type: str) -> str | None:
    """The deal family an event type reports ("acquisition_bid" -> "acquisition"), or None."""
    for kind, types in _conf()["families"].items():
        if event_type.lower() in types:
            return kind
    return None


def role_class(role: str) -> str | None:
    """buyer, target, partner, price or date for an event role name, else None."""
    for cls, names in _conf()["roles"].items():
        if role.lower() in names:
            return cls
    return None


def to_date(value: str | None) -> date | None:
    """The first day a TIMEX3/ISO value covers: 2025 -> 2025-01-01, 2025-W07 -> that Monday."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    w = re.match(r"^(\d{4})-W(\d{2})", value)
    try:
        if w:
            return date.fromisocalendar(int(w.group(1)), int(w.group(2)), 1)
        if m:
            return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence(s) around ``text[start:end]`` (punctuation and line breaks)."""
    left = lo = max(0, start - 2000)
    for m in _SENT_END.finditer(text, lo, max(start, 0)):
        left = m.end()
    m = _SENT_END.search(text, max(end, start))
    right = m.start() + 1 if m and not m.group().startswith("\n") else (m.start() if m else len(text))
    return left, min(max(right, end), len(text))


def parties(event: Event, links: dict[str, int]) -> dict[str, set[int]]:
    """The global entity ids on each side of the event."""
    out: dict[str, set[int]] = {s: set() for s in SIDES}
    for role in event.roles:
        cls = role_class(role.role)
        if cls in SIDES and role.ref in links:
            out[cls].add(links[role.ref])
    out["buyer"] -= out["target"]   # a party reported on both sides is the one bought
    return out


def price(article: Article, event: Event) -> dict[str, object] | None:
    """The money amount the event names as its price, or None."""
    for role in event.roles:
        if role_class(role.role) == "price":
            for amt in article.amounts:
                if amt.id == role.ref and _MONEY.match(amt.unit or ""):
                    return {"price": amt.value, "price_high": amt.value_high, "price_unit": amt.unit,
                            "price_text": amt.text}
    return None


def _compatible(mine: dict[str, set[int]], theirs: dict[str, set[int]]) -> int:
    """How many parties the two share on the same side; 0 when a side names different parties."""
    shared = 0
    for side in ("buyer", "target"):
        if mine[side] and theirs[side]:
            common = mine[side] & theirs[side]
            if not common:
                return 0
            shared += len(common)
    mine_all, theirs_all = set().union(*mine.values()), set().union(*theirs.values())
    if mine["partner"] or theirs["partner"]:
        shared = max(shared, len(mine_all & theirs_all) - (1 if len(mine_all) > 1 else 0))
    return shared


def find_deal(store: "Store", kind: str, sides: dict[str, set[int]], when: date | None) -> int | None:
    """The existing deal these parties and this date belong to, or None."""
    gids = sorted(set().union(*sides.values()))
    if not gids:
        return None
    qs = ",".join("?" * len(gids))
    rows = store.query(
        f"SELECT p.deal_id, p.gid, p.role, d.first_date, d.last_date FROM deal_parties p "
        f"JOIN deals d ON d.deal_id = p.deal_id WHERE d.kind = ? AND p.deal_id IN "
        f"(SELECT deal_id FROM deal_parties WHERE gid IN ({qs}))", (kind, *gids))
    deals: dict[int, dict] = {}
    for r in rows:
        d = deals.setdefault(r["deal_id"], {"sides": {s: set() for s in SIDES},
                                            "first": to_date(r["first_date"]), "last": to_date(r["last_date"])})
        d["sides"][r["role"]].add(r["gid"])
    window = _conf()["window_days"]
    best: tuple[int, date, int] | None = None
    for deal_id, d in deals.items():
        shared = _compatible(sides, d["sides"])
        if not shared:
            continue
        if when and d["first"] and d["last"] and not (
                (d["first"] - when).days <= window and (when - d["last"]).days <= window):
            continue
        key = (shared, d["last"] or date.min, deal_id)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def record_deals(store: "Store", article: Article, aid: int, links: dict[str, int],
                 dates: dict[str, str | None]) -> list[int]:
    """Attach each deal-like event of the stored article to its deal (creating deals as needed)."""
    from ..store.schema import now

    out = []
    for ev in article.events:
        kind = deal_kind(ev.type)
        sides = parties(ev, links)
        if kind is None or not any(sides.values()):
            continue
        day = dates.get(ev.id)
        deal_id = find_deal(store, kind, sides, to_date(day))
        if deal_id is None:
            deal_id = store.insert_id("INSERT INTO deals (kind, first_date, last_date, created_at) "
                                      "VALUES (?, ?, ?, ?)", (kind, day, day, now()), "deal_id")
        elif day:
            store.execute("UPDATE deals SET first_date = CASE WHEN first_date IS NULL OR first_date > ? "
                          "THEN ? ELSE first_date END, last_date = CASE WHEN last_date IS NULL OR "
                          "last_date < ? THEN ? ELSE last_date END WHERE deal_id = ?",
                          (day, day, day, day, deal_id))
        store.executemany("INSERT INTO deal_parties (deal_id, gid, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                          [(deal_id, g, side) for side in SIDES for g in sorted(sides[side])])
        p = price(article, ev) or {}
        s, e = sentence_bounds(article.text, ev.start, ev.end)
        store.execute(
            "INSERT INTO deal_reports (aid, event_id, deal_id, type, status, date, price, price_high, "
            "price_unit, price_text, sent_start, sent_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (aid, ev.id, deal_id, ev.type, ev.status, day, p.get("price"), p.get("price_high"),
             p.get("price_unit"), p.get("price_text"), s, e))
        out.append(deal_id)
    return out
