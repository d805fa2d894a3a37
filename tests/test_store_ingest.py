"""`newsgraph ingest` for real: the extraction pipeline on BBC articles, rejects, reruns, and a SIGKILL
in the middle of a run followed by a rerun that finishes the job with no duplicates."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from newsgraph.store.cli import _progress
from newsgraph.store.db import open_store
from store_fixtures import SHARED, cli, synthetic  # noqa: F401  (cli is a fixture)

BBC = SHARED / "data" / "bbc_news_raw" / "business"
needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason="the shared BBC texts are not here")


@needs_bbc
def test_ingest_real_articles_rejects_and_rerun(cli, tmp_path):
    """BBC business stories and the reference article through the real extraction pipeline."""
    db = str(tmp_path / "news.db")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    files = [str(BBC / f"{n:03d}.txt") for n in (1, 59, 87, 100)] + [
        str(SHARED / "examples" / "openai-musk-bid.txt"), str(tmp_path / "empty.txt")]
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", *files, "--db", db, "--published", "2025-02-11"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)        # not a terminal: a JSON summary
    assert (summary["read"], summary["stored"], summary["rejected"]) == (6, 5, 1)
    rerun = json.loads(runner.invoke(cli, ["ingest", *files, "--db", db, "--published", "2025-02-11"]).stdout)
    assert (rerun["stored"], rerun["unchanged"], rerun["rejected"]) == (0, 5, 1)
    rejects = json.loads(runner.invoke(cli, ["rejects", "--db", db, "--format", "json"]).stdout)
    assert [(r["origin"].endswith("empty.txt"), r["code"], r["attempts"]) for r in rejects] == [(True, "NG101", 2)]

    def as_json(*args: str):
        return json.loads(runner.invoke(cli, [*args, "--db", db, "--format", "json"]).stdout)

    # three WorldCom trial stories: one Bernie Ebbers, whether "Bernie Ebbers" or "Mr Ebbers"
    ebbers = as_json("entity", "Ebbers")
    assert ebbers["name"] == "Bernie Ebbers" and ebbers["article_count"] == 3
    assert any(c["name"].lower() == "worldcom" and c["articles"] == 3 for c in ebbers["cooccurring"])
    assert len(as_json("quotes", "--speaker", "Bernie Ebbers")) >= 3
    # the reference article: the bid as a deal, and Musk's timeline in event order
    (bid,) = [d for d in as_json("deals", "--party", "OpenAI", "--status", "rejected")
              if {p["name"] for p in d["parties"]} == {"Elon Musk", "OpenAI"}]
    assert [p["value"] for p in bid["prices"]] == [97.4e9]
    dates = [i["date"] for i in as_json("timeline", "Elon Musk")]
    assert dates == sorted(dates) and "2022" in dates and dates[-1] == "2025-02-11"
    assert "not for sale" in as_json("quotes", "--speaker", "Sam Altman")[0]["text"]
    assert as_json("entity", "Time Warner")["type"] == "ORG"


def test_progress_line_names_articles_rate_and_failures():
    class S:
        read, rejected, per_second = 120, 2, 40.0
    out = io.StringIO()
    _progress(out)(S())
    assert out.getvalue().strip() == "120 articles  40.0/s  2 failed"


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_completes_without_duplicates(tmp_path):
    n = 250
    arts = synthetic(n)
    src = tmp_path / "extracted.jsonl"
    src.write_text("".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
    db = str(tmp_path / "news.db")
    cmd = [sys.executable, "-m", "newsgraph.store.cli", "ingest", str(src), "--db", db, "--json"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stored, deadline = 0, time.monotonic() + 120
    while stored < 25 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if os.path.exists(db):
            try:
                with open_store(db, migrate=False) as peek:
                    stored = peek.scalar("SELECT COUNT(*) FROM articles")
            except Exception:
                stored = 0
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with open_store(db) as store:
        killed_at = store.scalar("SELECT COUNT(*) FROM articles")
        # every article present is whole: its entities and quotes all there
        assert store.scalar("SELECT COUNT(*) FROM quotes") == 3 * killed_at
    assert 0 < killed_at < n
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["unchanged"] >= killed_at and summary["stored"] + summary["unchanged"] == n
    with open_store(db) as store:
        assert store.scalar("SELECT COUNT(*) FROM articles") == n
        assert store.scalar("SELECT COUNT(DISTINCT id) FROM articles") == n
        assert store.scalar("SELECT COUNT(*) FROM quotes") == 3 * n
        assert store.scalar("SELECT COUNT(*) FROM article_entities") == 9 * n
        # one global Elon Musk however many articles named him
        assert store.scalar("SELECT COUNT(*) FROM entities WHERE name = 'Elon Musk'") == 1
        assert store.scalar("SELECT COUNT(*) FROM deals WHERE kind = 'acquisition'") == 3


def test_a_failing_article_in_a_batch_costs_only_itself(cli, tmp_path):
    arts = synthetic(4)
    bad = arts[1].to_dict()
    bad["quotes"].append(dict(bad["quotes"][0]))        # duplicate quote id: cannot be stored
    lines = [json.dumps(arts[0].to_dict()), json.dumps(bad), "{not json", json.dumps(arts[2].to_dict()),
             json.dumps(arts[3].to_dict())]
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "news.db")
    out = CliRunner().invoke(cli, ["ingest", str(src), "--db", db, "--json"])
    summary = json.loads(out.stdout)
    assert (summary["stored"], summary["rejected"]) == (3, 2)
    with open_store(db) as store:
        assert store.scalar("SELECT COUNT(*) FROM articles") == 3
        assert store.scalar("SELECT COUNT(*) FROM quotes") == 9
        codes = {r["origin"].rsplit(":", 1)[1]: r["code"] for r in store.query("SELECT origin, code FROM rejects")}
    assert codes == {"2": "NG303", "3": "NG107"}
