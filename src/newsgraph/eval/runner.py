"""Run evaluation tasks by name, print their scores side by side, and hold them to the floors.

A task is a module ``newsgraph.eval.<task>`` with ``evaluate(split, *, limit, baselines)``
returning the eval-contract report (see EVALUATION.md). Floors live in ``baseline.json``
next to this file, grouped by *scope* (``dev`` for a full split, ``dev:limit=25`` for
the first 25 documents) and keyed ``task.system.metric``.
"""
from __future__ import annotations

import importlib
import json
import math
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

#: Every task, in the order ``eval all`` runs them; ``reference`` is the reference-article checklist.
TASKS = ("entities", "quotes", "amounts", "times", "events", "reference")
SPLITS = ("dev", "test", "train")
BASELINE = Path(__file__).with_name("baseline.json")
#: Only newsgraph's own headline-style metrics get floors (precision/recall trade-offs are allowed).
FLOOR_SYSTEM = "newsgraph"
FLOOR_SUFFIXES = ("f1", "accuracy", "score")
DEFAULT_MARGIN = 0.02


def run_task(task: str, *, split: str = "dev", limit: int | None = None, baselines: bool = True) -> dict:
    """Import ``newsgraph.eval.<task>`` and run it; a missing or failing module gives a report with status."""
    started = time.perf_counter()
    module_name = f"newsgraph.eval.{task}"
    if task not in TASKS:
        return _failed(task, split, "unknown", f"unknown task {task!r} (tasks: {', '.join(TASKS)})")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return _failed(task, split, "missing", f"{module_name} does not exist yet")
        return _failed(task, split, "error", _describe(exc))
    except Exception as exc:  # noqa: BLE001 - an import-time crash is reported, other tasks still run
        return _failed(task, split, "error", _describe(exc))
    if not hasattr(module, "evaluate"):
        return _failed(task, split, "error", f"{module_name} has no evaluate() function")
    try:
        report = module.evaluate(split, limit=limit, baselines=baselines)
    except Exception as exc:  # noqa: BLE001
        return _failed(task, split, "error", _describe(exc))
    report = dict(report)
    report.setdefault("status", "ok")
    report["limit"] = limit
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _failed(task: str, split: str, status: str, message: str) -> dict:
    return {"task": task, "split": split, "status": status, "error": message, "systems": {}, "errors": []}


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" (at {Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def contract_problems(report: dict) -> list[str]:
    """What in a report breaks the eval contract (empty when it is sound)."""
    problems = [f"missing key {k!r}" for k in ("task", "dataset", "split", "n_docs", "systems", "errors")
                if k not in report]
    systems = report.get("systems") or {}
    if "newsgraph" not in systems:
        problems.append("no 'newsgraph' system")
    for system, metrics in systems.items():
        for name, value in metrics.items():
            if name != name.lower() or " " in name:
                problems.append(f"{system}.{name}: metric names are snake_case")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{system}.{name}: {value!r} is not a number")
            elif isinstance(value, float) and name.endswith(("precision", "recall", "f1", "accuracy", "score")) \
                    and not 0.0 <= value <= 1.0:
                problems.append(f"{system}.{name}: {value} is outside [0, 1]")
    if len(report.get("errors") or []) > 30:
        problems.append("more than 30 error examples")
    try:
        json.dumps(report)
    except TypeError as exc:
        problems.append(f"not JSON-serialisable: {exc}")
    return problems


def headline(report: dict) -> str | None:
    """The metric that sums a task up: the report's ``headline``, else f1/macro_f1/accuracy/score/any *_f1."""
    metrics = (report.get("systems") or {}).get("newsgraph") or {}
    if report.get("headline") in metrics:
        return report["headline"]
    for name in ("f1", "macro_f1", "accuracy", "score"):
        if name in metrics:
            return name
    return next((m for m in metrics if m.endswith(FLOOR_SUFFIXES)), None)


