"""Global entities: link each article's entities to one store-wide entity.

Evidence, strongest first: a user's pin (from ``entity split``), an exact full name or
alias of the same type, a "<org>'s <title>" description matched to the person holding that
title there, and for a bare surname the candidates' titles and co-occurring entities. Two
people who share a surname stay apart unless the article's evidence picks one of them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import lexicons
from ..model import Article, Entity

if TYPE_CHECKING:
    from ..store.db import Store

_CONF = "resolve_entities.json"
_COMPACT_TYPES = ("ORG", "PRODUCT")   # names whose spacing varies between reports
_CROSS_TYPES = ("PERSON", "ORG", "PRODUCT", "FAC", "MISC", "WORK_OF_ART", "EVENT")   # types a tagger confuses
_WORD = re.compile(r"[\w&+-]+")


def _conf() -> dict:
    return lexicons.table(_CONF)


@lru_cache(maxsize=1)
def _title_map() -> dict[str, str]:
    out = {t.lower(): t.lower() for t in lexicons.lines("titles.txt")}
    for key, variants in _conf()["titles"].items():
        for v in variants:
            out[v] = key
    return out


@lru_cache(maxsize=4096)
def canonical_title(title: str | None) -> str | None:
    """One key per post: "Chief Executive Officer", "CEO" and "boss" -> "ceo"."""
    if not title:
        return None
    t = " ".join(_WORD.findall(title.lower().replace("’", "'")))
    return _title_map().get(t, t)


@lru_cache(maxsize=65536)
def normalize(name: str, etype: str = "") -> str:
    """A comparison key: case, accents, punctuation, "the", possessives and legal forms removed."""
    s = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"['’]s\b", "", s).replace(".", "")
    words = _WORD.findall(s)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if etype == "ORG":
        forms = set(_conf()["legal_forms"])
        while len(words) > 1 and words[-1] in forms:
            words.pop()
    if etype == "PERSON":
        hon, suf = set(_conf()["honorifics"]), set(_conf()["name_suffixes"])
        while len(words) > 1 and words[0] in hon:
            words.pop(0)
        while len(words) > 1 and words[-1] in suf:
            words.pop()
    key = " ".join(words)
    return _places().get(key, key) if etype in ("", "GPE", "LOC", "ORG", "NORP") else key


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    out = {}
    for canon, variants in _conf()["place_aliases"].items():
        for v in variants:
            out[" ".join(_WORD.findall(v.replace(".", "")))] = canon
    return out


_DESC = [
    re.compile(r"^(?:the\s+)?(?P<org>.+?)['’]s?\s+(?P<title>[a-z][\w -]*)$"),
    re.compile(r"^(?:the\s+)?(?P<title>[a-z][\w -]*?)\s+(?:of|at)\s+(?:the\s+)?(?P<org>[A-Z].+)$"),
    re.compile(r"^(?:the\s+)?(?P<org>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)\s+(?P<title>[a-z][\w -]*)$"),
]


@lru_cache(maxsize=65536)
def description(name: str) -> tuple[str, str] | None:
    """("OpenAI", "ceo") for "OpenAI's chief executive" / "the chief executive of OpenAI", else None."""
    name = name.strip().replace("’", "'")
    for pat in _DESC:
        m = pat.match(name)
        if m:
            title = canonical_title(m.group("title"))
            if title in _title_map().values() and m.group("org").strip():
                return m.group("org").strip().removesuffix("'"), title
    return None


@dataclass
class _Ctx:
    """What the article says around its entities: titles held, entities already linked."""

    article: Article
    keys: tuple[str, ...]
    links: dict[str, int] = field(default_factory=dict)
    titles: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)
    known: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)   # name key -> (gid, kind, type)
    pins: dict[str, int] = field(default_factory=dict)
    new_aliases: list[tuple[str, int, str, str]] = field(default_factory=list)


def _names(ent: Entity) -> list[str]:
    seen: list[str] = []
    for n in (ent.name, *ent.aliases):
        k = normalize(n, ent.type)
        if k and k not in seen and description(n) is None:
            seen.append(k)
    return seen


def _order(ent: Entity) -> int:
    if description(ent.name):
        return 3
    if ent.type != "PERSON":
        return 0
    return 1 if len(normalize(ent.name, "PERSON").split()) > 1 else 2


def resolve_article(store: "Store", article: Article) -> dict[str, int]:
    """Map each of the article's entity ids to a global entity id, creating entities as needed."""
    ctx = _Ctx(article, (article.id, f"url:{article.url}") if article.url else (article.id,))
    for rel in article.relations:
        if rel.type in ("title", "employee") and rel.value:
            ctx.titles.setdefault(rel.subject, set()).add((canonical_title(rel.value) or "", rel.object))
    _prefetch(store, ctx)
    for ent in sorted(article.entities, key=_order):
        gid = ctx.pins.get(normalize(ent.name, ent.type)) or _match(store, ent, ctx)
        if gid is None:
            gid = create_entity(store, ent.type, ent.name, with_aliases=False)
        rows = alias_rows(gid, ent)
        ctx.new_aliases += rows
        for norm, g, _, kind in rows:
            ctx.known.setdefault(norm, []).append((g, kind, ent.type))
        ctx.links[ent.id] = gid
    store.executemany("INSERT INTO entity_aliases (norm, gid, alias, kind) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING", sorted(set(ctx.new_aliases)))
    return ctx.links


