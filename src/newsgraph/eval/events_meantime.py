"""Score business-event triggers and their agent/patient participants against MEANTIME.

Gold: the EVENT_MENTIONs of the annotated head of each MEANTIME article (``head_end``)
whose lemma (``pred``, else the parser's lemma) names a business transaction
(``GOLD_FAMILY``: acquire/buy/purchase/sell/takeover/merge/bid -> M&A, invest/stake ->
investment, order/deal/contract/agreement -> deal; left out: "sales" as a revenue
figure, pronouns standing for an event, sales of products (sell/sale count only when
their Arg1 is an ORG or FIN entity: a company, unit or stake changes owner) and the
verbs "contract"/"order" ("the economy contracted", "ordered the suspension")), with their PropBank participants
(HAS_PARTICIPANT ``Arg0`` / ``Arg1`` pointing at ENTITY_MENTIONs; a participant counts
as every mention of its gold entity, so "it" and "the company" resolve like the
annotators resolved them).

A predicted mention of a compatible type (``COMPATIBLE``) matches a gold mention when its
trigger overlaps it (strict), else when it lies in the same gold sentence (relaxed; one
to one, strict pairs first). Roles are scored on the relaxed pairs: the agent (bidder,
acquirer, investor, seller, party) against Arg0 and the patient (target, investee, party)
against Arg1; a filler is right when any mention of the predicted entity overlaps any
mention of the gold participant.

Metrics (prefixed ``meantime_``): trigger P/R/F1 strict and relaxed; per role ``a0``/``a1``
precision (right fillers / fillers predicted where gold has that role), recall (right
fillers / gold events with that role, found or not), F1, and accuracy (right fillers /
found events with that role); ``role_f1`` = micro F1 over both roles.
Peer ``keyword``: any single-word trigger lemma, agent = nearest spaCy entity to its left
in the sentence, patient = nearest to its right.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable

from .corpora import meantime

#: Gold lemma -> family.
GOLD_FAMILY = {
    "acquire": "ma", "acquisition": "ma", "buy": "ma", "purchase": "ma", "takeover": "ma", "buyout": "ma",
    "sell": "ma", "sale": "ma", "merge": "ma", "merger": "ma", "bid": "ma",
    "invest": "investment", "investment": "investment", "stake": "investment",
    "order": "deal", "deal": "deal", "contract": "deal", "agreement": "deal",
}
#: Family -> newsgraph event types that may stand for it.
COMPATIBLE = {
    "ma": frozenset({"acquisition", "acquisition_bid", "merger", "investment", "deal"}),  # buying goods: an order
    "investment": frozenset({"investment", "acquisition", "acquisition_bid"}),
    "deal": frozenset({"deal", "partnership", "acquisition", "acquisition_bid"}),
}
SCORED_TYPES = frozenset().union(*COMPATIBLE.values())
_ENT_TYPES = ("ORG", "PERSON", "GPE", "NORP", "PRODUCT", "FAC")
_MAX_ERRORS = 10
#: Gold mentions left out: revenue figures and pronouns standing for an event ("This brings ...").
_NOT_EVENTS = frozenset({"sales", "this", "that", "it", "which", "these", "those"})
#: Sales count only when what is sold is a company or a financial asset (MEANTIME ORG/FIN participants).
_SALE_LEMMAS = frozenset({"sell", "sale"})
_OWNED_TYPES = frozenset({"ORG", "FIN"})
_NOUN_ONLY = frozenset({"contract", "order"})

# A prediction: (trigger start, trigger end, type, agent spans, patient spans)
Pred = tuple[int, int, str, list[list[tuple[int, int]]], list[list[tuple[int, int]]]]


def _lemma(doc, m) -> str:
    """The lemma of a gold event mention: its ``pred``, else the parser's lemma of its last word."""
    if m.attrs.get("pred"):
        return m.attrs["pred"].lower()
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span[-1].lemma_.lower().split("-")[-1] if span is not None and len(span) else m.text.lower()


