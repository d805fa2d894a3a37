"""MEANTIME participants of business events: gold selection, matching, role scoring and the events report."""
from __future__ import annotations

import pytest

from newsgraph import nlp
from newsgraph.eval import events_meantime as M
from newsgraph.eval import runner
from newsgraph.eval.corpora import meantime


def _read(doc_id: str) -> meantime.Document:
    path = next(p for p in meantime.files("dev") if p.name.startswith(f"{doc_id}_"))
    return meantime.read(path)


@pytest.fixture(scope="module")
def aeroflot():
    """dev doc 71526: 'Aeroflot negotiates purchase of 22 new Boeing 787 Dreamliner aircraft'."""
    gd = _read("71526")
    return gd, nlp.parse(gd.text[:gd.head_end])


def _covered(gd, spans, text: str) -> bool:
    return any(gd.text[s:e] == text for s, e in spans)


def test_gold_purchase_has_its_buyer_through_every_mention(aeroflot):
    gd, doc = aeroflot
    gold = M.gold_events(gd, doc)
    purchases = [g for g in gold if g["text"].lower() == "purchase"]
    assert purchases and {g["family"] for g in purchases} == {"ma"}
    # Arg0 is 'Russian flag carrier Aeroflot' in the body, 'Aeroflot' in the title: both count
    assert any(_covered(gd, g["a0"], "Aeroflot") for g in purchases)
    assert all(g["end"] <= gd.head_end for g in gold)


def test_gold_keeps_company_sales_and_drops_product_sales():
    chrysler = _read("68899")   # DaimlerChrysler sells Chrysler Group to Cerberus
    itunes = _read("43503")     # Apple sells films, music and TV episodes on iTunes
    sold = [g for g in M.gold_events(chrysler, nlp.parse(chrysler.text[:chrysler.head_end]))
            if g["text"].lower().startswith("sel")]
    assert sold and any(g["a0"] for g in sold)
    itunes_gold = M.gold_events(itunes, nlp.parse(itunes.text[:itunes.head_end]))
    sells = [m for m in itunes.event_mentions() if m.text.lower().startswith("sell")]
    kept = [g for g in itunes_gold if g["text"].lower().startswith("sell")]
    assert len(sells) >= 4 and len(kept) < len(sells)
    assert "sells" not in {g["text"] for g in kept}  # "The store currently sells digital music tracks"


def test_scorer_rewards_right_participants_and_punishes_swapped_ones(aeroflot):
    gd, doc = aeroflot
    gold = M.gold_events(gd, doc)
    perfect = [(g["start"], g["end"], "acquisition", [g["a0"]], [g["a1"]]) for g in gold]
    k = dict.fromkeys(M._COUNTS, 0)
    assert M.count(gd, gold, perfect, k) == []
    best = M.metrics(k)
    assert best["meantime_trigger_strict_f1"] == 1.0
    assert best["meantime_a0_f1"] == 1.0 and best["meantime_a1_f1"] == 1.0
    swapped = [(s, e, t, a1, a0) for s, e, t, a0, a1 in perfect]
    k = dict.fromkeys(M._COUNTS, 0)
    misses = M.count(gd, gold, swapped, k)
    worst = M.metrics(k)
    assert worst["meantime_trigger_strict_f1"] == 1.0
    assert worst["meantime_a0_accuracy"] < 0.5 and any(m["kind"] == "value" for m in misses)
    # a lawsuit is not a purchase, whatever its offsets
    k = dict.fromkeys(M._COUNTS, 0)
    M.count(gd, gold, [(s, e, "lawsuit", a0, a1) for s, e, _, a0, a1 in perfect], k)
    assert M.metrics(k)["meantime_trigger_relaxed_recall"] == 0.0


def test_same_sentence_counts_only_as_relaxed(aeroflot):
    gd, doc = aeroflot
    gold = [g for g in M.gold_events(gd, doc) if g["text"].lower() == "purchase"][:1]
    g = gold[0]
    sent_tokens = [t for t in gd.tokens if t.sentence == g["sent"] and t.end <= g["start"]]
    other = sent_tokens[0]  # first word of the same sentence, not the trigger
    k = dict.fromkeys(M._COUNTS, 0)
    M.count(gd, gold, [(other.start, other.end, "deal", [g["a0"]], [])], k)
    m = M.metrics(k)
    assert m["meantime_trigger_strict_recall"] == 0.0 and m["meantime_trigger_relaxed_recall"] == 1.0


def test_newsgraph_finds_the_aeroflot_purchase_and_its_buyer():
    n, systems, errors = M.evaluate_meantime("dev", limit=12)
    assert n == 12
    ng, kw = systems["newsgraph"], systems["keyword"]
    assert ng["meantime_gold_events"] == kw["meantime_gold_events"] > 0
    assert ng["meantime_a0_tp"] >= 1
    for metrics in (ng, kw):
        for name, value in metrics.items():
            if name.endswith(("precision", "recall", "f1", "accuracy")):
                assert 0.0 <= value <= 1.0, name
    assert all(e["doc"].startswith("meantime:") for e in errors)


def test_events_report_carries_both_datasets_under_stable_names():
    report = runner.run_task("events", split="dev", limit=2, baselines=False)
    assert report["status"] == "ok", report.get("error")
    assert runner.contract_problems(report) == []
    metrics = report["systems"]["newsgraph"]
    for name in ("macro_f1", "merger_acquisition_f1", "investment_f1", "deal_f1", "employment_f1", "legal_f1",
                 "meantime_trigger_relaxed_f1", "meantime_a0_f1", "meantime_a1_f1", "meantime_role_f1"):
        assert name in metrics, name
    assert report["n_docs_meantime"] == 2 and report["n_docs_sentivent"] == 2
