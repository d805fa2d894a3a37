"""Browsing queries: full-text search, article lists, one article, entity lists, the entity graph,
rejected inputs, article history. Re-exported by ``newsgraph.store.queries``."""
from __future__ import annotations

import re
from typing import Any

from ..errors import QueryError
from .db import Store
from .reader import article_aid, load_article

NG403_BAD_QUERY = "NG403"    # an empty or malformed query
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _fts_query(text: str) -> str:
    """User text as an FTS5 query: a "quoted phrase" stays a phrase, other words must all appear."""
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    parts = ['"' + " ".join(_TOKEN.findall(p)) + '"' for p in phrases if _TOKEN.findall(p)]
    parts += [f'"{t}"' for t in _TOKEN.findall(rest)]
    return " ".join(parts)


def _snippet(text: str, query: str, width: int = 160) -> str:
    low, phrase = text.lower(), " ".join(_TOKEN.findall(query.lower()))
    words = [w for w in phrase.split() if len(w) > 3] or phrase.split()
    pos = low.find(phrase) if phrase and low.find(phrase) >= 0 else \
        min((low.find(w) for w in words if low.find(w) >= 0), default=0)
    start = max(0, pos - width // 3)
    return ("…" if start else "") + text[start:start + width].replace("\n", " ") + ("…" if start + width < len(text) else "")


def _search_rows(store: Store, text: str, *, limit: int, offset: int, kind: str | None = None) -> list[dict[str, Any]]:
    if not _TOKEN.search(text or ""):
        raise QueryError("empty search", repr(text), code=NG403_BAD_QUERY)
    extra = " AND d.kind = ?" if kind else ""
    args = (kind,) if kind else ()
    if store.dialect == "postgres":
        return store.query(
            f"SELECT d.kind, d.aid, d.ref, ts_rank(d.tsv, query, 1) AS score FROM search_docs d "
            f"JOIN articles a ON a.aid = d.aid, websearch_to_tsquery('english', ?) query "
            f"WHERE d.tsv @@ query AND a.current = 1{extra} ORDER BY score DESC, d.docid LIMIT ? OFFSET ?",
            (text, *args, limit, offset))
    return store.query(
        f"SELECT d.kind, d.aid, d.ref, bm25(search_fts) AS score FROM search_fts "
        f"JOIN search_docs d ON d.docid = search_fts.rowid JOIN articles a ON a.aid = d.aid "
        f"WHERE search_fts MATCH ? AND a.current = 1{extra} ORDER BY score, d.docid LIMIT ? OFFSET ?",
        (_fts_query(text), *args, limit, offset))


def search(store: Store, text: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Full-text search over articles and quotes (FTS5 on SQLite, tsvector on PostgreSQL), best first."""
    out = []
    for r in _search_rows(store, text, limit=limit, offset=offset):
        a = store.one("SELECT id, title, published, url, text FROM articles WHERE aid = ?", (r["aid"],))
        item = {"kind": r["kind"], "article_id": a["id"], "title": a["title"], "published": a["published"],
                "url": a["url"]}
        if r["kind"] == "quote":
            q = store.one("SELECT q.text, q.start_char, q.end_char, e.name FROM quotes q LEFT JOIN entities e "
                          "ON e.gid = q.speaker_gid WHERE q.aid = ? AND q.qid = ?", (r["aid"], r["ref"]))
            item.update(text=q["text"], speaker=q["name"], start=q["start_char"], end=q["end_char"])
        else:
            item.update(text=_snippet(a["text"], text))
        out.append(item)
    return out


def articles(store: Store, *, q: str | None = None, entity: str | int | None = None, from_: str | None = None,
             to: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Current articles, newest first, filtered by text, entity and publication date."""
    from .queries import find_entity

    where, params = ["a.current = 1"], []
    if q:
        aids = [r["aid"] for r in _search_rows(store, q, limit=10_000, offset=0, kind="article")]
        if not aids:
            return []
        where.append(f"a.aid IN ({','.join('?' * len(aids))})")
        params += aids
    if entity is not None:
        where.append("a.aid IN (SELECT aid FROM article_entities WHERE gid = ?)")
        params.append(find_entity(store, entity))
    if from_:
        where.append("a.published >= ?")
        params.append(from_)
    if to:
        where.append("a.published <= ?")
        params.append(to + "\uffff" if len(to) == 10 else to)
    return store.query(
        f"SELECT a.id, a.title, a.published, a.url, a.source, a.version FROM articles a WHERE {' AND '.join(where)} "
        f"ORDER BY a.published DESC, a.aid DESC LIMIT ? OFFSET ?", (*params, limit, offset))


def article(store: Store, article_id: str, *, version: int | None = None) -> dict[str, Any]:
    """One article in the newsgraph/1 JSON contract (its current version unless one is named)."""
    return load_article(store, article_aid(store, article_id, version=version)).to_dict()


def history(store: Store, id_or_url: str) -> list[dict[str, Any]]:
    """Every stored version of an article (by id or URL), oldest first."""
    return store.query("SELECT id, version, current, title, published, url, ingested_at FROM articles "
                       "WHERE id = ? OR url = ? ORDER BY version", (id_or_url, id_or_url))


def entities(store: Store, *, q: str | None = None, type: str | None = None, limit: int = 50,
             offset: int = 0) -> list[dict[str, Any]]:
    """Global entities (merged ones left out), most reported first; ``q`` matches any name's start."""
    from ..resolve.entities import normalize

    where, params = ["e.merged_into IS NULL"], []
    if q:
        if not normalize(q):
            return []  # nothing of a name is left ("%", "?"): no name matches
        where.append("e.gid IN (SELECT gid FROM entity_aliases WHERE norm LIKE ? ESCAPE '\\')")
        escaped = normalize(q).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(escaped + "%")
    if type:
        where.append("e.type = ?")
        params.append(type)
    return store.query(
        f"SELECT e.gid AS id, e.type, e.name, e.articles AS article_count FROM entities e "
        f"WHERE {' AND '.join(where)} ORDER BY e.articles DESC, e.gid LIMIT ? OFFSET ?", (*params, limit, offset))


def graph(store: Store, entity: str | int, *, depth: int = 1, limit: int = 25) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges around an entity: relations, deal sides and co-occurrence, ``depth`` hops out."""
    from .queries import find_entity

    start = find_entity(store, entity)
    nodes: set[int] = {start}
    edges: dict[tuple[int, int, str], dict[str, Any]] = {}
    frontier = {start}
    for level in range(max(1, min(depth, 3))):
        sample = 500 if level == 0 else 60   # co-occurrence read from each node's latest articles
        found: set[int] = set()
        for gid in frontier:
            for r in store.query("SELECT subject_gid AS s, object_gid AS o, type, value_norm AS v, COUNT(*) AS n "
                                 "FROM relations WHERE (subject_gid = ? OR object_gid = ?) AND object_gid IS NOT NULL "
                                 "AND subject_gid IS NOT NULL GROUP BY subject_gid, object_gid, type, value_norm",
                                 (gid, gid)):
                edges[(r["s"], r["o"], r["type"])] = {"source": r["s"], "target": r["o"], "type": r["type"],
                                                      "value": r["v"], "weight": r["n"]}
                found |= {r["s"], r["o"]}
            for r in store.query("SELECT b.gid AS s, t.gid AS o, d.kind, COUNT(*) AS n FROM deal_parties b "
                                 "JOIN deal_parties t ON t.deal_id = b.deal_id AND t.role = 'target' "
                                 "JOIN deals d ON d.deal_id = b.deal_id WHERE b.role = 'buyer' AND (b.gid = ? OR t.gid = ?) "
                                 "GROUP BY b.gid, t.gid, d.kind", (gid, gid)):
                edges[(r["s"], r["o"], "deal")] = {"source": r["s"], "target": r["o"], "type": "deal",
                                                   "value": r["kind"], "weight": r["n"]}
                found |= {r["s"], r["o"]}
            for r in store.query("SELECT x.gid, COUNT(DISTINCT x.aid) AS n FROM article_entities x WHERE x.aid IN "
                                 "(SELECT aid FROM article_entities WHERE gid = ? ORDER BY aid DESC LIMIT ?) "
                                 "AND x.gid <> ? GROUP BY x.gid ORDER BY n DESC, x.gid LIMIT ?",
                                 (gid, sample, gid, limit)):
                a, b = sorted((gid, r["gid"]))
                edges.setdefault((a, b, "cooccurs"), {"source": a, "target": b, "type": "cooccurs", "value": None,
                                                      "weight": r["n"]})
                found.add(r["gid"])
        frontier = found - nodes
        nodes |= found
    qs = ",".join("?" * len(nodes))
    rows = store.query(f"SELECT gid AS id, name, type FROM entities WHERE gid IN ({qs}) ORDER BY gid", sorted(nodes))
    return {"nodes": rows, "edges": sorted(edges.values(), key=lambda e: (e["source"], e["target"], e["type"]))}


def rejects(store: Store, *, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
    """Inputs that could not be stored: origin (path or id), error code, message, when, how often."""
    return store.query("SELECT origin, code, message, at, attempts FROM rejects ORDER BY at DESC, origin "
                       "LIMIT ? OFFSET ?", (limit, offset))
