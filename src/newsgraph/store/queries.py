"""The query API over a store: plain functions taking a ``Store``, returning plain dicts.

The CLI and the HTTP API are thin shells over these. Only current article versions are read
unless a function says otherwise; every fact carries its source (article id, title, date, URL,
character offsets).
"""
from __future__ import annotations

from typing import Any

from ..errors import QueryError
from ..resolve.entities import description, normalize
from .browse import article, articles, entities, graph, history, rejects, search
from .db import Store

__all__ = ["find_entity", "timeline", "quotes", "deals", "deal", "entity_profile", "search", "articles",
           "article", "history", "entities", "graph", "rejects"]

NG401_NO_ENTITY = "NG401"    # no entity has this name or id

_SOURCE = "a.id AS article_id, a.title, a.published, a.url"


def _source(row: dict[str, Any], start: int, end: int, sentence: str | None = None) -> dict[str, Any]:
    out = {"article_id": row["article_id"], "title": row["title"], "published": row["published"],
           "url": row["url"], "start": start, "end": end}
    if sentence is not None:
        out["sentence"] = sentence
    return out


def find_entity(store: Store, name_or_id: str | int) -> int:
    """The global id for an id or any name the entity goes by (the most reported one wins); NG401."""
    key = str(name_or_id).strip()
    if key.isdigit():
        row = store.one("SELECT gid, merged_into FROM entities WHERE gid = ?", (int(key),))
        while row and row["merged_into"]:
            row = store.one("SELECT gid, merged_into FROM entities WHERE gid = ?", (row["merged_into"],))
        if row:
            return row["gid"]
    norms = sorted({normalize(key, t) for t in ("", "ORG", "PERSON")} - {""})
    if norms:
        qs = ",".join("?" * len(norms))
        for kinds in ("'name', 'merged'", "'name', 'merged', 'surname'"):
            gids = [r["gid"] for r in store.query(
                f"SELECT DISTINCT a.gid FROM entity_aliases a JOIN entities e ON e.gid = a.gid WHERE a.norm IN ({qs}) "
                f"AND a.kind IN ({kinds}) AND e.merged_into IS NULL ORDER BY a.gid", norms)]
            if len(gids) > 1:   # the most reported
                qg = ",".join("?" * len(gids))
                gids = [r["gid"] for r in store.query(f"SELECT gid FROM entities WHERE gid IN ({qg}) "
                                                      f"ORDER BY articles DESC, gid", gids)]
            if gids:
                return gids[0]
    holder = _title_holder(store, key)
    if holder is not None:
        return holder
    raise QueryError("no entity with this name or id", key, code=NG401_NO_ENTITY)


def _title_holder(store: Store, text: str) -> int | None:
    """The person most often reported holding the post a description names ("OpenAI's chief executive")."""
    desc = description(text)
    if desc is None:
        return None
    org = store.one("SELECT a.gid FROM entity_aliases a JOIN entities e ON e.gid = a.gid WHERE a.norm = ? "
                    "AND a.kind IN ('name', 'merged') AND e.merged_into IS NULL ORDER BY a.gid LIMIT 1",
                    (normalize(desc[0], "ORG"),))
    if org is None:
        return None
    return store.scalar("SELECT subject_gid FROM relations WHERE object_gid = ? AND type = 'title' AND value_norm = ? "
                        "AND subject_gid IS NOT NULL GROUP BY subject_gid ORDER BY COUNT(*) DESC, subject_gid LIMIT 1",
                        (org["gid"], desc[1]))


def _names(store: Store, gids: set[int]) -> dict[int, dict[str, Any]]:
    if not gids:
        return {}
    qs = ",".join("?" * len(gids))
    return {r["gid"]: r for r in store.query(f"SELECT gid, name, type FROM entities WHERE gid IN ({qs})",
                                             sorted(gids))}


