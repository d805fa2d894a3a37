"""Synthetic stores for the store benchmark: extracted BBC articles re-stored under new ids with
perturbed entity names and dates, through the writer or (for the largest sizes) by SQL duplication.

    base_articles(paths, cache)   extract once, cache as newsgraph/1 JSONL, read back
    synthesise(base, i, ...)      copy number ``i``: new id, renamed people/organisations, shifted dates
    write_store(db, base, ...)    store copies [start, stop) through ``store_article`` (resolution, deals, FTS)
    multiply_store(db, factor)    repeat every article row ``factor`` times under new ids, in SQL
    store_bytes(db)               the database file size after a WAL checkpoint
"""
from __future__ import annotations

import dataclasses
import json
import random
import re
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Sequence

from newsgraph.model import Article

#: Syllables that make the name variants ("Smith" -> "Smithkora"): a new surname per variant,
#: so that surname matching in entity resolution keeps the variants apart as it would real people.
_SYLLABLES = ("ka", "ro", "mi", "tu", "le", "vo", "sa", "ni", "da", "pe", "zu", "bo", "ri", "ta", "go",
              "he", "lu", "ma", "fe", "xi")
_YEAR = re.compile(r"^\d{4}")
#: Tables keyed by ``aid`` whose rows an SQL duplication copies as they are (global ids unchanged).
_AID_TABLES = ("article_entities", "quotes", "amounts", "times", "events", "event_roles", "relations",
               "deal_reports", "quote_about")


def base_articles(paths: Sequence[Path], cache: Path) -> list[Article]:
    """The extracted articles of ``paths``, from ``cache`` (JSONL) or extracted once and cached there."""
    if not cache.exists():
        from newsgraph import extract_many, read_inputs

        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".part")
        with tmp.open("w", encoding="utf-8") as fh:
            for res in extract_many(read_inputs(paths)):
                if res.article is not None:
                    fh.write(json.dumps(res.article.to_dict(), ensure_ascii=False) + "\n")
        tmp.replace(cache)
    with cache.open(encoding="utf-8") as fh:
        return [Article.from_dict(json.loads(line)) for line in fh.read().split("\n") if line.strip()]


def variant_word(k: int) -> str:
    """A pronounceable, distinct suffix for name variant ``k``."""
    n = len(_SYLLABLES)
    return _SYLLABLES[k % n] + _SYLLABLES[(k // n) % n] + ("" if k < n * n else str(k // (n * n)))


def _rename(name: str, suffix: str) -> str:
    words = name.split(" ")
    words[-1] = words[-1] + suffix
    return " ".join(words)


def _shift(value: str | None, years: int) -> str | None:
    """An ISO-like value (``2005-03-01``, ``2005-W10``, ``2005``) moved by ``years``; other values as they are."""
    if not value or not _YEAR.match(value):
        return value
    out = f"{int(value[:4]) + years:04d}{value[4:]}"
    return out.replace("-02-29", "-02-28") if out[4:10] == "-02-29" else out


def synthesise(base: Sequence[Article], i: int, *, variants: int = 200, seed: int = 7) -> Article:
    """Copy number ``i`` of the base articles: base article ``i % len(base)`` under id ``synth-i``, its
    people and organisations renamed to one of ``variants`` name variants, its dates moved by whole years."""
    rnd = random.Random(seed * 1_000_003 + i)
    art = base[i % len(base)]
    suffix = variant_word(rnd.randrange(variants))
    years = rnd.randrange(-6, 3)
    ents = [dataclasses.replace(e, name=_rename(e.name, suffix), aliases=tuple(_rename(a, suffix) for a in e.aliases))
            if e.type in ("PERSON", "ORG") else e for e in art.entities]
    times = [dataclasses.replace(t, value=_shift(t.value, years)) for t in art.times]
    day = date(2004, 1, 1) + timedelta(days=rnd.randrange(730))    # BBC files carry no date: make one
    published = _shift(art.published or day.isoformat(), years)
    return dataclasses.replace(art, id=f"synth-{i}", url=None, published=published, entities=ents, times=times)


def write_store(db: Path, base: Sequence[Article], *, start: int, stop: int, variants: int = 200,
                batch: int = 64, progress: Callable[[int, float], None] | None = None) -> int:
    """Store copies ``start``..``stop - 1`` through ``store_article`` (``batch`` articles a commit, as
    ``newsgraph ingest`` does); returns the UTF-8 bytes of their texts."""
    from newsgraph.store.db import open_store
    from newsgraph.store.writer import store_article

    raw, t0 = 0, time.perf_counter()
    with open_store(str(db)) as store:
        for lo in range(start, stop, batch):
            with store.transaction():
                for i in range(lo, min(stop, lo + batch)):
                    art = synthesise(base, i, variants=variants)
                    raw += len(art.text.encode("utf-8"))
                    store_article(store, art)
            if progress:
                progress(min(stop, lo + batch), time.perf_counter() - t0)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return raw


def multiply_store(db: Path, factor: int) -> None:
    """Make the store ``factor`` times bigger in SQL: every current article and its facts, deal reports,
    quote subjects and full-text entries copied under new article ids; the global entities and deals
    are shared, so each entity is reported ``factor`` times as often (the per-entity queries get
    ``factor`` times more rows to read)."""
    con = sqlite3.connect(str(db), isolation_level=None)
    try:
        n = con.execute("SELECT MAX(aid) FROM articles").fetchone()[0]
        cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in ("articles", *_AID_TABLES)}
        con.execute("BEGIN")
        for k in range(1, factor):
            off = k * n
            for table, names in cols.items():
                sel = ", ".join(f"aid + {off}" if c == "aid" else (f"id || '~{k}'" if table == "articles" and c == "id"
                                                                   else c) for c in names)
                con.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {sel} FROM {table} WHERE aid <= {n}")
            first = con.execute("SELECT COALESCE(MAX(docid), 0) FROM search_docs").fetchone()[0]
            con.execute(f"INSERT INTO search_docs (kind, aid, ref) SELECT kind, aid + {off}, ref FROM search_docs "
                        f"WHERE aid <= {n} ORDER BY docid")
            con.execute(
                "INSERT INTO search_fts (rowid, body) SELECT d.docid, CASE WHEN d.kind = 'article' "
                "THEN COALESCE(a.title, '') || char(10) || a.text ELSE q.text END FROM search_docs d "
                "JOIN articles a ON a.aid = d.aid LEFT JOIN quotes q ON q.aid = d.aid AND q.qid = d.ref "
                f"WHERE d.docid > {first}")
        con.execute("UPDATE entities SET articles = articles * ?", (factor,))
        con.execute("COMMIT")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def store_bytes(db: Path) -> int:
    """The store's size on disk (database file plus any WAL left)."""
    con = sqlite3.connect(str(db))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
