"""The store commands as a user types them: tables, JSON and CSV, corrections, exports, errors."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from newsgraph.store.cli import COMMANDS
from newsgraph.store.db import open_store
from newsgraph.store.writer import store_article
from store_fixtures import cli, corpus  # noqa: F401  (cli is a fixture)


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "news.db")
    with open_store(path) as store:
        for art in corpus():
            store_article(store, art)
    return path


def run(cli, *args: str) -> str:
    out = CliRunner().invoke(cli, list(args))
    assert out.exit_code == 0, out.output
    return out.stdout


def test_timeline_table_json_csv(cli, db):
    table = run(cli, "timeline", "Elon Musk", "--db", db).splitlines()
    assert table[0].split() == ["date", "kind", "what", "text", "source"]
    assert table[1].startswith("2015") and "founding" in table[1]
    items = json.loads(run(cli, "timeline", "Elon Musk", "--db", db, "--format", "json", "--from", "2025-02-11"))
    assert [i["date"] for i in items] == ["2025-02-11", "2025-02-12", "2025-02-14"]
    rows = list(csv.DictReader(io.StringIO(run(cli, "timeline", "Musk", "--db", db, "--format", "csv"))))
    assert len(rows) == 6 and rows[-1]["what"] == "acquisition_bid rejected"


def test_quotes_deals_entity_search(cli, db):
    quotes = json.loads(run(cli, "quotes", "--speaker", "Sam Altman", "--about", "OpenAI", "--db", db,
                            "--format", "json"))
    assert [q["text"][:20] for q in quotes] == ["OpenAI has a mission"]
    deals = run(cli, "deals", "--party", "OpenAI", "--status", "rejected", "--db", db)
    assert "proposed > rejected > withdrawn" in deals and "$97.375bn" in deals
    profile = run(cli, "entity", "OpenAI", "--db", db)
    assert "Sam Altman: CEO" in profile and "co-occurs" in profile
    assert json.loads(run(cli, "entity", "show", "Gordon Brown", "--db", db, "--format", "json"))["article_count"] == 2
    listed = list(csv.DictReader(io.StringIO(run(cli, "entity", "list", "--type", "PERSON", "--db", db,
                                                 "--format", "csv"))))
    assert {"Sam Altman", "Elon Musk", "Gordon Brown", "Nick Brown"} <= {r["name"] for r in listed}
    assert "We are not for sale" in run(cli, "search", "not for sale", "--db", db)


def test_merge_and_split_from_the_command_line(cli, db):
    out = json.loads(run(cli, "entity", "merge", "Gordon Brown", "Nick Brown", "--db", db))
    assert out["name"] == "Gordon Brown" and len(out["merged"]) == 1
    assert json.loads(run(cli, "entity", "Nick Brown", "--db", db, "--format", "json"))["name"] == "Gordon Brown"
    split = json.loads(run(cli, "entity", "split", "Gordon Brown", "--name", "Nick Brown", "--db", db))
    assert split["moved"] == 1
    assert json.loads(run(cli, "entity", "Nick Brown", "--db", db, "--format", "json"))["id"] == split["new"]


def test_errors_are_numbered_one_liners(cli, db, tmp_path):
    bad = CliRunner().invoke(cli, ["timeline", "Nobody Known", "--db", db])
    assert bad.exit_code == 1 and bad.stderr.strip() == "NG401 no entity with this name or id: Nobody Known"
    missing = CliRunner().invoke(cli, ["deals", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and missing.stderr.startswith("NG301")
    assert not (tmp_path / "none.db").exists()


def test_export_formats_and_import(cli, db, tmp_path):
    counts = json.loads(run(cli, "export", "--format", "jsonl", "--db", db, str(tmp_path / "all.jsonl")))
    assert counts["article"] == 6
    run(cli, "export", "--format", "csv", "--db", db, str(tmp_path / "neo4j"))
    assert (tmp_path / "neo4j" / "edges.csv").read_text(encoding="utf-8").startswith(
        ":START_ID(Entity),:END_ID(Entity),:TYPE")
    restored = str(tmp_path / "restored.db")
    assert json.loads(run(cli, "import", str(tmp_path / "all.jsonl"), "--db", restored))["article"] == 6
    assert run(cli, "timeline", "Elon Musk", "--db", restored) == run(cli, "timeline", "Elon Musk", "--db", db)


def test_every_command_has_help_with_an_example():
    for cmd in COMMANDS:
        assert cmd.help and "Example" in cmd.help, cmd.name
