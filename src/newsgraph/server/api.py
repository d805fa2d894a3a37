"""The JSON API under /api: thin routes over ``newsgraph.store.queries`` (the same calls as the CLI).

The three hot reads (an article, an entity, its timeline) are indexed lookups of a few
milliseconds, so they run on the event loop (``async def``, no thread hop: about a third more
requests per second in bench/http_load.py); everything that can take longer runs in the pool.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from ..errors import ServerError
from ..store import corrections, queries
from ..store.db import Store
from .ingest import add_article
from .security import NG506_BAD_REQUEST, check_token

router = APIRouter(prefix="/api")

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "NG4xx: the article, entity or deal does not exist"},
    422: {"description": "NG506: a malformed parameter"},
}


class ErrorBody(BaseModel):
    """Every error: ``{"error": {"code": "NG401", "message": "...", "where": "..."}}``."""

    error: dict[str, str | None]


class ArticleIn(BaseModel):
    """An article to extract and store: exactly one of ``text``, ``html`` or ``url``."""

    text: str | None = Field(None, description="Plain article text.")
    html: str | None = Field(None, description="A web page; its main text is extracted.")
    url: str | None = Field(None, description="A public http(s) page for the server to fetch.")
    title: str | None = None
    published: str | None = Field(None, description="ISO 8601 date; anchors relative dates.")
    id: str | None = Field(None, max_length=200, description="Your id for the article (default: sha256 of text).")
    source: str | None = None

    @model_validator(mode="after")
    def one_input(self) -> "ArticleIn":
        given = [k for k in ("text", "html", "url") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url")
        return self


def _store(request: Request) -> Store:
    return request.app.state.stores.get()


def _json(data: Any) -> JSONResponse:
    """The query result as JSON, as it is (the queries return plain dicts: no re-validation)."""
    return JSONResponse(data)


def _page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}


# (default, maximum) neighbours per node by depth: the graph grows as limit ** depth.
GRAPH_LIMITS = {1: (25, 100), 2: (10, 30), 3: (5, 10)}

Limit = Query(50, ge=1, le=500, description="Page size.")
Offset = Query(0, ge=0, le=1_000_000, description="Items to skip.")


@router.get("/articles", summary="List articles", responses=_ERRORS)
def list_articles(request: Request, q: str | None = Query(None, max_length=500, description="Full-text query."),
                  entity: str | None = Query(None, max_length=300, description="Entity id or name."),
                  from_: str | None = Query(None, alias="from", max_length=32, description="Published on/after (ISO)."),
                  to: str | None = Query(None, max_length=32, description="Published on/before (ISO)."),
                  limit: int = Limit, offset: int = Offset) -> JSONResponse:
    """Current articles, newest first, filtered by text, entity and publication date (paged)."""
    items = queries.articles(_store(request), q=q or None, entity=entity or None, from_=from_ or None,
                             to=to or None, limit=limit, offset=offset)
    return _json(_page(items, limit, offset))


@router.get("/articles/{article_id:path}", summary="One article with all its facts", responses=_ERRORS)
async def get_article(request: Request, article_id: str,
                version: int | None = Query(None, ge=1, description="A stored version (default: current).")
                ) -> JSONResponse:
    """The article in the ``newsgraph/1`` JSON contract."""
    return _json(queries.article(_store(request), article_id, version=version))


@router.post("/articles", status_code=201, summary="Extract and store an article",
             responses={401: {"model": ErrorBody, "description": "NG501: no Bearer token"},
                        403: {"model": ErrorBody, "description": "NG502: wrong token or writes disabled"},
                        413: {"model": ErrorBody, "description": "NG503: body too large"},
                        400: {"model": ErrorBody, "description": "NG504: URL refused (not public http/https)"},
                        502: {"model": ErrorBody, "description": "NG505: the URL could not be fetched"},
                        422: {"model": ErrorBody, "description": "NG1xx: not a readable article; NG506"}})
def post_article(request: Request, body: ArticleIn,
                 authorization: str | None = Header(None, description="Bearer <NEWSGRAPH_TOKEN>")) -> JSONResponse:
    """Extract every fact from posted text, HTML or a fetched URL and store it (needs the write token)."""
    check_token(request.app.state.token, authorization)
    out = add_article(request.app.state.stores, body.model_dump(), allow_fetch=request.app.state.allow_fetch)
    return JSONResponse(out, status_code=201 if out["status"] != "unchanged" else 200)


@router.get("/entities", summary="Search entities by name or alias", responses=_ERRORS)
def list_entities(request: Request, q: str | None = Query(None, max_length=300, description="Start of any name."),
                  type: str | None = Query(None, max_length=20, description="PERSON, ORG, GPE, ..."),
                  limit: int = Limit, offset: int = Offset) -> JSONResponse:
    """Entities (merged ones left out), most reported first."""
    return _json(_page(queries.entities(_store(request), q=q or None, type=type or None, limit=limit,
                                        offset=offset), limit, offset))


@router.get("/entities/{entity}", summary="An entity's profile", responses=_ERRORS)
async def get_entity(request: Request, entity: str) -> JSONResponse:
    """Type, aliases, titles, relations, co-occurring entities and article count (by id or name)."""
    return _json(queries.entity_profile(_store(request), _key(entity)))


class MergeIn(BaseModel):
    """Entities (ids) to fold into this one."""

    others: list[int] = Field(..., min_length=1, max_length=100)


class SplitIn(BaseModel):
    """What to split off into a new entity: the mentions with this name and/or in these articles."""

    name: str | None = Field(None, max_length=300)
    articles: list[str] = Field(default_factory=list, max_length=1000)


_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "NG501: no Bearer token"},
    403: {"model": ErrorBody, "description": "NG502: wrong token or writes disabled"},
    422: {"model": ErrorBody, "description": "NG304: nothing that can be merged or split; NG506"},
}


@router.post("/entities/{entity}/merge", summary="Merge entities into this one", responses=_WRITE_ERRORS)
def merge_entities(request: Request, entity: int, body: MergeIn,
                   authorization: str | None = Header(None, description="Bearer <NEWSGRAPH_TOKEN>")) -> JSONResponse:
    """One entity with all the names, mentions, quotes and deals of the others (needs the write token)."""
    check_token(request.app.state.token, authorization)
    with request.app.state.stores.write_lock:
        return _json(corrections.merge(_store(request), entity, body.others))


@router.post("/entities/{entity}/split", summary="Split mentions off into a new entity", responses=_WRITE_ERRORS)
def split_entity(request: Request, entity: int, body: SplitIn,
                 authorization: str | None = Header(None, description="Bearer <NEWSGRAPH_TOKEN>")) -> JSONResponse:
    """Move the mentions with ``name`` and/or in ``articles`` to a new entity (needs the write token)."""
    check_token(request.app.state.token, authorization)
    with request.app.state.stores.write_lock:
        return _json(corrections.split(_store(request), entity, name=body.name, articles=body.articles))


@router.get("/entities/{entity}/timeline", summary="An entity's timeline", responses=_ERRORS)
async def get_timeline(request: Request, entity: str,
                 from_: str | None = Query(None, alias="from", max_length=32),
                 to: str | None = Query(None, max_length=32),
                 limit: int = Query(500, ge=1, le=2000)) -> JSONResponse:
    """Dated events involving the entity and its quotes, by event date, each with its source."""
    return _json({"entity": queries.find_entity(_store(request), _key(entity)),
                  "items": queries.timeline(_store(request), _key(entity), from_=from_ or None, to=to or None,
                                            limit=limit)})


@router.get("/quotes", summary="Quotes by speaker and/or topic", responses=_ERRORS)
def list_quotes(request: Request, speaker: str | None = Query(None, max_length=300),
                about: str | None = Query(None, max_length=300),
                limit: int = Limit, offset: int = Offset) -> JSONResponse:
    """Quotes by a speaker (id or name) and/or naming an entity, with their sources."""
    return _json(_page(queries.quotes(_store(request), speaker=_key(speaker), about=_key(about), limit=limit,
                                      offset=offset), limit, offset))


@router.get("/deals", summary="Deals and their lifecycle", responses=_ERRORS)
def list_deals(request: Request, party: str | None = Query(None, max_length=300),
               status: str | None = Query(None, max_length=40),
               kind: str | None = Query(None, max_length=40),
               limit: int = Limit, offset: int = Offset) -> JSONResponse:
    """Deals with their parties, statuses over time, price history and the reports behind them."""
    return _json(_page(queries.deals(_store(request), party=_key(party), status=status or None,
                                     kind=kind or None, limit=limit, offset=offset), limit, offset))


@router.get("/deals/{deal_id}", summary="One deal", responses=_ERRORS)
def get_deal(request: Request, deal_id: int) -> JSONResponse:
    """One deal with every report."""
    return _json(queries.deal(_store(request), deal_id))


@router.get("/graph", summary="Nodes and edges around an entity", responses=_ERRORS)
def get_graph(request: Request, entity: str = Query(..., max_length=300, description="Entity id or name."),
              depth: int = Query(1, ge=1, le=3, description="Hops out (1 to 3)."),
              limit: int | None = Query(None, ge=1, le=100, description=(
                  "Co-occurring neighbours per node (default 25, 10, 5 for depth 1, 2, 3; at most 100, 30, 10)."))
              ) -> JSONResponse:
    """Relations, deal sides and co-occurrence, ready to draw (bounded so a deep graph stays small)."""
    if limit is None:
        limit = GRAPH_LIMITS[depth][0]
    if limit > GRAPH_LIMITS[depth][1]:
        raise ServerError(f"at depth {depth} the limit is at most {GRAPH_LIMITS[depth][1]}", code=NG506_BAD_REQUEST)
    return _json(queries.graph(_store(request), _key(entity), depth=depth, limit=limit))


@router.get("/search", summary="Full-text search over articles and quotes", responses=_ERRORS)
def search(request: Request, q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=200),
           offset: int = Offset) -> JSONResponse:
    """Articles and quotes matching the words (a "quoted phrase" stays a phrase), best first."""
    return _json(_page(queries.search(_store(request), q, limit=limit, offset=offset), limit, offset))


def _key(value: str | None) -> str | int | None:
    """An entity reference from a URL: a number is an id, anything else a name."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > 300:
        raise ServerError("the entity reference is too long", code=NG506_BAD_REQUEST)
    return int(value) if value.isdigit() else value
