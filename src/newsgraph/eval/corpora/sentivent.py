"""SENTiVENT sentence-level economic event types (``shared/data/sentivent_sentences``).

The TSV holds tokenized sentences of 288 company-news documents, each with the
event types annotated in it. Documents are rebuilt from their sentences (one per
line, detokenized) so the pipeline reads whole articles; each sentence keeps its
character range, so predictions map back to gold sentences.

Splits: ``test`` = the ``gold`` rows (30 documents, the authors' held-out set);
``dev`` = every 8th ``silver`` document in sorted ``document_id`` order (about
32 documents); ``train`` = the other silver documents. Tune on train/dev only.
"""
from __future__ import annotations

import ast
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from . import data_dir

FILE = "dataset_event_type.tsv"
DEV_EVERY = 8
_DETOK = [
    (re.compile(r"\s+(['’])\s*(s|re|ve|ll|d|m|t)\b"), r"\1\2"),
    (re.compile(r"\s+n\s*['’]\s*t\b"), "n't"),
    (re.compile(r"\$\s+(?=\d)"), "$"),
    (re.compile(r"(?<=\d)\s+%"), "%"),
    (re.compile(r"` `\s*|``\s*"), '"'),
    (re.compile(r"\s*' '|\s*''"), '"'),
    (re.compile(r"\s+([,.;:!?)\]])"), r"\1"),
    (re.compile(r"([(\[])\s+"), r"\1"),
    (re.compile(r"\s+-\s+-\s+"), " -- "),
    (re.compile(r"(?<=\w)\s+&\s+(?=\w)"), " & "),
]


@dataclass(frozen=True)
class Sentence:
    """One gold sentence: its character range in the rebuilt document and its event types."""

    index: int
    start: int
    end: int
    text: str
    types: frozenset[str]


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    sentences: tuple[Sentence, ...]


def detokenize(text: str) -> str:
    """Undo the corpus tokenization ("Amazon ' s $ 14 billion ," -> "Amazon's $14 billion,")."""
    out = " ".join(text.split())
    for pattern, repl in _DETOK:
        out = pattern.sub(repl, out)
    return out


def path() -> Path:
    p = data_dir("sentivent_sentences") / FILE
    if not p.is_file():
        raise InputError(f"SENTiVENT file missing: {p}", code="NG111")
    return p


def documents(split: str = "dev", *, limit: int | None = None) -> list[Document]:
    """The documents of one split (``train``, ``dev`` or ``test``), in sorted id order."""
    if split not in ("train", "dev", "test"):
        raise InputError(f"unknown split {split!r} (train, dev, test)", code="NG110")
    rows: dict[str, list[dict[str, str]]] = {}
    with path().open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            rows.setdefault(row["document_id"], []).append(row)
    silver = sorted(d for d, rs in rows.items() if rs[0]["dataset"] == "silver")
    dev = set(silver[::DEV_EVERY])
    if split == "test":
        ids = sorted(d for d, rs in rows.items() if rs[0]["dataset"] == "gold")
    elif split == "dev":
        ids = sorted(dev)
    else:
        ids = [d for d in silver if d not in dev]
    out = [_document(d, rows[d]) for d in ids]
    return out[:limit] if limit else out


def _document(doc_id: str, rows: list[dict[str, str]]) -> Document:
    rows = sorted(rows, key=lambda r: int(r["sentence_idx"]))
    parts: list[str] = []
    sents: list[Sentence] = []
    pos = 0
    for r in rows:
        text = detokenize(r["text"])
        types = frozenset(ast.literal_eval(r["types_event_unq"]) or ())
        sents.append(Sentence(int(r["sentence_idx"]), pos, pos + len(text), text, types))
        parts.append(text)
        pos += len(text) + 1
    return Document(doc_id, rows[0]["document_title"], "\n".join(parts), tuple(sents))
