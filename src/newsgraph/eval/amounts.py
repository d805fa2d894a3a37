"""Score money amounts and percentages against MEANTIME's VALUE markables (MONEY, PERCENT).

Systems: ``newsgraph`` (``extract.amounts.extract_amounts``) and the baseline ``spacy_sm`` (the bare
pipeline's MONEY/PERCENT entities as spaCy draws them, valued by the same simple number reader).

Metrics, per kind (``money_*``, ``percent_*``): span P/R/F1 with overlap (one-to-one, identical spans
paired first; the headline), with exact boundaries, and with exact boundaries once a leading qualifier is
set aside on both sides (``core``: MEANTIME includes "about" but not "as high as"; newsgraph always
includes the qualifier); value accuracy (value within 0.5% of gold, on overlap-matched spans) and, for
money, currency accuracy (ISO code equal, on matched spans whose gold text names a currency).

Gold conventions (MEANTIME quirks):
* only the annotated head of each article (title, date line, first four sentences) is scored;
* a QUANTITY whose text carries a currency mark ("26 cents", "over US$2.2 billion") counts as MONEY
  (annotators typed the same form MONEY in other documents);
* a VALUE spanning other VALUEs of its kind is scored whole when it is a range ("20 to 25 percent": its
  parts are dropped), and dropped when it is a list ("$381 million, or $0.67": its parts are scored);
* the gold value and currency come from the span text through ``simple_value`` (first number times its
  scale, a hundredth for cents/pence, the first currency mark), which is independent of the extractor.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .. import lexicons
from ..extract.numbers import NUMBER, SCALE, parse_number, scale_of
from .corpora import meantime

_CURRENCY_MARKS = re.compile(
    r"(?P<pre>US\$|USD\$|AU\$|A\$|C\$|NZ\$|HK\$|GB£|\$|£|€|¥)|\b(?P<word>dollars?|cents?|pence|euros?|pounds?|yen|yuan|"
    r"USD|GBP|EUR|JPY|CNY|AUD|CAD)\b", re.I)
_MARK_CODE = {"us$": "USD", "usd$": "USD", "au$": "AUD", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "hk$": "HKD",
              "gb£": "GBP", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "dollar": "USD", "dollars": "USD",
              "cent": "USD", "cents": "USD", "pence": "GBP", "euro": "EUR", "euros": "EUR", "pound": "GBP",
              "pounds": "GBP", "yen": "JPY", "yuan": "CNY", "usd": "USD", "gbp": "GBP", "eur": "EUR", "jpy": "JPY",
              "cny": "CNY", "aud": "AUD", "cad": "CAD"}
_FIRST_NUMBER = re.compile(rf"(?i:(?P<n>{NUMBER})(?P<s>{SCALE})?)")
_SUBUNIT = re.compile(r"\d\s*p\b|\b(?:cents?|pence)\b", re.I)
_RANGE_GLUE = re.compile(r"[\s\-–]*(?:between|from)?[\s\-–]*(?:to|and|-|–)?[\s\-–]*", re.I)
_QUALIFIER = re.compile(r"(?:(?:%s|between)\s+)+" % "|".join(
    re.escape(q) for q in sorted(lexicons.lines("amount_qualifiers.txt"), key=len, reverse=True)), re.I)
_TOLERANCE = 0.005
_MAX_ERRORS = 30


def simple_value(text: str) -> tuple[float | None, str | None]:
    """The first number in ``text`` times its scale, and the first currency mark's ISO code (None if absent)."""
    m = _FIRST_NUMBER.search(text)
    value = None
    if m:
        n = parse_number(m.group("n"))
        if n is not None:
            value = n * scale_of(m.group("s"))
            if _SUBUNIT.search(text):
                value /= 100.0
    c = _CURRENCY_MARKS.search(text)
    code = _MARK_CODE.get((c.group("pre") or c.group("word")).lower()) if c else None
    return value, code


def _gold(doc: meantime.Document) -> list[tuple[int, int, str, str]]:
    """Gold (start, end, kind, text) for kind ``money`` or ``percent`` in the annotated head."""
    spans = []
    for v in doc.values("MONEY", "PERCENT", "QUANTITY"):
        if v.type == "PERCENT":
            spans.append((v.start, v.end, "percent", v.text))
        elif v.type == "MONEY" or _CURRENCY_MARKS.search(v.text):
            spans.append((v.start, v.end, "money", v.text))
    spans = list(dict.fromkeys(spans))
    drop = set()
    for g in spans:
        parts = [o for o in spans if o[2] == g[2] and g[0] <= o[0] and o[1] <= g[1] and o[:2] != g[:2]]
        if not parts:
            continue
        rest = doc.text[g[0]:g[1]]
        for o in sorted(parts, key=lambda o: o[0], reverse=True):
            rest = rest[:o[0] - g[0]] + " " + rest[o[1] - g[0]:]
        if _RANGE_GLUE.fullmatch(rest):
            drop.update(parts)  # a range ("20 to 25 percent"): score it whole
        else:
            drop.add(g)  # a list ("$381 million, or $0.67"): score its parts
    return [g for g in spans if g not in drop]


def _newsgraph(doc) -> list[tuple[int, int, str, float | None, str | None]]:
    from ..extract.amounts import extract_amounts

    return [(a.start, a.end, "percent" if a.unit.startswith("percent") else "money", a.value,
             None if a.unit.startswith("percent") else a.unit) for a in extract_amounts(doc)]


