"""The evaluation runner, CLI, CoNLL++ reader, entity scoring and chart, on real gold data and small fakes."""
from __future__ import annotations

import json
import sys
import types

import pytest
from click.testing import CliRunner

from newsgraph.eval import chart, entities, runner
from newsgraph.eval.cli import eval_group
from newsgraph.eval.corpora import conllpp


def _report(task: str, **metrics) -> dict:
    return {"task": task, "dataset": "fake", "split": "dev", "n_docs": 1, "status": "ok",
            "systems": {"newsgraph": metrics, "spacy_sm": {k: v / 2 for k, v in metrics.items()}}, "errors": []}


@pytest.fixture
def fake_task(monkeypatch):
    """Register tasks 'fake_ok' (a module), 'fake_boom' (raises) and 'fake_absent' (no module)."""
    monkeypatch.setattr(runner, "TASKS", runner.TASKS + ("fake_ok", "fake_boom", "fake_absent"))
    ok = types.ModuleType("newsgraph.eval.fake_ok")
    ok.evaluate = lambda split, *, limit=None, baselines=True: _report("fake_ok", f1=0.8, accuracy=0.5, tp=3)
    boom = types.ModuleType("newsgraph.eval.fake_boom")

    def explode(split, *, limit=None, baselines=True):
        raise KeyError("gold file lacks a column")

    boom.evaluate = explode
    monkeypatch.setitem(sys.modules, "newsgraph.eval.fake_ok", ok)
    monkeypatch.setitem(sys.modules, "newsgraph.eval.fake_boom", boom)


def test_missing_and_failing_tasks_are_reported_not_raised(fake_task):
    absent = runner.run_task("fake_absent")
    assert absent["status"] == "missing" and "fake_absent does not exist" in absent["error"]
    boom = runner.run_task("fake_boom")
    assert boom["status"] == "error" and "KeyError" in boom["error"] and "gold file lacks" in boom["error"]
    assert runner.run_task("no_such_task")["status"] == "unknown"
    ok = runner.run_task("fake_ok", limit=3)
    assert ok["status"] == "ok" and ok["limit"] == 3 and runner.contract_problems(ok) == []
    assert runner.format_report(absent).startswith("fake_absent: MISSING")


def test_table_puts_systems_side_by_side_and_marks_the_headline():
    text = runner.format_report(_report("fake_ok", f1=0.8, tp=3))
    header, f1_row, tp_row = text.splitlines()[1:4]
    assert header.split() == ["metric", "newsgraph", "spacy_sm"]
    assert f1_row.split() == ["f1", "*", "0.8000", "0.4000"]
    assert tp_row.split() == ["tp", "3", "1.5000"]


def test_contract_problems_catch_bad_reports():
    bad = {"task": "x", "dataset": "d", "split": "dev", "n_docs": 1, "errors": [{}] * 31,
           "systems": {"spacy_sm": {"F1": 0.5, "recall": 1.5, "note": "n/a"}}}
    problems = runner.contract_problems(bad)
    assert "no 'newsgraph' system" in problems
    assert any("snake_case" in p for p in problems)
    assert any("outside [0, 1]" in p for p in problems)
    assert any("not a number" in p for p in problems)
    assert "more than 30 error examples" in problems


def test_floors_break_on_a_drop_a_vanished_metric_or_a_failed_task():
    floors = {"fake.newsgraph.f1": 0.75, "fake.newsgraph.accuracy": 0.40, "other.newsgraph.f1": 0.9}
    assert runner.check_floors([_report("fake", f1=0.8, accuracy=0.5)], floors) == []
    [drop] = runner.check_floors([_report("fake", f1=0.7, accuracy=0.5)], floors)
    assert drop.startswith("fake.newsgraph.f1: 0.7000 is below its floor 0.7500")
    [gone] = runner.check_floors([_report("fake", f1=0.8)], floors)
    assert gone.startswith("fake.newsgraph.accuracy: no longer reported")
    failed = {"task": "fake", "status": "error", "error": "boom", "systems": {}}
    assert "fake: error (boom)" in runner.check_floors([failed], floors)[0]


def test_write_floors_pins_below_measured_for_that_scope_only(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"margin": 0.02, "gate_limits": {}, "floors": {
        "dev": {"keep.newsgraph.f1": 0.5, "fake.newsgraph.stale_f1": 0.9}}}))
    changed = runner.write_floors([_report("fake", f1=0.8123, accuracy=0.5, tp=3, recall=0.9)],
                                  split="dev", limit=None, path=path)
    assert changed == {"fake.newsgraph.f1": 0.792, "fake.newsgraph.accuracy": 0.48}
    runner.write_floors([_report("fake", f1=0.6)], split="dev", limit=10, path=path)
    floors = json.loads(path.read_text())["floors"]
    assert floors["dev"] == {"fake.newsgraph.accuracy": 0.48, "fake.newsgraph.f1": 0.792, "keep.newsgraph.f1": 0.5}
    assert floors["dev:limit=10"] == {"fake.newsgraph.f1": 0.58}
    assert runner.pin(0.01, 0.02) == 0.0


