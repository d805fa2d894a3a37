"""`--jobs N`: worker processes that parse and extract give what one process gives, even when one dies;
`memory_zone=True` frees what each batch adds to the vocabulary and changes no result."""
from __future__ import annotations

import json
import os
import signal

import pytest

import newsgraph
from newsgraph import nlp as ng_nlp
from newsgraph.workers import _Pool, ordered

from conftest import BBC

pytestmark = pytest.mark.slow


def _paths(n: int = 24) -> list:
    paths = sorted(BBC.glob("*/*.txt"))
    picked = [paths[int(i * len(paths) / n)] for i in range(n)]
    return picked[:n // 2] + [BBC / "sport" / "199.txt"] + picked[n // 2:]   # a refusal (NG103) in the middle


def _key(result: newsgraph.Result) -> tuple:
    return (result.origin, result.article.to_dict() if result.article else None,
            (result.error.code, str(result.error)) if result.error else None)


@pytest.fixture(scope="module")
def reference() -> list[tuple]:
    return [_key(r) for r in newsgraph.extract_many(newsgraph.read_inputs(_paths()))]


def test_two_processes_match_one(reference):
    got = [_key(r) for r in newsgraph.extract_many(newsgraph.read_inputs(_paths()), n_process=2, batch_size=5)]
    assert [k[0] for k in got] == [k[0] for k in reference]             # same inputs, same order
    assert got[len(got) // 2][2][0] == "NG103"                           # the refusal stays in its place
    assert got == reference


def test_worker_killed_mid_batch_loses_nothing(reference):
    pool = _Pool(2, None, 3)
    try:
        stream = ordered(newsgraph.read_inputs(_paths()), pool.submit, batch_size=3, window=4)
        got = [_key(next(stream))]                                       # other batches are now in flight
        victim = next(iter(pool.executor._processes))
        os.kill(victim, signal.SIGKILL)
        got += [_key(r) for r in stream]
        assert victim not in pool.executor._processes                    # the pool was rebuilt
    finally:
        pool.close()
    assert got == reference


def test_nlp_object_and_processes_do_not_mix():
    with pytest.raises(ValueError):
        list(newsgraph.extract_many(["A text."], nlp=ng_nlp.load(), n_process=2))


def _feed(n: int) -> list[str]:
    base = (BBC / "business" / "001.txt").read_text(encoding="utf-8")
    return [base + f"\n\nFiled by Qorvandel{i}x of Zemtaria{i}q." for i in range(n)]


def test_memory_zone_frees_each_batchs_new_strings_and_changes_nothing():
    nlp = ng_nlp.load()
    plain = [r.article.to_dict() for r in newsgraph.extract_many(_feed(3), nlp=nlp)]
    assert "Qorvandel1x" in nlp.vocab.strings                           # without a zone, new words stay
    before = len(nlp.vocab.strings)
    zoned = [r.article.to_dict() for r in newsgraph.extract_many(_feed(6)[3:], nlp=nlp, memory_zone=True)]
    assert "Qorvandel4x" not in nlp.vocab.strings and "Zemtaria5q" not in nlp.vocab.strings
    assert len(nlp.vocab.strings) == before
    assert len(zoned) == 3 and all(d["entities"] for d in zoned)
    again = [r.article.to_dict() for r in newsgraph.extract_many(_feed(3), nlp=nlp, memory_zone=True)]
    assert again == plain                                                # the same input, the same output
    assert [r.article.to_dict() for r in newsgraph.extract_many(_feed(6)[3:], nlp=nlp, memory_zone=True)] == zoned


def test_extract_command_with_jobs_writes_what_one_process_writes():
    from click.testing import CliRunner

    from newsgraph.cli import main

    inputs = [str(p) for p in _paths(6)]
    out = {}
    for jobs in ("1", "2", "0"):                                          # 0: one worker per core
        res = CliRunner().invoke(main, ["extract", *inputs, "--format", "jsonl", "--jobs", jobs])
        assert res.exit_code == 1                                        # the NG103 input fails, the rest go on
        out[jobs] = [json.loads(line) for line in res.stdout.splitlines()]
        assert "NG103" in res.stderr
    assert len(out["1"]) == 6 and out["1"] == out["2"] == out["0"]


def test_ingest_with_jobs_stores_what_one_process_stores(tmp_path):
    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.store import queries
    from newsgraph.store.db import open_store

    inputs = [str(p) for p in _paths(8)]
    counts = {}
    for jobs in ("1", "2"):
        db = str(tmp_path / f"jobs{jobs}.db")
        res = CliRunner().invoke(main, ["ingest", *inputs, "--db", db, "--json", "--jobs", jobs], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        summary = json.loads(res.stdout.strip().splitlines()[-1])
        store = open_store(db)
        counts[jobs] = (summary["stored"], summary["rejected"],
                        sorted((e["name"], e["type"]) for e in queries.entities(store, limit=1000)),
                        len(queries.quotes(store, limit=1000)))
        store.close()
    assert counts["1"] == counts["2"] and counts["1"][:2] == (8, 1) and counts["1"][2]


def test_workers_are_spawned_not_forked_while_another_thread_runs():
    import threading

    from newsgraph.workers import _start_method

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert _start_method() == "spawn"
    finally:
        stop.set()
        helper.join()