def gold_events(gd: meantime.Document, doc) -> list[dict[str, Any]]:
    """The scored gold event mentions of one document's head, with their Arg0/Arg1 participant spans."""
    ent_spans: dict[str, list[tuple[int, int]]] = {}
    for em in gd.entity_mentions():
        ent_spans.setdefault(em.attrs.get("entity", em.id), []).append((em.start, em.end))
    args: dict[str, dict[str, list[tuple[int, int]]]] = {}
    company_sold: set[str] = set()
    for ev, role, part in gd.roles():
        if part.kind != "ENTITY_MENTION" or part.start is None or role not in ("Arg0", "Arg1"):
            continue
        spans = ent_spans.get(part.attrs.get("entity", ""), []) or [(part.start, part.end)]
        args.setdefault(ev.id, {}).setdefault(role, []).extend(spans)
        if role == "Arg1" and part.attrs.get("ent_type") in _OWNED_TYPES:
            company_sold.add(ev.id)
    starts = [t.start for t in gd.tokens]
    out = []
    for m in gd.event_mentions():
        if m.end > gd.head_end or m.text.lower() in _NOT_EVENTS or not m.text[:1].isalpha():
            continue
        lemma = _lemma(doc, m)
        fam = GOLD_FAMILY.get(lemma)
        if lemma in _SALE_LEMMAS and m.id not in company_sold:
            continue  # "Apple sells music": a product sale, not a change of owner
        if lemma in _NOUN_ONLY and m.attrs.get("pos") != "NOUN":
            continue  # "the economy contracted"
        if fam:
            sent = gd.tokens[bisect_right(starts, m.start) - 1].sentence
            out.append({"start": m.start, "end": m.end, "text": m.text, "family": fam, "sent": sent,
                        "a0": args.get(m.id, {}).get("Arg0", []), "a1": args.get(m.id, {}).get("Arg1", [])})
    return out


def _newsgraph(doc) -> list[Pred]:
    """newsgraph's event mentions of the scored types, with the spans of their agent and patient entities."""
    from ..extract.amounts import extract_amounts
    from ..extract.entities import extract_entities
    from ..extract.event_index import build_index
    from ..extract.events import _lexicon, find_mentions
    from ..extract.quotes import extract_quotes
    from ..extract.times import extract_times

    ents = extract_entities(doc)
    ix = build_index(doc, ents, extract_amounts(doc), extract_times(doc, None), extract_quotes(doc, ents))
    role_table = _lexicon()[1]

    def spans(refs: list[str]) -> list[list[tuple[int, int]]]:
        return [[(s.start, s.end) for s in ix.entities[r].mentions] for r in refs if r in ix.entities]

    out = []
    for m in find_mentions(doc, ix):
        if m.type not in SCORED_TYPES:
            continue
        agent_role = m.agent_role or role_table[m.type]["agent"]
        patient_role = role_table[m.type]["patient"]
        t = m.trigger
        out.append((t.idx, t.idx + len(t), m.type, spans(m.roles.get(agent_role, [])),
                    spans(m.roles.get(patient_role, []))))
    return out


