"""Entity evaluation: exact-match PER/ORG/LOC mentions on CoNLL++ and MEANTIME named mentions.

Both sides are mapped to three types (PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC); every
other type (CoNLL MISC, spaCy NORP/PRODUCT/EVENT/..., MEANTIME PRO/FIN/MIX) is dropped
on both sides before scoring. A mention counts as found only when its start, end
and mapped type all match a gold mention. Systems: ``newsgraph`` (the mentions of
the entities ``newsgraph.extract`` returns) and ``spacy_sm`` (bare ``doc.ents``).
"""
from __future__ import annotations

import importlib
from collections import Counter
from typing import Callable, Iterable, NamedTuple, Sequence

from .corpora import conllpp

#: Coarse type per newsgraph/spaCy/CoNLL/MEANTIME label; labels not listed are ignored.
TYPE_MAP = {
    "PERSON": "PER", "PER": "PER",
    "ORG": "ORG",
    "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
}
TYPES = ("PER", "ORG", "LOC")
MAX_ERRORS = 30

Mention = tuple[int, int, str]


def coarse(label: str) -> str | None:
    """The coarse type (PER/ORG/LOC) of a label, or None when it is not scored."""
    return TYPE_MAP.get(label.upper())


def newsgraph_mentions(texts: Sequence[str]) -> list[set[Mention] | None]:
    """Entity mentions per text, as newsgraph's full pipeline reports them (None for a refused text)."""
    import newsgraph

    out: list[set[Mention] | None] = []
    for result in newsgraph.extract_many(list(texts), batch_size=16):
        if result.article is None:
            out.append(None)
            continue
        found: set[Mention] = set()
        for ent in result.article.entities:
            kind = coarse(ent.type)
            if kind:
                found.update((m.start, m.end, kind) for m in ent.mentions)
        out.append(found)
    return out


def spacy_mentions(texts: Sequence[str]) -> list[set[Mention]]:
    """Entity mentions per text from the bare spaCy model (no newsgraph rules): the baseline."""
    from .. import nlp as ng_nlp
    import spacy

    model = spacy.load(ng_nlp.model_name())
    out = []
    for doc in model.pipe(texts, batch_size=16):
        out.append({(e.start_char, e.end_char, coarse(e.label_)) for e in doc.ents if coarse(e.label_)})
    return out


