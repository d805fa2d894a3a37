"""The store's costs: ingest overhead over extraction, query latency and disk size against store size.

    python bench/store_bench.py                                   # 100 articles; 1k, 10k, 100k (10k x10 in SQL)
    python bench/store_bench.py --rounds 4 --write-max 100000 --keep --json bench/out/store-bench.json  # BENCHMARKS.md
    python bench/store_bench.py --limit 510 --rounds 2 --sizes '' --json bench/out/store-ingest-510.json
    python bench/store_bench.py --limit 5 --base 10 --sizes 20,40 --write-max 20 --samples 10 --work /tmp/s
    python bench/store_bench.py --report bench/out/store-bench.json  # redraw the plot, print the tables

1. Ingest cost: on ``--limit`` BBC business articles, in the same process, ``extract_many`` alone
   against ``newsgraph.store.ingest.ingest`` (read, extract, resolve, store, index) into a fresh
   SQLite store; rounds alternate (A B B A ...) and the fastest round of each mode counts.
2. Query latency: ``--base`` BBC articles (all categories) are extracted once and cached as
   newsgraph/1 JSONL under ``--work``; stores of each ``--sizes`` are synthesised from them
   (``store_build.synthesise``: new ids, people and organisations renamed to one of ``--variants``
   name variants, dates moved by whole years). Sizes up to ``--write-max`` go through the writer
   (entity resolution, deals, full-text index: what ``newsgraph ingest`` does); larger ones are the
   largest written store duplicated in SQL (``store_build.multiply_store``). Then ``timeline``,
   ``quotes --speaker``, ``deals --party`` and ``entity`` are timed for ``--samples`` names each,
   drawn uniformly over the entities that can answer, and again weighted by article count, and for
   the 5 most reported entities: p50 / p95 / max in ms, and the file size against the raw text size.
"""
from __future__ import annotations

import argparse
import json
import random
import shlex
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine, machine_line, save_figure  # noqa: E402
from store_build import base_articles, multiply_store, store_bytes, write_store  # noqa: E402

from newsgraph.eval.corpora import data_dir  # noqa: E402

QUERIES = ("timeline", "quotes --speaker", "deals --party", "entity")
TARGET_P95_MS = 50.0
TARGET_RATIO = 10.0
TARGET_OVERHEAD = 10.0


# -- 1. ingest cost ----------------------------------------------------------------------------
def ingest_cost(paths: list[Path], *, rounds: int, work: Path) -> dict[str, Any]:
    """ms/article (wall and CPU) of extraction alone, of extraction + storing (``ingest`` on the
    texts) and of storing alone (``ingest`` on the extraction's JSONL output), and the overheads.

    Each fresh store is created (schema migrations) before timing: a one-off cost per database.
    Storing alone includes reading the JSONL back (``json.loads`` + ``Article.from_dict``)."""
    from newsgraph import extract_many, nlp, read_inputs
    from newsgraph.store.db import open_store
    from newsgraph.store.ingest import ingest

    nlp.load()
    list(extract_many(read_inputs(paths[:3])))          # warm-up: model, lexicons, first-call caches

    def fresh_store() -> Any:
        db = work / "ingest-cost.db"
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        return open_store(str(db))                      # created and migrated before the clock starts

    runs: dict[str, list[dict[str, float]]] = {"extract": [], "extract+store": [], "store": []}
    order = [m for r in range(rounds) for m in (("extract", "extract+store") if r % 2 == 0
                                                 else ("extract+store", "extract"))]
    extracted = work / "ingest-cost.jsonl"
    for mode in order + ["store"] * rounds:
        store = fresh_store() if mode != "extract" else None
        w, c = time.perf_counter(), time.process_time()
        if store is None:
            arts = [r.article for r in extract_many(read_inputs(paths)) if r.article is not None]
            n = len(arts)
        else:
            summary = ingest(store, [extracted] if mode == "store" else paths)
            n = summary.read - summary.rejected      # per article handled: duplicate texts count as unchanged
        runs[mode].append({"articles": n, "wall_s": time.perf_counter() - w, "cpu_s": time.process_time() - c})
        if store is not None:
            store.close()
        else:                                           # after the clock: input of the store-only rounds
            extracted.write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in arts),
                                 encoding="utf-8")
    out: dict[str, Any] = {"articles": len(paths), "rounds": rounds, "order": order + ["store"] * rounds}
    for mode, rs in runs.items():
        n = rs[0]["articles"] or 1
        out[mode] = {"articles": rs[0]["articles"],
                     "wall_ms_per_article": round(min(r["wall_s"] for r in rs) / n * 1000, 2),
                     "cpu_ms_per_article": round(min(r["cpu_s"] for r in rs) / n * 1000, 2),
                     "rounds_wall_s": [round(r["wall_s"], 2) for r in rs]}
    for clock in ("wall", "cpu"):
        a, b = out["extract"][f"{clock}_ms_per_article"], out["extract+store"][f"{clock}_ms_per_article"]
        out[f"overhead_{clock}_pct"] = round((b / a - 1) * 100, 1)
    for clock in ("wall", "cpu"):   # the store's own share, free of the extraction's run-to-run noise
        a, b = out["extract"][f"{clock}_ms_per_article"], out["store"][f"{clock}_ms_per_article"]
        out[f"store_share_{clock}_pct"] = round(b / a * 100, 1)
    return out


