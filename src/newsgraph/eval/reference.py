"""The reference article's expected facts as a scored checklist (found / expected).

``shared/examples/openai-musk-bid.txt``, published 2025-02-11, is the article the project
was specified against. Each item below is one fact a reader of that article expects
newsgraph to return; an item is found only when every part of it is (an event needs
its type, its participants in the right roles, its amount, date and status). The
names here are the gold answer, not rules: no extractor may special-case them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..model import Article, Entity
from .corpora import shared_dir

ARTICLE = "openai-musk-bid.txt"
PUBLISHED = "2025-02-11"
PLACE = ("GPE", "LOC")
SECTIONS = ("entities", "quotes", "amounts", "times", "events", "relations")


@dataclass(frozen=True, slots=True)
class Item:
    """One expected fact: a section, a readable label, and a test that lists what is missing (empty = found)."""

    section: str
    label: str
    missing: Callable[[Article], list[str]]


def _norm(text: str) -> str:
    """Lower case, straight apostrophes, '...' for an ellipsis, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").replace("…", "...").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def _names(ent: Entity) -> set[str]:
    """Every way the article writes an entity (name, aliases, mentions), possessive 's dropped."""
    out = {_norm(ent.name)} | {_norm(a) for a in ent.aliases} | {_norm(m.text) for m in ent.mentions}
    return {re.sub(r"'s$", "", n) for n in out}


def _is(ent: Entity | None, name: str) -> bool:
    return ent is not None and _norm(name) in _names(ent)


def find_entity(article: Article, name: str, types: tuple[str, ...] = ()) -> Entity | None:
    """The entity the article calls ``name`` (of one of ``types`` when given)."""
    for ent in article.entities:
        if _is(ent, name) and (not types or ent.type in types):
            return ent
    return None


def _entity(name: str, *types: str, also: tuple[str, ...] = ()) -> Item:
    """An entity of one of ``types`` named ``name`` whose names also include ``also`` (one entity)."""
    def missing(article: Article) -> list[str]:
        ent = find_entity(article, name)
        if ent is None:
            return [f"no entity {name!r}"]
        out = [] if ent.type in types else [f"{name!r} is {ent.type}, not {'/'.join(types)}"]
        return out + [f"{a!r} is not the same entity as {name!r}" for a in also if not _is(ent, a)]

    label = "/".join((name, *also)) + f" ({'/'.join(types)})"
    return Item("entities", label, missing)


def _quote(kinds: tuple[str, ...], speaker: str, *fragments: str) -> Item:
    """A quote of one of ``kinds`` holding every fragment, attributed to ``speaker``."""
    def missing(article: Article) -> list[str]:
        hits = [q for q in article.quotes if q.kind in kinds and all(_norm(f) in _norm(q.text) for f in fragments)]
        if not hits:
            return [f"no {'/'.join(kinds)} quote with {fragments[0]!r}"]
        if not any(_is(article.entity(q.speaker), speaker) for q in hits):
            got = {article.entity(q.speaker).name if article.entity(q.speaker) else None for q in hits}
            return [f"speaker is {sorted(map(str, got))}, not {speaker!r}"]
        return []

    return Item("quotes", f"{kinds[0]} quote by {speaker}: {fragments[0]}...", missing)


def _amount(value: float | None, *, unit: str = "USD", count: int = 1, approximate: bool | None = None,
            text: str | None = None) -> Item:
    """``count`` amounts of ``value`` (or, for value None, with ``text`` and no value) in ``unit``."""
    def matches(a) -> bool:
        if a.unit != unit:
            return False
        if value is None:
            return a.value is None and text is not None and text in a.text.lower()
        return a.value is not None and abs(a.value - value) <= 1e-6 * value and \
            (approximate is None or a.approximate == approximate)

    def missing(article: Article) -> list[str]:
        n = sum(matches(a) for a in article.amounts)
        return [] if n >= count else [f"found {n} of {count}"]

    label = (text or _money(value)) + f" {unit}" + (" approximate" if approximate else "") + \
        (f" x{count}" if count > 1 else "")
    return Item("amounts", label, missing)


