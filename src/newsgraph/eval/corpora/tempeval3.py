"""Reader for TempEval-3 TimeML (``shared/data/tempeval3``): raw text, DCT and gold TIMEX3 spans.

Splits (documented here, fixed, by sorted file name):

* ``test``  — te3-platinum (20 docs), the official TempEval-3 test set: report only, never tune.
* ``dev``   — every 5th document of TBAQ-cleaned (TimeBank + AQUAINT, 256 docs sorted by
  ``<subcorpus>/<file name>``), starting with the first: 52 docs.
* ``train`` — the other 204 TBAQ-cleaned documents (what the rules were written against).
* ``all``   — dev + train.

Text is the content of ``<TEXT>`` with every tag removed and XML entities decoded; offsets
index that text. The DCT (``functionInDocument="CREATION_TIME"``) is the anchor, not a gold span.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from . import data_dir

SPLITS = ("dev", "train", "all", "test")
DEV_EVERY = 5

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z]+)="([^"]*)"')
_DCT = re.compile(r'<DCT>\s*<TIMEX3[^>]*?value="(\d{4}-\d\d-\d\d)', re.S)


@dataclass(frozen=True, slots=True)
class GoldTimex:
    """One gold TIMEX3: offsets into the document text, its type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeDoc:
    """A TempEval document: id, plain text, creation date (ISO) and gold TIMEX3s."""

    id: str
    text: str
    dct: str
    timexes: tuple[GoldTimex, ...]


def parse_tml(raw: str, doc_id: str) -> TimeDoc:
    """Turn one TimeML file into plain text with gold TIMEX3 offsets."""
    dct = _DCT.search(raw)
    body_start, body_end = raw.find("<TEXT>"), raw.find("</TEXT>")
    if not dct or body_start < 0 or body_end < 0:
        raise InputError("not a TimeML document with DCT and TEXT", doc_id, code="NG107")
    body = raw[body_start + len("<TEXT>"):body_end]
    out: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    pos = 0
    for m in _TAG.finditer(body):
        piece = html.unescape(body[pos:m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing and not m.group(4):
            open_timex = (length, dict(_ATTR.findall(m.group(3))))
        elif closing and open_timex:
            start, attrs = open_timex
            open_timex = None
            if length > start:
                text = "".join(out)[start:length]
                timexes.append(GoldTimex(start, length, text, attrs.get("type", ""), attrs.get("value", "")))
    out.append(html.unescape(body[pos:]))
    return TimeDoc(doc_id, "".join(out), dct.group(1), tuple(timexes))


def _files(split: str) -> list[Path]:
    root = data_dir("tempeval3")
    if split == "test":
        return sorted((root / "te3-platinum").glob("*.tml"))
    tbaq = sorted((root / "TBAQ-cleaned").glob("*/*.tml"), key=lambda p: f"{p.parent.name}/{p.name}")
    if split == "all":
        return tbaq
    if split == "dev":
        return tbaq[::DEV_EVERY]
    if split == "train":
        return [p for i, p in enumerate(tbaq) if i % DEV_EVERY]
    raise InputError(f"unknown TempEval-3 split {split!r} (use one of {', '.join(SPLITS)})", code="NG107")


def load(split: str = "dev", *, limit: int | None = None) -> list[TimeDoc]:
    """The documents of a split, in sorted order (the first ``limit`` if given)."""
    files = _files(split)[:limit] if limit else _files(split)
    return [parse_tml(p.read_text(encoding="utf-8"), p.stem) for p in files]
