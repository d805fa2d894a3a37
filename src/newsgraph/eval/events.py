"""Score business-event detection against SENTiVENT's sentence-level event types.

A sentence counts as carrying type T when newsgraph finds an event mention in it
whose type maps to T (``sentivent`` in ``lexicons/event_roles.json``:
acquisition_bid/acquisition/merger -> Merger/Acquisition, investment ->
Investment, ipo/financing -> Financing, partnership/deal -> Deal,
appointment/departure/layoff -> Employment, lawsuit -> Legal). Mentions are
scored before merging (a merged event keeps only its first sentence); a bare
"the deal" counts as Merger/Acquisition once the article has named an M&A event.

Systems: ``newsgraph`` (``extract.events.find_mentions`` on the full pipeline's
entities, amounts, times and quotes) and the peer ``keyword`` (any trigger
word's lemma in the sentence, no syntax, no context checks).
Metrics: sentence-level P/R/F1 per mapped type and their macro F1 (over the types that occur in the
split's gold or predictions).

The same report carries the MEANTIME participant scores (``meantime_*`` metrics, see
``eval/events_meantime.py``): triggers of acquisition/purchase/sell/order/merger/bid/stake
events and their Arg0/Arg1 participants, on the same split name (MEANTIME's fixed
dev/test division) and the same ``limit``.
"""
from __future__ import annotations

from typing import Any

from .corpora import sentivent

TYPES = ("Merger/Acquisition", "Investment", "Financing", "Deal", "Employment", "Legal")
_MAX_ERRORS = 30


def _type_map() -> dict[str, str | None]:
    from ..extract.events import _lexicon

    return {etype: row.get("sentivent") for etype, row in _lexicon()[1].items()}


def _newsgraph(doc, text: str) -> list[tuple[int, str]]:
    """(char offset, SENTiVENT type) of every event mention newsgraph finds."""
    from ..extract.amounts import extract_amounts
    from ..extract.entities import extract_entities
    from ..extract.event_index import build_index
    from ..extract.events import find_mentions
    from ..extract.quotes import extract_quotes
    from ..extract.times import extract_times

    ents = extract_entities(doc)
    ix = build_index(doc, ents, extract_amounts(doc), extract_times(doc, None), extract_quotes(doc, ents))
    tmap = _type_map()
    out, seen_ma = [], False
    for m in find_mentions(doc, ix):
        t = tmap.get(m.type)
        if m.type == "deal" and m.anaphoric and seen_ma:
            t = "Merger/Acquisition"
        if t == "Merger/Acquisition" and not m.anaphoric:
            seen_ma = True
        if t:
            out.append((m.trigger.idx, t))
    return out


def _keyword(doc, text: str) -> list[tuple[int, str]]:
    """(char offset, type) of every token whose lemma is the first word of a trigger."""
    from ..extract.events import _lexicon

    by_first, roles = _lexicon()
    tmap = _type_map()
    out = []
    for tok in doc:
        for entry in by_first.get(tok.lemma_.lower(), ()):
            t = tmap.get(entry["type"])
            if t and len(entry["words"]) == 1:
                out.append((tok.idx, t))
    return out


def _sentence_types(doc_gold: sentivent.Document, found: list[tuple[int, str]]) -> list[set[str]]:
    """Per gold sentence, the predicted types whose trigger falls inside it."""
    pred: list[set[str]] = [set() for _ in doc_gold.sentences]
    starts = [s.start for s in doc_gold.sentences]
    from bisect import bisect_right
    for pos, t in found:
        k = bisect_right(starts, pos) - 1
        if 0 <= k < len(pred) and pos < doc_gold.sentences[k].end:
            pred[k].add(t)
    return pred


def _metrics(counts: dict[str, list[int]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    f1s = []
    for t in TYPES:
        tp, fp, fn = counts[t]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        key = t.lower().replace("/", "_")
        out.update({f"{key}_precision": round(p, 4), f"{key}_recall": round(r, 4), f"{key}_f1": round(f, 4),
                    f"{key}_tp": tp, f"{key}_fp": fp, f"{key}_fn": fn})
        if tp + fp + fn:
            f1s.append(f)
    # macro over the types present in gold or predictions of this split (a split may lack Legal)
    out["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    return out


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """The eval-contract report for SENTiVENT sentence event types on one split."""
    from .. import nlp

    docs = sentivent.documents(split, limit=limit)
    systems = {"newsgraph": _newsgraph}
    if baselines:
        systems["keyword"] = _keyword
    counts = {name: {t: [0, 0, 0] for t in TYPES} for name in systems}
    errors: list[dict[str, Any]] = []
    for gold, doc in zip(docs, nlp.parse_many(d.text for d in docs)):
        for name, system in systems.items():
            pred = _sentence_types(gold, system(doc, gold.text))
            for sent, p in zip(gold.sentences, pred):
                g = sent.types & set(TYPES)
                for t in TYPES:
                    c = counts[name][t]
                    if t in p and t in g:
                        c[0] += 1
                    elif t in p:
                        c[1] += 1
                    elif t in g:
                        c[2] += 1
                    else:
                        continue
                    if name == "newsgraph" and (t in p) != (t in g) and len(errors) < _MAX_ERRORS:
                        errors.append({"doc": gold.id, "kind": "fp" if t in p else "fn", "gold": sorted(g),
                                       "pred": sorted(p), "context": sent.text[:300]})
    systems_out = {name: _metrics(c) for name, c in counts.items()}
    n_mt, mt_systems, mt_errors = _meantime(split, limit=limit, baselines=baselines)
    for name, metrics in mt_systems.items():
        systems_out.setdefault(name, {}).update(metrics)
    errors = errors[:_MAX_ERRORS - len(mt_errors)] + mt_errors
    return {"task": "events", "dataset": "sentivent_sentences+meantime_en", "split": split,
            "n_docs": len(docs) + n_mt, "n_docs_sentivent": len(docs), "n_docs_meantime": n_mt,
            "n_sentences": sum(len(d.sentences) for d in docs), "systems": systems_out, "errors": errors}


def _meantime(split: str, *, limit: int | None, baselines: bool) -> tuple[int, dict, list]:
    """MEANTIME participant scores; MEANTIME has no train split, so ``train`` scores nothing there."""
    from .events_meantime import evaluate_meantime

    if split not in ("dev", "test"):
        return 0, {}, []
    return evaluate_meantime(split, limit=limit, baselines=baselines)
