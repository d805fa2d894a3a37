"""The stand-in for attribute_ruler + lemmatizer assigns exactly what the two components assign."""
from __future__ import annotations

import pytest
import spacy

from newsgraph import nlp as ng_nlp
from newsgraph.token_attrs import TokenAttrs, install

from conftest import BBC

TRICKY = [
    "There is a bid. There were two. There's more, and there are doubts.",
    "We're gon na win, y'all, and I ain't joking. Let's go! C'mon, you gotta see it.",
    "He told me and gave it to you. Nothin' changed. Do they have it? He did, and he has.",
    "That is what this says.\n\n  Which one? Those who came; these ones.\n\tAll of it.",
    "Shares in Acme Corp. rose 4.5% to $97.4bn on Tuesday, its best since 2019.",
]


def _attrs(doc) -> list[tuple]:
    return [(t.text, t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def model():
    return spacy.load(ng_nlp.model_name())


@pytest.fixture(scope="module")
def texts(reference_text) -> list[str]:
    paths = sorted(BBC.glob("*/*.txt"))[::45]
    return TRICKY + [reference_text] + [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def test_same_annotations_as_attribute_ruler_and_lemmatizer(model, texts):
    ruler, lemmatizer = model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer")
    fast = TokenAttrs(ruler, lemmatizer)
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(model.pipe(texts))
    for _ in range(2):                                  # cold caches, then warm ones
        for doc in docs:
            expected = _attrs(lemmatizer(ruler(doc.copy())))
            assert _attrs(fast(doc.copy())) == expected
    assert fast.windows, "the two-token patterns (there is, gon na) were never exercised"


def test_newsgraph_pipeline_uses_it_and_keeps_the_originals_disabled():
    nlp = ng_nlp.load()
    assert "newsgraph_token_attrs" in nlp.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp.disabled)
    doc = nlp("The chairman said there were offers, and he rejected them.")
    assert [t.lemma_ for t in doc if t.pos_ == "VERB"] == ["say", "be", "reject"]


def test_left_out_where_it_would_not_be_exact():
    bare = spacy.blank("en")
    assert install(bare) is False                       # no ruler, no lemmatizer
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert install(nlp) is False                        # lookup lemmatizer: keep spaCy's
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "US"}]], {"POS": "PROPN"})     # a pattern on ORTH: the cache key has no ORTH
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert install(nlp) is False and "newsgraph_token_attrs" not in nlp.pipe_names


def test_words_a_memory_zone_brings_leave_the_caches_with_it():
    nlp = ng_nlp.load()
    fast = nlp.get_pipe("newsgraph_token_attrs")
    with nlp.memory_zone():
        nlp("The Qorvexian delegation praised the deal.")
        new, common = nlp.vocab.strings["qorvexian"], nlp.vocab.strings["the"]
        assert new in fast.classes and common in fast.classes
    doc = nlp("The deal was praised.")                        # the next Doc drops what the zone freed
    assert new not in fast.classes and common in fast.classes
    assert not any(key[0] == nlp.vocab.strings["Qorvexian"] for key in fast.lemmas if key[0] not in (0,))
    assert [t.lemma_ for t in doc] == ["the", "deal", "be", "praise", "."]