def test_conllpp_dev_matches_its_readme_counts():
    docs = conllpp.read("dev")
    assert len(docs) == 216
    kinds = [e.type for d in docs for e in d.entities]
    assert (kinds.count("PER"), kinds.count("ORG"), kinds.count("LOC"), kinds.count("MISC")) == (1842, 1341, 1837, 922)
    first = docs[0]
    assert first.text.splitlines()[1] == "LONDON 1996-08-30"
    assert [(e.text, e.type) for e in first.entities[:4]] == [
        ("LEICESTERSHIRE", "ORG"), ("LONDON", "LOC"), ("West Indian", "MISC"), ("Phil Simmons", "PER")]
    assert all(d.text[e.start:e.end] == e.text for d in docs for e in d.entities)
    assert len(conllpp.read("test", limit=3)) == 3


def test_entity_score_is_exact_match_on_span_and_coarse_type():
    gold = [{(0, 5, "PER"), (10, 16, "ORG"), (20, 25, "LOC")}]
    pred = [{(0, 5, "PER"), (10, 16, "LOC"), (20, 24, "LOC"), (30, 35, "ORG")}]
    s = entities.score(gold, pred)
    assert (s["tp"], s["fp"], s["fn"]) == (1, 3, 2)
    assert s["precision"] == 0.25 and s["recall"] == 0.3333 and s["per_f1"] == 1.0 and s["loc_f1"] == 0.0
    assert entities.coarse("GPE") == entities.coarse("FAC") == "LOC" and entities.coarse("NORP") is None


def test_meantime_named_mentions_keep_the_inner_name_and_match_by_overlap():
    reader = pytest.importorskip("newsgraph.eval.corpora.meantime")
    data = entities.meantime_dataset(reader, "dev", 4)
    i = next(n for n, t in enumerate(data.texts) if t.startswith("Ryanair exercises"))
    text, gold = data.texts[i], data.gold[i]
    names = {text[s:e] for s, e, _ in gold}
    assert "Ryanair" in names and "Irish low cost airline, Ryanair" not in names
    start = text.index("Ryanair")
    rya = next(g for g in gold if g[0] == start)
    # a prediction overlapping the gold name counts once; a second one is a false positive
    aligned = data.align(i, {(start, start + 7, "ORG"), (start, start + 3, "ORG")})
    assert rya in aligned and len(aligned) == 2
    assert data.align(i, {(start, start + 7, "PER")}) == {(start, start + 7, "PER")}
    assert data.align(i, {(len(text) - 3, len(text), "ORG")}) == set()   # beyond the annotated head


def test_cli_entities_writes_a_contract_report(tmp_path):
    out = tmp_path / "ent.json"
    result = CliRunner().invoke(eval_group, ["entities", "--limit", "2", "--no-baselines", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "conllpp_f1 *" in result.output
    doc = json.loads(out.read_text())
    [report] = doc["reports"]
    assert runner.contract_problems(report) == []
    assert set(report["systems"]) == {"newsgraph"} and report["n_docs"] >= 2


def test_cli_exits_non_zero_for_a_bad_split():
    result = CliRunner().invoke(eval_group, ["entities", "--split", "validation"])
    assert result.exit_code == 2 and "Invalid value for '--split'" in result.output


def test_chart_draws_newsgraph_against_the_best_baseline(tmp_path):
    reports = [_report("fake_ok", f1=0.8), {"task": "gone", "status": "missing", "systems": {}},
               {**_report("ref", score=0.9), "systems": {"newsgraph": {"score": 0.9}}}]
    assert chart.rows(reports) == [("fake_ok\nf1", 0.8, "spacy_sm", 0.4), ("ref\nscore", 0.9, None, None)]
    path = chart.draw(reports, tmp_path / "c.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_every_eval_command_and_task_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "EVALUATION.md").read_text(encoding="utf-8")
    for name in eval_group.commands:
        assert f"eval {name}" in doc or (name in runner.TASKS and f"\n| {name} |" in doc), name
    for option in ("--split", "--limit", "--json", "--no-baselines", "--check-floors", "--write-floors"):
        assert option in doc, option
