"""Score TIMEX3 extraction against TempEval-3 (the standard TempEval-3 timex measures).

Systems: ``newsgraph`` (``extract.times.extract_times`` anchored at each document's DCT) and the
baseline ``spacy_sm`` (the bare pipeline's DATE/TIME entities, valued by ``dateparser`` with the DCT
as relative base: the date in ISO form cut to the period dateparser reports, "2010" for a year).

Metrics, as the official TempEval-3 scorer defines them:
* ``strict_*``: span P/R/F1 with identical boundaries;
* ``relaxed_*``: span P/R/F1 where any overlap matches (one-to-one, in text order);
* ``type_accuracy`` / ``value_accuracy``: share of relaxed matches with the gold type / value;
* ``type_f1`` / ``value_f1``: F1 where a match needs overlap *and* equal type / value.
Splits: ``dev`` and ``train`` from TBAQ-cleaned, ``test`` = te3-platinum (see ``corpora.tempeval3``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from .corpora import tempeval3

_MAX_ERRORS = 30
Pred = tuple[int, int, str, "str | None"]


def _newsgraph(sdoc, dct: str) -> list[Pred]:
    from ..extract.times import extract_times

    return [(t.start, t.end, t.type, t.value) for t in extract_times(sdoc, dct)]


def _spacy_sm(sdoc, dct: str) -> list[Pred]:
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": dt.datetime.fromisoformat(dct)})
    out = []
    for ent in sdoc.ents:
        if ent.label_ in ("DATE", "TIME"):
            out.append((ent.start_char, ent.end_char, ent.label_, _dateparser_value(parser, ent.text)))
    return out


def _dateparser_value(parser: Any, text: str) -> str | None:
    """dateparser's reading of a span as an ISO date cut to the period it names (year, month, week, day)."""
    data = parser.get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "year":
        return f"{d.year:04d}"
    if data.period == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if data.period == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    return d.isoformat()


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _err(errors: list | None, doc: tempeval3.TimeDoc, kind: str, gold: Any, pred: Any, start: int, end: int) -> None:
    if errors is not None and len(errors) < _MAX_ERRORS:
        errors.append({"doc": doc.id, "kind": kind, "gold": gold, "pred": pred,
                       "context": doc.text[max(0, start - 60):end + 40].replace("\n", " ")})


def score(docs: list[tempeval3.TimeDoc], preds: list[list[Pred]], errors: list | None = None) -> dict[str, Any]:
    """TempEval-3 timex metrics of predictions (one list per document) against the gold."""
    n_gold = n_pred = strict = relaxed = type_ok = value_ok = 0
    for doc, pred in zip(docs, preds):
        gold = sorted(doc.timexes, key=lambda g: g.start)
        pred = sorted(pred)
        n_gold += len(gold)
        n_pred += len(pred)
        strict += len({(g.start, g.end) for g in gold} & {(p[0], p[1]) for p in pred})
        used: set[int] = set()
        for g in gold:
            i = next((i for i, p in enumerate(pred) if i not in used and p[0] < g.end and g.start < p[1]), None)
            if i is None:
                _err(errors, doc, "fn", f"{g.text} [{g.type} {g.value}]", None, g.start, g.end)
                continue
            used.add(i)
            p = pred[i]
            relaxed += 1
            type_ok += p[2] == g.type
            if p[3] == g.value:
                value_ok += 1
            else:
                _err(errors, doc, "value", f"{g.text} [{g.type} {g.value}]",
                     f"{doc.text[p[0]:p[1]]} [{p[2]} {p[3]}]", g.start, g.end)
        for i, p in enumerate(pred):
            if i not in used:
                _err(errors, doc, "fp", None, f"{doc.text[p[0]:p[1]]} [{p[2]} {p[3]}]", p[0], p[1])
    out: dict[str, Any] = {"gold": n_gold, "predicted": n_pred, "tp_relaxed": relaxed, "tp_strict": strict,
                           "tp_value": value_ok}
    for name, tp in (("strict", strict), ("relaxed", relaxed), ("type", type_ok), ("value", value_ok)):
        p, r, f = _prf(tp, n_pred, n_gold)
        if name in ("strict", "relaxed"):
            out[f"{name}_precision"], out[f"{name}_recall"] = round(p, 4), round(r, 4)
        out[f"{name}_f1"] = round(f, 4)
    out["type_accuracy"] = round(type_ok / relaxed, 4) if relaxed else 0.0
    out["value_accuracy"] = round(value_ok / relaxed, 4) if relaxed else 0.0
    return out


def _run(system: Callable, parsed: list, docs: list[tempeval3.TimeDoc]) -> list[list[Pred]]:
    return [system(sdoc, doc.dct) for sdoc, doc in zip(parsed, docs)]


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """Score newsgraph (and the bare spaCy + dateparser baseline) on TempEval-3 TIMEX3s."""
    from .. import nlp

    docs = tempeval3.load(split, limit=limit)
    parsed = list(nlp.parse_many([d.text for d in docs]))
    errors: list[dict[str, Any]] = []
    systems = {"newsgraph": score(docs, _run(_newsgraph, parsed, docs), errors)}
    if baselines:
        systems["spacy_sm"] = score(docs, _run(_spacy_sm, parsed, docs))
    return {"task": "times", "dataset": "tempeval3", "split": split, "n_docs": len(docs), "headline": "value_f1",
            "systems": systems, "errors": errors}


if __name__ == "__main__":  # python -m newsgraph.eval.times [split] [limit]
    import json
    import sys

    args = sys.argv[1:]
    report = evaluate(args[0] if args else "dev", limit=int(args[1]) if len(args) > 1 else None)
    print(json.dumps(report, indent=1))
