"""The one writer: each article is stored whole (facts, global links, deals, search index) or not at all.

Idempotent by (article id, text hash): storing the same article again changes nothing. A new
text under the same id or the same URL becomes a new version; the older versions keep their
facts (``current = 0``) so they stay queryable as history.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from ..errors import StoreError
from ..model import Article
from ..resolve.deals import record_deals, role_class, sentence_bounds, to_date
from ..resolve.entities import canonical_title, resolve_article
from .db import NG303_WRITE_FAILED, Store
from .schema import now

WRITER_LOCK = 7_316_001   # the PostgreSQL advisory lock key that serialises newsgraph writers
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class Written:
    """What ``store_article`` did: ``stored``, ``new_version`` or ``unchanged``."""

    status: str
    aid: int
    article_id: str
    version: int


def text_sha(text: str) -> str:
    """The hash that tells two texts under one id apart."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known(store: Store, article_id: str) -> set[str]:
    """The text hashes already stored under an article id (to skip extraction on a rerun)."""
    return {r["text_sha"] for r in store.query("SELECT text_sha FROM articles WHERE id = ?", (article_id,))}


def event_dates(article: Article) -> dict[str, tuple[str | None, str | None]]:
    """Each event's sort date and where it came from: its own time (``event``) or ``published``."""
    times = {t.id: t for t in article.times}
    published = article.published[:10] if article.published and _ISO_PREFIX.match(article.published) else None
    out: dict[str, tuple[str | None, str | None]] = {}
    for ev in article.events:
        found = None
        for role in sorted(ev.roles, key=lambda r: role_class(r.role) != "date"):
            t = times.get(role.ref)
            if t and t.type == "DATE" and t.value:
                m = _ISO_PREFIX.match(t.value)
                d = m.group() if m else (to_date(t.value).isoformat() if to_date(t.value) else None)
                if d:
                    found = d
                    break
        out[ev.id] = (found, "event") if found else (published, "published" if published else None)
    return out


def store_article(store: Store, article: Article, *, path: str | None = None,
                  links: dict[str, int] | None = None, deals: bool = True,
                  version: int | None = None, current: bool | None = None) -> Written:
    """Store one extracted article in one transaction; ``links`` (from an import) skips resolution."""
    sha = text_sha(article.text)
    try:
        with store.transaction():
            if store.dialect == "postgres":   # one writer at a time, as on SQLite: no twin entities from races
                store.execute("SELECT pg_advisory_xact_lock(?)", (WRITER_LOCK,))
            row = store.one("SELECT aid, version FROM articles WHERE id = ? AND text_sha = ?", (article.id, sha))
            if row:
                return Written("unchanged", row["aid"], article.id, row["version"])
            prev = store.one("SELECT MAX(version) AS v FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ?)",
                             (article.id, article.url))
            last = (prev or {}).get("v") or 0
            if version is None:
                version, current = last + 1, True
                for old in store.query("SELECT aid FROM articles WHERE (id = ? OR (url IS NOT NULL AND url = ?)) "
                                       "AND current = 1", (article.id, article.url)):
                    store.execute("UPDATE entities SET articles = articles - 1 WHERE gid IN "
                                  "(SELECT DISTINCT gid FROM article_entities WHERE aid = ?)", (old["aid"],))
                store.execute("UPDATE articles SET current = 0 WHERE id = ? OR (url IS NOT NULL AND url = ?)",
                              (article.id, article.url))
            aid = store.insert_id(
                "INSERT INTO articles (id, text_sha, url, version, current, title, published, source, authors, "
                "dateline, text, path, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, sha, article.url, version, 1 if current else 0, article.title, article.published,
                 article.source, json.dumps(list(article.authors)), article.dateline, article.text, path, now()),
                "aid")
            if links is None:
                links = resolve_article(store, article)
            _write_facts(store, aid, article, links)
            write_quote_about(store, aid, article, links)
            if current and links:
                gids = sorted(set(links.values()))
                store.execute(f"UPDATE entities SET articles = articles + 1 WHERE gid IN ({','.join('?' * len(gids))})",
                              gids)
            if deals:
                record_deals(store, article, aid, links, {k: v[0] for k, v in event_dates(article).items()})
            index_article_text(store, aid)
            return Written("new_version" if last else "stored", aid, article.id, version)
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot store the article ({type(exc).__name__}: {exc})", article.id,
                         code=NG303_WRITE_FAILED) from exc


