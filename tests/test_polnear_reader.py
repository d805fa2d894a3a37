"""PolNeAR reader: brat lines (discontiguous spans, no-source events) and the shared files."""
from __future__ import annotations

import pytest

from newsgraph.eval.corpora import polnear
from newsgraph.errors import InputError

ANN = [
    "T1\tSource 10 12\the\n",
    "T2\tCue 13 17\tsaid\n",
    "T3\tContent 0 8;20 30\t\"A,\" \"B.\"\n",
    "T4\tAttribution 13 17\tsaid\n",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n",
    "T5\tCue 40 48\tannounced\n",
    "T6\tContent 49 60\tthe results\n",
    "E2\tAttribution-no-source:T5 Content:T6 Cue:T5\n",
    "T7\tDiscuss 1 2\tx\n",
    "#1\tAnnotatorNotes T3\tfree text\n",
]


def test_parse_ann_discontiguous_and_no_source():
    first, second = polnear.parse_ann(ANN)
    assert first.content == ((0, 8), (20, 30)) and first.source == ((10, 12),) and first.cue == ((13, 17),)
    assert first.content_bounds == (0, 30)
    assert second.source == () and second.content == ((49, 60),)


def test_direct_and_marked_content():
    text = '"A," he said "B." and x announced the results "in full"'
    first, second = polnear.parse_ann(ANN)
    assert polnear.is_direct(first, text)
    assert not polnear.is_direct(second, text)


def test_unknown_split_is_a_numbered_error():
    with pytest.raises(InputError):
        polnear.split_dir("validation")


def test_shared_dev_split_offsets_match_the_text():
    try:
        docs = list(polnear.documents("dev"))
    except InputError:
        pytest.skip("shared PolNeAR data not present")
    assert len(docs) == 84  # 84 texts, one annotator each (two docs have several)
    assert len({d.id for d in docs}) == 84
    n_direct = 0
    for doc in docs[:20]:
        for att in doc.attributions:
            for a, b in att.content + att.source + att.cue:
                assert 0 <= a < b <= len(doc.text)
            n_direct += polnear.is_direct(att, doc.text)
    assert n_direct > 50
    # the README's sample: a Source span reads as written in the text
    doc = next(d for d in docs if d.id.startswith("breitbart_2016-09-12_stealth"))
    assert any(doc.text[a:b] == "The New York Post" for att in doc.attributions for a, b in att.source)


# --- scoring (newsgraph.eval.quotes) -------------------------------------------------------------

def test_scoring_split_quote_parts_and_speakers():
    from newsgraph.eval import quotes as ev

    text = '"We will grow," Jane Doe said, "and we will hire." The firm said profits rose.'
    atts = polnear.parse_ann([
        "T1\tContent 0 15;31 50\tx\n", "T2\tSource 16 24\tJane Doe\n", "T3\tCue 25 29\tsaid\n",
        "E1\tAttribution:T3 Content:T1 Cue:T3 Source:T2\n",
        "T4\tContent 65 77\tprofits rose\n", "T5\tSource 51 59\tThe firm\n", "T6\tCue 60 64\tsaid\n",
        "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5\n",
    ])
    doc = polnear.Document("d", "a", text, atts)
    preds = [ev.Pred(1, 13, "direct", (16, 24), "Jane Doe"), ev.Pred(32, 48, "direct", (16, 24), "Jane Doe"),
             ev.Pred(65, 77, "indirect", (0, 2), "We")]
    direct = ev.score([doc], [preds], direct=True)
    assert (direct["n_gold"], direct["tp_gold"], direct["n_pred"], direct["tp_pred"]) == (1, 1, 2, 2)
    assert direct["f1"] == 1.0 and direct["speaker_accuracy"] == 1.0
    every = ev.score([doc], [preds], direct=False)
    assert every["tp_gold"] == 2 and every["speaker_accuracy"] == 0.5


def test_evaluate_contract_on_a_few_documents():
    from newsgraph.eval import quotes as ev

    try:
        polnear.split_dir("dev")
        next(polnear.documents("dev", limit=1))
    except (InputError, StopIteration):
        pytest.skip("shared PolNeAR data not present")
    report = ev.evaluate("dev", limit=3)
    assert report["task"] == "quotes" and report["dataset"] == "polnear" and report["n_docs"] == 3
    ours, theirs = report["systems"]["newsgraph"], report["systems"]["textacy"]
    for key in ("direct_f1", "direct_speaker_accuracy", "all_f1", "all_speaker_accuracy"):
        assert 0.0 <= ours[key] <= 1.0
    assert ours["direct_f1"] > 0.5
    assert "direct_f1" in theirs and isinstance(theirs["docs_raised"], int)
    assert all(e["kind"] in ("fp", "fn", "speaker") for e in report["errors"])
