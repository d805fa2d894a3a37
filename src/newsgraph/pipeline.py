"""Run the stages in order: ingest checks -> parse -> extract -> Article with every fact."""
from __future__ import annotations

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
from .extract.entities import extract_entities


def _optional(module: str, name: str) -> Callable | None:
    """An extractor written in its own module; None while that module does not exist yet."""
    try:
        return getattr(import_module(f"newsgraph.extract.{module}"), name)
    except (ImportError, AttributeError):
        return None


def annotate(article: Article, doc: Doc) -> Article:
    """Fill ``article``'s fact lists from its parsed text."""
    if doc.text != article.text:
        raise ValueError("the Doc does not hold the article's text")
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


def extract_many(items: Iterable[Item | Article | str], *, model: str | None = None, n_process: int = 1,
                 batch_size: int = 32, nlp: Language | None = None) -> Iterator[Result]:
    """Extract many articles with one model load and ``nlp.pipe``; results come in input order.

    ``items`` are ingest Items (from ``read_inputs``), Articles or plain texts. A failing
    input yields a Result with its error and the batch goes on.
    """
    nlp = nlp or nlp_mod.load(model)
    queue: list[Result] = []

    def articles() -> Iterator[str]:
        for n, item in enumerate(items):
            if isinstance(item, str):
                try:
                    item = Item(f"<text {n + 1}>", article=make_article(item, f"<text {n + 1}>"))
                except NewsgraphError as exc:
                    item = Item(f"<text {n + 1}>", error=exc)
            elif isinstance(item, Article):
                item = Item(item.url or item.id, article=item)
            queue.append(Result(item.origin, item.article, item.error))
            if item.article is not None:
                yield item.article.text

    docs = nlp_mod.parse_many(articles(), nlp, batch_size=batch_size, n_process=n_process)
    for doc in docs:
        while queue and queue[0].article is None:
            yield queue.pop(0)
        result = queue.pop(0)
        try:
            annotate(result.article, doc)
        except NewsgraphError as exc:  # pragma: no cover - extractors raise only on bugs
            result = Result(result.origin, None, exc)
        yield result
    while queue:
        yield queue.pop(0)
