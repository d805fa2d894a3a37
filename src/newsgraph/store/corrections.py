"""User corrections to entity resolution: merge entities, split one apart. Both are recorded
in ``corrections`` and leave state the resolver reads (moved names, pins per article), so
articles ingested later, or new versions of the same ones, keep the correction.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable

from ..errors import StoreError
from ..resolve.entities import create_entity, normalize
from .db import NG304_BAD_CORRECTION, Store
from .schema import now

# (table, column) pairs that hold a global entity id
_GID_COLUMNS = [("article_entities", "gid"), ("event_roles", "gid"), ("quotes", "speaker_gid"),
                ("relations", "subject_gid"), ("relations", "object_gid"), ("entity_pins", "gid"),
                ("quote_about", "gid")]


def _entity(store: Store, gid: int) -> dict[str, Any]:
    row = store.one("SELECT gid, type, name, merged_into FROM entities WHERE gid = ?", (gid,))
    if row is None or row["merged_into"] is not None:
        raise StoreError("no such (unmerged) entity", str(gid), code=NG304_BAD_CORRECTION)
    return row


def _gid(store: Store, ref: int | str) -> int:
    """An entity id as given, or the entity a name (or numeric string) stands for."""
    from .queries import find_entity

    return ref if isinstance(ref, int) else find_entity(store, ref)


def merge(store: Store, keep: int | str, others: Iterable[int | str]) -> dict[str, Any]:
    """Merge ``others`` into ``keep`` (ids or names): one entity with all their names, mentions, quotes, deals."""
    keep = _gid(store, keep)
    others = [o for o in dict.fromkeys(_gid(store, o) for o in others) if o != keep]
    if not others:
        raise StoreError("nothing to merge: name at least one other entity", str(keep), code=NG304_BAD_CORRECTION)
    with store.transaction():
        kept = _entity(store, keep)
        names = [_entity(store, o)["name"] for o in others]
        for other in others:
            for table, col in _GID_COLUMNS:
                store.execute(f"UPDATE {table} SET {col} = ? WHERE {col} = ?", (keep, other))
            store.execute("INSERT INTO entity_aliases (norm, gid, alias, kind) SELECT norm, ?, alias, "
                          "CASE WHEN kind = 'name' THEN 'merged' ELSE kind END FROM entity_aliases "
                          "WHERE gid = ? ON CONFLICT DO NOTHING", (keep, other))
            store.execute("DELETE FROM entity_aliases WHERE gid = ?", (other,))
            store.execute("INSERT INTO deal_parties (deal_id, gid, role) SELECT deal_id, ?, role FROM deal_parties "
                          "WHERE gid = ? ON CONFLICT DO NOTHING", (keep, other))
            store.execute("DELETE FROM deal_parties WHERE gid = ?", (other,))
            store.execute("UPDATE entities SET merged_into = ? WHERE gid = ? OR merged_into = ?", (keep, other, other))
            store.execute("INSERT INTO corrections (kind, gid, other, detail, at) VALUES ('merge', ?, ?, ?, ?)",
                          (keep, other, json.dumps({"kept": kept["name"], "merged": names}), now()))
            store.execute("UPDATE entities SET articles = 0 WHERE gid = ?", (other,))
        recount(store, [keep])
    return {"kept": keep, "name": kept["name"], "merged": others}


def split(store: Store, gid: int | str, *, name: str | None = None, articles: Iterable[str] = ()) -> dict[str, Any]:
    """Move the mentions called ``name`` and/or those in ``articles`` (ids) to a new entity."""
    gid, articles = _gid(store, gid), list(articles or ())
    if not name and not articles:
        raise StoreError("say what to split off: --name and/or --article", str(gid), code=NG304_BAD_CORRECTION)
    with store.transaction():
        ent = _entity(store, gid)
        norm = normalize(name, ent["type"]) if name else None
        rows = store.query("SELECT ae.aid, ae.eid, ae.name, ae.aliases, a.id AS article_id, a.url FROM article_entities ae "
                           "JOIN articles a ON a.aid = ae.aid WHERE ae.gid = ?", (gid,))
        moved = [r for r in rows if (not articles or r["article_id"] in articles)
                 and (norm is None or norm in {normalize(n, ent["type"]) for n in [r["name"], *json.loads(r["aliases"])]})]
        if not moved or len(moved) == len(rows):
            raise StoreError("the split would move none or all of the entity's mentions", str(gid),
                             code=NG304_BAD_CORRECTION)
        new_name = name or Counter(r["name"] for r in moved).most_common(1)[0][0]
        new = create_entity(store, ent["type"], new_name)
        if norm:
            store.execute("DELETE FROM entity_aliases WHERE gid = ? AND norm = ?", (gid, norm))
        for r in moved:
            _move_mention(store, r["aid"], r["eid"], gid, new)
            for key in (r["article_id"], f"url:{r['url']}" if r["url"] else None):
                if key:
                    store.execute("INSERT INTO entity_pins (article_key, norm, gid) VALUES (?, ?, ?) "
                                  "ON CONFLICT (article_key, norm) DO UPDATE SET gid = excluded.gid",
                                  (key, normalize(r["name"], ent["type"]), new))
        store.execute("INSERT INTO corrections (kind, gid, other, detail, at) VALUES ('split', ?, ?, ?, ?)",
                      (gid, new, json.dumps({"name": name, "articles": articles, "moved": len(moved)}), now()))
        recount(store, [gid, new])
    return {"from": gid, "new": new, "name": new_name, "moved": len(moved)}


def _move_mention(store: Store, aid: int, eid: str, old: int, new: int) -> None:
    """Point one article entity (and its quotes, roles, relations, deal sides) at another global entity."""
    store.execute("UPDATE article_entities SET gid = ? WHERE aid = ? AND eid = ?", (new, aid, eid))
    store.execute("UPDATE quotes SET speaker_gid = ? WHERE aid = ? AND speaker = ?", (new, aid, eid))
    store.execute("UPDATE event_roles SET gid = ? WHERE aid = ? AND ref = ?", (new, aid, eid))
    store.execute("UPDATE quote_about SET gid = ? WHERE aid = ? AND eid = ?", (new, aid, eid))
    store.execute("UPDATE relations SET subject_gid = ? WHERE aid = ? AND subject = ?", (new, aid, eid))
    store.execute("UPDATE relations SET object_gid = ? WHERE aid = ? AND object = ?", (new, aid, eid))
    for rep in store.query("SELECT DISTINCT r.deal_id, p.role FROM deal_reports r JOIN event_roles er ON "
                           "er.aid = r.aid AND er.event_id = r.event_id JOIN deal_parties p ON p.deal_id = r.deal_id "
                           "AND p.gid = ? WHERE r.aid = ? AND er.ref = ?", (old, aid, eid)):
        store.execute("INSERT INTO deal_parties (deal_id, gid, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                      (rep["deal_id"], new, rep["role"]))
        still = store.scalar("SELECT COUNT(*) FROM deal_reports r JOIN event_roles er ON er.aid = r.aid "
                             "AND er.event_id = r.event_id WHERE r.deal_id = ? AND er.gid = ?", (rep["deal_id"], old))
        if not still:
            store.execute("DELETE FROM deal_parties WHERE deal_id = ? AND gid = ?", (rep["deal_id"], old))


def recount(store: Store, gids: Iterable[int]) -> None:
    """Set the stored article counts of these entities from their current articles."""
    for g in gids:
        store.execute("UPDATE entities SET articles = (SELECT COUNT(DISTINCT ae.aid) FROM article_entities ae "
                      "JOIN articles a ON a.aid = ae.aid WHERE ae.gid = ? AND a.current = 1) WHERE gid = ?", (g, g))


def corrections(store: Store) -> list[dict[str, Any]]:
    """Every merge and split, oldest first."""
    return store.query("SELECT id, kind, gid, other, detail, at FROM corrections ORDER BY id")
