"""Readers for the external gold sets in ``../shared/data/`` (never copied into the repo)."""
from __future__ import annotations

import os
from pathlib import Path

from ...errors import InputError


def shared_dir() -> Path:
    """The shared folder: $NEWSGRAPH_SHARED, else ``../shared`` beside the repository or the working directory."""
    env = os.environ.get("NEWSGRAPH_SHARED")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[5] / "shared", Path.cwd().parent / "shared", Path.cwd() / "shared"]
    for cand in candidates:
        if (cand / "data").is_dir():
            return cand
    raise InputError("shared data folder not found (set NEWSGRAPH_SHARED)", code="NG111")


def data_dir(name: str) -> Path:
    """``shared/data/<name>``."""
    return shared_dir() / "data" / name