def _write_facts(store: Store, aid: int, a: Article, links: dict[str, int]) -> None:
    store.executemany(
        "INSERT INTO article_entities (aid, eid, pos, gid, type, name, aliases, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, e.id, i, links[e.id], e.type, e.name, json.dumps(list(e.aliases)),
          json.dumps([[m.start, m.end, m.text] for m in e.mentions])) for i, e in enumerate(a.entities)])
    store.executemany(
        "INSERT INTO quotes (aid, qid, pos, kind, text, start_char, end_char, speaker, speaker_gid, speaker_mention, "
        "cue, cue_start, cue_end, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, q.id, i, q.kind, q.text, q.start, q.end, q.speaker, links.get(q.speaker or ""),
          json.dumps([q.speaker_mention.start, q.speaker_mention.end, q.speaker_mention.text])
          if q.speaker_mention else None, q.cue, q.cue_start, q.cue_end, a.published[:10] if a.published else None)
         for i, q in enumerate(a.quotes)])
    store.executemany(
        "INSERT INTO amounts (aid, id, pos, text, start_char, end_char, value, unit, approximate, qualifier, "
        "value_high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, m.id, i, m.text, m.start, m.end, m.value, m.unit, 1 if m.approximate else 0, m.qualifier,
          m.value_high) for i, m in enumerate(a.amounts)])
    store.executemany(
        "INSERT INTO times (aid, id, pos, text, start_char, end_char, type, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, t.id, i, t.text, t.start, t.end, t.type, t.value) for i, t in enumerate(a.times)])
    dates = event_dates(a)
    store.executemany(
        "INSERT INTO events (aid, id, pos, type, start_char, end_char, status, trigger, date, date_source, "
        "sent_start, sent_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, e.id, i, e.type, e.start, e.end, e.status, e.trigger, *dates[e.id],
          *sentence_bounds(a.text, e.start, e.end)) for i, e in enumerate(a.events)])
    store.executemany(
        "INSERT INTO event_roles (aid, event_id, pos, role, ref, gid, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(aid, e.id, j, r.role, r.ref, links.get(r.ref), dates[e.id][0])
         for e in a.events for j, r in enumerate(e.roles)])
    store.executemany(
        "INSERT INTO relations (aid, id, pos, type, subject, object, value, start_char, end_char, subject_gid, "
        "object_gid, value_norm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, r.id, i, r.type, r.subject, r.object, r.value, r.start, r.end, links.get(r.subject),
          links.get(r.object or ""), canonical_title(r.value) if r.type in ("title", "employee") else r.value)
         for i, r in enumerate(a.relations)])


def write_quote_about(store: Store, aid: int, a: Article, links: dict[str, int]) -> None:
    """Record which entities each quote is about: named inside it (a mention within its span, or one
    of the entity's names as a word of the quote), the speaker left out."""
    rows = []
    for q in a.quotes:
        low = q.text.lower()
        date = a.published[:10] if a.published else None
        for e in a.entities:
            if e.id == q.speaker or e.id not in links:
                continue
            inside = any(q.start <= m.start and m.end <= q.end for m in e.mentions)
            if inside or any(re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", low) for n in {e.name, *e.aliases} if n):
                rows.append((links[e.id], date, aid, q.id, e.id))
    store.executemany("INSERT INTO quote_about (gid, date, aid, qid, eid) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                      rows)


def index_article_text(store: Store, aid: int) -> None:
    """Add the article (title + text) and its quotes to the full-text index."""
    art = store.one("SELECT title, text FROM articles WHERE aid = ?", (aid,))
    docs = [("article", None, f"{art['title'] or ''}\n{art['text']}")]
    docs += [("quote", q["qid"], q["text"]) for q in
             store.query("SELECT qid, text FROM quotes WHERE aid = ? ORDER BY pos", (aid,))]
    if store.dialect == "postgres":
        store.executemany("INSERT INTO search_docs (kind, aid, ref, tsv) VALUES (?, ?, ?, to_tsvector('english', ?))",
                          [(kind, aid, ref, body) for kind, ref, body in docs])
        return
    for kind, ref, body in docs:
        docid = store.insert_id("INSERT INTO search_docs (kind, aid, ref) VALUES (?, ?, ?)", (kind, aid, ref), "docid")
        store.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)", (docid, body))


def record_reject(store: Store, origin: str, code: str, message: str) -> None:
    """Remember an input that could not be stored (one row per input and code, with a count)."""
    with store.transaction():
        store.execute("INSERT INTO rejects (origin, code, message, at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (origin, code) DO UPDATE SET message = excluded.message, at = excluded.at, "
                      "attempts = rejects.attempts + 1", (origin, code, message, now()))


def clear_reject(store: Store, origin: str) -> None:
    """Forget the rejects of an input that has now been stored."""
    store.execute("DELETE FROM rejects WHERE origin = ?", (origin,))
