"""The typed facts newsgraph produces.

Every fact is a small frozen record carrying the character offsets (Python str
indices, end exclusive) into ``Article.text`` it came from. spaCy objects never
appear here: extractors turn a parsed ``Doc`` into these records, and every
later layer (resolve, store, serve) works on them alone.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "newsgraph/1"

ENTITY_TYPES = (
    "PERSON", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "NORP", "FAC",
    "WORK_OF_ART", "LAW", "LANGUAGE", "MISC",
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing named in the article, with all its mentions."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """Something a speaker said: ``direct`` (in quote marks), ``indirect`` or ``mixed``."""

    id: str
    kind: str
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: Span | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(frozen=True, slots=True)
class Amount:
    """A money amount, percentage or other quantity, fully expanded."""

    id: str
    text: str
    start: int
    end: int
    value: float | None
    unit: str
    approximate: bool = False
    qualifier: str | None = None
    # a range such as "$1-2 billion": value is the low end, value_high the high end
    value_high: float | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A TIMEX3 date, time, duration or set with its normalised value."""

    id: str
    text: str
    start: int
    end: int
    type: str
    value: str | None


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    ref: str


@dataclass(frozen=True, slots=True)
class Event:
    """A business event (bid, acquisition, founding, ...) with its participants."""

    id: str
    type: str
    start: int
    end: int
    roles: tuple[Role, ...] = ()
    status: str | None = None
    trigger: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A standing fact between entities: a title, an owner, a founder, ..."""

    id: str
    type: str
    subject: str
    start: int
    end: int
    object: str | None = None
    value: str | None = None


@dataclass(slots=True)
class Article:
    """An article's text and metadata, and (after extraction) every fact found in it."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        """The article in the ``newsgraph/1`` JSON contract."""
        return {
            "schema": SCHEMA,
            "article": {
                "id": self.id, "text": self.text, "title": self.title,
                "published": self.published, "source": self.source, "url": self.url,
                "authors": list(self.authors), "dateline": self.dateline,
            },
            "entities": [_entity_dict(e) for e in self.entities],
            "quotes": [_plain(q) for q in self.quotes],
            "amounts": [_plain(a) for a in self.amounts],
            "times": [_plain(t) for t in self.times],
            "events": [_plain(e) for e in self.events],
            "relations": [_plain(r) for r in self.relations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        """Read an article back from the ``newsgraph/1`` JSON contract."""
        meta = data["article"]
        span = lambda d: Span(d["start"], d["end"], d["text"])  # noqa: E731
        return cls(
            id=meta["id"], text=meta["text"], title=meta.get("title"),
            published=meta.get("published"), source=meta.get("source"), url=meta.get("url"),
            authors=tuple(meta.get("authors") or ()), dateline=meta.get("dateline"),
            entities=[Entity(e["id"], e["type"], e["name"], tuple(e.get("aliases") or ()),
                             tuple(span(m) for m in e["mentions"])) for e in data["entities"]],
            quotes=[Quote(**{**q, "speaker_mention": span(q["speaker_mention"]) if q.get("speaker_mention") else None})
                    for q in data["quotes"]],
            amounts=[Amount(**a) for a in data["amounts"]],
            times=[TimeExpr(**t) for t in data["times"]],
            events=[Event(**{**e, "roles": tuple(Role(**r) for r in e["roles"])}) for e in data["events"]],
            relations=[Relation(**r) for r in data["relations"]],
        )


def _plain(fact: Any) -> dict[str, Any]:
    return asdict(fact, dict_factory=lambda items: {k: list(v) if isinstance(v, tuple) else v for k, v in items})


def _entity_dict(ent: Entity) -> dict[str, Any]:
    return {"id": ent.id, "type": ent.type, "name": ent.name, "aliases": list(ent.aliases),
            "mentions": [asdict(m) for m in ent.mentions]}
