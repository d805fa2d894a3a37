"""Word lists and thresholds as data files (each file starts with a note on its source).

Text files: one entry per line; ``#`` starts a comment; blank lines are skipped.
JSON files: loaded as they are.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def lines(name: str) -> tuple[str, ...]:
    """The entries of a text lexicon, comments and blanks dropped, order kept."""
    out = []
    for raw in _read(name).splitlines():
        entry = raw.split("#", 1)[0].strip()
        if entry:
            out.append(entry)
    return tuple(out)


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """A text lexicon as a lower-cased set, for membership tests."""
    return frozenset(e.lower() for e in lines(name))


@lru_cache(maxsize=None)
def table(name: str) -> Any:
    """A JSON lexicon (drop a top-level ``"_note"`` key if present)."""
    data = json.loads(_read(name))
    if isinstance(data, dict):
        data.pop("_note", None)
    return data