def _refs(store: Store, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], dict[str, Any]]:
    """The amounts and times named by event roles, by (aid, id)."""
    if not wanted:
        return {}
    aids, ids = sorted({a for a, _ in wanted}), sorted({i for _, i in wanted})
    qa, qi = ",".join("?" * len(aids)), ",".join("?" * len(ids))
    out = {}
    for table, cols in (("amounts", "value, unit"), ("times", "type, value")):
        for r in store.query(f"SELECT aid, id, text, {cols} FROM {table} WHERE aid IN ({qa}) AND id IN ({qi})",
                             (*aids, *ids)):
            out[(r["aid"], r["id"])] = r
    return out


def _events(store: Store, where: str, params: tuple, *, limit: int) -> list[dict[str, Any]]:
    """Events whose roles match ``where`` (on ``r``, event_roles), dated, oldest first."""
    found = store.query(
        f"SELECT ev.aid, ev.id, ev.type, ev.status, ev.trigger, ev.date, ev.date_source, ev.start_char, "
        f"ev.end_char, substr(a.text, ev.sent_start + 1, ev.sent_end - ev.sent_start) AS sentence, {_SOURCE} "
        f"FROM event_roles r JOIN events ev ON ev.aid = r.aid AND ev.id = r.event_id "
        f"JOIN articles a ON a.aid = r.aid WHERE a.current = 1 AND r.date IS NOT NULL AND {where} "
        f"ORDER BY r.date LIMIT ?", (*params, limit + 50))
    rows = list({(r["aid"], r["id"]): r for r in found}.values())[:limit]
    aids = {r["aid"] for r in rows}
    roles: dict[tuple[int, str], list[dict[str, Any]]] = {}
    if aids:
        qs = ",".join("?" * len(aids))
        for r in store.query(f"SELECT aid, event_id, role, ref, gid FROM event_roles WHERE aid IN ({qs}) "
                             f"ORDER BY aid, event_id, pos", sorted(aids)):
            roles.setdefault((r["aid"], r["event_id"]), []).append(r)
    names = _names(store, {r["gid"] for rs in roles.values() for r in rs if r["gid"]})
    refs = _refs(store, {(r["aid"], r["ref"]) for rs in roles.values() for r in rs if not r["gid"]})
    out = []
    for r in rows:
        parts = []
        for role in roles.get((r["aid"], r["id"]), []):
            item = {"role": role["role"], "ref": role["ref"]}
            if role["gid"]:
                item.update(entity_id=role["gid"], name=names[role["gid"]]["name"])
            elif (r["aid"], role["ref"]) in refs:
                ref = refs[(r["aid"], role["ref"])]
                item.update(text=ref["text"], value=ref["value"])
            parts.append(item)
        out.append({"kind": "event", "date": r["date"], "date_source": r["date_source"], "type": r["type"],
                    "status": r["status"], "text": r["trigger"], "roles": parts,
                    "source": _source(r, r["start_char"], r["end_char"], r["sentence"])})
    return out


def _quotes(store: Store, where: str, params: tuple, *, limit: int, offset: int = 0,
            about: int | None = None) -> list[dict[str, Any]]:
    """Quotes matching ``where`` (on ``q``), oldest first; ``about``: only those naming that entity."""
    if about is None:
        source, order, params = "quotes q", "q.date, q.aid, q.pos", tuple(params)
    else:
        source = "quote_about qa JOIN quotes q ON q.aid = qa.aid AND q.qid = qa.qid"
        where, order = f"qa.gid = ? AND {where}", "qa.date"   # the (gid, date) index gives the order
        params = (about, *params)
    rows = store.query(
        f"SELECT q.aid, q.qid, q.kind, q.text, q.start_char, q.end_char, q.cue, q.speaker_gid, {_SOURCE} "
        f"FROM {source} JOIN articles a ON a.aid = q.aid WHERE a.current = 1 AND {where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?", (*params, limit, offset))
    rows = list({(r["aid"], r["qid"]): r for r in rows}.values())   # one quote naming the entity twice
    names = _names(store, {r["speaker_gid"] for r in rows if r["speaker_gid"]})
    return [{"kind": "quote", "date": (r["published"] or "")[:10] or None, "date_source": "published",
             "quote_kind": r["kind"], "text": r["text"], "cue": r["cue"],
             "speaker": ({"entity_id": r["speaker_gid"], "name": names[r["speaker_gid"]]["name"]}
                         if r["speaker_gid"] else None),
             "source": _source(r, r["start_char"], r["end_char"])} for r in rows]


