"""Reading stored articles back as ``newsgraph.model.Article`` (the exact facts that went in)."""
from __future__ import annotations

import json

from ..errors import QueryError
from ..model import Amount, Article, Entity, Event, Quote, Relation, Role, Span, TimeExpr
from .db import Store

NG402_NO_ARTICLE = "NG402"   # no stored article has this id


def article_aid(store: Store, article_id: str, *, version: int | None = None) -> int:
    """The row of an article id (its current version, or the given one); NG402 if none."""
    if version is None:
        row = store.one("SELECT aid FROM articles WHERE id = ? ORDER BY current DESC, version DESC LIMIT 1",
                        (article_id,))
    else:
        row = store.one("SELECT aid FROM articles WHERE (id = ? OR url = ?) AND version = ? LIMIT 1",
                        (article_id, article_id, version))
    if not row:
        raise QueryError("no such article", article_id, code=NG402_NO_ARTICLE)
    return row["aid"]


def load_article(store: Store, aid: int) -> Article:
    """The stored article with every fact, in the order it was extracted."""
    m = store.one("SELECT * FROM articles WHERE aid = ?", (aid,))
    if m is None:
        raise QueryError("no such article", str(aid), code=NG402_NO_ARTICLE)
    rows = lambda table: store.query(f"SELECT * FROM {table} WHERE aid = ? ORDER BY pos", (aid,))  # noqa: E731
    roles: dict[str, list[Role]] = {}
    for r in rows("event_roles"):
        roles.setdefault(r["event_id"], []).append(Role(r["role"], r["ref"]))
    return Article(
        id=m["id"], text=m["text"], title=m["title"], published=m["published"], source=m["source"],
        url=m["url"], authors=tuple(json.loads(m["authors"] or "[]")), dateline=m["dateline"],
        entities=[Entity(e["eid"], e["type"], e["name"], tuple(json.loads(e["aliases"])),
                         tuple(Span(*s) for s in json.loads(e["mentions"]))) for e in rows("article_entities")],
        quotes=[Quote(q["qid"], q["kind"], q["text"], q["start_char"], q["end_char"], q["speaker"],
                      Span(*json.loads(q["speaker_mention"])) if q["speaker_mention"] else None,
                      q["cue"], q["cue_start"], q["cue_end"]) for q in rows("quotes")],
        amounts=[Amount(a["id"], a["text"], a["start_char"], a["end_char"], a["value"], a["unit"],
                        bool(a["approximate"]), a["qualifier"], a["value_high"]) for a in rows("amounts")],
        times=[TimeExpr(t["id"], t["text"], t["start_char"], t["end_char"], t["type"], t["value"])
               for t in rows("times")],
        events=[Event(e["id"], e["type"], e["start_char"], e["end_char"], tuple(roles.get(e["id"], ())),
                      e["status"], e["trigger"]) for e in rows("events")],
        relations=[Relation(r["id"], r["type"], r["subject"], r["start_char"], r["end_char"], r["object"],
                            r["value"]) for r in rows("relations")],
    )


def links(store: Store, aid: int) -> dict[str, int]:
    """The article's entity ids mapped to their global entity ids."""
    return {r["eid"]: r["gid"] for r in store.query("SELECT eid, gid FROM article_entities WHERE aid = ?", (aid,))}
