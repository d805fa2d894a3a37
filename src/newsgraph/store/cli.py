"""Store commands for the ``newsgraph`` CLI (ingest, rejects, timeline, quotes, deals, entity,
search, export, import): thin shells over ``newsgraph.store.queries``. ``register(main)`` adds them."""
from __future__ import annotations

import csv
import io
import json
import sys
from functools import wraps
from pathlib import Path
from typing import Any, Callable

import click

from ..errors import NewsgraphError, StoreError
from . import queries as Q
from .db import NG301_CANNOT_OPEN, Store, is_postgres, open_store

DB_HELP = "SQLite file or postgresql:// DSN (default: $NEWSGRAPH_DB or news.db)."
db_option = click.option("--db", envvar="NEWSGRAPH_DB", default="news.db", show_default=True, help=DB_HELP)
fmt_option = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                          show_default=True, help="table for people, json or csv for programs.")
Col = tuple[str, Callable[[dict[str, Any]], Any]]


def _open(db: str, *, create: bool = False) -> Store:
    if not create and not is_postgres(db) and not Path(db).exists():
        raise StoreError("no store here (run newsgraph ingest first)", db, code=NG301_CANNOT_OPEN)
    return open_store(db)


def _errors(fn: Callable) -> Callable:
    """Print numbered errors as one line on stderr and exit 1."""
    @wraps(fn)
    def run(*args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except NewsgraphError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    return run


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:g}"
    return str(value).replace("\n", " ")


