"""Bytes in, Articles (text + metadata, no facts yet) out: .txt, .html/.htm, .json/.jsonl and stdin."""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import (NG104_NO_ARTICLE, NG107_BAD_RECORD, NG108_NOT_FOUND, NG110_UNSUPPORTED,
                      InputError, NewsgraphError)
from ..model import Article
from .checks import check_published, check_text, decode
from .datelines import find_dateline

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
#: A page whose main text has fewer words than this has no article (menus, cookie walls).
MIN_HTML_WORDS = 8


@dataclass(frozen=True, slots=True)
class Item:
    """One input: an Article ready to parse, or the error that refused it. ``origin`` names it."""

    origin: str
    article: Article | None = None
    error: NewsgraphError | None = None


def text_id(text: str) -> str:
    """The stable id of an article that names none: sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_article(text: str, where: str, *, id: str | None = None, title: str | None = None,
                 published: str | None = None, url: str | None = None, source: str | None = None,
                 authors: Iterable[str] = ()) -> Article:
    """Check the text and wrap it with its metadata; the dateline is found here."""
    check_text(text, where)
    dateline = find_dateline(text)
    return Article(id=str(id) if id else text_id(text), text=text, title=title,
                   published=check_published(published, where), url=url, source=source,
                   authors=tuple(authors), dateline=dateline.text if dateline else None)


def headline(text: str) -> str | None:
    """The first line of a plain-text article when it is a headline: short, no final period,
    and followed by a blank line (the layout of wire copy and the BBC corpus)."""
    first, sep, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if (sep and rest.startswith(("\n", "\r\n")) and 0 < len(first) <= 150
            and first[-1] not in ".!?:;," and find_dateline(text) is None):
        return first
    return None


def from_html(html: str, where: str, *, url: str | None = None) -> Article:
    """Main text, title, authors, date and site name of a web page, through trafilatura."""
    import trafilatura

    raw = trafilatura.extract(html, output_format="json", with_metadata=True, url=url,
                              include_comments=False, favor_precision=True)
    meta = json.loads(raw) if raw else {}
    text = (meta.get("text") or "").strip()
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError("no article text found in the HTML page", where, code=NG104_NO_ARTICLE)
    authors = [a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]
    published = meta.get("date") or None
    try:
        published = check_published(published)
    except InputError:
        published = None
    return make_article(text, where, title=meta.get("title"), published=published,
                        url=url or meta.get("url") or (meta.get("source") if str(meta.get("source") or "").startswith("http") else None),
                        source=meta.get("source-hostname") or meta.get("sitename") or meta.get("hostname"), authors=authors)


def from_record(record: object, where: str) -> Article:
    """A JSON record with ``text`` and optional id, title, published, url, source, authors."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise InputError('record is not a JSON object with a "text" string', where, code=NG107_BAD_RECORD)
    if record.get("html") and not record["text"].strip():
        return from_html(record["html"], where, url=record.get("url"))
    authors = record.get("authors") or ([record["author"]] if record.get("author") else [])
    return make_article(record["text"], where, id=record.get("id"), title=record.get("title"),
                        published=record.get("published") or record.get("date"), url=record.get("url"),
                        source=record.get("source"), authors=authors)


def read_bytes(data: bytes, where: str, suffix: str, **meta: object) -> Iterator[Item]:
    """The articles in one input's bytes (a JSONL file holds many)."""
    try:
        text = decode(data, where)
        if suffix in HTML_SUFFIXES or (suffix == "" and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))):
            yield Item(where, article=from_html(text, where, url=meta.get("url")))  # type: ignore[arg-type]
        elif suffix in JSON_SUFFIXES:
            yield from _read_json(text, where, jsonl=suffix != ".json")
        elif suffix in TEXT_SUFFIXES:
            meta.setdefault("title", headline(text))
            yield Item(where, article=make_article(text, where, **meta))  # type: ignore[arg-type]
        else:
            raise InputError(f"unsupported file type {suffix!r} (use .txt, .html, .json or .jsonl)",
                             where, code=NG110_UNSUPPORTED)
    except NewsgraphError as exc:
        yield Item(where, error=exc)


def _read_json(text: str, where: str, *, jsonl: bool) -> Iterator[Item]:
    stripped = text.strip()
    if not stripped:
        yield Item(where, error=InputError("empty input", where, code="NG101"))
        return
    if not jsonl or stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if data is not None:
            records = data if isinstance(data, list) else [data]
            for i, rec in enumerate(records, 1):
                yield _record_item(rec, f"{where}#{i}")
            return
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        loc = f"{where}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(loc, error=InputError(f"invalid JSON ({exc.msg})", loc, code=NG107_BAD_RECORD))
            continue
        yield _record_item(rec, loc)


def _record_item(rec: object, loc: str) -> Item:
    try:
        return Item(loc, article=from_record(rec, loc))
    except NewsgraphError as exc:
        return Item(loc, error=exc)


def read_inputs(paths: Iterable[str | Path], *, published: str | None = None) -> Iterator[Item]:
    """Every article in these inputs, in order; ``-`` is standard input (format sniffed).

    ``published`` is the default publication date for inputs that carry none.
    """
    for path in paths:
        where = str(path)
        if where == "-":
            data = sys.stdin.buffer.read()
            head = data.lstrip()[:1]
            suffix = ".jsonl" if head in (b"{", b"[") else ""
            items = read_bytes(data, "<stdin>", suffix)
        else:
            p = Path(path)
            if not p.is_file():
                yield Item(where, error=InputError("no such file", where, code=NG108_NOT_FOUND))
                continue
            items = read_bytes(p.read_bytes(), where, p.suffix.lower())
        for item in items:
            if published and item.article is not None and not item.article.published:
                item.article.published = check_published(published, item.origin)
            yield item
