"""Cluster extraction on a LocalCluster of 2 worker processes gives what one process gives (300 BBC articles),
even when a worker dies."""
from __future__ import annotations

import os
import signal

import pytest

distributed = pytest.importorskip("distributed")

import newsgraph  # noqa: E402
from newsgraph.cluster import cluster_extract  # noqa: E402
from newsgraph.errors import ModelError  # noqa: E402

from conftest import BBC  # noqa: E402

pytestmark = pytest.mark.slow


N = 300


def _paths(n: int = N) -> list:
    paths = sorted(BBC.glob("*/*.txt"))
    picked = [paths[int(i * len(paths) / N)] for i in range(N)][:n]
    return picked + [BBC / "sport" / "199.txt"]  # not UTF-8: refused with NG103 on both paths


def _key(result: newsgraph.Result) -> tuple:
    return (result.origin, result.article.to_dict() if result.article else None,
            (result.error.code, str(result.error)) if result.error else None)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def single() -> list[newsgraph.Result]:
    return list(newsgraph.extract_many(newsgraph.read_inputs(_paths())))


@pytest.fixture(scope="module")
def reference(single) -> list[tuple]:
    return [_key(r) for r in single]


@pytest.fixture(scope="module")
def clustered(client) -> list[newsgraph.Result]:
    return list(cluster_extract(newsgraph.read_inputs(_paths()), client=client, batch_size=6))


def test_cluster_matches_single_process(clustered, reference):
    got = [_key(r) for r in clustered]
    assert [k[0] for k in got] == [k[0] for k in reference]           # same inputs, same order
    assert got[-1][2][0] == "NG103" and got[-1][1] is None             # the refusal comes back as a refusal
    assert sum(k[1] is not None for k in got) == N
    assert got == reference


def test_worker_killed_mid_batch_loses_nothing(client, reference):
    pids = client.run(os.getpid)                                       # {worker address: pid}
    stream = cluster_extract(newsgraph.read_inputs(_paths(40)), client=client, batch_size=4, in_flight=4)
    got = [_key(next(stream))]                                         # both workers now hold batches
    killed = next(iter(pids.values()))
    os.kill(killed, signal.SIGKILL)
    got += [_key(r) for r in stream]
    assert got == reference[:40] + reference[-1:]
    assert killed not in client.run(os.getpid).values()


def test_bad_address_is_a_numbered_error():
    with pytest.raises(ModelError) as info:
        list(cluster_extract(["some text"], address="not an address"))
    assert info.value.code == "NG204"


def _store_all(path, results) -> dict[str, list[tuple]]:
    """Store results as the single writer of ``newsgraph ingest`` does; every table's rows, timestamps left out."""
    from newsgraph.store.db import open_store
    from newsgraph.store.writer import record_reject, store_article

    store = open_store(path)
    try:
        for res in results:
            if res.article is not None:
                store_article(store, res.article, path=res.origin)
            else:
                record_reject(store, res.origin, res.error.code, str(res.error))
        tables = [r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' "
                                                 "AND name != 'schema_migrations' ORDER BY name")]
        return {t: sorted((tuple(v for k, v in row.items() if not k.endswith("_at") and k != "at")
                           for row in store.query(f"SELECT * FROM {t}")), key=repr) for t in tables}
    finally:
        store.close()


def test_stores_from_cluster_and_single_process_are_equal(tmp_path, single, clustered):
    one, many = _store_all(tmp_path / "single.db", single), _store_all(tmp_path / "cluster.db", clustered)
    assert one["articles"] and one["rejects"] and one == many


def test_ingest_command_with_a_local_cluster_stores_what_one_process_stores(tmp_path):
    import json

    from click.testing import CliRunner

    from newsgraph.cli import main
    from newsgraph.store import queries
    from newsgraph.store.db import open_store

    inputs = [str(p) for p in _paths(6)]
    counts = {}
    for name, extra in (("one", []), ("cluster", ["--cluster", "local:2"])):
        db = str(tmp_path / f"{name}.db")
        res = CliRunner().invoke(main, ["ingest", *inputs, "--db", db, "--json", *extra], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        summary = json.loads(res.stdout.strip().splitlines()[-1])
        store = open_store(db)
        counts[name] = (summary["stored"], summary["rejected"],
                        sorted((e["name"], e["type"]) for e in queries.entities(store, limit=1000)))
        store.close()
    assert counts["one"] == counts["cluster"] and counts["one"][0] == 6 and counts["one"][1] == 1