def emit(data: Any, rows: list[dict[str, Any]], cols: list[Col], fmt: str, *, width: int = 60) -> None:
    """Print ``data`` as JSON, or ``rows`` through ``cols`` as CSV or an aligned table."""
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    table = [[_cell(get(r)) for _, get in cols] for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([h for h, _ in cols])
        w.writerows(table)
        click.echo(buf.getvalue(), nl=False)
        return
    if not table:
        click.echo("(nothing found)")
        return
    table = [[c if len(c) <= width else c[:width - 1] + "…" for c in row] for row in table]
    sizes = [max(len(h), *(len(row[i]) for row in table)) for i, (h, _) in enumerate(cols)]
    click.echo("  ".join(h.ljust(s) for (h, _), s in zip(cols, sizes)).rstrip())
    for row in table:
        click.echo("  ".join(c.ljust(s) for c, s in zip(row, sizes)).rstrip())


def _src(r: dict[str, Any]) -> str:
    s = r["source"]
    return f"{s['article_id'][:16]}@{s['start']}"


def _progress(stream: Any) -> Callable[[Any], None]:
    def show(summary: Any) -> None:
        stream.write(f"\r{summary.read} articles  {summary.per_second:.1f}/s  {summary.rejected} failed   ")
        stream.flush()
    return show


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", help="Publication date (ISO 8601) for inputs that carry none.")
@click.option("--model", envvar="NEWSGRAPH_MODEL", help="Any installed spaCy pipeline.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(0, 64),
              help="Worker processes, each parsing and extracting (1: all in this process; 0: one per core).")
@click.option("--cluster", metavar="ADDRESS",
              help='Extract on a Dask cluster: tcp://scheduler:8786, or local:N for N worker processes here '
                   '(needs pip install "newsgraph[cluster]").')
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary (the default when not on a terminal).")
@_errors
def ingest(inputs: tuple[str, ...], db: str, published: str | None, model: str | None, jobs: int,
           cluster: str | None, as_json: bool) -> None:
    """Extract articles and store them; rerun safely (known articles are skipped, failures recorded).

    INPUTS are .txt, .html, .json/.jsonl files (newsgraph/1 output is stored without re-extracting).

    \b
    Example:
      newsgraph ingest archive/*.txt dump.jsonl --db news.db
      newsgraph ingest corpus/*.jsonl --db news.db --cluster local:2
    """
    from .ingest import ingest as run

    tty = sys.stderr.isatty() and not as_json
    with _open(db, create=True) as store:
        summary = run(store, inputs, published=published, model=model, jobs=jobs, cluster=cluster,
                      on_progress=_progress(sys.stderr) if tty else None)
    if tty:
        sys.stderr.write("\n")
        click.echo(f"{summary.read} articles: {summary.stored} stored, {summary.new_versions} new versions, "
                   f"{summary.unchanged} unchanged, {summary.rejected} rejected ({summary.per_second:.1f}/s)")
    else:
        click.echo(json.dumps(summary.to_dict()))


@click.command()
@db_option
@fmt_option
@_errors
def rejects(db: str, fmt: str) -> None:
    """List the inputs ingest could not store, with their error codes.

    \b
    Example:
      newsgraph rejects --db news.db --format csv
    """
    with _open(db) as store:
        rows = Q.rejects(store)
    emit(rows, rows, [("origin", lambda r: r["origin"]), ("code", lambda r: r["code"]),
                      ("message", lambda r: r["message"]), ("attempts", lambda r: r["attempts"])], fmt, width=90)


@click.command()
@click.argument("entity")
@db_option
@fmt_option
@click.option("--from", "from_", help="Earliest event date (ISO).")
@click.option("--to", help="Latest event date (ISO).")
@click.option("--limit", default=200, show_default=True)
@_errors
def timeline(entity: str, db: str, fmt: str, from_: str | None, to: str | None, limit: int) -> None:
    """Dated events and quotes involving an entity, by event date, each with its source.

    \b
    Example:
      newsgraph timeline "Elon Musk" --db news.db
    """
    with _open(db) as store:
        items = Q.timeline(store, entity, from_=from_, to=to, limit=limit)
    emit(items, items, [("date", lambda r: r["date"]), ("kind", lambda r: r["kind"]),
                        ("what", lambda r: " ".join(filter(None, [r.get("type"), r.get("status")])) or
                         (r["speaker"] or {}).get("name")),
                        ("text", lambda r: r["text"]), ("source", _src)], fmt)


@click.command()
@db_option
@fmt_option
@click.option("--speaker", help="Name or id of the speaker.")
@click.option("--about", help="Name or id of an entity named in the quote.")
@click.option("--limit", default=100, show_default=True)
@_errors
def quotes(db: str, fmt: str, speaker: str | None, about: str | None, limit: int) -> None:
    """Quotes by a speaker and/or about an entity.

    \b
    Example:
      newsgraph quotes --speaker "Sam Altman" --about OpenAI
    """
    with _open(db) as store:
        rows = Q.quotes(store, speaker=speaker, about=about, limit=limit)
    emit(rows, rows, [("date", lambda r: r["date"]), ("speaker", lambda r: (r["speaker"] or {}).get("name")),
                      ("quote", lambda r: r["text"]), ("source", _src)], fmt, width=80)


@click.command()
@db_option
@fmt_option
@click.option("--party", help="Name or id of a party (buyer, target or partner).")
@click.option("--status", help="Deals reported with this status at some point (rejected, completed, ...).")
@click.option("--kind", help="acquisition, investment, partnership or ipo.")
@click.option("--limit", default=50, show_default=True)
@_errors
def deals(db: str, fmt: str, party: str | None, status: str | None, kind: str | None, limit: int) -> None:
    """Deals across articles, with their lifecycle of statuses and price history.

    \b
    Example:
      newsgraph deals --party OpenAI --status rejected
    """
    with _open(db) as store:
        rows = Q.deals(store, party=party, status=status, kind=kind, limit=limit)
    side = lambda r, s: ", ".join(p["name"] for p in r["parties"] if p["role"] == s)  # noqa: E731
    emit(rows, rows, [("id", lambda r: r["id"]), ("kind", lambda r: r["kind"]),
                      ("buyer", lambda r: side(r, "buyer") or side(r, "partner")), ("target", lambda r: side(r, "target")),
                      ("dates", lambda r: f"{r['first_date'] or '?'}..{r['last_date'] or '?'}"),
                      ("lifecycle", lambda r: " > ".join(r["statuses"])),
                      ("prices", lambda r: ", ".join(dict.fromkeys(p["text"] for p in r["prices"]))),
                      ("reports", lambda r: len(r["reports"]))], fmt)


class _EntityGroup(click.Group):
    """``newsgraph entity NAME`` shows a profile; ``entity merge|split|list`` change or list entities."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_EntityGroup)
def entity() -> None:
    """An entity's profile (newsgraph entity "OpenAI"), or merge/split/list entities.

    \b
    Examples:
      newsgraph entity "OpenAI" --db news.db
      newsgraph entity merge 12 40        # 40 becomes part of 12
      newsgraph entity split 12 --name "John Smith"
    """


@entity.command("show")
@click.argument("name")
@db_option
@fmt_option
@_errors
def entity_show(name: str, db: str, fmt: str) -> None:
    """Type, aliases, titles held there, relations, co-occurring entities, article count."""
    with _open(db) as store:
        p = Q.entity_profile(store, name)
    rows = ([{"field": k, "value": p[k]} for k in ("id", "type", "name", "article_count")]
            + [{"field": "alias", "value": a} for a in p["aliases"]]
            + [{"field": "title", "value": f"{t['person']['name']}: {t['title']}"} for t in p["titles"]]
            + [{"field": f"relation ({r['direction']})", "value": f"{r['type']} {r['value'] or ''} "
                f"{(r['other'] or {}).get('name', '')}".replace("  ", " ")} for r in p["relations"]]
            + [{"field": "co-occurs", "value": f"{c['name']} ({c['articles']})"} for c in p["cooccurring"]])
    emit(p, rows, [("field", lambda r: r["field"]), ("value", lambda r: r["value"])], fmt, width=80)


@entity.command("list")
@click.option("--q", help="Names starting with this.")
@click.option("--type", "etype", help="PERSON, ORG, GPE, ...")
@click.option("--limit", default=50, show_default=True)
@db_option
@fmt_option
@_errors
def entity_list(q: str | None, etype: str | None, limit: int, db: str, fmt: str) -> None:
    """Entities, most reported first."""
    with _open(db) as store:
        rows = Q.entities(store, q=q, type=etype, limit=limit)
    emit(rows, rows, [(k, lambda r, k=k: r[k]) for k in ("id", "type", "name", "article_count")], fmt)


@entity.command("merge")
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@db_option
@_errors
def entity_merge(keep: str, others: tuple[str, ...], db: str) -> None:
    """Merge OTHERS into KEEP (names or ids); later ingests keep the merge."""
    from .corrections import merge

    with _open(db) as store:
        out = merge(store, Q.find_entity(store, keep), [Q.find_entity(store, o) for o in others])
    click.echo(json.dumps(out))


@entity.command("split")
@click.argument("entity_ref")
@click.option("--name", help="Move the mentions going by this name to a new entity.")
@click.option("--article", "articles", multiple=True, help="Move the entity's mentions in this article (repeatable).")
@db_option
@_errors
def entity_split(entity_ref: str, name: str | None, articles: tuple[str, ...], db: str) -> None:
    """Split mentions off ENTITY_REF into a new entity; later ingests keep the split."""
    from .corrections import split

    with _open(db) as store:
        out = split(store, Q.find_entity(store, entity_ref), name=name, articles=articles)
    click.echo(json.dumps(out))


@click.command()
@click.argument("text")
@db_option
@fmt_option
@click.option("--limit", default=20, show_default=True)
@_errors
def search(text: str, db: str, fmt: str, limit: int) -> None:
    """Full-text search over articles and quotes ("a phrase" in double quotes stays a phrase).

    \b
    Example:
      newsgraph search "not for sale" --db news.db
    """
    with _open(db) as store:
        rows = Q.search(store, text, limit=limit)
    emit(rows, rows, [("kind", lambda r: r["kind"]), ("article", lambda r: r["article_id"][:16]),
                      ("published", lambda r: r["published"]), ("text", lambda r: r["text"])], fmt, width=100)


@click.command("export")
@click.argument("out", type=click.Path(dir_okay=True, writable=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "graphml", "jsonld"]), default="jsonl",
              show_default=True, help="jsonl: everything (re-importable); csv: Neo4j/pandas node and edge files "
              "(OUT is a folder); graphml: networkx/Gephi; jsonld: linked data.")
@db_option
@_errors
def export_cmd(out: str, fmt: str, db: str) -> None:
    """Export the store's graph.

    \b
    Example:
      newsgraph export --format graphml --db news.db news.graphml
    """
    from ..export import export

    with _open(db) as store:
        counts = export(store, out, fmt=fmt)
    click.echo(json.dumps(counts))


@click.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@db_option
@_errors
def import_cmd(source: str, db: str) -> None:
    """Load a ``newsgraph export --format jsonl`` file into an empty store.

    \b
    Example:
      newsgraph import backup.jsonl --db restored.db
    """
    from ..export import import_jsonl

    with _open(db, create=True) as store:
        counts = import_jsonl(store, source)
    click.echo(json.dumps(counts))


COMMANDS = [ingest, rejects, timeline, quotes, deals, entity, search, export_cmd, import_cmd]


def register(main: click.Group) -> None:
    """Add the store commands to the ``newsgraph`` group."""
    for cmd in COMMANDS:
        main.add_command(cmd)


@click.group()
def _standalone() -> None:
    """The store commands alone (python -m newsgraph.store.cli)."""


register(_standalone)

if __name__ == "__main__":
    _standalone()
