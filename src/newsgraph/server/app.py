"""The FastAPI application: the JSON API under /api, the web pages, the static assets, the guards."""
from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Sequence

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..store.db import Store, connect, open_store
from .security import MAX_BODY_BYTES, BodyLimit, HostCheck, SecurityHeaders, install_error_handlers

HERE = Path(__file__).resolve().parent


class Stores:
    """One store connection per worker thread (SQLite connections are not shared across threads)."""

    def __init__(self, url: str):
        self.url = url
        open_store(url).close()          # create or migrate once, before serving
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()

    def get(self) -> Store:
        """This thread's connection, opened on first use."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = connect(self.url)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        """Close every connection opened so far."""
        with self._lock:
            for store in self._all:
                try:
                    store.close()
                except Exception:   # noqa: BLE001 - closing is best effort at shutdown
                    pass
            self._all.clear()


def create_app(db: str, *, token: str | None = None, allow_fetch: Sequence[str] = (),
               max_body: int = MAX_BODY_BYTES, allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The newsgraph web app over the store at ``db`` (an SQLite path or a PostgreSQL DSN).

    ``token`` enables writes (``Authorization: Bearer <token>``); without it the server is
    read-only. ``allow_fetch`` lists networks (CIDR) that URL fetching may reach even though
    they are not public, e.g. an intranet news server. ``allowed_hosts`` limits the Host header
    (``newsgraph serve`` on loopback allows only local names, against DNS rebinding).
    """
    from . import api, pages

    stores = Stores(db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(title="newsgraph", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  openapi_url="/openapi.json",
                  description="Entities, quotes, amounts, dates, events and deals extracted from news, "
                              "each traceable to the characters of its article. Every error is "
                              '{"error": {"code": "NGxxx", "message": ..., "where": ...}}.')
    app.state.stores = stores
    app.state.token = token or None
    app.state.allow_fetch = tuple(allow_fetch)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    if allowed_hosts:
        app.add_middleware(HostCheck, hosts=list(allowed_hosts))
    install_error_handlers(app, html=pages.error_page)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def app_from_env() -> FastAPI:
    """The app as configured by the environment (for ``uvicorn --factory`` and several worker processes).

    NEWSGRAPH_DB (required), NEWSGRAPH_TOKEN, NEWSGRAPH_ALLOW_FETCH and NEWSGRAPH_ALLOWED_HOSTS
    (comma-separated lists).
    """
    import os

    def listed(name: str) -> list[str]:
        return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]

    return create_app(os.environ["NEWSGRAPH_DB"], token=os.environ.get("NEWSGRAPH_TOKEN") or None,
                      allow_fetch=listed("NEWSGRAPH_ALLOW_FETCH"),
                      allowed_hosts=listed("NEWSGRAPH_ALLOWED_HOSTS") or None)
