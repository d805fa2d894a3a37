"""The CI evaluation gate: each task on its pinned dev subset must stay at or above its floors.

Subsets and floors live in ``src/newsgraph/eval/baseline.json`` (``gate_limits``, and
``floors["dev:limit=N"]``). After an intended change, re-pin with
``python -m newsgraph.eval gate --write-floors`` and commit the reviewed diff.
"""
from __future__ import annotations

import pytest

from newsgraph.eval import runner

BASELINE = runner.load_baseline()
GATE = BASELINE["gate_limits"]


def test_gate_covers_every_task():
    assert set(GATE) == set(runner.TASKS)


@pytest.mark.parametrize("task", sorted(GATE))
def test_dev_subset_stays_above_its_floors(task):
    limit = GATE[task]
    floors = BASELINE["floors"].get(runner.scope("dev", limit), {})
    pinned = {k: v for k, v in floors.items() if k.split(".", 1)[0] == task}
    report = runner.run_task(task, split="dev", limit=limit, baselines=False)
    if report["status"] == "missing" and not pinned:
        pytest.skip(f"{task}: {report['error']} and no floors are pinned")
    assert report["status"] == "ok", report.get("error")
    assert runner.contract_problems(report) == []
    assert pinned, f"no gate floors pinned for {task}: run `python -m newsgraph.eval gate --write-floors`"
    assert runner.check_floors([report], pinned) == []
