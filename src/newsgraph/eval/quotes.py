"""Quote evaluation on PolNeAR: direct-quote spans, all attributions, speaker attribution.

Gold: one annotator per document (the first ``.ann`` file in sort order).

Matching: a predicted quote (character span) matches a gold attribution when their
overlap (against the gold Content parts, which may be discontiguous) covers at least
half of the shorter of the two. So each part of a split quote matches the one gold
attribution that holds both parts, and a quote running over several paragraphs
matches every gold attribution annotated inside it.

Figures:
- ``direct_*``: predictions of kind ``direct`` or ``mixed``; gold = attributions whose
  Content contains a quoted stretch (quote marks: direct or mixed). Precision =
  predictions matching any gold attribution (a quote that is a real attribution is
  right whatever the annotator's span looks like) / predictions; recall = gold quoted
  attributions matched by a prediction / gold quoted attributions.
- ``all_*``: every prediction (direct, mixed, indirect) against every gold attribution.
- ``*speaker_accuracy``: over matched gold attributions that have a Source, the matching
  prediction that names a speaker (the one overlapping most) is right when its speaker
  mention overlaps the gold Source, or a mention of the entity it resolves to overlaps
  it, or the gold Source resolves to the same document entity (gold Sources are surface
  mentions such as "he"; both sides go through the same resolver: newsgraph's document
  entities plus its pronoun/description rule, for textacy's speakers too), or the last
  word of a named gold Source is a word of that entity's name. ``*speaker_span_accuracy``
  is the strict form: the predicted speaker mention itself overlaps the gold Source.

Baseline ``textacy``: ``textacy.extract.triples.direct_quotations`` on the same spaCy
Doc (its content span includes the marks); it raises on an odd number of quote marks,
and such a document counts as no predictions (``docs_raised``). It finds direct
quotes only, so it has no ``all_*`` figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .corpora import polnear

MATCH_OVERLAP = 0.5
MAX_ERRORS = 30
_PRONOUNS = frozenset("he she it they we i you him her them us".split())


@dataclass(frozen=True, slots=True)
class Pred:
    """A predicted quote, flattened for scoring."""

    start: int
    end: int
    kind: str
    speaker: tuple[int, int] | None = None
    speaker_text: str = ""
    entity_spans: tuple[tuple[int, int], ...] = ()
    entity_name: str = ""
    entity: str | None = None  # the document entity the speaker resolves to


def overlap(a: int, b: int, parts: Iterable[tuple[int, int]]) -> int:
    """Characters of [a, b) inside the given parts."""
    return sum(max(0, min(b, e) - max(a, s)) for s, e in parts)


def matches(pred: Pred, att: polnear.Attribution) -> int:
    """The overlap when ``pred`` matches ``att`` (see the module note), else 0."""
    ov = overlap(pred.start, pred.end, att.content)
    gold_len = sum(e - s for s, e in att.content)
    shorter = min(pred.end - pred.start, gold_len)
    return ov if shorter > 0 and ov >= MATCH_OVERLAP * shorter else 0


def speaker_right(pred: Pred, att: polnear.Attribution, text: str, gold_entity: str | None = None) -> bool:
    """Is the predicted speaker the gold Source (by span, by entity, or by name)?"""
    if pred.speaker is None:
        return False
    spans = (pred.speaker, *pred.entity_spans)
    if any(overlap(s, e, att.source) for s, e in spans):
        return True
    if gold_entity is not None and gold_entity == pred.entity:
        return True
    gold = " ".join(text[s:e] for s, e in att.source).strip(" ,.'\"’").split()
    if not gold or gold[-1].lower() in _PRONOUNS or not gold[-1][:1].isupper():
        return False
    words = {w.strip(".,’'").lower() for w in (pred.entity_name or pred.speaker_text).split()}
    return gold[-1].strip(".,’'s").lower() in words or gold[-1].lower() in words


def score(docs: Sequence[polnear.Document], preds: Sequence[list[Pred]], *, direct: bool,
          errors: list[dict] | None = None, gold_entities: Sequence[dict[str, str | None]] | None = None) -> dict:
    """P/R/F1 and speaker accuracy of ``preds`` against the gold of ``docs`` (see module note)."""
    tp_pred = n_pred = tp_gold = n_gold = spk_right = spk_n = spk_span = 0
    for n, (doc, plist) in enumerate(zip(docs, preds)):
        resolved = gold_entities[n] if gold_entities is not None else {}
        golds = list(doc.attributions)
        if direct:
            plist = [p for p in plist if p.kind in ("direct", "mixed")]
        targets = [g for g in golds if polnear.has_marks(g, doc.text)] if direct else golds
        n_pred += len(plist)
        n_gold += len(targets)
        for p in plist:
            if any(matches(p, g) for g in golds):
                tp_pred += 1
            elif errors is not None:
                errors.append({"doc": doc.id, "kind": "fp", "gold": None, "pred": doc.text[p.start:p.end][:200],
                               "context": _context(doc.text, p.start, p.end)})
        for g in targets:
            scored = [(matches(p, g), p.speaker is not None, p) for p in plist]
            scored = [x for x in scored if x[0]]
            # the prediction that names a speaker and overlaps most (split quotes give several)
            best = max(scored, key=lambda x: (x[1], x[0]), default=(0, False, None))
            if not best[0]:
                if errors is not None:
                    a, b = g.content_bounds
                    errors.append({"doc": doc.id, "kind": "fn", "gold": g.content_text(doc.text)[:200],
                                   "pred": None, "context": _context(doc.text, a, b)})
                continue
            tp_gold += 1
            if g.source:
                spk_n += 1
                if best[2].speaker is not None and overlap(*best[2].speaker, g.source):
                    spk_span += 1
                if speaker_right(best[2], g, doc.text, resolved.get(g.id)):
                    spk_right += 1
                elif errors is not None:
                    a, b = g.content_bounds
                    errors.append({"doc": doc.id, "kind": "speaker",
                                   "gold": " ".join(doc.text[s:e] for s, e in g.source),
                                   "pred": best[2].speaker_text or None, "context": _context(doc.text, a, b)})
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "speaker_accuracy": round(spk_right / spk_n, 4) if spk_n else 0.0,
            "speaker_span_accuracy": round(spk_span / spk_n, 4) if spk_n else 0.0,
            "n_pred": n_pred, "tp_pred": tp_pred, "n_gold": n_gold, "tp_gold": tp_gold, "speaker_n": spk_n}


def _context(text: str, a: int, b: int) -> str:
    return text[max(0, a - 80):min(len(text), b + 80)].replace("\n", " ")[:400]


def entity_of(sdoc, index, start: int, end: int) -> str | None:
    """The document entity a stretch of text (a speaker or gold Source) names, by newsgraph's resolver."""
    from ..extract import speakers

    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return speakers.resolve(sdoc, span.root.i, index)[0]


