"""Exports readable by networkx, Neo4j/pandas-style CSV readers and JSON-LD tools; export -> import loses nothing."""
from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import StoreError
from newsgraph.export import export, import_jsonl
from newsgraph.model import Amount, Article, Entity, Event, Quote, Relation, Role, Span, TimeExpr
from newsgraph.store.corrections import merge, split
from newsgraph.store.db import open_store
from newsgraph.store.writer import record_reject, store_article
from store_fixtures import backend, corpus, store  # noqa: F401


@pytest.fixture
def full(store):
    for art in corpus():
        store_article(store, art)
    return store


def test_jsonl_round_trip_keeps_everything(full, backend, tmp_path):
    gordon = full.scalar("SELECT gid FROM entities WHERE name = 'Gordon Brown'")
    split(full, gordon, articles=["bbc-brown-pledge"])
    nick = full.scalar("SELECT gid FROM entities WHERE name = 'Nick Brown'")
    merge(full, gordon, [nick])
    record_reject(full, "bad.json:2", "NG107", "NG107 record is not a JSON object")
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    counts = export(full, first)
    assert counts["article"] == 6 and counts["correction"] == 2 and counts["reject"] == 1
    copy = backend.open()
    import_jsonl(copy, first)
    export(copy, second)
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    # the copy is a working store: new ids do not collide with imported ones
    b = corpus()[0]
    b.id, b.url = "after-import", None
    b.text += " Update."
    store_article(copy, b)
    with pytest.raises(StoreError) as err:
        import_jsonl(copy, first)
    assert err.value.code == "NG305"


def test_graphml_csv_and_jsonld_are_readable(full, tmp_path):
    export(full, tmp_path / "g.graphml", fmt="graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    names = {n: d["name"] for n, d in g.nodes(data=True)}
    assert g.nodes[next(n for n, v in names.items() if v == "OpenAI")]["type"] == "ORG"
    deal_edges = {(names[u], names[v]) for u, v, d in g.edges(data=True) if d["type"] == "deal"}
    assert ("Elon Musk", "OpenAI") in deal_edges and ("Sam Altman", "Twitter") in deal_edges

    counts = export(full, tmp_path / "csv", fmt="csv")
    with (tmp_path / "csv" / "entities.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:2] == ["id:ID(Entity)", "name"] and len(rows) == counts["entities.csv"]
    with (tmp_path / "csv" / "said.csv").open(encoding="utf-8") as fh:
        said = list(csv.DictReader(fh))
    altman = next(r["id:ID(Entity)"] for r in rows if r["name"] == "Sam Altman")
    assert sum(r[":START_ID(Entity)"] == altman for r in said) == 2

    export(full, tmp_path / "g.jsonld", fmt="jsonld")
    doc = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    people = {n["name"] for n in doc["@graph"] if n["@type"] == "Person"}
    assert {"Sam Altman", "Elon Musk", "Gordon Brown"} <= people
    quote = next(n for n in doc["@graph"] if n["@type"] == "Quotation" and "not for sale" in n["text"])
    assert quote["creator"]["@id"].startswith("ng:entity/")


# ---- property: any articles -> store -> export -> import -> export is the identity -------------
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40)
_names = st.sampled_from(["Sam Altman", "Altman", "OpenAI", "Gordon Brown", "Brown", "the BBC chairman",
                          "Nick Brown", "Treasury", "ACME Inc"])


@st.composite
def articles(draw, n: int) -> Article:
    text = draw(_text)
    span = lambda: Span(0, len(text), text)  # noqa: E731
    ents = [Entity(f"e{i}", draw(st.sampled_from(["PERSON", "ORG", "GPE"])), draw(_names),
                   tuple(draw(st.lists(_names, max_size=2, unique=True))), (span(),))
            for i in range(draw(st.integers(0, 4)))]
    eids = [e.id for e in ents] or ["e0"]
    amounts = [Amount(f"a{i}", text, 0, len(text), draw(st.one_of(st.none(), st.floats(-1e12, 1e12))),
                      draw(st.sampled_from(["USD", "GBP", "percent"])), draw(st.booleans()),
                      draw(st.one_of(st.none(), _text))) for i in range(draw(st.integers(0, 2)))]
    times = [TimeExpr(f"t{i}", text, 0, len(text), "DATE", draw(st.sampled_from([None, "2025-02-10", "2024", "2025-W07"])))
             for i in range(draw(st.integers(0, 2)))]
    refs = eids + [a.id for a in amounts] + [t.id for t in times]
    role = st.builds(Role, st.sampled_from(["bidder", "target", "price", "date", "partner"]), st.sampled_from(refs))
    events = [Event(f"v{i}", draw(st.sampled_from(["acquisition_bid", "merger", "lawsuit", "investment"])), 0, 1,
                    tuple(draw(st.lists(role, max_size=4))), draw(st.sampled_from([None, "rejected", "completed"])),
                    draw(st.one_of(st.none(), _text))) for i in range(draw(st.integers(0, 2)))] if ents else []
    quotes = [Quote(f"q{i}", draw(st.sampled_from(["direct", "indirect", "mixed"])), draw(_text), 0, 1,
                    draw(st.sampled_from([None, *[e.id for e in ents]])), draw(st.one_of(st.none(), st.just(span()))),
                    draw(st.one_of(st.none(), _text))) for i in range(draw(st.integers(0, 2)))]
    rels = [Relation(f"r{i}", draw(st.sampled_from(["title", "founder"])), draw(st.sampled_from(eids)), 0, 1,
                     draw(st.sampled_from([None, *eids])), draw(st.one_of(st.none(), st.just("CEO"))))
            for i in range(draw(st.integers(0, 2)))] if ents else []
    return Article(f"art-{n}", text, title=draw(st.one_of(st.none(), _text)),
                   published=draw(st.sampled_from([None, "2025-02-11", "2005-03-16T10:00:00"])),
                   url=draw(st.sampled_from([None, "https://x.org/1", "https://x.org/2"])),
                   authors=tuple(draw(st.lists(_text, max_size=2))), entities=ents, quotes=quotes,
                   amounts=amounts, times=times, events=events, relations=rels)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 4).flatmap(lambda k: st.tuples(*[articles(i) for i in range(k)])))
def test_export_import_round_trip_property(arts):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with open_store(tmp / "a.db") as store:
            for art in arts:
                store_article(store, art)
            export(store, tmp / "a.jsonl")
            export(store, tmp / "a.graphml", fmt="graphml")
            live = store.scalar("SELECT COUNT(*) FROM entities WHERE merged_into IS NULL")
        assert nx.read_graphml(tmp / "a.graphml").number_of_nodes() == live   # any names stay valid XML
        with open_store(tmp / "b.db") as copy:
            import_jsonl(copy, tmp / "a.jsonl")
            export(copy, tmp / "b.jsonl")
        a, b = (tmp / "a.jsonl").read_text(encoding="utf-8"), (tmp / "b.jsonl").read_text(encoding="utf-8")
        assert a == b
        # the facts that went in come back (compared as values: SQLite keeps -0.0 as 0.0)
        stored = sorted((json.loads(line)["data"] for line in a.split("\n") if '"kind": "article"' in line),
                        key=lambda d: (d["article"]["id"], d["article"]["text"]))
        given_ = sorted((x.to_dict() for x in {x.id + x.text: x for x in arts}.values()),
                        key=lambda d: (d["article"]["id"], d["article"]["text"]))
        assert stored == given_
