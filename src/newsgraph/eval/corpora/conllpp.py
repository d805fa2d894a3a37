"""Reader for CoNLL++ (CoNLL-2003 English NER, corrected test set) in ``shared/data/conllpp``.

The files are token lists (``token POS chunk NER``, IOB2 tags, ``-DOCSTART-`` between
documents). Each document is rebuilt as text: tokens joined by one space, one
sentence per line, so every gold entity has exact character offsets.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...errors import InputError
from . import data_dir

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """A gold entity: character offsets into the rebuilt text and its CoNLL type (PER/ORG/LOC/MISC)."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class ConllDoc:
    """One ``-DOCSTART-`` document: rebuilt text, token offsets and gold entities."""

    id: str
    text: str
    tokens: tuple[tuple[int, int], ...]
    entities: tuple[GoldEntity, ...]


def path(split: str) -> Path:
    """The file of one split."""
    if split not in SPLITS:
        raise InputError(f"unknown CoNLL++ split {split!r} (use {', '.join(SPLITS)})", code="NG112")
    return data_dir("conllpp") / f"conllpp_{split}.txt"


def read(split: str = "dev", *, limit: int | None = None) -> list[ConllDoc]:
    """The documents of a split, in file order (the first ``limit`` when given)."""
    docs: list[ConllDoc] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def flush_doc() -> None:
        if current:
            sentences.append(list(current))
            current.clear()
        if sentences:
            docs.append(_build(f"{split}-{len(docs):04d}", sentences))
            sentences.clear()

    with path(split).open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                flush_doc()
                if limit is not None and len(docs) >= limit:
                    return docs
            elif not line.strip():
                if current:
                    sentences.append(list(current))
                    current.clear()
            else:
                cols = line.split(" ")
                current.append((cols[0], cols[-1]))
    flush_doc()
    return docs[:limit] if limit is not None else docs


def _build(doc_id: str, sentences: list[list[tuple[str, str]]]) -> ConllDoc:
    """Join tokens with spaces and sentences with newlines; turn IOB2 tags into character spans."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    entities: list[GoldEntity] = []
    pos = 0
    for s_index, sent in enumerate(sentences):
        if s_index:
            parts.append("\n")
            pos += 1
        open_ent: list = []  # [start, end, type]
        for t_index, (tok, tag) in enumerate(sent):
            if t_index:
                parts.append(" ")
                pos += 1
            start, end = pos, pos + len(tok)
            parts.append(tok)
            pos = end
            offsets.append((start, end))
            if tag.startswith("I-") and open_ent and open_ent[2] == tag[2:]:
                open_ent[1] = end
                continue
            if open_ent:
                entities.append(GoldEntity(open_ent[0], open_ent[1], open_ent[2], ""))
                open_ent = []
            if tag != "O":
                open_ent = [start, end, tag[2:]]
        if open_ent:
            entities.append(GoldEntity(open_ent[0], open_ent[1], open_ent[2], ""))
    text = "".join(parts)
    ents = tuple(GoldEntity(e.start, e.end, e.type, text[e.start:e.end]) for e in entities)
    return ConllDoc(doc_id, text, tuple(offsets), ents)
