"""The MEANTIME reader: rebuilt text with exact offsets, markables, roles, the annotated head and the split."""
from __future__ import annotations

import re

import pytest

from newsgraph.eval.corpora import meantime


@pytest.fixture(scope="module")
def doc_100911():
    path = next(p for p in meantime.files("all") if p.name.startswith("100911_"))
    return meantime.read(path)


def test_split_is_fixed_disjoint_and_balanced():
    dev, test = meantime.files("dev"), meantime.files("test")
    assert len(dev) == len(test) == 60
    assert not set(dev) & set(test)
    assert sorted(dev + test) == sorted(meantime.files("all"))
    for sub in meantime.SUBCORPORA:
        assert sum(p.parent.name == sub for p in dev) == 15
    assert meantime.files("dev") == dev  # deterministic
    with pytest.raises(ValueError):
        meantime.files("train")


def test_text_layout_and_token_offsets(doc_100911):
    d = doc_100911
    lines = d.text.split("\n")
    assert lines[0] == "Northrop Grumman and Airbus parent EADS defeat Boeing for $40 billion US airtanker contract"
    assert lines[1] == "March 01, 2008"
    assert d.title == lines[0] and d.dct == "2008-03-01"
    assert "a US$40 billion (GB£20.1 billion) contract" in d.text  # "#" restored to "£", no space after "$"
    for tok in d.tokens:
        shown = d.text[tok.start:tok.end]
        assert shown == tok.text or (tok.text == "#" and shown == "£")


def test_values_and_head(doc_100911):
    d = doc_100911
    money = [v.text for v in d.values("MONEY")]
    assert money == ["$40 billion", "US$40 billion", "GB£20.1 billion", "US$100 billion"]
    assert d.text[:d.head_end].endswith("as high as US$100 billion.")
    assert len(d.text) > d.head_end  # the unannotated rest of the article is kept, after head_end
    assert all(m.end <= d.head_end for m in d.markables if m.end is not None)


def test_timex_entities_events_roles(doc_100911):
    d = doc_100911
    timex = {t.text: (t.type, t.attrs["value"]) for t in d.timexes()}
    assert timex["March 01, 2008"] == ("DATE", "2008-03-01")
    names = {m.text: m.attrs.get("ent_type") for m in d.entity_mentions() if m.attrs.get("syntactic_type") == "NAM"}
    assert names["Northrop Grumman"] == "ORG" and names["Boeing"] == "ORG"
    events = {e.text: e.attrs.get("pred") for e in d.event_mentions()}
    assert events["defeated"] == "defeat"
    roles = {(ev.text, role, arg.text) for ev, role, arg in d.roles()}
    assert ("defeated", "Arg2", "Boeing") in roles


def test_every_document_reads_cleanly():
    n_money = 0
    for d in meantime.documents("all"):
        assert d.text.count("\n") == 2  # title, date line, body
        assert 0 < d.head_end <= len(d.text)
        for m in d.markables:
            if m.start is not None:
                assert d.text[m.start:m.end] == m.text
        n_money += len(d.values("MONEY"))
        assert not re.search(r"#\d", d.text)
    assert n_money == 101  # as the corpus README counts


def test_split_of_agrees_with_files():
    for split in ("dev", "test"):
        assert {meantime.split_of(p) for p in meantime.files(split)} == {split}
