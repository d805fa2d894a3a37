"""PolNeAR (political news attribution relations): brat standoff reader.

Each document: ``<split>/text/<doc>.txt`` and one or more ``<split>/attributions/<doc>_<annotator>.ann``.
Where several annotators did a document, the first ``.ann`` file in sort order is used.
Spans may be discontiguous (``start end;start end``); offsets index the text file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ...errors import InputError
from . import data_dir

SPLITS = ("train", "dev", "test")
#: Characters that open or close a quotation in PolNeAR texts (NYT texts use two apostrophes).
QUOTE_MARKS = ('"', "“", "”", "''", "‘", "’")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One gold attribution: content, cue and source, each a tuple of (start, end) parts."""

    id: str
    content: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]  # empty for Attribution-no-source

    def content_text(self, text: str) -> str:
        """The content parts joined by a space."""
        return " ".join(text[a:b] for a, b in self.content)

    @property
    def content_bounds(self) -> tuple[int, int]:
        """From the first part's start to the last part's end."""
        return min(a for a, _ in self.content), max(b for _, b in self.content)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    annotator: str
    text: str
    attributions: tuple[Attribution, ...]


def is_direct(att: Attribution, text: str) -> bool:
    """A gold attribution whose content starts with a quote mark (a direct quotation)."""
    first = text[att.content[0][0]:att.content[0][1]].lstrip() if att.content else ""
    return first.startswith(QUOTE_MARKS[:4]) or first.startswith("‘")


def has_marks(att: Attribution, text: str) -> bool:
    """A gold attribution whose content contains a quoted stretch (direct or mixed)."""
    content = att.content_text(text)
    return any(m in content for m in ('"', "“", "''")) or is_direct(att, text)


def _parts(spec: str) -> tuple[tuple[int, int], ...]:
    out = []
    for piece in spec.split(";"):
        a, b = piece.split()
        out.append((int(a), int(b)))
    return tuple(sorted(out))


def parse_ann(lines: list[str]) -> tuple[Attribution, ...]:
    """Attributions from brat lines (T spans + E events); notes and annotator flags are ignored."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events: list[tuple[str, dict[str, str]]] = []
    for line in lines:
        if line.startswith("T") and "\t" in line:
            fields = line.split("\t")
            label_spec = fields[1].split(" ", 1)
            if len(label_spec) == 2:
                try:
                    spans[fields[0]] = _parts(label_spec[1])
                except ValueError:
                    continue
        elif line.startswith("E") and "\t" in line:
            eid, body = line.rstrip("\n").split("\t", 1)
            roles = {}
            for item in body.split():
                role, _, ref = item.partition(":")
                roles[role] = ref
            events.append((eid, roles))
    out = []
    for eid, roles in events:
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        out.append(Attribution(
            eid, spans[roles["Content"]], spans.get(roles.get("Cue", ""), ()),
            spans.get(roles.get("Source", ""), ()),
        ))
    return tuple(sorted(out, key=lambda a: a.content_bounds))


def split_dir(split: str) -> Path:
    """``polnear/<split>``; an unknown split is a clear error."""
    if split not in SPLITS:
        raise InputError(f"unknown PolNeAR split {split!r} (use one of {', '.join(SPLITS)})", code="NG110")
    return data_dir("polnear") / split


def documents(split: str = "dev", *, limit: int | None = None) -> Iterator[Document]:
    """The documents of a split in file-name order, one annotator each."""
    root = split_dir(split)
    anns: dict[str, list[Path]] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        doc_id, _, annotator = path.stem.rpartition("_")
        anns.setdefault(doc_id, []).append(path)
    for n, doc_id in enumerate(sorted(anns)):
        if limit is not None and n >= limit:
            return
        path = anns[doc_id][0]
        text = (root / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        lines = path.read_text(encoding="utf-8").splitlines()
        yield Document(doc_id, path.stem.rpartition("_")[2], text, parse_ann(lines))