def resolvers(spacy_docs) -> list[tuple[list, object]]:
    """Per document: newsgraph's entities and an index to resolve speakers with."""
    from ..extract.entities import extract_entities
    from ..extract.speakers import EntityIndex

    out = []
    for sdoc in spacy_docs:
        entities = extract_entities(sdoc)
        out.append((entities, EntityIndex(entities, sdoc)))
    return out


def gold_entities(docs: Sequence[polnear.Document], spacy_docs, res) -> list[dict[str, str | None]]:
    """Per document, the entity each gold Source resolves to (attribution id -> entity id)."""
    out = []
    for doc, sdoc, (_, index) in zip(docs, spacy_docs, res):
        out.append({a.id: entity_of(sdoc, index, a.source[0][0], a.source[-1][1]) for a in doc.attributions
                    if a.source})
    return out


def newsgraph_preds(spacy_docs, res) -> list[list[Pred]]:
    """newsgraph's quotes (with its own document entities) on parsed documents."""
    from ..extract.quotes import extract_quotes

    out = []
    for sdoc, (entities, _) in zip(spacy_docs, res):
        by_id = {e.id: e for e in entities}
        plist = []
        for q in extract_quotes(sdoc, entities):
            ent = by_id.get(q.speaker) if q.speaker else None
            m = q.speaker_mention
            plist.append(Pred(q.start, q.end, q.kind, (m.start, m.end) if m else None, m.text if m else "",
                              tuple((x.start, x.end) for x in ent.mentions) if ent else (),
                              ent.name if ent else "", q.speaker))
        out.append(plist)
    return out


def textacy_preds(spacy_docs, res) -> tuple[list[list[Pred]], int]:
    """textacy's direct quotations per document (speakers resolved like newsgraph's), and how many docs raised."""
    from textacy.extract.triples import direct_quotations

    out, raised = [], 0
    for sdoc, (_, index) in zip(spacy_docs, res):
        try:
            triples = list(direct_quotations(sdoc))
        except ValueError:
            raised += 1
            triples = []
        plist = []
        for t in triples:
            spk = (t.speaker[0].idx, t.speaker[-1].idx + len(t.speaker[-1].text)) if t.speaker else None
            plist.append(Pred(t.content.start_char, t.content.end_char, "direct", spk,
                              " ".join(tok.text for tok in t.speaker),
                              entity=entity_of(sdoc, index, *spk) if spk else None))
        out.append(plist)
    return out, raised


def evaluate(split: str = "dev", *, limit: int | None = None, baselines: bool = True) -> dict:
    """Score newsgraph (and textacy) quotes on a PolNeAR split (the eval contract's report)."""
    from .. import nlp

    docs = list(polnear.documents(split, limit=limit))
    spacy_docs = list(nlp.parse_many([d.text for d in docs]))
    errors: list[dict] = []
    res = resolvers(spacy_docs)
    golds = gold_entities(docs, spacy_docs, res)
    ours = newsgraph_preds(spacy_docs, res)
    direct = score(docs, ours, direct=True, errors=errors, gold_entities=golds)
    every = score(docs, ours, direct=False, gold_entities=golds)
    systems = {"newsgraph": {**_prefixed("direct", direct), **_prefixed("all", every)}}
    if baselines:
        theirs, raised = textacy_preds(spacy_docs, res)
        systems["textacy"] = {**_prefixed("direct", score(docs, theirs, direct=True, gold_entities=golds)),
                              "docs_raised": raised}
    return {"task": "quotes", "dataset": "polnear", "split": split, "n_docs": len(docs),
            "systems": systems, "errors": _sample(errors)}


def _prefixed(prefix: str, metrics: dict) -> dict:
    return {f"{prefix}_{k}": v for k, v in metrics.items()}


def _sample(errors: list[dict]) -> list[dict]:
    """Up to MAX_ERRORS examples, taking each kind in turn so that every kind shows."""
    kinds: dict[str, list[dict]] = {}
    for err in errors:
        kinds.setdefault(err["kind"], []).append(err)
    out: list[dict] = []
    while len(out) < MAX_ERRORS and any(kinds.values()):
        for kind in list(kinds):
            if kinds[kind] and len(out) < MAX_ERRORS:
                out.append(kinds[kind].pop(0))
    return out
