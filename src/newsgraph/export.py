"""Exports of a store: JSONL (everything, re-importable: ``import_jsonl``), CSV (Neo4j
``neo4j-admin import`` headers, readable by pandas), GraphML (networkx, Gephi) and JSON-LD
(schema.org terms)."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any, Iterator
from xml.sax.saxutils import quoteattr

from .errors import StoreError
from .store.db import Store
from .store.reader import links, load_article
from .store.schema import LATEST, applied
from .store.writer import store_article

FORMAT = "newsgraph-store/1"
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NG305_NOT_EMPTY = "NG305"       # import into a store that already holds articles
NG306_BAD_EXPORT = "NG306"      # the import file is not a newsgraph store export
_SCHEMA_ORG = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place",
               "PRODUCT": "Product", "EVENT": "Event", "WORK_OF_ART": "CreativeWork", "LAW": "Legislation",
               "LANGUAGE": "Language", "NORP": "Audience"}


def records(store: Store) -> Iterator[dict[str, Any]]:
    """Every row of the store as JSON records: header, entities, articles (newsgraph/1 + links), deals, ..."""
    yield {"kind": "header", "format": FORMAT, "schema_version": LATEST,
           "migrations": [m["name"] for m in applied(store)]}
    aliases: dict[int, list[dict[str, str]]] = {}
    for a in store.query("SELECT gid, norm, alias, kind FROM entity_aliases ORDER BY gid, norm, kind"):
        aliases.setdefault(a["gid"], []).append({"norm": a["norm"], "alias": a["alias"], "kind": a["kind"]})
    for e in store.query("SELECT * FROM entities ORDER BY gid"):
        yield {"kind": "entity", **e, "aliases": aliases.get(e["gid"], [])}
    for r in store.query("SELECT aid, version, current, path, ingested_at FROM articles ORDER BY aid"):
        yield {"kind": "article", "version": r["version"], "current": bool(r["current"]), "path": r["path"],
               "ingested_at": r["ingested_at"], "links": links(store, r["aid"]),
               "data": load_article(store, r["aid"]).to_dict()}
    for d in store.query("SELECT * FROM deals ORDER BY deal_id"):
        parties = store.query("SELECT gid, role FROM deal_parties WHERE deal_id = ? ORDER BY role, gid", (d["deal_id"],))
        reports = store.query(
            "SELECT a.id AS article_id, a.version, r.event_id, r.type, r.status, r.date, r.price, r.price_high, "
            "r.price_unit, r.price_text, r.sent_start, r.sent_end FROM deal_reports r JOIN articles a ON a.aid = r.aid "
            "WHERE r.deal_id = ? ORDER BY a.aid, r.event_id", (d["deal_id"],))
        yield {"kind": "deal", **{("deal_kind" if k == "kind" else k): v for k, v in d.items()},
               "parties": parties, "reports": reports}
    for c in store.query("SELECT * FROM corrections ORDER BY id"):
        yield {"kind": "correction", **{("correction" if k == "kind" else k): v for k, v in c.items()}}
    for p in store.query("SELECT * FROM entity_pins ORDER BY article_key, norm"):
        yield {"kind": "pin", **p}
    for r in store.query("SELECT * FROM rejects ORDER BY origin, code"):
        yield {"kind": "reject", **r}


def export(store: Store, out: str | Path, *, fmt: str = "jsonl") -> dict[str, int]:
    """Write the store to ``out`` (a folder for csv); returns how many records of each kind."""
    out = Path(out)
    if fmt == "csv":
        return _csv(store, out)
    counts: dict[str, int] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for rec in records(store):
                counts[rec["kind"]] = counts.get(rec["kind"], 0) + 1
                fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
        return counts
    nodes, edges = graph_rows(store)
    if fmt == "graphml":
        _graphml(out, nodes, edges)
    elif fmt == "jsonld":
        _jsonld(store, out, nodes, edges)
    else:
        raise StoreError(f"unknown export format {fmt!r}", str(out), code=NG306_BAD_EXPORT)
    return {"nodes": len(nodes), "edges": len(edges)}


def graph_rows(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Entities as nodes; relations, deal sides and co-occurrence (weighted) as edges."""
    nodes = store.query("SELECT e.gid AS id, e.type, e.name, COUNT(DISTINCT x.aid) AS articles FROM entities e "
                        "LEFT JOIN article_entities x ON x.gid = e.gid WHERE e.merged_into IS NULL "
                        "GROUP BY e.gid, e.type, e.name ORDER BY e.gid")
    edges = store.query(
        "SELECT r.subject_gid AS source, r.object_gid AS target, r.type, r.value_norm AS value, COUNT(*) AS weight "
        "FROM relations r JOIN articles a ON a.aid = r.aid WHERE a.current = 1 AND r.subject_gid IS NOT NULL "
        "AND r.object_gid IS NOT NULL GROUP BY r.subject_gid, r.object_gid, r.type, r.value_norm")
    edges += store.query(
        "SELECT b.gid AS source, t.gid AS target, 'deal' AS type, d.kind AS value, COUNT(*) AS weight "
        "FROM deal_parties b JOIN deal_parties t ON t.deal_id = b.deal_id AND t.role = 'target' "
        "JOIN deals d ON d.deal_id = b.deal_id WHERE b.role = 'buyer' GROUP BY b.gid, t.gid, d.kind")
    edges += store.query(
        "SELECT x.gid AS source, y.gid AS target, 'cooccurs' AS type, NULL AS value, COUNT(DISTINCT x.aid) AS weight "
        "FROM article_entities x JOIN article_entities y ON y.aid = x.aid AND y.gid > x.gid "
        "JOIN articles a ON a.aid = x.aid WHERE a.current = 1 GROUP BY x.gid, y.gid")
    edges.sort(key=lambda e: (e["source"], e["target"], e["type"], e["value"] or ""))
    return nodes, edges