def _keyword(doc) -> list[Pred]:
    """Single-word trigger lemmas; agent/patient = the nearest spaCy entity left/right in the sentence."""
    from ..extract.events import _lexicon

    by_first, _ = _lexicon()
    out = []
    for tok in doc:
        entry = next((e for e in by_first.get(tok.lemma_.lower(), ()) if len(e["words"]) == 1
                      and e["type"] in SCORED_TYPES), None)
        if entry is None:
            continue
        ents = [e for e in tok.sent.ents if e.label_ in _ENT_TYPES]
        left = [e for e in ents if e.end <= tok.i]
        right = [e for e in ents if e.start > tok.i]
        a0 = [[(left[-1].start_char, left[-1].end_char)]] if left else []
        a1 = [[(right[0].start_char, right[0].end_char)]] if right else []
        out.append((tok.idx, tok.idx + len(tok), entry["type"], a0, a1))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(gold: list[dict], preds: list[Pred], sent_of: Callable[[int], int]) -> tuple[int, list[tuple[int, int]]]:
    """(strict matches, relaxed one-to-one (gold, pred) index pairs)."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for strict in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(preds):
                if pi in used_p or p[2] not in COMPATIBLE[g["family"]]:
                    continue
                if (_overlap((g["start"], g["end"]), (p[0], p[1])) if strict else sent_of(p[0]) == g["sent"]):
                    pairs.append((gi, pi))
                    used_g.add(gi)
                    used_p.add(pi)
                    break
        if strict:
            n_strict = len(pairs)
    return n_strict, pairs


def _right(pred_spans: list[list[tuple[int, int]]], gold_spans: list[tuple[int, int]]) -> bool:
    return any(_overlap(p, g) for ent in pred_spans for p in ent for g in gold_spans)


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


_COUNTS = ("gold", "pred", "strict", "relaxed", "a0_gold", "a0_pred", "a0_tp", "a0_found",
           "a1_gold", "a1_pred", "a1_tp", "a1_found")


def evaluate_meantime(split: str = "dev", *, limit: int | None = None, baselines: bool = True
                      ) -> tuple[int, dict[str, dict[str, float | int]], list[dict]]:
    """(documents, per-system ``meantime_*`` metrics, error examples) on one MEANTIME split."""
    from .. import nlp

    golds = list(meantime.documents(split, limit=limit))
    systems: dict[str, Callable] = {"newsgraph": _newsgraph}
    if baselines:
        systems["keyword"] = _keyword
    c = {name: dict.fromkeys(_COUNTS, 0) for name in systems}
    errors: list[dict] = []
    for gd, doc in zip(golds, nlp.parse_many(g.text[:g.head_end] for g in golds)):
        gold = gold_events(gd, doc)
        for name, system in systems.items():
            misses = count(gd, gold, system(doc), c[name])
            if name == "newsgraph":
                errors.extend(misses[:_MAX_ERRORS - len(errors)])
    return len(golds), {name: metrics(k) for name, k in c.items()}, errors


def count(gd: meantime.Document, gold: list[dict], preds: list[Pred], k: dict[str, int]) -> list[dict]:
    """Add one document's trigger and role counts to ``k``; return its misses as error examples."""
    starts = [t.start for t in gd.tokens]

    def sent_of(pos: int) -> int:
        return gd.tokens[max(0, bisect_right(starts, pos) - 1)].sentence

    n_strict, pairs = _match(gold, preds, sent_of)
    k["gold"] += len(gold)
    k["pred"] += len(preds)
    k["strict"] += n_strict
    k["relaxed"] += len(pairs)
    found = dict(pairs)
    misses = []
    for gi, g in enumerate(gold):
        if gi not in found:
            misses.append({"doc": f"meantime:{gd.id}", "kind": "fn", "gold": g["text"], "pred": None,
                           "context": gd.text[max(0, g["start"] - 120):g["end"] + 120]})
        for role, side in (("a0", 3), ("a1", 4)):
            if not g[role]:
                continue
            k[f"{role}_gold"] += 1
            if gi not in found:
                continue
            k[f"{role}_found"] += 1
            p = preds[found[gi]]
            k[f"{role}_pred"] += bool(p[side])
            ok = _right(p[side], g[role])
            k[f"{role}_tp"] += ok
            if not ok:
                misses.append({"doc": f"meantime:{gd.id}", "kind": "value", "gold": f"{role} of {g['text']!r}",
                               "pred": p[2], "context": _context(gd.text, g[role], g["start"])})
    return misses


def _context(text: str, spans: list[tuple[int, int]], at: int) -> str:
    near = min(spans, key=lambda s: abs(s[0] - at))
    return f"[{text[near[0]:near[1]]}] ... {text[max(0, at - 100):at + 100]}"


def metrics(k: dict[str, int]) -> dict[str, float | int]:
    out: dict[str, float | int] = {"meantime_gold_events": k["gold"], "meantime_pred_events": k["pred"]}
    for mode in ("strict", "relaxed"):
        p, r, f = _prf(k[mode], k["pred"], k["gold"])
        out.update({f"meantime_trigger_{mode}_precision": round(p, 4), f"meantime_trigger_{mode}_recall": round(r, 4),
                    f"meantime_trigger_{mode}_f1": round(f, 4)})
    for role in ("a0", "a1"):
        p, r, f = _prf(k[f"{role}_tp"], k[f"{role}_pred"], k[f"{role}_gold"])
        acc = k[f"{role}_tp"] / k[f"{role}_found"] if k[f"{role}_found"] else 0.0
        out.update({f"meantime_{role}_precision": round(p, 4), f"meantime_{role}_recall": round(r, 4),
                    f"meantime_{role}_f1": round(f, 4), f"meantime_{role}_accuracy": round(acc, 4),
                    f"meantime_{role}_tp": k[f"{role}_tp"], f"meantime_{role}_gold": k[f"{role}_gold"]})
    _, _, f = _prf(k["a0_tp"] + k["a1_tp"], k["a0_pred"] + k["a1_pred"], k["a0_gold"] + k["a1_gold"])
    out["meantime_role_f1"] = round(f, 4)
    return out
