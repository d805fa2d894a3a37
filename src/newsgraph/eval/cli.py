"""The ``newsgraph eval`` command group: a thin shell over ``newsgraph.eval.runner``."""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import runner


def _options(func):
    """The options every scoring command shares."""
    options = [
        click.option("--split", type=click.Choice(runner.SPLITS), default="dev", show_default=True,
                     help="Gold split to score (tune on train/dev; report test)."),
        click.option("--limit", type=click.IntRange(min=1), default=None,
                     help="Score only the first N documents of each gold set."),
        click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Also write the full report (scores, error examples) as JSON here."),
        click.option("--no-baselines", is_flag=True, help="Score newsgraph only (faster)."),
        click.option("--errors", "show_errors", type=int, default=0, show_default=True,
                     help="Print this many error examples per task."),
        click.option("--check-floors", is_flag=True,
                     help="Exit 1 when a score is below its floor in baseline.json for this split/limit."),
        click.option("--write-floors", is_flag=True,
                     help="Re-pin the floors of this split/limit in baseline.json at measured minus margin."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _run(tasks: list[str], *, split: str, limit: int | None, json_path: Path | None, no_baselines: bool,
         show_errors: int, check_floors: bool, write_floors: bool, chart: Path | None = None) -> None:
    """Run the tasks, print their tables, then write/check floors, JSON and chart; exit non-zero on trouble."""
    reports = []
    for task in tasks:
        report = runner.run_task(task, split=split, limit=limit, baselines=not no_baselines)
        reports.append(report)
        click.echo(runner.format_report(report, show_errors=show_errors))
        click.echo("")
    failures: list[str] | None = None
    if write_floors:
        changed = runner.write_floors(reports, split=split, limit=limit)
        click.echo(f"pinned {len(changed)} floors for scope {runner.scope(split, limit)!r} in {runner.BASELINE}")
    if check_floors:
        floors = runner.load_baseline()["floors"].get(runner.scope(split, limit), {})
        failures = runner.check_floors(reports, floors)
        checked = [k for k in floors if k.split(".", 1)[0] in tasks]
        if not checked:
            click.echo(f"floors: none pinned for {', '.join(tasks)} in scope {runner.scope(split, limit)!r}")
        else:
            click.echo(f"floors: all {len(checked)} hold" if not failures
                       else "floors broken:\n  " + "\n  ".join(failures))
    if json_path:
        doc = runner.bundle(reports, split=split, limit=limit, baselines=not no_baselines, failures=failures)
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        click.echo(f"report written to {json_path}")
    if chart:
        from .chart import draw

        draw(reports, chart, title=f"newsgraph vs baselines ({split})")
        click.echo(f"chart written to {chart}")
    broken = [r["task"] for r in reports if r.get("status", "ok") != "ok"]
    if broken:
        raise SystemExit(2)
    if failures:
        raise SystemExit(1)


@click.group("eval")
def eval_group() -> None:
    """Score newsgraph against the gold sets in ../shared/data, next to plain baselines.

    Example: newsgraph eval entities --split dev --limit 20
    """


def _task_command(task: str, help_text: str) -> click.Command:
    @click.command(task, help=help_text)
    @_options
    def command(**kwargs) -> None:
        _run([task], **kwargs)

    return command


_HELP = {
    "quotes": "Quotes and speakers on PolNeAR. Example: newsgraph eval quotes --split dev --limit 10",
    "amounts": "Money/percent/quantity values on MEANTIME. Example: newsgraph eval amounts --split dev",
    "times": "TIMEX3 dates and times on TempEval-3. Example: newsgraph eval times --split dev",
    "entities": "PER/ORG/LOC mentions on CoNLL++ and MEANTIME. Example: newsgraph eval entities --limit 20",
    "events": "Business events on SENTiVENT. Example: newsgraph eval events --split dev",
    "reference": "The reference article's expected facts as a checklist. Example: newsgraph eval reference",
}
for _task in runner.TASKS:
    eval_group.add_command(_task_command(_task, _HELP[_task]))


@eval_group.command("all")
@_options
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Draw newsgraph vs baselines (headline metric per task) to this PNG.")
def all_command(**kwargs) -> None:
    """Every task plus the reference-article checklist.

    \b
    Example:        newsgraph eval all --split dev --json eval-dev.json --chart docs/eval-chart.png
    Refresh floors: newsgraph eval all --split dev --no-baselines --write-floors
    """
    _run(list(runner.TASKS), **kwargs)


@eval_group.command("gate")
@click.option("--write-floors", is_flag=True, help="Re-pin the gate floors instead of checking them.")
def gate_command(write_floors: bool) -> None:
    """The CI gate: each task on its pinned dev subset (gate_limits in baseline.json), newsgraph only.

    \b
    Example:  newsgraph eval gate
    Re-pin after an intended change:  newsgraph eval gate --write-floors
    """
    reports, failures = runner.run_gate(write=write_floors)
    for report in reports:
        click.echo(runner.format_report(report))
        click.echo("")
    if write_floors:
        click.echo(f"gate floors re-pinned in {runner.BASELINE}")
        return
    click.echo("floors: all hold" if not failures else "floors broken:\n  " + "\n  ".join(failures))
    if failures:
        raise SystemExit(1)


@eval_group.command("chart")
@click.argument("report", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("docs/eval-chart.png"),
              show_default=True, help="Where to write the PNG.")
def chart_command(report: Path, out: Path) -> None:
    """Draw the chart from a saved ``--json`` report.

    Example: newsgraph eval chart eval-dev.json --out docs/eval-chart.png
    """
    from .chart import draw

    doc = json.loads(report.read_text(encoding="utf-8"))
    draw(doc["reports"], out, title=f"newsgraph vs baselines ({doc.get('split')})")
    click.echo(f"chart written to {out}")