def _money(value: float | None) -> str:
    """97.4e9 for 97_400_000_000 (labels only)."""
    if value is None:
        return "null"
    return f"{value / 1e9:g}e9" if value >= 1e9 else f"{value:g}"


def _date(value: str) -> Item:
    """A DATE time expression with this TIMEX3 value."""
    def missing(article: Article) -> list[str]:
        ok = any(t.type == "DATE" and t.value == value for t in article.times)
        return [] if ok else [f"no DATE {value}"]

    return Item("times", f"DATE {value}", missing)


def _refs(article: Article, event, roles: tuple[str, ...]) -> list:
    """The facts (entities, amounts, times) an event's roles of these names point to (any role when empty)."""
    by_id = {a.id: a for a in article.amounts} | {t.id: t for t in article.times}
    out = []
    for role in event.roles:
        if not roles or role.role in roles:
            out.append(article.entity(role.ref) or by_id.get(role.ref))
    return [r for r in out if r is not None]


def _event(types: tuple[str, ...], parts: dict[tuple[str, ...], tuple[str, ...]], *, amount: float | None = None,
           year: str | None = None, status: tuple[str, ...] = ()) -> Item:
    """An event of one of ``types`` whose roles (names -> any of these entity names) are all filled as expected."""
    def problems(article: Article, event) -> list[str]:
        out = []
        for roles, names in parts.items():
            ents = [r for r in _refs(article, event, roles) if isinstance(r, Entity)]
            if not any(_is(e, n) for e in ents for n in names):
                out.append(f"{'/'.join(roles) or 'a role'} is not {' or '.join(names)}")
        if amount is not None and not any(getattr(r, "unit", None) and getattr(r, "value", None)
                                          and abs(r.value - amount) <= 1e-6 * amount
                                          for r in _refs(article, event, ())):
            out.append(f"no amount {_money(amount)}")
        if year and not any(getattr(r, "type", None) in ("DATE", "TIME") and (r.value or "").startswith(year)
                            for r in _refs(article, event, ())):
            out.append(f"no date {year}")
        if status and event.status not in status:
            out.append(f"status {event.status}, not {'/'.join(status)}")
        return out

    def missing(article: Article) -> list[str]:
        candidates = [problems(article, e) for e in article.events if e.type in types]
        if not candidates:
            return [f"no {'/'.join(types)} event"]
        return min(candidates, key=len)

    who = "; ".join(f"{'/'.join(r) or 'role'}={'|'.join(n)}" for r, n in parts.items())
    extras = "".join(f", {x}" for x in (_money(amount) if amount else None, year, "/".join(status)) if x)
    return Item("events", f"{types[0]} ({who}{extras})", missing)


def _relation(kind: str, subject: str, obj: str, value: str | None = None) -> Item:
    """A relation ``kind`` from ``subject`` to ``obj`` (with ``value`` in its value when given)."""
    def missing(article: Article) -> list[str]:
        hits = [r for r in article.relations if r.type == kind and _is(article.entity(r.subject), subject)]
        if not hits:
            return [f"no {kind} relation of {subject}"]
        hits = [r for r in hits if _is(article.entity(r.object), obj)] or hits
        if not _is(article.entity(hits[0].object), obj):
            return [f"object is not {obj}"]
        if value and not any(value.lower() in (r.value or "").lower() for r in hits):
            return [f"value is {hits[0].value!r}, not {value!r}"]
        return []

    return Item("relations", f"{subject} {kind}{' ' + value if value else ''} of {obj}", missing)


