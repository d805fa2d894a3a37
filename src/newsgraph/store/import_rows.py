"""Loading the records of a JSONL export back into an empty store, ids and history kept."""
from __future__ import annotations

from typing import Any, Callable

from ..model import Article
from .db import Store

_IDENTITY = [("entities", "gid"), ("deals", "deal_id"), ("corrections", "id")]


def load_records(store: Store, recs: list[dict[str, Any]], store_article: Callable[..., Any]) -> dict[str, int]:
    """Insert export records in order (entities before the articles that link to them); one transaction."""
    counts: dict[str, int] = {}
    aids: dict[tuple[str, int], int] = {}
    with store.transaction():
        for rec in recs[1:]:
            kind = rec["kind"]
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "entity":
                store.execute("INSERT INTO entities (gid, type, name, norm, merged_into, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                              (rec["gid"], rec["type"], rec["name"], rec["norm"], rec["merged_into"], rec["created_at"]))
                store.executemany("INSERT INTO entity_aliases (norm, gid, alias, kind) VALUES (?, ?, ?, ?)",
                                  [(a["norm"], rec["gid"], a["alias"], a["kind"]) for a in rec["aliases"]])
            elif kind == "article":
                art = Article.from_dict(rec["data"])
                done = store_article(store, art, path=rec["path"], links={k: int(v) for k, v in rec["links"].items()},
                                     deals=False, version=rec["version"], current=rec["current"])
                store.execute("UPDATE articles SET ingested_at = ? WHERE aid = ?", (rec["ingested_at"], done.aid))
                aids[(art.id, rec["version"])] = done.aid
            elif kind == "deal":
                store.execute("INSERT INTO deals (deal_id, kind, first_date, last_date, created_at) VALUES (?, ?, ?, ?, ?)",
                              (rec["deal_id"], rec["deal_kind"], rec["first_date"], rec["last_date"], rec["created_at"]))
                store.executemany("INSERT INTO deal_parties (deal_id, gid, role) VALUES (?, ?, ?)",
                                  [(rec["deal_id"], p["gid"], p["role"]) for p in rec["parties"]])
                store.executemany(
                    "INSERT INTO deal_reports (aid, event_id, deal_id, type, status, date, price, price_high, price_unit, "
                    "price_text, sent_start, sent_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(aids[(r["article_id"], r["version"])], r["event_id"], rec["deal_id"], r["type"], r["status"],
                      r["date"], r["price"], r["price_high"], r["price_unit"], r["price_text"], r["sent_start"],
                      r["sent_end"]) for r in rec["reports"]])
            elif kind == "correction":
                store.execute("INSERT INTO corrections (id, kind, gid, other, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
                              (rec["id"], rec["correction"], rec["gid"], rec["other"], rec["detail"], rec["at"]))
            elif kind == "pin":
                store.execute("INSERT INTO entity_pins (article_key, norm, gid) VALUES (?, ?, ?)",
                              (rec["article_key"], rec["norm"], rec["gid"]))
            elif kind == "reject":
                store.execute("INSERT INTO rejects (origin, code, message, at, attempts) VALUES (?, ?, ?, ?, ?)",
                              (rec["origin"], rec["code"], rec["message"], rec["at"], rec["attempts"]))
        if store.dialect == "postgres":
            for table, col in _IDENTITY:
                store.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), "
                              f"COALESCE((SELECT MAX({col}) FROM {table}), 0) + 1, false)")
    return counts
