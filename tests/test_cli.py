"""The `newsgraph extract` command end to end: formats, stdin, batches, errors."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from newsgraph.cli import main
from conftest import BBC, REFERENCE


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_json_output_follows_the_contract(schema_validator):
    res = run("extract", str(REFERENCE), "--format", "json", "--published", "2025-02-11")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    schema_validator.validate(data)
    assert data["schema"] == "newsgraph/1"
    assert data["article"]["text"] == REFERENCE.read_text(encoding="utf-8")
    assert data["article"]["published"] == "2025-02-11"
    assert data["article"]["dateline"] == "Paris, France"


def test_stdin_and_table(schema_validator):
    text = (BBC / "business" / "001.txt").read_text(encoding="utf-8")
    res = run("extract", "-", "--format", "json", input=text)
    assert res.exit_code == 0
    schema_validator.validate(json.loads(res.stdout))
    table = run("extract", "-", input=text)
    assert table.exit_code == 0 and "entities (" in table.stdout and "Time Warner" in table.stdout


def test_batch_goes_on_and_names_every_failure(tmp_path, schema_validator):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "b2", "text": (BBC / "business" / "002.txt").read_text()}) + "\n{oops\n")
    res = CliRunner().invoke(main, ["extract", str(empty), str(REFERENCE), str(binary), str(dump),
                                    "--format", "jsonl"])
    assert res.exit_code == 1
    lines = [json.loads(line) for line in res.stdout.splitlines()]
    assert [d["article"]["id"] for d in lines][1:] == ["b2"] and len(lines) == 2
    for d in lines:
        schema_validator.validate(d)
    assert "3 input(s) failed" in res.stderr
    for code, where in (("NG101", "empty.txt"), ("NG102", "blob.txt"), ("NG107", "dump.jsonl:2")):
        assert any(line.strip().startswith(code) and where in line for line in res.stderr.splitlines())


def test_single_bad_input_exits_1_with_one_line(tmp_path):
    empty = tmp_path / "a.txt"
    empty.write_text("  \n")
    res = CliRunner().invoke(main, ["extract", str(empty)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"NG101 empty input: {empty}"


def test_unknown_model_is_a_clear_error():
    res = CliRunner().invoke(main, ["extract", str(REFERENCE), "--model", "no_such_pipeline_xx"])
    assert res.exit_code == 1 and res.stderr.startswith("NG201")


def test_demo_and_installed_entry_point():
    res = run("demo")
    assert res.exit_code == 0 and "Vanterpool Holdings" in res.stdout
    out = subprocess.run([sys.executable, "-m", "newsgraph", "--help"], capture_output=True, text=True, check=True)
    assert "extract" in out.stdout