# -- 2. stores of many sizes -------------------------------------------------------------------
def build_stores(base: list[Any], sizes: list[int], *, write_max: int, variants: int, work: Path,
                 rebuild: bool) -> list[dict[str, Any]]:
    """One SQLite file per size (reused when its metadata says it was built with the same settings)."""
    written = [s for s in sizes if s <= write_max]
    if not written:
        raise SystemExit("--write-max is below every size: nothing to duplicate")
    built: list[dict[str, Any]] = []
    prev: dict[str, Any] | None = None
    for size in sizes:
        db = work / f"store-{size}.db"
        meta_path = db.with_suffix(".json")
        settings = {"size": size, "base": len(base), "variants": variants,
                    "written": size <= write_max or write_max}
        if not rebuild and meta_path.exists() and db.exists():
            meta = json.loads(meta_path.read_text())
            if meta.get("settings") == settings:
                print(f"store {size}: reused {db}", flush=True)
                built.append(meta)
                prev = meta if size <= write_max else prev
                continue
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        t = time.perf_counter()
        if size <= write_max:
            start, raw = 0, 0
            if prev:                                    # continue from the smaller store: copies are a prefix
                shutil.copyfile(prev["db"], db)
                start, raw = prev["articles"], prev["raw_bytes"]
            raw += write_store(db, base, start=start, stop=size, variants=variants,
                               progress=lambda n, s, lo=start: _progress(size, n, lo, s))
            how = f"writer ({size - start} stored{f', on top of the {start}-article store' if start else ''})"
        else:
            src = prev or built[-1]
            factor = size // src["articles"]
            if factor * src["articles"] != size:
                raise SystemExit(f"size {size} is not a multiple of the largest written store ({src['articles']})")
            shutil.copyfile(src["db"], db)
            multiply_store(db, factor)
            raw = src["raw_bytes"] * factor
            how = f"SQL duplication x{factor} of the {src['articles']}-article written store"
        seconds = time.perf_counter() - t
        size_bytes = store_bytes(db)
        meta = {"settings": settings, "db": str(db), "articles": size, "how": how, "build_s": round(seconds, 1),
                "raw_bytes": raw, "db_bytes": size_bytes, "ratio": round(size_bytes / raw, 2)}
        meta_path.write_text(json.dumps(meta, indent=1))
        print(f"store {size}: {how}, {seconds:.0f} s, {size_bytes / 2**20:.1f} MiB, "
              f"{meta['ratio']}x raw text", flush=True)
        built.append(meta)
        if size <= write_max:
            prev = meta
    return built


def _progress(size: int, n: int, start: int, seconds: float) -> None:
    if (n - start) % 1024 == 0 or n == size:
        print(f"  store {size}: {n} articles, {seconds / max(1, n - start) * 1000:.1f} ms/article written",
              flush=True)


# -- 3. query latency --------------------------------------------------------------------------
#: The name samples: ``uniform`` over the entities that can answer the query (mostly rare names),
#: ``weighted`` by the number of articles naming each (the entity behind a random mention: what a
#: reader clicking names asks for), ``busiest`` the 5 entities named in the most articles.
PROFILES = ("uniform", "weighted", "busiest")


def _pool(store: Any, sql: str) -> tuple[list[str], list[int]]:
    rows = store.query(f"SELECT e.name, MAX(e.articles) AS n FROM entities e WHERE e.merged_into IS NULL AND {sql} "
                       f"GROUP BY e.name ORDER BY e.name")
    return [r["name"] for r in rows], [max(1, r["n"] or 0) for r in rows]