def _graphml(out: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    keys = [("name", "node", "string"), ("type", "node", "string"), ("articles", "node", "int"),
            ("type", "edge", "string"), ("value", "edge", "string"), ("weight", "edge", "int")]
    with out.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
        for name, dom, typ in keys:
            fh.write(f'  <key id="{dom[0]}_{name}" for="{dom}" attr.name="{name}" attr.type="{typ}"/>\n')
        fh.write('  <graph id="newsgraph" edgedefault="directed">\n')
        for n in nodes:
            fh.write(f'    <node id="e{n["id"]}"><data key="n_name">{_x(n["name"])}</data>'
                     f'<data key="n_type">{_x(n["type"])}</data><data key="n_articles">{n["articles"]}</data></node>\n')
        for i, e in enumerate(edges):
            value = f'<data key="e_value">{_x(e["value"])}</data>' if e["value"] is not None else ""
            fh.write(f'    <edge id="r{i}" source="e{e["source"]}" target="e{e["target"]}">'
                     f'<data key="e_type">{_x(e["type"])}</data>{value}<data key="e_weight">{e["weight"]}</data></edge>\n')
        fh.write("  </graph>\n</graphml>\n")


def _x(value: Any) -> str:
    """XML-escaped text without the control characters XML 1.0 forbids."""
    return quoteattr(_XML_BAD.sub("", str(value)))[1:-1]


def _jsonld(store: Store, out: Path, nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    graph: list[dict[str, Any]] = []
    for n in nodes:
        graph.append({"@id": f"ng:entity/{n['id']}", "@type": _SCHEMA_ORG.get(n["type"], "Thing"), "name": n["name"],
                      "ng:entityType": n["type"], "ng:articleCount": n["articles"]})
    for a in store.query("SELECT aid, id, title, published, url FROM articles WHERE current = 1 ORDER BY aid"):
        gids = sorted(set(links(store, a["aid"]).values()))
        graph.append({"@id": f"ng:article/{a['id']}", "@type": "NewsArticle", "headline": a["title"],
                      "datePublished": a["published"], "url": a["url"],
                      "mentions": [{"@id": f"ng:entity/{g}"} for g in gids]})
    for q in store.query("SELECT q.aid, q.qid, q.text, q.speaker_gid, a.id FROM quotes q JOIN articles a ON a.aid = q.aid "
                         "WHERE a.current = 1 ORDER BY q.aid, q.pos"):
        item = {"@id": f"ng:article/{q['id']}#{q['qid']}", "@type": "Quotation", "text": q["text"],
                "isPartOf": {"@id": f"ng:article/{q['id']}"}}
        if q["speaker_gid"]:
            item["creator"] = {"@id": f"ng:entity/{q['speaker_gid']}"}
        graph.append(item)
    for i, e in enumerate(edges):
        if e["type"] != "cooccurs":
            graph.append({"@id": f"ng:edge/{i}", "@type": "ng:Relation", "ng:relationType": e["type"],
                          "ng:value": e["value"], "ng:subject": {"@id": f"ng:entity/{e['source']}"},
                          "ng:object": {"@id": f"ng:entity/{e['target']}"}, "ng:weight": e["weight"]})
    doc = {"@context": {"@vocab": "https://schema.org/", "ng": "https://newsgraph.dev/ns#"}, "@graph": graph}
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


def _csv(store: Store, folder: Path) -> dict[str, int]:
    """Node and relationship files with neo4j-admin import headers (``id:ID(Entity)``, ``:START_ID``...)."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges = graph_rows(store)
    aliases: dict[int, list[str]] = {}
    for a in store.query("SELECT gid, alias FROM entity_aliases WHERE kind <> 'surname' ORDER BY gid, alias"):
        aliases.setdefault(a["gid"], []).append(a["alias"])
    tables = {
        "entities.csv": (["id:ID(Entity)", "name", "type", "articles:int", "aliases:string[]", ":LABEL"],
                         [[n["id"], n["name"], n["type"], n["articles"], ";".join(aliases.get(n["id"], [])),
                           f"Entity;{n['type']}"] for n in nodes]),
        "articles.csv": (["id:ID(Article)", "title", "published", "url", "source", ":LABEL"],
                         [[a["id"], a["title"], a["published"], a["url"], a["source"], "Article"] for a in
                          store.query("SELECT id, title, published, url, source FROM articles WHERE current = 1 ORDER BY aid")]),
        "quotes.csv": (["id:ID(Quote)", "text", "kind", "cue", "article_id", "start:int", "end:int", ":LABEL"],
                       [[f"{q['id']}#{q['qid']}", q["text"], q["kind"], q["cue"], q["id"], q["start_char"],
                         q["end_char"], "Quote"] for q in store.query(
                           "SELECT a.id, q.* FROM quotes q JOIN articles a ON a.aid = q.aid WHERE a.current = 1 "
                           "ORDER BY q.aid, q.pos")]),
        "edges.csv": ([":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "value", "weight:int"],
                      [[e["source"], e["target"], e["type"].upper(), e["value"], e["weight"]] for e in edges]),
        "mentions.csv": ([":START_ID(Article)", ":END_ID(Entity)", ":TYPE"],
                         [[r["id"], r["gid"], "MENTIONS"] for r in store.query(
                             "SELECT DISTINCT a.id, x.gid, a.aid FROM article_entities x JOIN articles a ON a.aid = x.aid "
                             "WHERE a.current = 1 ORDER BY a.aid, x.gid")]),
        "said.csv": ([":START_ID(Entity)", ":END_ID(Quote)", ":TYPE"],
                     [[r["speaker_gid"], f"{r['id']}#{r['qid']}", "SAID"] for r in store.query(
                         "SELECT q.speaker_gid, a.id, q.qid FROM quotes q JOIN articles a ON a.aid = q.aid "
                         "WHERE a.current = 1 AND q.speaker_gid IS NOT NULL ORDER BY q.aid, q.pos")]),
    }
    for name, (header, rows) in tables.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    return {name: len(rows) for name, (_, rows) in tables.items()}


def import_jsonl(store: Store, path: str | Path) -> dict[str, int]:
    """Load a JSONL export into an empty store: same entities, articles, versions, deals, corrections."""
    from .store.import_rows import load_records

    if store.scalar("SELECT COUNT(*) FROM articles") or store.scalar("SELECT COUNT(*) FROM entities"):
        raise StoreError("the store is not empty: import into a new database", store.url, code=NG305_NOT_EMPTY)
    text = Path(path).read_text(encoding="utf-8")
    recs = [json.loads(line) for line in text.split("\n") if line.strip()]   # U+2028 and U+0085 are text
    if not recs or recs[0].get("kind") != "header" or recs[0].get("format") != FORMAT:
        raise StoreError("not a newsgraph store export (no header line)", str(path), code=NG306_BAD_EXPORT)
    return load_records(store, recs, store_article)
