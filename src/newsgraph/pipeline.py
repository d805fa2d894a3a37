"""Run the stages in order: ingest checks -> parse -> extract -> Article with every fact."""
from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as nlp_mod
from .errors import NewsgraphError
from .ingest import Item, make_article
from .model import Article
from .extract import doc_cache
from .extract.entities import extract_entities


def _optional(module: str, name: str) -> Callable | None:
    """An extractor written in its own module; None while that module does not exist yet."""
    try:
        return getattr(import_module(f"newsgraph.extract.{module}"), name)
    except (ImportError, AttributeError):
        return None


def annotate(article: Article, doc: Doc) -> Article:
    """Fill ``article``'s fact lists from its parsed text (``doc`` must be the parse of ``article.text``)."""
    if not _same_text(doc, article.text):
        raise ValueError("the Doc does not hold the article's text")
    doc_cache.set_text(doc, article.text)
    article.entities = extract_entities(doc)
    amounts = _optional("amounts", "extract_amounts")
    times = _optional("times", "extract_times")
    quotes = _optional("quotes", "extract_quotes")
    relations = _optional("relations", "extract_relations")
    events = _optional("events", "extract_events")
    article.amounts = amounts(doc) if amounts else []
    article.times = times(doc, article.published) if times else []
    article.quotes = quotes(doc, article.entities) if quotes else []
    article.relations = relations(doc, article.entities, article.times) if relations else []
    article.events = (events(doc, article.entities, article.amounts, article.times, article.quotes)
                      if events else [])
    return article


def _same_text(doc: Doc, text: str) -> bool:
    """Whether ``doc`` spans ``text``: same length, and its first and last tokens where ``text`` has
    them (``doc.text`` would join every token again, which costs as much as an extractor)."""
    if not len(doc):
        return not text
    first, last = doc[0], doc[-1]
    return (last.idx + len(last.text_with_ws) == len(text) and text.startswith(first.text_with_ws)
            and text.startswith(last.text, last.idx))


def extract(text: str, *, published: str | date | None = None, title: str | None = None,
            url: str | None = None, id: str | None = None, source: str | None = None,
            model: str | None = None) -> Article:
    """Every fact one article states, each with its offsets into ``text``.

    Raises ``InputError`` (NG1xx) for text that cannot be a news article.
    """
    article = make_article(text, "<text>", id=id, title=title,
                           published=published.isoformat() if isinstance(published, date) else published,
                           url=url, source=source)
    return annotate(article, nlp_mod.parse(article.text, nlp_mod.load(model)))


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome for one input of a batch: an Article or the error that refused it."""

    origin: str
    article: Article | None = None
    error: NewsgraphError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def entries(items: Iterable[Item | Article | str]) -> Iterator[Result]:
    """Inputs as Results without facts yet: texts are checked into Articles, errors stay errors."""
    for n, item in enumerate(items):
        if isinstance(item, str):
            origin = f"<text {n + 1}>"
            try:
                yield Result(origin, make_article(item, origin))
            except NewsgraphError as exc:
                yield Result(origin, None, exc)
        elif isinstance(item, Article):
            yield Result(item.url or item.id, item)
        else:
            yield Result(item.origin, item.article, item.error)


#: Articles parsed inside one ``nlp.memory_zone`` when ``extract_many(memory_zone=True)``.
ZONE_ARTICLES = 1024


def extract_many(items: Iterable[Item | Article | str], *, model: str | None = None, n_process: int = 1,
                 batch_size: int = 32, nlp: Language | None = None, memory_zone: bool = False) -> Iterator[Result]:
    """Extract many articles with one model load and ``nlp.pipe``; results come in input order.

    ``items`` are ingest Items (from ``read_inputs``), Articles or plain texts. A failing
    input yields a Result with its error and the batch goes on. ``n_process=0`` means one
    process per CPU core. With ``n_process`` > 1,
    that many worker processes each load ``model`` and parse *and* extract
    (``newsgraph.workers``); this process only hands out batches and puts the Results in order.

    ``memory_zone=True`` parses every ``ZONE_ARTICLES`` articles inside spaCy's
    ``nlp.memory_zone()``, which frees the strings, lexemes and tokenizer cache entries those
    articles added: memory then stays flat on an endless feed. Use it only where nothing else
    parses with the same ``nlp`` meanwhile (another thread): the CLI, ``store.ingest`` and the
    worker processes do; the default is off for that reason.
    """
    n_process = n_process or os.cpu_count() or 1
    if n_process > 1:
        if nlp is not None:
            raise ValueError("n_process > 1 loads `model` in each worker; pass model=, not nlp=")
        from .workers import extract_parallel

        yield from extract_parallel(items, processes=n_process, model=model, batch_size=batch_size)
        return
    nlp = nlp or nlp_mod.load(model)
    group: list[Result] = []
    for entry in entries(items):
        group.append(entry)
        if len(group) >= ZONE_ARTICLES:
            yield from _extract_group(group, nlp, batch_size, memory_zone)
            group = []
    yield from _extract_group(group, nlp, batch_size, memory_zone)


def _extract_group(group: list[Result], nlp: Language, batch_size: int, memory_zone: bool) -> Iterator[Result]:
    """Parse and annotate a list of entries, yielding each Result as soon as it is done, in order."""
    with nlp.memory_zone() if memory_zone else nullcontext():
        docs = nlp_mod.parse_many((r.article.text for r in group if r.article is not None), nlp,
                                  batch_size=batch_size)
        for result in group:
            if result.article is None:
                yield result
                continue
            try:
                yield Result(result.origin, annotate(result.article, next(docs)))
            except NewsgraphError as exc:  # pragma: no cover - extractors raise only on bugs
                yield Result(result.origin, None, exc)