SYSTEMS: dict[str, Callable[[Sequence[str]], list[set[Mention] | None]]] = {
    "newsgraph": newsgraph_mentions,
    "spacy_sm": spacy_mentions,
}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (0 when undefined), rounded to 4 decimals."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(gold: Iterable[set[Mention]], pred: Iterable[set[Mention]]) -> dict[str, float | int]:
    """Micro P/R/F1 over all documents, plus F1 per coarse type and the counts."""
    counts: Counter[tuple[str, str]] = Counter()
    for g, p in zip(gold, pred, strict=True):
        for kind in TYPES:
            gk = {m for m in g if m[2] == kind}
            pk = {m for m in p if m[2] == kind}
            counts[kind, "tp"] += len(gk & pk)
            counts[kind, "fp"] += len(pk - gk)
            counts[kind, "fn"] += len(gk - pk)
    tp, fp, fn = (sum(counts[k, c] for k in TYPES) for c in ("tp", "fp", "fn"))
    out: dict[str, float | int] = {**prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}
    for kind in TYPES:
        out[f"{kind.lower()}_f1"] = prf(counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"])["f1"]
    return out


def errors(doc_ids: Sequence[str], texts: Sequence[str], gold: Sequence[set[Mention]],
           pred: Sequence[set[Mention]], *, dataset: str, limit: int = MAX_ERRORS) -> list[dict]:
    """Up to ``limit`` examples of misses: a wrong type (``value``), a spurious (``fp``) or missed (``fn``) mention."""
    out: list[dict] = []
    for doc_id, text, g, p in zip(doc_ids, texts, gold, pred):
        g_spans = {(s, e): t for s, e, t in g}
        p_spans = {(s, e): t for s, e, t in p}
        for (s, e), t in sorted(p_spans.items()):
            if (s, e) in g_spans and g_spans[s, e] != t:
                out.append(_error(dataset, doc_id, "value", text, s, e, f"{text[s:e]} [{g_spans[s, e]}]",
                                  f"{text[s:e]} [{t}]"))
            elif (s, e) not in g_spans:
                out.append(_error(dataset, doc_id, "fp", text, s, e, None, f"{text[s:e]} [{t}]"))
        for (s, e), t in sorted(g_spans.items()):
            if (s, e) not in p_spans:
                out.append(_error(dataset, doc_id, "fn", text, s, e, f"{text[s:e]} [{t}]", None))
        if len(out) >= limit:
            break
    return out[:limit]


def _error(dataset: str, doc_id: str, kind: str, text: str, s: int, e: int, gold, pred) -> dict:
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    return {"doc": f"{dataset}:{doc_id}", "kind": kind, "gold": gold, "pred": pred,
            "span": text[s:e], "context": line[:300]}


def _meantime():
    """The MEANTIME reader module, or None while it does not exist."""
    try:
        return importlib.import_module("newsgraph.eval.corpora.meantime")
    except ModuleNotFoundError:
        return None


class Dataset(NamedTuple):
    """One gold set ready to score: ids, texts, gold mentions and how to line predictions up with them."""

    name: str
    ids: list[str]
    texts: list[str]
    gold: list[set[Mention]]
    align: Callable[[int, set[Mention]], set[Mention]]


def _datasets(split: str, limit: int | None) -> list[Dataset]:
    """CoNLL++ (exact match) and, when its reader exists and has the split, MEANTIME (overlap match)."""
    docs = conllpp.read(split, limit=limit)
    out = [Dataset("conllpp", [d.id for d in docs], [d.text for d in docs],
                   [{(e.start, e.end, coarse(e.type)) for e in d.entities if coarse(e.type)} for d in docs],
                   lambda i, pred: pred)]
    reader = _meantime()
    if reader is not None and split in getattr(reader, "SPLITS", ()):
        out.append(meantime_dataset(reader, split, limit))
    return out


def meantime_dataset(reader, split: str, limit: int | None) -> Dataset:
    """MEANTIME named mentions (NAM, PRE.NAM) of PER/ORG/LOC entities in the annotated head of each article.

    Gold extents are long (``Irish low cost airline, Ryanair``) and nest, so a gold mention
    that contains another of the same type is dropped (the inner one is kept) and a
    prediction matches a gold mention of its type that it overlaps (one to one). A
    prediction that overlaps only gold mentions of unscored types (products, financial
    entities) is ignored, like CoNLL MISC.
    """
    docs = list(reader.documents(split, limit=limit))
    gold, ignored, head_ends = [], [], []
    for doc in docs:
        mentions = doc.entity_mentions()
        named = {(m.start, m.end, coarse(m.attrs.get("ent_type") or "")) for m in mentions
                 if m.attrs.get("syntactic_type") in ("NAM", "PRE.NAM") and coarse(m.attrs.get("ent_type") or "")}
        gold.append({g for g in named if not any(o != g and o[2] == g[2] and g[0] <= o[0] and o[1] <= g[1]
                                                 for o in named)})
        ignored.append([(m.start, m.end) for m in mentions if not coarse(m.attrs.get("ent_type") or "")])
        head_ends.append(doc.head_end)

    def align(i: int, pred: set[Mention]) -> set[Mention]:
        """Predictions in the annotated head, each replaced by the gold mention it overlaps."""
        in_head = {p for p in pred if p[1] <= head_ends[i]}
        out: set[Mention] = in_head & gold[i]          # exact matches first
        free = gold[i] - out
        for s, e, t in sorted(in_head - out):
            hit = next((g for g in sorted(free) if g[2] == t and g[0] < e and s < g[1]), None)
            if hit:
                free.discard(hit)
                out.add(hit)
            elif not _overlaps_only_ignored(s, e, gold[i], ignored[i]):
                out.add((s, e, t))
        return out

    return Dataset("meantime", [d.id for d in docs], [d.text for d in docs], gold, align)


def _overlaps_only_ignored(s: int, e: int, gold: set[Mention], ignored: list[tuple[int, int]]) -> bool:
    """True when a span touches gold mentions of unscored types and no scored gold mention."""
    if any(g[0] < e and s < g[1] for g in gold):
        return False
    return any(a < e and s < b for a, b in ignored)


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """Score newsgraph (and bare spaCy) on the entity gold sets; the eval-contract report."""
    systems = ["newsgraph"] + (["spacy_sm"] if baselines else [])
    report_systems: dict[str, dict] = {name: {} for name in systems}
    errs: list[dict] = []
    n_docs = 0
    names = []
    for data in _datasets(split, limit):
        names.append(data.name)
        n_docs += len(data.texts)
        for system in systems:
            raw = SYSTEMS[system](data.texts)
            pred = [data.align(i, p or set()) for i, p in enumerate(raw)]
            metrics = {**score(data.gold, pred), "refused_docs": sum(p is None for p in raw)}
            report_systems[system].update({f"{data.name}_{k}": v for k, v in metrics.items()})
            if system == "newsgraph":
                errs += errors(data.ids, data.texts, data.gold, pred, dataset=data.name, limit=MAX_ERRORS // 2)
    return {"task": "entities", "dataset": "+".join(names), "split": split, "n_docs": n_docs,
            "headline": "conllpp_f1", "systems": report_systems, "errors": errs[:MAX_ERRORS]}
