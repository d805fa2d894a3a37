"""Shared helpers for the benchmark scripts: the BBC inputs, the machine, child processes, memory."""
from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from newsgraph.eval.corpora import data_dir

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
#: Children print their one JSON result on a line starting with this marker.
MARK = "@@bench "


def bbc_paths(limit: int | None = None) -> list[Path]:
    """The BBC article files, sorted; ``limit`` takes an even spread over the five categories."""
    paths = sorted(data_dir("bbc_news_raw").glob("*/*.txt"))
    if limit and limit < len(paths):
        step = len(paths) / limit
        paths = [paths[int(i * step)] for i in range(limit)]
    return paths


def read_texts(paths: Sequence[Path]) -> tuple[list[str], list[str]]:
    """The UTF-8 texts of ``paths`` and the paths that do not decode (what bare spaCy cannot take)."""
    texts, refused = [], []
    for p in paths:
        try:
            texts.append(p.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            refused.append(str(p))
    return texts, refused


def machine() -> dict[str, Any]:
    """What the figures were measured on: cores, CPU model, RAM, load, versions, date."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import spacy

    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
            "cpu": cpu, "ram_gib": round(ram, 1), "loadavg": os.getloadavg()[0],
            "python": platform.python_version(), "spacy": spacy.__version__}


def machine_line(info: dict[str, Any]) -> str:
    """One line naming the machine and the date, for plot titles and tables."""
    return (f"{info['nproc']} cores {info['cpu']}, {info['ram_gib']} GiB RAM, "
            f"load {info['loadavg']:.1f}, {info['date']}")


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (spaCy's n_process workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB (Linux KiB units)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self": round(me.ru_maxrss / 1024, 1), "child": round(kids.ru_maxrss / 1024, 1)}


def rss_mib() -> float:
    """Current resident memory of this process, in MiB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def emit(result: dict[str, Any]) -> None:
    """Hand a child's result to its parent on stdout."""
    print(MARK + json.dumps(result), flush=True)


def run_child(script: Path, args: Sequence[str], *, timeout: float | None = None) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter (so memory peaks do not mix) and return its result."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK):])
            result["child_wall_s"] = round(time.perf_counter() - started, 2)
            return result
    raise RuntimeError(f"{script.name} {' '.join(args)} failed (exit {proc.returncode}):\n"
                       f"{proc.stderr[-3000:]}")


def save_figure(fig: Any, path: Path, command: str | None = None, **layout: Any) -> None:
    """Lay out, write (creating the folder) and close a matplotlib figure; ``command`` (the one that
    made the figure) goes in a footer, so that the picture says how to make it again."""
    import textwrap

    import matplotlib.pyplot as plt

    if command:
        lines = textwrap.wrap(f"$ {command}", 110)
        fig.text(0.01, 0.01, "\n".join(lines), fontsize=6.5, family="monospace")
        layout.setdefault("rect", (0, 0.035 * len(lines) + 0.01, 1, 1))
    fig.tight_layout(**layout)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
