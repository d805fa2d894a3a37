"""POST /api/articles: read the posted text, HTML or URL, extract every fact and store the article."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from .. import nlp
from ..ingest import check_published, from_html, make_article
from ..model import Article
from ..pipeline import annotate
from ..store.writer import store_article
from .fetch import fetch_url

if TYPE_CHECKING:
    from .app import Stores


def read_posted(body: dict[str, Any], *, allow_fetch: Sequence[str] = ()) -> Article:
    """The posted article (text, HTML or fetched URL) with its metadata, facts not yet extracted."""
    meta = {k: body.get(k) for k in ("id", "title", "published", "source")}
    meta["published"] = check_published(meta["published"], "published")
    if body.get("url"):
        page = fetch_url(body["url"], allow=allow_fetch)
        if page.content_type == "text/plain":
            return make_article(page.text, page.url, url=page.url, **meta)
        art = from_html(page.text, page.url, url=page.url)
    elif body.get("html"):
        art = from_html(body["html"], "<posted html>", url=None)
    else:
        return make_article(body["text"], "<posted text>", url=None, **meta)
    for key, value in meta.items():      # what the client says wins over what the page says
        if value:
            setattr(art, key, value)
    return art


def add_article(stores: "Stores", body: dict[str, Any], *, allow_fetch: Sequence[str] = ()) -> dict[str, Any]:
    """Extract and store one posted article; one at a time, so a burst of posts cannot starve reads."""
    art = read_posted(body, allow_fetch=allow_fetch)
    with stores.write_lock:
        annotate(art, nlp.parse(art.text, nlp.load()))
        done = store_article(stores.get(), art)
    return {"status": done.status, "id": done.article_id, "version": done.version,
            "href": f"/api/articles/{done.article_id}", "page": f"/articles/{done.article_id}",
            "counts": {k: len(getattr(art, k)) for k in ("entities", "quotes", "amounts", "times", "events",
                                                          "relations")}}
