"""Reader for the NewsReader MEANTIME corpus, English section (``shared/data/meantime_en``).

MEANTIME ships 120 pre-tokenised Wikinews articles in 4 sub-corpora (airbus, apple, gm,
stock) without character offsets. This reader rebuilds a plain text from the tokens
(title line, date line, then the body; spacing restored by simple detokenisation rules)
and gives every token and markable character offsets into that text, so that an
extractor can run on ``Document.text`` and be scored against the gold spans.

Quirks handled here:

* Only the title, the date line and the first sentences of each article are annotated
  (sentences 0-5). ``Document.head_end`` is the character offset where the annotated head
  ends (the end of the last sentence holding an annotated token); score only before it.
* The tokens write ``£`` as ``#``; a ``#`` before a number (or after ``GB``) is restored to
  ``£`` in the text (same length, so offsets are unaffected). ``Token.text`` keeps the raw form.

Split (fixed, deterministic; MEANTIME has none): within each sub-corpus the files are sorted
by name and alternate dev, test, dev, test, ... (60 dev / 60 test, 15 + 15 per sub-corpus).
Tune on ``dev`` only.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ...errors import NG108_NOT_FOUND, InputError
from . import data_dir

SPLITS = ("dev", "test", "all")
SUBCORPORA = ("corpus_airbus", "corpus_apple", "corpus_gm", "corpus_stock")
_NO_SPACE_BEFORE = frozenset(", . : ; ? ! ) ] } % 's 're 've 'd 'll 'm n't '' ' ... ’ ”".split())
_NO_SPACE_AFTER = frozenset("( [ { `` ` “ ‘ $ US$ AU$ USD$ C$ CA$ NZ$ HK$ S$ £ € ¥ #".split())


@dataclass(frozen=True, slots=True)
class Token:
    """One gold token: its id (``t_id``), raw text, sentence number and offsets in ``Document.text``."""

    id: int
    text: str
    sentence: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Markable:
    """A gold markable (VALUE, TIMEX3, ENTITY_MENTION, EVENT_MENTION, ...).

    ``tokens`` are the anchored token ids in order (possibly discontinuous; empty for
    instance markables such as ENTITY or EVENT); ``start``/``end``/``text`` cover the first
    to the last of them.
    """

    id: str
    kind: str
    tokens: tuple[int, ...]
    start: int | None
    end: int | None
    text: str | None
    attrs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def type(self) -> str | None:
        """The ``type`` attribute (VALUE: MONEY/PERCENT/QUANTITY; TIMEX3: DATE/TIME/...)."""
        return self.attrs.get("type")


@dataclass(frozen=True, slots=True)
class Link:
    """A gold relation (REFERS_TO, HAS_PARTICIPANT, TLINK, ...) from source markables to target markables."""

    id: str
    kind: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    attrs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(slots=True)
class Document:
    """One MEANTIME article with its rebuilt text, gold tokens, markables and relations."""

    id: str
    name: str
    corpus: str
    url: str | None
    text: str
    title: str
    dct: str | None          # the document creation time, TIMEX3 value (e.g. "2005-06-13")
    head_end: int            # char offset where the annotated head (title, date line, first sentences) ends
    tokens: list[Token]
    markables: list[Markable]
    links: list[Link]

    def of_kind(self, kind: str, *, in_head: bool = True) -> list[Markable]:
        """Span markables of one tag (``VALUE``, ``TIMEX3``, ``ENTITY_MENTION``, ``EVENT_MENTION``), in text order."""
        out = [m for m in self.markables if m.kind == kind and m.start is not None
               and (not in_head or m.end <= self.head_end)]
        return sorted(out, key=lambda m: (m.start, m.end))

    def values(self, *types: str) -> list[Markable]:
        """VALUE markables, optionally only those of the given types (MONEY, PERCENT, QUANTITY)."""
        return [m for m in self.of_kind("VALUE") if not types or m.type in types]

    def timexes(self) -> list[Markable]:
        """TIMEX3 markables with a span (the attribute ``value`` is the normalised TimeML value)."""
        return self.of_kind("TIMEX3")

    def entity_mentions(self) -> list[Markable]:
        """ENTITY_MENTION markables; ``attrs['ent_type']`` is filled from the entity they refer to."""
        return self.of_kind("ENTITY_MENTION")

    def event_mentions(self) -> list[Markable]:
        """EVENT_MENTION markables (``attrs['pred']``, ``attrs['class']`` from the event they refer to)."""
        return self.of_kind("EVENT_MENTION")

    def roles(self) -> list[tuple[Markable, str, Markable]]:
        """(event mention, PropBank role, participant mention) triples from HAS_PARTICIPANT."""
        by_id = {m.id: m for m in self.markables}
        out = []
        for link in self.links:
            if link.kind != "HAS_PARTICIPANT":
                continue
            for s in link.sources:
                for t in link.targets:
                    if s in by_id and t in by_id:
                        out.append((by_id[s], link.attrs.get("sem_role", ""), by_id[t]))
        return out


def split_of(path: Path) -> str:
    """``dev`` or ``test`` for one MEANTIME file (alternating by sorted name within its sub-corpus)."""
    siblings = sorted(p.name for p in path.parent.glob("*.xml"))
    return SPLITS[siblings.index(path.name) % 2]


def files(split: str = "dev") -> list[Path]:
    """The annotation files of one split (``dev``, ``test`` or ``all``), sorted by sub-corpus and name."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose from {', '.join(SPLITS)})")
    root = data_dir("meantime_en") / "intra-doc_annotation"
    if not root.is_dir():
        raise InputError("MEANTIME data not found", str(root), code=NG108_NOT_FOUND)
    out = []
    for sub in SUBCORPORA:
        names = sorted((root / sub).glob("*.xml"))
        out += [p for i, p in enumerate(names) if split == "all" or (i % 2 == 0) == (split == "dev")]
    return out


