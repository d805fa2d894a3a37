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
