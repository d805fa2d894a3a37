"""Memory over a long stream: resident memory of `extract_many` sampled every K articles.

    python bench/memory_stream.py                       # 100,000 articles (hours on 2 cores)
    python bench/memory_stream.py -n 5000 --every 250   # what BENCHMARKS.md reports

The BBC texts are fed again and again, each copy with a new id and a new closing line
("Ref 004217-3f9a.") so that every article brings strings the pipeline has not seen, as a
real feed does (new names, numbers). Exits 1 when memory grows with the number of articles
(slope after warm-up above --max-slope MiB per 10,000 articles) or the peak passes --max-mib.
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


def slope(samples: list[dict[str, float]], warmup: float, *, first_pass: int = 0) -> float | None:
    """Least-squares growth of RSS in MiB per 10,000 articles, after the warm-up.

    The warm-up is the larger of a share of the run and one pass over the distinct texts
    (while the pipeline's vocabulary fills with the corpus's words, memory rightly grows).
    """
    skip = max(warmup * samples[-1]["articles"], first_pass)
    pts = [(s["articles"], s["rss_mib"]) for s in samples if s["articles"] >= skip]
    if len(pts) < 3:
        return None                      # too short a run to tell
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx * 10_000 if sxx else 0.0


def run(n: int, every: int, *, batch_size: int | None, model: str | None) -> dict[str, Any]:
    """Extract the stream, writing JSON lines to nowhere, and sample memory."""
    from newsgraph import extract_many, nlp as ng_nlp

    texts, _ = read_texts(bbc_paths())
    nlp = ng_nlp.load(model)
    samples = [{"articles": 0, "rss_mib": round(rss_mib(), 1), "s": 0.0}]
    start, done, failed = time.perf_counter(), 0, 0
    opts = {"batch_size": batch_size} if batch_size else {}
    with open(os.devnull, "w") as sink:
        for r in extract_many(stream(texts, n), nlp=nlp, **opts):
            done += 1
            if r.article is None:
                failed += 1
            else:
                sink.write(json.dumps(r.article.to_dict(), ensure_ascii=False) + "\n")
            if done % every == 0 or done == n:
                samples.append({"articles": done, "rss_mib": round(rss_mib(), 1),
                                "s": round(time.perf_counter() - start, 1)})
                print(f"{done:>7} articles  {samples[-1]['rss_mib']:7.1f} MiB  {samples[-1]['s']:7.1f} s",
                      file=sys.stderr, flush=True)
    return {"articles": done, "failed": failed, "samples": samples, "peak_rss_mib": peak_rss_mib()["self"],
            "strings": len(nlp.vocab.strings), "distinct_texts": len(texts)}


def plot(path: Path, info: dict[str, Any], result: dict[str, Any]) -> None:
    """RSS against articles processed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [s["articles"] for s in result["samples"]]
    ys = [s["rss_mib"] for s in result["samples"]]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(xs, ys, marker=".", label="resident memory (RSS)")
    ax.axhline(1024, color="grey", linestyle="--", linewidth=1, label="1 GiB budget")
    if result.get("warmup_end") and result["warmup_end"] < xs[-1]:
        ax.axvline(result["warmup_end"], color="orange", linestyle=":", linewidth=1,
                   label="end of warm-up (one pass over the corpus)")
    ax.set_xlabel("articles extracted")
    ax.set_ylabel("MiB")
    ax.set_ylim(0, max(1100, max(ys) * 1.1))
    ax.set_title(f"newsgraph extract_many, one process, {result['articles']:,} articles "
                 f"(slope after warm-up {result['slope_mib_per_10k']} MiB / 10k)\n{machine_line(info)}", fontsize=8)
    ax.legend(loc="lower right")
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="articles in the stream")
    ap.add_argument("--every", type=int, default=500, help="sample memory every K articles")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--warmup", type=float, default=0.25,
                    help="share of the run left out of the slope (at least one pass over the corpus)")
    ap.add_argument("--replot", metavar="JSON", help="recompute the verdict and redraw from a saved result")
    ap.add_argument("--max-slope", type=float, default=10.0, help="MiB per 10,000 articles allowed")
    ap.add_argument("--max-mib", type=float, default=1024.0, help="peak RSS allowed")
    ap.add_argument("--json", default=str(REPO / "bench" / "results" / "memory_stream.json"))
    ap.add_argument("--plot", default=str(REPO / "docs" / "bench-memory-stream.png"), help="PNG path ('' for none)")
    args = ap.parse_args(argv)

    if args.replot:
        saved = json.loads(Path(args.replot).read_text())
        info, result = saved["machine"], {k: saved[k] for k in ("articles", "failed", "samples", "peak_rss_mib",
                                                                 "strings", "distinct_texts") if k in saved}
        result.setdefault("distinct_texts", 2224)
        sys.argv = saved["command"].split()[1:]
    else:
        info = machine()
        result = run(args.n, args.every, batch_size=args.batch_size, model=args.model)
    growth = slope(result["samples"], args.warmup, first_pass=result["distinct_texts"])
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
        plot(Path(args.plot), info, out)
    print(f"Machine: {machine_line(info)}\n{result['articles']:,} articles ({result['failed']} failed): RSS "
          f"{first[0]['rss_mib']} MiB after {first[0]['articles']} -> {last['rss_mib']} MiB at the end; peak "
          f"{result['peak_rss_mib']} MiB; slope after the warm-up ({args.warmup:.0%} of the run, at least one "
          f"pass) {result['slope_mib_per_10k']} MiB per 10,000 articles; {result['strings']:,} strings in the "
          f"vocab; { {True: 'FLAT', False: 'GROWS', None: 'TOO SHORT TO JUDGE'}[flat]} "
          f"(limits {args.max_slope} MiB/10k, {args.max_mib:.0f} MiB)")
    return 1 if flat is False else 0


if __name__ == "__main__":
    sys.exit(main())
