"""Per-Doc values that several extractors read, computed once per Doc.

spaCy rebuilds ``doc.text`` by joining every token on each access, and each ``for tok in
doc`` makes a new Python object per token; with six extractors reading the same Doc these
were a third of the extraction's time. The values are kept in ``doc.user_data``.
"""
from __future__ import annotations

from spacy.attrs import IDX, LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Span

_KEY = "newsgraph_cache"


def _cache(doc: Doc) -> dict:
    cache = doc.user_data.get(_KEY)
    if cache is None:
        cache = doc.user_data[_KEY] = {}
    return cache


def text(doc: Doc) -> str:
    """``doc.text``, built once."""
    cache = _cache(doc)
    if "text" not in cache:
        cache["text"] = doc.text
    return cache["text"]


def span_text(span: Span) -> str:
    """``span.text`` (for a Span, a sentence), cut from the cached text instead of joining its tokens."""
    return text(span.doc)[span.start_char:span.end_char]


def set_text(doc: Doc, value: str) -> None:
    """Record the text the caller already holds (and checked against the Doc)."""
    _cache(doc)["text"] = value


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``: spaCy walks every token to find them on each ``doc.sents``."""
    cache = _cache(doc)
    if "sentences" not in cache:
        cache["sentences"] = list(doc.sents)
    return cache["sentences"]


def sentence_starts(doc: Doc) -> list[int]:
    """The token index where each sentence begins ([0] for an empty Doc)."""
    return [s.start for s in sentences(doc)] or [0]


def starts(doc: Doc) -> list[int]:
    """Each token's character offset (``tok.idx``), in token order."""
    cache = _cache(doc)
    if "starts" not in cache:
        cache["starts"] = doc.to_array(IDX).tolist() if len(doc) else []
    return cache["starts"]


def strings(doc: Doc, attr: str) -> list[str]:
    """Each token's ``text``, ``lower_`` or ``lemma_``, in token order."""
    cache, key = _cache(doc), "tokens_" + attr
    if key not in cache:
        ids = {"text": ORTH, "lower": LOWER, "lemma": LEMMA}[attr]
        lookup = doc.vocab.strings
        cache[key] = [lookup[h] for h in doc.to_array(ids).tolist()] if len(doc) else []
    return cache[key]
