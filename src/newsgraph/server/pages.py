"""The web pages: server-rendered with Jinja2 (autoescape on), over the same queries as the API."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..errors import NewsgraphError
from ..store import queries, reader
from . import highlight
from .charts import price_chart, timeline_chart
from .security import OTHER_CODES, SERVER_CODES

router = APIRouter(include_in_schema=False)

_ENV = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters["u"] = lambda s: quote(str(s), safe="")


def web_url(value: object) -> str:
    """The URL if it is a plain http(s) link, else "" (so ``javascript:`` and friends never become links)."""
    text = str(value or "").strip()
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


_ENV.filters["web_url"] = web_url


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    """A page from its template, every value escaped."""
    html = _ENV.get_template(name).render(request=request, path=request.url.path, **ctx)
    return HTMLResponse(html, status_code=status_code)


def error_page(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """The HTML face of an error, for browsers."""
    return render(request, "error.html", status_code=status, code=code, message=message, title=f"{code}")


def _store(request: Request) -> Any:
    return request.app.state.stores.get()


def fill_titles(store: Any, *groups: Any) -> None:
    """Give untitled articles (and sources) a display title: the first line of their text."""
    missing: dict[str, list[dict[str, Any]]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            key = node.get("article_id") or node.get("id")
            if "title" in node and not node["title"] and isinstance(key, str):
                missing.setdefault(key, []).append(node)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for group in groups:
        visit(group)
    ids = sorted(missing)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        rows = store.query(f"SELECT id, substr(text, 1, 200) AS head FROM articles WHERE current = 1 "
                           f"AND id IN ({','.join('?' * len(chunk))})", chunk)
        for r in rows:
            for node in missing[r["id"]]:
                node["title"] = first_line(r["head"])


def first_line(text: str, width: int = 90) -> str:
    """The first line of a text, shortened at a word to about ``width`` characters."""
    line = text.strip().split("\n", 1)[0].strip()
    return line if len(line) <= width else line[:width - 2].rsplit(" ", 1)[0] + "…"


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """Search box, latest articles, most active entities, recent deals."""
    st = _store(request)
    latest = queries.articles(st, limit=12)
    fill_titles(st, latest)
    return render(request, "home.html", title="newsgraph",
                  latest=latest, active=queries.entities(st, limit=16), deals=queries.deals(st, limit=6),
                  counts={"articles": st.scalar("SELECT COUNT(*) FROM articles WHERE current = 1"),
                          "entities": st.scalar("SELECT COUNT(*) FROM entities WHERE merged_into IS NULL"),
                          "quotes": st.scalar("SELECT COUNT(*) FROM quotes"),
                          "deals": st.scalar("SELECT COUNT(*) FROM deals")})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = Query("", max_length=500)) -> Response:
    """Entities whose name starts with the query, then matching quotes and articles."""
    q = q.strip()
    if not q:
        return RedirectResponse("/", status_code=303)
    st = _store(request)
    try:
        hits = queries.search(st, q, limit=40)
    except NewsgraphError:
        hits = []
    fill_titles(st, hits)
    return render(request, "search.html", title=f"Search: {q}", q=q, entities=queries.entities(st, q=q, limit=20),
                  quotes=[h for h in hits if h["kind"] == "quote"], articles=[h for h in hits if h["kind"] == "article"])


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article(request: Request, article_id: str,
            at: int | None = Query(None, ge=0, description="Scroll to the sentence at this offset.")) -> HTMLResponse:
    """The text with its facts highlighted and a side panel of facts."""
    st = _store(request)
    data = queries.article(st, article_id)
    links = reader.links(st, reader.article_aid(st, article_id))
    speakers = {q["speaker"] for q in data["quotes"] if q.get("speaker")}
    palette = highlight.speaker_palette(data)
    names = {e["id"]: e["name"] for e in data["entities"]}
    legend = [{"name": names.get(s, s), "colour": f"spk-{palette[s]}", "gid": links.get(s)}
              for s in palette if s in speakers]
    heading = data["article"]["title"] or first_line(data["article"]["text"])
    return render(request, "article.html", title=heading, heading=heading, data=data,
                  meta=data["article"], body=highlight.render(data), facts=highlight.facts(data), links=links,
                  legend=legend, focus=_focus(data["article"]["text"], at))


def _focus(text: str, at: int | None) -> str | None:
    """The sentence element to scroll to when a link names an offset."""
    if at is None:
        return None
    return f"s-{highlight.sentence_of(highlight.sentences(text), at)}"


@router.get("/entities/{entity}", response_class=HTMLResponse)
def entity(request: Request, entity: str) -> HTMLResponse:
    """Profile, timeline chart, relation graph and quotes of one entity."""
    st = _store(request)
    key: str | int = int(entity) if entity.isdigit() else entity
    profile = queries.entity_profile(st, key)
    items = queries.timeline(st, profile["id"], limit=300)
    said = queries.quotes(st, speaker=profile["id"], limit=50)
    about = [q for q in queries.quotes(st, about=profile["id"], limit=30)
             if (q["speaker"] or {}).get("entity_id") != profile["id"]]
    arts = queries.articles(st, entity=profile["id"], limit=20)
    deals_ = queries.deals(st, party=profile["id"], limit=20)
    fill_titles(st, items, said, about, arts, deals_)
    return render(request, "entity.html", title=profile["name"], p=profile, timeline=items,
                  chart=timeline_chart(items), quotes=said, about=about, articles=arts,
                  deals=deals_)


@router.get("/deals", response_class=HTMLResponse)
def deals(request: Request, status: str | None = Query(None, max_length=40),
          party: str | None = Query(None, max_length=300)) -> HTMLResponse:
    """Every deal's lifecycle: statuses over time, price history, the articles behind it."""
    st = _store(request)
    key = (int(party) if party.isdigit() else party) if party else None
    items = queries.deals(st, status=status or None, party=key, limit=100)
    fill_titles(st, items)
    return render(request, "deals.html", title="Deals", deals=items, status=status or "", party=party or "",
                  charts={d["id"]: price_chart(d["prices"]) for d in items})


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """The API reference, rendered from the OpenAPI document (works offline)."""
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            ops.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                    "description": p.get("description", ""),
                                    "type": _type(p.get("schema", {}))} for p in op.get("parameters", [])],
                        "body": "requestBody" in op,
                        "responses": {k: v.get("description", "") for k, v in op.get("responses", {}).items()}})
    codes = [(c, st, m) for c, (st, m) in SERVER_CODES.items()] + OTHER_CODES
    return render(request, "docs.html", title="API", ops=ops, info=spec.get("info", {}), codes=sorted(codes))


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    out = schema.get("type", "")
    if "minimum" in schema or "maximum" in schema:
        out += f" [{schema.get('minimum', '')}..{schema.get('maximum', '')}]"
    return out
