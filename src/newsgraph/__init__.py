"""newsgraph: read news, get traceable facts (entities, quotes, amounts, times, events, relations).

    >>> import newsgraph
    >>> art = newsgraph.extract(text, published="2025-02-11")
    >>> [(q.text, art.entity(q.speaker).name) for q in art.quotes]
"""
from .errors import InputError, ModelError, NewsgraphError, QueryError, StoreError
from .ingest import read_inputs
from .model import SCHEMA, Amount, Article, Entity, Event, Quote, Relation, Role, Span, TimeExpr
from .pipeline import Result, extract, extract_many

__version__ = "0.1.0"

__all__ = [
    "SCHEMA", "Amount", "Article", "Entity", "Event", "InputError", "ModelError", "NewsgraphError",
    "Quote", "QueryError", "Relation", "Result", "Role", "Span", "StoreError", "TimeExpr",
    "extract", "extract_many", "read_inputs", "__version__",
]
