"""The store benchmark runs end to end on ~20 BBC articles (stores of 20 and 40), so it cannot rot;
its synthetic copies and SQL duplication keep what the queries read."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import bench_module

BENCH = Path(__file__).resolve().parents[1] / "bench"
PNG = b"\x89PNG\r\n\x1a\n"




@pytest.fixture(scope="module")
def run(tmp_path_factory):
    work = tmp_path_factory.mktemp("store_bench")
    out, plot = work / "result.json", work / "latency.png"
    proc = subprocess.run([sys.executable, str(BENCH / "store_bench.py"), "--limit", "3", "--rounds", "1",
                           "--base", "12", "--sizes", "20,40", "--write-max", "20", "--samples", "10",
                           "--work", str(work), "--keep", "--json", str(out), "--plot", str(plot)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return work, json.loads(out.read_text()), plot


def test_store_bench_reports_ingest_cost_sizes_and_latency(run):
    work, res, plot = run
    assert plot.read_bytes().startswith(PNG)
    ic = res["ingest"]
    assert ic["extract"]["articles"] == ic["extract+store"]["articles"] == ic["store"]["articles"] == 3
    assert ic["order"] == ["extract", "extract+store", "store"]
    assert 0 < ic["store"]["cpu_ms_per_article"] < ic["extract"]["cpu_ms_per_article"]   # storing is the cheap part
    assert ic["store_share_cpu_pct"] > 0
    sizes = {s["articles"]: s for s in res["stores"]}
    assert set(sizes) == {20, 40}
    assert sizes[20]["how"].startswith("writer") and "duplication x2" in sizes[40]["how"]
    assert sizes[40]["raw_bytes"] == 2 * sizes[20]["raw_bytes"] and sizes[40]["db_bytes"] > sizes[20]["db_bytes"]
    for s in sizes.values():
        lat = s["latency"]
        assert {"timeline", "entity"} <= set(lat)
        for profile in ("uniform", "weighted"):
            ent, tl = lat["entity"][profile], lat["timeline"][profile]
            assert ent["non_empty"] == ent["n"] == 10                       # every sampled entity has a profile
            assert 0 < tl["p50"] <= tl["p95"] <= tl["max"]
        assert lat["entity"]["busiest"]["n"] == 5
    assert res["machine"]["nproc"] >= 1 and res["command"].startswith("python bench/store_bench.py")


def test_sql_duplication_copies_facts_and_search_index(run):
    work, res, _ = run
    small, big = (sqlite3.connect(work / f"store-{n}.db") for n in (20, 40))
    for table in ("articles", "article_entities", "quotes", "events", "event_roles", "search_docs"):
        n_small = small.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert big.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 2 * n_small, table
    assert big.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchone()[0] == 40
    assert big.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == \
        small.execute("SELECT COUNT(*) FROM entities").fetchone()[0]       # global entities shared
    word = small.execute("SELECT text FROM articles ORDER BY aid LIMIT 1").fetchone()[0].split()[0]
    hits = [r[0] for r in big.execute("SELECT d.aid FROM search_fts f JOIN search_docs d ON d.docid = f.rowid "
                                      "WHERE search_fts MATCH ? AND d.kind = 'article'", (f'"{word}"',))]
    assert any(a > 20 for a in hits) and any(a <= 20 for a in hits)       # copies are searchable too


def test_synthetic_copies_rename_people_and_move_dates(run):
    work, _, _ = run
    build = bench_module("store_build")
    from newsgraph.model import Article

    base = [Article.from_dict(json.loads(line)) for line in (work / "base-12.jsonl").read_text().splitlines() if line]
    i = next(i for i, a in enumerate(base) if any(e.type == "PERSON" for e in a.entities))
    a, b = build.synthesise(base, i), build.synthesise(base, i + len(base))
    assert a.id != b.id and a.text == b.text == base[i].text               # offsets stay valid
    person = next(n for n, e in enumerate(base[i].entities) if e.type == "PERSON")
    original = base[i].entities[person].name
    assert a.entities[person].name.startswith(original) and a.entities[person].name != original
    assert a.published and a.published[:4].isdigit() and 1990 < int(a.published[:4]) < 2010
    assert build.synthesise(base, i) == a                                   # deterministic
    assert build._shift("2004-02-29", 1) == "2005-02-28" and build._shift("PRESENT_REF", 3) == "PRESENT_REF"
