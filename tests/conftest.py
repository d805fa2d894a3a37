"""Shared fixtures: the shared gold-data folder, the reference article, and a schema
check applied to every ``Article.to_dict()`` the suite produces."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.eval.corpora import shared_dir
from newsgraph.model import Article

SHARED = shared_dir()
SCHEMA_PATH = SHARED / "schema" / "newsgraph-article-1.schema.json"
REFERENCE = SHARED / "examples" / "openai-musk-bid.txt"
BBC = SHARED / "data" / "bbc_news_raw"


@pytest.fixture(scope="session")
def shared() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def schema_validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="session", autouse=True)
def _validate_every_output(schema_validator):
    """Every JSON output made anywhere in the suite must follow the newsgraph/1 contract."""
    original = Article.to_dict

    def checked(self: Article) -> dict:
        data = original(self)
        schema_validator.validate(data)
        _check_offsets(data)
        return data

    Article.to_dict = checked  # type: ignore[method-assign]
    yield
    Article.to_dict = original  # type: ignore[method-assign]


def _check_offsets(data: dict) -> None:
    text = data["article"]["text"]
    for ent in data["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], m
    for kind in ("amounts", "times"):
        for f in data[kind]:
            assert text[f["start"]:f["end"]] == f["text"], f
    for q in data["quotes"]:
        assert 0 <= q["start"] <= q["end"] <= len(text)
        sm = q.get("speaker_mention")
        if sm:
            assert text[sm["start"]:sm["end"]] == sm["text"], sm
    ids = {x["id"] for k in ("entities", "amounts", "times") for x in data[k]}
    for ev in data["events"]:
        for role in ev["roles"]:
            assert role["ref"] in ids, role
    for rel in data["relations"]:
        assert rel["subject"] in ids


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reference(reference_text):
    import newsgraph

    return newsgraph.extract(reference_text, published="2025-02-11")


def bench_module(name: str):
    """Import ``bench/<name>.py`` (the bench scripts are not a package)."""
    import importlib.util
    import sys

    bench = Path(__file__).resolve().parents[1] / "bench"
    spec = importlib.util.spec_from_file_location(name, bench / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(bench))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(bench))
    return module


def bbc(section: str, number: int) -> str:
    return (BBC / section / f"{number:03d}.txt").read_text(encoding="utf-8")
