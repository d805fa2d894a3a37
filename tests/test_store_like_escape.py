"""Entity name search treats % and _ as characters, not wildcards."""
from __future__ import annotations

import newsgraph
from newsgraph.store import browse
from newsgraph.store.db import open_store
from newsgraph.store.writer import store_article
from conftest import REFERENCE


def test_wildcards_in_entity_search_match_nothing_extra(tmp_path):
    store = open_store(str(tmp_path / "t.db"))
    store_article(store, newsgraph.extract(REFERENCE.read_text(encoding="utf-8"), published="2025-02-11"))
    assert browse.entities(store, q="%") == [] and browse.entities(store, q="_") == []
    assert [e["name"] for e in browse.entities(store, q="open")] == ["OpenAI"]
    store.close()