def timeline(store: Store, entity: str | int, *, from_: str | None = None, to: str | None = None,
             limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Dated events involving the entity and its quotes, ordered by event date (not publication)."""
    gid = find_entity(store, entity)
    span, args = "", []
    if from_:
        span, args = span + " AND {0}.date >= ?", [*args, from_]
    if to:
        span, args = span + " AND {0}.date <= ?", [*args, to + "\uffff"]
    n = limit + offset
    items = (_events(store, "r.gid = ?" + span.format("r"), (gid, *args), limit=n)
             + _quotes(store, "q.speaker_gid = ? AND q.date IS NOT NULL" + span.format("q"), (gid, *args), limit=n))
    items.sort(key=lambda i: (i["date"] or "9999", i["source"]["published"] or "", i["source"]["start"]))
    return items[offset:offset + limit]


def quotes(store: Store, *, speaker: str | int | None = None, about: str | int | None = None,
           limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Quotes by a speaker and/or about an entity (named inside the quote; see ``write_quote_about``)."""
    where, params = ["1 = 1"], []
    if speaker is not None:
        where.append("q.speaker_gid = ?")
        params.append(find_entity(store, speaker))
    about_gid = None if about is None else find_entity(store, about)
    return _quotes(store, " AND ".join(where), tuple(params), limit=limit, offset=offset, about=about_gid)


def _aliases(store: Store, gid: int) -> list[str]:
    return [r["alias"] for r in store.query("SELECT DISTINCT alias FROM entity_aliases WHERE gid = ? "
                                            "AND kind = 'name' ORDER BY alias", (gid,))]


def entity_profile(store: Store, name_or_id: str | int, *, top: int = 10) -> dict[str, Any]:
    """Type, aliases, titles held there, relations, article count, and the entities most often
    named with it in its latest 150 articles (a bounded sample keeps the answer fast at scale)."""
    gid = find_entity(store, name_or_id)
    ent = store.one("SELECT gid, type, name FROM entities WHERE gid = ?", (gid,))
    count = store.scalar("SELECT articles FROM entities WHERE gid = ?", (gid,))
    rels = store.query(
        "SELECT r.type, r.value, r.value_norm, r.subject_gid, r.object_gid, COUNT(*) AS n FROM relations r "
        "JOIN articles a ON a.aid = r.aid WHERE a.current = 1 AND (r.subject_gid = ? OR r.object_gid = ?) "
        "GROUP BY r.type, r.value, r.value_norm, r.subject_gid, r.object_gid ORDER BY n DESC", (gid, gid))
    names = _names(store, {g for r in rels for g in (r["subject_gid"], r["object_gid"]) if g})
    relations, titles = [], []
    for r in rels:
        other = r["object_gid"] if r["subject_gid"] == gid else r["subject_gid"]
        item = {"type": r["type"], "value": r["value"], "direction": "out" if r["subject_gid"] == gid else "in",
                "other": {"entity_id": other, "name": names[other]["name"]} if other in names else None,
                "count": r["n"]}
        relations.append(item)
        if r["type"] == "title" and r["object_gid"] == gid and item["other"]:
            titles.append({"person": item["other"], "title": r["value"], "count": r["n"]})
    co = store.query(
        "SELECT x.gid, e.name, e.type, COUNT(DISTINCT x.aid) AS n FROM article_entities x "
        "JOIN entities e ON e.gid = x.gid WHERE x.aid IN (SELECT aid FROM article_entities WHERE gid = ? "
        "ORDER BY aid DESC LIMIT 150) AND x.gid <> ? GROUP BY x.gid, e.name, e.type ORDER BY n DESC, x.gid LIMIT ?",
        (gid, gid, top))
    merged = [r["gid"] for r in store.query("SELECT gid FROM entities WHERE merged_into = ?", (gid,))]
    return {"id": gid, "type": ent["type"], "name": ent["name"], "aliases": _aliases(store, gid),
            "article_count": count, "titles": titles, "relations": relations,
            "cooccurring": [{"entity_id": r["gid"], "name": r["name"], "type": r["type"], "articles": r["n"]}
                            for r in co], "merged_from": merged}


def deals(store: Store, *, party: str | int | None = None, status: str | None = None, kind: str | None = None,
          limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Deals with their parties, lifecycle (every report, with its source) and price history."""
    where, params = ["1 = 1"], []
    if party is not None:
        where.append("d.deal_id IN (SELECT deal_id FROM deal_parties WHERE gid = ?)")
        params.append(find_entity(store, party))
    if status:
        where.append("d.deal_id IN (SELECT deal_id FROM deal_reports WHERE status = ?)")
        params.append(status)
    if kind:
        where.append("d.kind = ?")
        params.append(kind)
    rows = store.query(f"SELECT d.deal_id, d.kind, d.first_date, d.last_date FROM deals d WHERE {' AND '.join(where)} "
                       f"ORDER BY d.last_date DESC, d.deal_id LIMIT ? OFFSET ?", (*params, limit, offset))
    return [deal(store, r["deal_id"], row=r) for r in rows]


def deal(store: Store, deal_id: int, *, row: dict[str, Any] | None = None, max_reports: int = 500) -> dict[str, Any]:
    """One deal: parties by side, reports in date order (the first ``max_reports``), statuses, prices, disagreements."""
    row = row or store.one("SELECT deal_id, kind, first_date, last_date FROM deals WHERE deal_id = ?", (deal_id,))
    if row is None:
        raise QueryError("no such deal", str(deal_id), code=NG401_NO_ENTITY)
    parties = store.query("SELECT p.role, p.gid, e.name, e.type FROM deal_parties p JOIN entities e ON e.gid = p.gid "
                          "WHERE p.deal_id = ? ORDER BY p.role, p.gid", (deal_id,))
    reps = store.query(
        f"SELECT r.event_id, r.type, r.status, r.date, r.price, r.price_high, r.price_unit, r.price_text, r.sent_start, "
        f"r.sent_end, substr(a.text, r.sent_start + 1, r.sent_end - r.sent_start) AS sentence, a.current, {_SOURCE} "
        f"FROM deal_reports r JOIN articles a ON a.aid = r.aid WHERE r.deal_id = ? "
        f"ORDER BY r.date, a.published, r.aid, r.event_id LIMIT ?", (deal_id, max_reports))
    reports = [{"date": r["date"], "type": r["type"], "status": r["status"],
                "price": ({"value": r["price"], "high": r["price_high"], "unit": r["price_unit"], "text": r["price_text"]}
                          if r["price_unit"] else None),
                "current_version": bool(r["current"]),
                "source": _source(r, r["sent_start"], r["sent_end"], r["sentence"])} for r in reps]
    live = [r for r in reports if r["current_version"]]
    statuses = [r["status"] for r in live if r["status"]]
    by_date: dict[str, list[dict[str, Any]]] = {}
    for r in live:
        by_date.setdefault(r["date"] or "", []).append(r)
    conflicts = [{"date": d or None, "reports": rs} for d, rs in by_date.items()
                 if len({r["status"] for r in rs if r["status"]}) > 1
                 or len({r["price"]["value"] for r in rs if r["price"]}) > 1]
    count = len(reports) if len(reports) < max_reports else \
        store.scalar("SELECT COUNT(*) FROM deal_reports WHERE deal_id = ?", (deal_id,))
    return {"id": deal_id, "kind": row["kind"], "report_count": count, "first_date": row["first_date"], "last_date": row["last_date"],
            "parties": [{"role": p["role"], "entity_id": p["gid"], "name": p["name"], "type": p["type"]} for p in parties],
            "status": statuses[-1] if statuses else None, "statuses": list(dict.fromkeys(statuses)),
            "prices": [{"date": r["date"], **r["price"], "source": r["source"]} for r in live if r["price"]],
            "reports": reports, "conflicts": conflicts}