def _prefetch(store: "Store", ctx: _Ctx) -> None:
    """Every stored name the article's entities could match, and the user's pins: two queries."""
    keys: set[str] = set()
    for ent in ctx.article.entities:
        names = _names(ent)
        keys.update(names)
        keys.update(n.replace(" ", "") for n in names)
        keys.update(n.split()[-1] for n in names[:1])
        desc = description(ent.name)
        if desc:
            keys.add(normalize(desc[0], "ORG"))
    keys.discard("")
    if keys:
        qs = ",".join("?" * len(keys))
        for r in store.query(f"SELECT a.norm, a.gid, a.kind, e.type FROM entity_aliases a JOIN entities e "
                             f"ON e.gid = a.gid WHERE a.norm IN ({qs}) AND e.merged_into IS NULL", sorted(keys)):
            ctx.known.setdefault(r["norm"], []).append((r["gid"], r["kind"], r["type"]))
    qs = ",".join("?" * len(ctx.keys))
    ctx.pins = {r["norm"]: r["gid"] for r in
                store.query(f"SELECT norm, gid FROM entity_pins WHERE article_key IN ({qs})", ctx.keys)}


def _match(store: "Store", ent: Entity, ctx: _Ctx) -> int | None:
    desc = description(ent.name)
    if desc:
        return _match_description(store, desc, ctx)
    names = _names(ent)
    if not names:
        return None
    full = names[0]
    if ent.type == "PERSON" and len(full.split()) == 1:
        cands = _lookup(ctx, [full], ent.type, kinds=("name", "surname"))
        if not cands:
            return _other_type(store, ent, ctx, full)
        return _pick(store, ent, ctx, cands, need_evidence=len(cands) > 1)
    cands = _lookup(ctx, names, ent.type, kinds=("name",))
    if not cands and ent.type in _COMPACT_TYPES:   # "TimeWarner" = "Time Warner"
        cands = _lookup(ctx, [n.replace(" ", "") for n in names], ent.type, kinds=("compact",))
    if cands:
        return _pick(store, ent, ctx, cands, need_evidence=False)
    if ent.type == "PERSON":   # a surname-only entity made before the full name was known
        bare = _lookup(ctx, [full.split()[-1]], "PERSON", kinds=("name",))
        bare = [g for g in bare if len(str(store.scalar("SELECT norm FROM entities WHERE gid = ?",
                                                          (g,))).split()) == 1]
        gid = _pick(store, ent, ctx, bare, need_evidence=True)
        if gid is not None:
            store.execute("UPDATE entities SET name = ?, norm = ? WHERE gid = ?", (ent.name, full, gid))
            return gid
    return _other_type(store, ent, ctx, full)


