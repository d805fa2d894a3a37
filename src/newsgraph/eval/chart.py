"""A bar chart of the evaluation: newsgraph next to its best baseline, one headline metric per task."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .runner import headline

NEWSGRAPH_COLOUR = "#1f77b4"
BASELINE_COLOUR = "#bbbbbb"


def rows(reports: Iterable[dict]) -> list[tuple[str, float, str | None, float | None]]:
    """(label, newsgraph value, best baseline name, its value) per task that ran, in report order."""
    out = []
    for report in reports:
        metric = headline(report) if report.get("status", "ok") == "ok" else None
        if metric is None:
            continue
        systems = report["systems"]
        others = [(name, m[metric]) for name, m in systems.items()
                  if name != "newsgraph" and isinstance(m.get(metric), (int, float))]
        best = max(others, key=lambda x: x[1]) if others else (None, None)
        out.append((f"{report['task']}\n{metric}", float(systems["newsgraph"][metric]), best[0], best[1]))
    return out


def draw(reports: Iterable[dict], path: Path, *, title: str = "newsgraph vs baselines") -> Path:
    """Write the chart as a PNG (matplotlib, headless) and return its path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = rows(reports)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(data) + 2), 4.2), dpi=120)
    width = 0.38
    for i, (label, ours, base_name, base) in enumerate(data):
        ax.bar(i - width / 2, ours, width, color=NEWSGRAPH_COLOUR, label="newsgraph" if i == 0 else None)
        ax.text(i - width / 2, ours + 0.01, f"{ours:.2f}", ha="center", va="bottom", fontsize=8)
        if base is not None:
            ax.bar(i + width / 2, base, width, color=BASELINE_COLOUR, label="best baseline" if i == 0 else None)
            ax.text(i + width / 2, base + 0.01, f"{base:.2f}\n{base_name}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(data)), [d[0] for d in data], fontsize=8)
    ax.set_ylim(0, 1.25)
    ax.set_ylabel("score (headline metric)")
    ax.set_title(title)
    ax.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