def checklist() -> list[Item]:
    """Every fact expected from the reference article, section by section."""
    bidder, target = ("bidder", "acquirer"), ("target",)
    return [
        _entity("Sam Altman", "PERSON"), _entity("Elon Musk", "PERSON"), _entity("Chris Lehane", "PERSON"),
        _entity("OpenAI", "ORG"), _entity("xAI", "ORG"), _entity("Twitter", "ORG", also=("X",)),
        _entity("The Wall Street Journal", "ORG"), _entity("Microsoft", "ORG"), _entity("DeepMind", "ORG"),
        _entity("Anthropic", "ORG"), _entity("Paris", *PLACE), _entity("France", *PLACE),
        _quote(("direct",), "Sam Altman", "OpenAI has a mission", "We are not for sale"),
        _quote(("direct",), "Chris Lehane", "Musk's offer comes from a competitor"),
        _quote(("direct",), "Sam Altman", "Maybe it was like this"),
        _quote(("direct",), "Sam Altman", "No thank you, but we will buy Twitter"),
        _quote(("indirect", "mixed"), "Chris Lehane", "an attempt by a struggling competitor to regain footing"),
        _amount(97.4e9), _amount(1e11, approximate=True), _amount(9.74e9, count=2), _amount(44e9),
        _amount(None, text="multibillion-dollar"),
        _date("2015"), _date("2018"), _date("2022"), _date("2023"),
        _event(("acquisition_bid",), {bidder: ("Elon Musk",), target: ("OpenAI",)}, amount=97.4e9,
               status=("rejected",)),
        _event(("acquisition_bid",), {bidder: ("Sam Altman", "OpenAI"), target: ("Twitter",)}, amount=9.74e9),
        _event(("acquisition",), {bidder: ("Elon Musk",), target: ("Twitter",)}, amount=44e9, year="2022",
               status=("completed",)),
        _event(("founding",), {("org",): ("xAI",), ("founder",): ("Elon Musk",)}, year="2023"),
        _event(("founding",), {("org",): ("OpenAI",), ("founder",): ("Elon Musk",)}, year="2015"),
        _event(("departure",), {("person",): ("Elon Musk",), ("org",): ("OpenAI",)}, year="2018"),
        _event(("partnership", "investment"), {(): ("Microsoft",), ("partner", "investee", "investor"): ("OpenAI",)}),
        _relation("title", "Sam Altman", "OpenAI", "CEO"),
        _relation("title", "Chris Lehane", "OpenAI", "Chief Global Affairs Officer"),
        _relation("founder", "Elon Musk", "OpenAI"),
        _relation("owner", "Elon Musk", "xAI"),
        _relation("owner", "Elon Musk", "Twitter"),
    ]


def check(article: Article) -> list[dict]:
    """Each checklist item with ``found`` and, when not found, what is missing."""
    out = []
    for item in checklist():
        missing = item.missing(article)
        out.append({"section": item.section, "item": item.label, "found": not missing, "missing": missing})
    return out


def reference_text() -> str:
    """The reference article, as stored in the shared folder."""
    return (shared_dir() / "examples" / ARTICLE).read_text(encoding="utf-8")


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """Run newsgraph on the reference article and score the checklist (split/limit/baselines do not apply)."""
    import newsgraph

    article = newsgraph.extract(reference_text(), published=PUBLISHED)
    items = check(article)
    metrics: dict[str, float | int] = {"score": _ratio(items), "found": sum(i["found"] for i in items),
                                       "expected": len(items)}
    for section in SECTIONS:
        metrics[f"{section}_score"] = _ratio([i for i in items if i["section"] == section])
    errors = [{"doc": ARTICLE, "kind": "fn", "gold": i["item"], "pred": "; ".join(i["missing"]),
               "context": i["section"]} for i in items if not i["found"]]
    return {"task": "reference", "dataset": ARTICLE, "split": "reference", "n_docs": 1, "headline": "score",
            "systems": {"newsgraph": metrics}, "errors": errors[:30], "checklist": items}


def _ratio(items: list[dict]) -> float:
    return round(sum(i["found"] for i in items) / len(items), 4) if items else 0.0