def _other_type(store: "Store", ent: Entity, ctx: _Ctx, name: str) -> int | None:
    """The same name stored under another type (the tagger called Yukos a PERSON once): linked only
    when the article's other entities point to it (``cross_type_min_evidence``)."""
    if ent.type not in _CROSS_TYPES:
        return None
    cands = sorted({g for g, kind, t in ctx.known.get(name, ()) if kind == "name" and t != ent.type
                    and t in _CROSS_TYPES})
    scored = sorted(((_evidence(store, g, ent, ctx), g) for g in cands), key=lambda p: (-p[0], p[1]))
    if scored and scored[0][0] >= _conf()["cross_type_min_evidence"] and (
            len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def _lookup(ctx: _Ctx, norms: list[str], etype: str, *, kinds: tuple[str, ...]) -> list[int]:
    """Live entities known by one of these names; names merged in by a user match across types."""
    return sorted({g for n in norms for g, kind, t in ctx.known.get(n, ())
                   if (kind in kinds and t == etype) or kind == "merged"})


def _pick(store: "Store", ent: Entity, ctx: _Ctx, cands: list[int], *, need_evidence: bool) -> int | None:
    """The candidate the article's evidence favours; None when the evidence cannot decide."""
    if not cands:
        return None
    if len(cands) == 1 and not need_evidence:
        return cands[0]
    scored = sorted(((_evidence(store, g, ent, ctx), g) for g in cands), key=lambda p: (-p[0], p[1]))
    best, gid = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else -1
    if best >= _conf()["min_evidence"] and best > runner_up:
        return gid
    if not need_evidence and best == runner_up:
        return gid  # same full name, no evidence either way: the oldest entity
    return None


def _evidence(store: "Store", gid: int, ent: Entity, ctx: _Ctx) -> int:
    """Titles the article gives this entity that the candidate holds (2 each), plus co-occurring entities."""
    score = 0
    mine = ctx.titles.get(ent.id, set())
    if mine:
        held = store.query("SELECT value_norm, object_gid FROM relations WHERE subject_gid = ? "
                           "AND type IN ('title', 'employee')", (gid,))
        for title, obj in mine:
            obj_gid = ctx.links.get(obj) if obj else None
            score += 2 * sum(1 for h in held if h["value_norm"] == title
                             and (obj_gid is None or h["object_gid"] == obj_gid))
    others = {g for e, g in ctx.links.items() if e != ent.id}
    if others:
        rows = store.query(
            "SELECT DISTINCT gid FROM article_entities WHERE aid IN (SELECT aid FROM article_entities "
            "WHERE gid = ? ORDER BY aid DESC LIMIT ?)", (gid, _conf()["cooccurrence_articles"]))
        score += len(others & {r["gid"] for r in rows if r["gid"] != gid})
    return score


def _match_description(store: "Store", desc: tuple[str, str], ctx: _Ctx) -> int | None:
    """The person who holds ``title`` at ``org``: in this article first, then across the store."""
    org, title = desc
    org_gids = set(_lookup(ctx, [normalize(org, "ORG")], "ORG", kinds=("name",)))
    for eid, held in ctx.titles.items():
        for t, obj in held:
            if t == title and eid in ctx.links and (obj is None or ctx.links.get(obj) in org_gids):
                return ctx.links[eid]
    if not org_gids:
        return None
    qs = ",".join("?" * len(org_gids))
    row = store.one(f"SELECT subject_gid, COUNT(*) AS n FROM relations WHERE object_gid IN ({qs}) "
                    f"AND type = 'title' AND value_norm = ? AND subject_gid IS NOT NULL "
                    f"GROUP BY subject_gid ORDER BY n DESC, subject_gid LIMIT 1", (*org_gids, title))
    return row["subject_gid"] if row else None


def create_entity(store: "Store", etype: str, name: str, aliases: tuple[str, ...] | list[str] = (),
                  *, gid: int | None = None, with_aliases: bool = True) -> int:
    """A new global entity (with its name keys unless the caller writes them itself)."""
    from ..store.schema import now

    norm = normalize(name, etype)
    if gid is None:
        gid = store.insert_id("INSERT INTO entities (type, name, norm, created_at) VALUES (?, ?, ?, ?)",
                              (etype, name, norm, now()), "gid")
    else:
        store.execute("INSERT INTO entities (gid, type, name, norm, created_at) VALUES (?, ?, ?, ?, ?)",
                      (gid, etype, name, norm, now()))
    if with_aliases:
        add_aliases(store, gid, Entity("", etype, name, tuple(aliases)))
    return gid


def alias_rows(gid: int, ent: Entity) -> list[tuple[str, int, str, str]]:
    """The (key, gid, alias, kind) rows for the names an entity goes by. Descriptions are not names
    (posts change hands); a person's surname and an organisation's unspaced name are extra keys."""
    rows = [(normalize(n, ent.type), gid, n, "name") for n in (ent.name, *ent.aliases)
            if description(n) is None and normalize(n, ent.type)]
    if ent.type in _COMPACT_TYPES:
        rows += [(norm.replace(" ", ""), g, alias, "compact") for norm, g, alias, _ in list(rows)]
    if ent.type == "PERSON":
        parts = normalize(ent.name, "PERSON").split()
        if len(parts) > 1:
            rows.append((parts[-1], gid, parts[-1], "surname"))
    return rows


def add_aliases(store: "Store", gid: int, ent: Entity) -> None:
    """Record the names this entity goes by."""
    store.executemany("INSERT INTO entity_aliases (norm, gid, alias, kind) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT DO NOTHING", alias_rows(gid, ent))