def documents(split: str = "dev", *, limit: int | None = None) -> Iterator[Document]:
    """Read the documents of one split, in a fixed order; ``limit`` keeps the first N."""
    for path in files(split)[:limit]:
        yield read(path)


@lru_cache(maxsize=256)
def read(path: Path) -> Document:
    """Parse one MEANTIME XML file into a ``Document``."""
    root = ET.parse(path).getroot()
    raw = [(int(t.get("t_id")), t.text or "", int(t.get("sentence"))) for t in root.iter("token")]
    text, tokens = _rebuild(raw)
    tok_by_id = {t.id: t for t in tokens}
    markables = []
    for el in _children(root, "Markables"):
        ids = tuple(int(a.get("t_id")) for a in el.findall("token_anchor") if int(a.get("t_id")) in tok_by_id)
        attrs = {k: v for k, v in el.attrib.items() if k != "m_id"}
        if ids:
            start, end = tok_by_id[min(ids)].start, tok_by_id[max(ids)].end
            markables.append(Markable(el.get("m_id"), el.tag, ids, start, end, text[start:end], attrs))
        else:
            markables.append(Markable(el.get("m_id"), el.tag, (), None, None, None, attrs))
    links = [Link(el.get("r_id", ""), el.tag, tuple(s.get("m_id") for s in el.findall("source")),
                  tuple(t.get("m_id") for t in el.findall("target")),
                  {k: v for k, v in el.attrib.items() if k != "r_id"})
             for el in _children(root, "Relations")]
    markables = _inherit_types(markables, links)
    last = max((max(m.tokens) for m in markables if m.tokens), default=0)
    last_sent = tok_by_id[last].sentence if last else 0
    head_end = max((t.end for t in tokens if t.sentence <= last_sent), default=0)
    dct = next((m.attrs.get("value") for m in markables
                if m.kind == "TIMEX3" and m.attrs.get("functionInDocument") == "CREATION_TIME"), None)
    title = " ".join(t.text for t in tokens if t.sentence == 0)
    return Document(id=root.get("doc_id", path.stem), name=root.get("doc_name", path.stem),
                    corpus=path.parent.name, url=root.get("url"), text=text, title=text.split("\n", 1)[0] or title,
                    dct=dct, head_end=head_end, tokens=tokens, markables=markables, links=links)


def _children(root: ET.Element, tag: str) -> list[ET.Element]:
    """The children of ``root``'s ``tag`` element (empty if it is missing)."""
    el = root.find(tag)
    return list(el) if el is not None else []


def _rebuild(raw: list[tuple[int, str, int]]) -> tuple[str, list[Token]]:
    """Join tokens into text: title and date line on their own lines, body sentences spaced."""
    parts: list[str] = []
    tokens: list[Token] = []
    pos = 0
    open_quote = False
    prev_text, prev_sent = None, None
    for i, (tid, word, sent) in enumerate(raw):
        nxt = raw[i + 1][1] if i + 1 < len(raw) else ""
        shown = word
        if word == "#" and (nxt[:1].isdigit() or prev_text == "GB"):
            shown = "£"
        if prev_text is not None:
            if sent != prev_sent and prev_sent is not None and min(sent, prev_sent) <= 1:
                sep = "\n"
            elif _joins(prev_text, word, open_quote):
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        if word == '"':
            open_quote = not open_quote
        tokens.append(Token(tid, word, sent, pos, pos + len(shown)))
        parts.append(shown)
        pos += len(shown)
        prev_text, prev_sent = word, sent
    return "".join(parts), tokens


def _joins(prev: str, word: str, open_quote: bool) -> bool:
    """Whether ``word`` is written right after ``prev`` without a space."""
    if word in _NO_SPACE_BEFORE or (word == '"' and open_quote):
        return True
    if prev in _NO_SPACE_AFTER or (prev == '"' and open_quote):
        return True
    return prev == "GB" and word == "#"


def _inherit_types(markables: list[Markable], links: list[Link]) -> list[Markable]:
    """Copy ENTITY ``ent_type`` and EVENT ``class`` onto the mentions that refer to them."""
    by_id = {m.id: m for m in markables}
    extra: dict[str, dict[str, str]] = {}
    for link in links:
        if link.kind != "REFERS_TO":
            continue
        for t in link.targets:
            inst = by_id.get(t)
            if inst is None:
                continue
            for s in link.sources:
                if inst.kind == "ENTITY" and "ent_type" in inst.attrs:
                    extra.setdefault(s, {})["ent_type"] = inst.attrs["ent_type"]
                    extra[s]["entity"] = inst.id
                elif inst.kind == "EVENT" and "class" in inst.attrs:
                    extra.setdefault(s, {})["class"] = inst.attrs["class"]
                    extra[s]["event"] = inst.id
    return [Markable(m.id, m.kind, m.tokens, m.start, m.end, m.text, {**m.attrs, **extra[m.id]})
            if m.id in extra else m for m in markables]