def _spacy_sm(doc) -> list[tuple[int, int, str, float | None, str | None]]:
    out = []
    for ent in doc.ents:
        if ent.label_ in ("MONEY", "PERCENT"):
            value, code = simple_value(ent.text)
            kind = "money" if ent.label_ == "MONEY" else "percent"
            out.append((ent.start_char, ent.end_char, kind, value, code if kind == "money" else None))
    return out


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= _TOLERANCE * max(abs(a), abs(b), 1e-12)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _score(docs, parsed, system: Callable, errors: list | None) -> dict[str, Any]:
    """Counts and metrics of one system over the documents."""
    c: dict[str, int] = {}

    def add(key: str, n: int = 1) -> None:
        c[key] = c.get(key, 0) + n

    for doc, sdoc in zip(docs, parsed):
        text = doc.text
        gold = _gold(doc)
        pred = [p for p in system(sdoc) if p[1] <= doc.head_end]
        for kind in ("money", "percent"):
            g = [x for x in gold if x[2] == kind]
            p = [x for x in pred if x[2] == kind]
            exact = {(x[0], x[1]) for x in g} & {(x[0], x[1]) for x in p}
            add(f"{kind}_exact_tp", len(exact))
            add(f"{kind}_exact_fp", len(p) - len(exact))
            add(f"{kind}_exact_fn", len(g) - len(exact))
            core = {_core(text, x[0], x[1]) for x in g} & {_core(text, x[0], x[1]) for x in p}
            add(f"{kind}_core_tp", len(core))
            add(f"{kind}_core_fp", len(p) - len(core))
            add(f"{kind}_core_fn", len(g) - len(core))
            pairs = _pair(g, p)
            used = set(pairs.values())
            for gi, gs in enumerate(g):
                match = pairs.get(gi)
                if match is None:
                    add(f"{kind}_fn")
                    _err(errors, doc, "fn", gs[3], None, gs[0], gs[1])
                    continue
                add(f"{kind}_tp")
                ps = p[match]
                gv, gc = simple_value(gs[3])
                add(f"{kind}_value_n")
                if _close(ps[3], gv):
                    add(f"{kind}_value_ok")
                else:
                    _err(errors, doc, "value", f"{gs[3]} = {gv}", f"{text[ps[0]:ps[1]]} = {ps[3]}", gs[0], gs[1])
                if kind == "money" and gc:
                    add("money_currency_n")
                    if ps[4] == gc:
                        add("money_currency_ok")
                    else:
                        _err(errors, doc, "value", f"{gs[3]} = {gc}", f"{text[ps[0]:ps[1]]} = {ps[4]}", gs[0], gs[1])
            for i, ps in enumerate(p):
                if i not in used:
                    add(f"{kind}_fp")
                    _err(errors, doc, "fp", None, text[ps[0]:ps[1]], ps[0], ps[1])
    out: dict[str, Any] = {}
    for kind in ("money", "percent"):
        for mode, pre in (("overlap", f"{kind}_"), ("exact", f"{kind}_exact_"), ("core", f"{kind}_core_")):
            tp, fp, fn = c.get(pre + "tp", 0), c.get(pre + "fp", 0), c.get(pre + "fn", 0)
            p, r, f = _prf(tp, fp, fn)
            out.update({f"{kind}_{mode}_precision": round(p, 4), f"{kind}_{mode}_recall": round(r, 4),
                        f"{kind}_{mode}_f1": round(f, 4)})
            if mode == "overlap":
                out.update({f"{kind}_tp": tp, f"{kind}_fp": fp, f"{kind}_fn": fn})
        n = c.get(f"{kind}_value_n", 0)
        out[f"{kind}_value_accuracy"] = round(c.get(f"{kind}_value_ok", 0) / n, 4) if n else 0.0
    n = c.get("money_currency_n", 0)
    out["money_currency_accuracy"] = round(c.get("money_currency_ok", 0) / n, 4) if n else 0.0
    return out


def _pair(gold: list, pred: list) -> dict[int, int]:
    """One-to-one gold -> pred matching of overlapping spans, identical spans paired first."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for exact_only in (True, False):
        for gi, gs in enumerate(gold):
            if gi in pairs:
                continue
            for pi, ps in enumerate(pred):
                if pi not in taken and ((ps[0], ps[1]) == (gs[0], gs[1]) if exact_only
                                        else ps[0] < gs[1] and gs[0] < ps[1]):
                    pairs[gi] = pi
                    taken.add(pi)
                    break
    return pairs


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without its leading qualifier ("as high as US$100 billion" -> "US$100 billion")."""
    m = _QUALIFIER.match(text, start, end)
    return (m.end(), end) if m else (start, end)


def _err(errors: list | None, doc, kind: str, gold, pred, start: int, end: int) -> None:
    if errors is not None and len(errors) < _MAX_ERRORS:
        errors.append({"doc": doc.id, "kind": kind, "gold": gold, "pred": pred,
                       "context": doc.text[max(0, start - 60):end + 60].replace("\n", " ")})


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """Score newsgraph (and the bare spaCy baseline) on MEANTIME's money and percent values."""
    from .. import nlp

    docs = list(meantime.documents(split, limit=limit))
    heads = [d.text[:d.head_end] for d in docs]
    parsed = list(nlp.parse_many(heads))
    errors: list[dict[str, Any]] = []
    systems = {"newsgraph": _score(docs, parsed, _newsgraph, errors)}
    if baselines:
        systems["spacy_sm"] = _score(docs, parsed, _spacy_sm, None)
    return {"task": "amounts", "dataset": "meantime_en", "split": split, "n_docs": len(docs),
            "systems": systems, "errors": errors}


if __name__ == "__main__":  # python -m newsgraph.eval.amounts [split] [limit]
    import json
    import sys

    args = sys.argv[1:]
    report = evaluate(args[0] if args else "dev", limit=int(args[1]) if len(args) > 1 else None)
    print(json.dumps(report, indent=1))