def sample_names(store: Any, samples: int, *, seed: int) -> dict[str, dict[str, list[str]]]:
    """Per query and profile (``PROFILES``), the names to time."""
    busiest = [r["name"] for r in store.query("SELECT name FROM entities WHERE merged_into IS NULL "
                                              "ORDER BY articles DESC, gid LIMIT 5")]
    pools = {
        "timeline": "e.type IN ('PERSON', 'ORG') AND (EXISTS (SELECT 1 FROM event_roles r WHERE r.gid = e.gid) "
                    "OR EXISTS (SELECT 1 FROM quotes q WHERE q.speaker_gid = e.gid))",
        "quotes --speaker": "EXISTS (SELECT 1 FROM quotes q WHERE q.speaker_gid = e.gid)",
        "deals --party": "EXISTS (SELECT 1 FROM deal_parties p WHERE p.gid = e.gid)",
        "entity": "1 = 1",
    }
    rnd = random.Random(seed)
    out = {}
    for query, sql in pools.items():
        names, weights = _pool(store, sql)
        out[query] = {"uniform": rnd.sample(names, min(samples, len(names))),
                      "weighted": rnd.choices(names, weights, k=samples) if names else [],
                      "busiest": busiest}
    return out


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    p95 = ms[max(0, -(-95 * len(ms) // 100) - 1)]          # nearest rank
    return {"n": len(ms), "p50": round(statistics.median(ms), 2), "p95": round(p95, 2),
            "max": round(ms[-1], 2), "mean": round(statistics.fmean(ms), 2)}


def time_queries(db: str, *, samples: int, seed: int) -> dict[str, dict[str, dict[str, float]]]:
    """Per query and name profile: p50/p95/max ms (one untimed warm-up call per query), and how
    many answers were not empty."""
    from newsgraph.errors import QueryError
    from newsgraph.store import queries as Q
    from newsgraph.store.db import open_store

    calls: dict[str, Callable[[Any, str], Any]] = {
        "timeline": lambda s, n: Q.timeline(s, n),
        "quotes --speaker": lambda s, n: Q.quotes(s, speaker=n),
        "deals --party": lambda s, n: Q.deals(s, party=n),
        "entity": lambda s, n: Q.entity_profile(s, n),
    }
    out: dict[str, dict[str, dict[str, float]]] = {}
    with open_store(db, migrate=False) as store:
        names = sample_names(store, samples, seed=seed)
        for query, fn in calls.items():
            if not names[query]["uniform"]:
                continue
            fn(store, names[query]["uniform"][0])
            out[query] = {}
            for profile in PROFILES:
                ms, found = [], 0
                for name in names[query][profile]:
                    t = time.perf_counter()
                    try:
                        found += bool(fn(store, name))
                    except QueryError:
                        pass
                    ms.append((time.perf_counter() - t) * 1000)
                out[query][profile] = {**_stats(ms), "non_empty": found}
    return out


# -- 4. report ---------------------------------------------------------------------------------
def plot(result: dict[str, Any], path: Path) -> None:
    """p95 latency against store size, one line per query, the target as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    fig, ax = plt.subplots(figsize=(10.5, 5.2))
    stores = result["stores"]
    for q, color in zip(QUERIES, ("C0", "C1", "C2", "C3")):
        for profile, style in (("uniform", "-"), ("weighted", "--")):
            pts = [(s["articles"], s["latency"][q][profile]["p95"]) for s in stores if q in s.get("latency", {})]
            if pts:
                ax.plot(*zip(*pts), marker="o", linestyle=style, color=color, label=f"{q} ({profile} names)")
    ax.axhline(TARGET_P95_MS, color="grey", linestyle="--", linewidth=1, label=f"target {TARGET_P95_MS:.0f} ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("articles in the store (SQLite)")
    ax.set_ylabel("p95 latency (ms, log scale)")
    ax.set_xticks([s["articles"] for s in stores], [f"{s['articles']:,}" for s in stores])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("newsgraph store: p95 query latency against store size\n" + machine_line(result["machine"]),
                 fontsize=10)
    save_figure(fig, path, result["command"])


def markdown(result: dict[str, Any]) -> str:
    """The BENCHMARKS.md tables."""
    lines = []
    ic = result.get("ingest")
    if ic:
        lines += [f"Ingest cost ({ic['articles']} BBC business articles, best of {ic['rounds']} rounds):", "",
                  "| mode | wall ms/article | CPU ms/article |", "|---|---:|---:|"]
        for mode in [m for m in ("extract", "extract+store", "store") if m in ic]:
            lines.append(f"| {mode} | {ic[mode]['wall_ms_per_article']} | {ic[mode]['cpu_ms_per_article']} |")
        lines += [f"| **overhead** (extract+store / extract - 1) | **{ic['overhead_wall_pct']}%** "
                  f"| **{ic['overhead_cpu_pct']}%** |"]
        if "store" in ic:
            lines.append(f"| **store share** (store / extract) | **{ic['store_share_wall_pct']}%** "
                         f"| **{ic['store_share_cpu_pct']}%** |")
        lines.append("")
    if not result["stores"]:
        return "\n".join(lines)
    lines += ["| articles | built by | DB size | raw text | ratio |", "|---:|---|---:|---:|---:|"]
    for s in result["stores"]:
        lines.append(f"| {s['articles']:,} | {s['how']} | {s['db_bytes'] / 2**20:.1f} MiB | "
                     f"{s['raw_bytes'] / 2**20:.1f} MiB | {s['ratio']}x |")
    lines += ["", "| articles | query | uniform names p50 / p95 / max ms | weighted names p50 / p95 / max ms "
                  "| 5 busiest max ms |", "|---:|---|---:|---:|---:|"]
    for s in result["stores"]:
        for q in QUERIES:
            st = s.get("latency", {}).get(q)
            if st:
                u, w = st["uniform"], st["weighted"]
                lines.append(f"| {s['articles']:,} | {q} | {u['p50']} / **{u['p95']}** / {u['max']} "
                             f"| {w['p50']} / **{w['p95']}** / {w['max']} | {st['busiest']['max']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--limit", type=int, default=100, help="BBC business articles for the ingest cost (0: skip)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of each ingest-cost mode (best counts)")
    ap.add_argument("--base", type=int, default=300, help="real BBC articles the synthetic stores are made of")
    ap.add_argument("--sizes", default="1000,10000,100000", help="store sizes, comma-separated ('': ingest cost only)")
    ap.add_argument("--write-max", type=int, default=10_000,
                    help="largest store written through the writer; larger ones are SQL duplicates of it")
    ap.add_argument("--variants", type=int, default=200, help="name variants per person/organisation")
    ap.add_argument("--samples", type=int, default=200, help="random names timed per query and size")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "out" / "store",
                    help="folder for the cached extraction and the store files (large: ~1 GiB at 100k)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild stores even when a matching one exists")
    ap.add_argument("--keep", action="store_true", help="keep the store files (default: delete after timing)")
    ap.add_argument("--json", type=Path, default=None, help="write the full result here")
    ap.add_argument("--plot", default=str(REPO / "docs" / "bench-store-latency.png"),
                    help="PNG of p95 latency against store size ('' for none)")
    ap.add_argument("--report", type=Path, default=None,
                    help="only redraw the plot and print the tables of a saved --json result")
    args = ap.parse_args(argv)
    if args.report:
        saved = json.loads(args.report.read_text())
        if args.plot and saved.get("stores"):
            plot(saved, Path(args.plot))
        print(markdown(saved))
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    args.work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"command": shlex.join(["python", "bench/store_bench.py",
                                                     *(sys.argv[1:] if argv is None else argv)]),
                              "machine": machine()}
    if args.limit:
        paths = sorted(data_dir("bbc_news_raw").glob("business/*.txt"))[:args.limit]
        result["ingest"] = ingest_cost(paths, rounds=args.rounds, work=args.work)
        print(json.dumps(result["ingest"]), flush=True)
    stores: list[dict[str, Any]] = []
    if sizes:
        all_paths = sorted(data_dir("bbc_news_raw").glob("*/*.txt"))
        step = max(1.0, len(all_paths) / args.base)
        base_paths = [all_paths[int(i * step)] for i in range(min(args.base, len(all_paths)))]
        base = base_articles(base_paths, args.work / f"base-{len(base_paths)}.jsonl")
        result["base_articles"] = len(base)
        stores = build_stores(base, sizes, write_max=args.write_max, variants=args.variants, work=args.work,
                              rebuild=args.rebuild)
    for s in stores:
        s["latency"] = time_queries(s["db"], samples=args.samples, seed=args.seed)
        print(f"store {s['articles']}: " + ", ".join(f"{q} p95 {v['uniform']['p95']} / {v['weighted']['p95']} ms"
                                                     for q, v in s["latency"].items()), flush=True)
    result["stores"] = stores
    result["targets"] = {
        "ingest_overhead_pct": TARGET_OVERHEAD, "p95_ms": TARGET_P95_MS, "db_over_raw": TARGET_RATIO,
        "met": {"overhead": (max(result["ingest"]["overhead_wall_pct"], result["ingest"]["overhead_cpu_pct"])
                             <= TARGET_OVERHEAD) if args.limit else None,
                "p95": all(v[p]["p95"] < TARGET_P95_MS for s in stores for v in s["latency"].values()
                           for p in ("uniform", "weighted")),
                "size": all(s["ratio"] < TARGET_RATIO for s in stores)}}
    if not args.keep:
        for s in stores:
            for suffix in ("", "-wal", "-shm"):
                Path(s["db"] + suffix).unlink(missing_ok=True)
            Path(s["db"]).with_suffix(".json").unlink(missing_ok=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    if args.plot and stores:
        plot(result, Path(args.plot))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