def format_report(report: dict, *, show_errors: int = 0) -> str:
    """A plain-text table: one row per metric, one column per system (newsgraph first)."""
    task, status = report.get("task"), report.get("status", "ok")
    if status != "ok":
        return f"{task}: {status.upper()} - {report.get('error')}"
    systems = report["systems"]
    names = ["newsgraph"] + [s for s in systems if s != "newsgraph"]
    metrics: list[str] = []
    for s in names:
        metrics += [m for m in systems.get(s, {}) if m not in metrics]
    head = report.get("headline") or headline(report)
    width = max([len(m) for m in metrics] + [8]) + 2
    title = (f"{task} - {report.get('dataset')}, {report.get('split')}, {report.get('n_docs')} docs"
             + (f" (limit {report['limit']})" if report.get("limit") else "")
             + (f", {report['seconds']} s" if "seconds" in report else ""))
    lines = [title, "metric".ljust(width) + "".join(s.rjust(14) for s in names)]
    for m in metrics:
        row = (m + (" *" if m == head else "")).ljust(width)
        row += "".join(_cell(systems.get(s, {}).get(m)).rjust(14) for s in names)
        lines.append(row)
    for err in (report.get("errors") or [])[:show_errors]:
        lines.append(f"  [{err.get('kind')}] {err.get('doc')}: gold={err.get('gold')!r} pred={err.get('pred')!r}"
                     f" | {str(err.get('context', ''))[:160]}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def scope(split: str, limit: int | None) -> str:
    """The floors group a run belongs to: ``dev`` or ``dev:limit=25``."""
    return split if limit is None else f"{split}:limit={limit}"


def load_baseline(path: Path = BASELINE) -> dict:
    """The baseline file (floors per scope, gate limits, margin); empty groups when it does not exist."""
    if not path.exists():
        return {"margin": DEFAULT_MARGIN, "gate_limits": {}, "floors": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("floors", {})
    data.setdefault("gate_limits", {})
    return data


def floor_metrics(report: dict) -> dict[str, float]:
    """``task.system.metric`` -> value for the metrics that get floors."""
    metrics = (report.get("systems") or {}).get(FLOOR_SYSTEM) or {}
    return {f"{report['task']}.{FLOOR_SYSTEM}.{m}": v for m, v in metrics.items()
            if isinstance(v, float) and m.endswith(FLOOR_SUFFIXES)}


def check_floors(reports: Iterable[dict], floors: dict[str, float]) -> list[str]:
    """Every floor broken by these reports, as readable lines (empty when all hold)."""
    failures = []
    for report in reports:
        task = report["task"]
        mine = {k: v for k, v in floors.items() if k.split(".", 1)[0] == task}
        if not mine:
            continue
        if report.get("status", "ok") != "ok":
            failures.append(f"{task}: {report.get('status')} ({report.get('error')}) but {len(mine)} floors are pinned")
            continue
        got = floor_metrics(report)
        for key, floor in sorted(mine.items()):
            if key not in got:
                failures.append(f"{key}: no longer reported (floor {floor})")
            elif got[key] < floor:
                failures.append(f"{key}: {got[key]:.4f} is below its floor {floor:.4f}")
    return failures


def pin(value: float, margin: float) -> float:
    """A floor a little below a measured value (rounded down to 3 decimals, never below 0)."""
    return max(0.0, math.floor((value - margin) * 1000) / 1000)


def write_floors(reports: Iterable[dict], *, split: str, limit: int | None,
                 path: Path = BASELINE, margin: float | None = None) -> dict[str, float]:
    """Re-pin the floors of the tasks in ``reports`` (their scope only) at measured minus margin."""
    data = load_baseline(path)
    margin = data.get("margin", DEFAULT_MARGIN) if margin is None else margin
    group = data["floors"].setdefault(scope(split, limit), {})
    changed = {}
    for report in reports:
        if report.get("status", "ok") != "ok":
            continue
        for key in [k for k in group if k.split(".", 1)[0] == report["task"]]:
            del group[key]
        for key, value in floor_metrics(report).items():
            group[key] = changed[key] = pin(value, margin)
    data["floors"][scope(split, limit)] = dict(sorted(group.items()))
    data["floors"] = {k: v for k, v in sorted(data["floors"].items()) if v}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def run_gate(*, tasks: Iterable[str] | None = None, path: Path = BASELINE,
             write: bool = False) -> tuple[list[dict], list[str]]:
    """Run each gate task on its pinned dev subset (no baselines) and check (or re-pin) its floors."""
    data = load_baseline(path)
    limits = data["gate_limits"]
    reports, failures = [], []
    for task in tasks or list(limits):
        limit = limits.get(task)
        report = run_task(task, split="dev", limit=limit, baselines=False)
        reports.append(report)
        if write:
            write_floors([report], split="dev", limit=limit, path=path)
        else:
            failures += check_floors([report], data["floors"].get(scope("dev", limit), {}))
    return reports, failures


def bundle(reports: list[dict], *, split: str, limit: int | None, baselines: bool,
           failures: list[str] | None = None) -> dict:
    """The ``--json`` document: every report plus when, on what and with which floors result."""
    return {"generated": datetime.now(timezone.utc).isoformat(timespec="seconds"), "split": split,
            "limit": limit, "baselines": baselines, "reports": reports, "floor_failures": failures}
