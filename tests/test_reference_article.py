"""The reference-article checklist: it scores newsgraph's output and notices each kind of missing fact."""
from __future__ import annotations

import copy
import dataclasses

import pytest

import newsgraph
from newsgraph.eval import reference
from newsgraph.model import Article, Role


@pytest.fixture(scope="module")
def article() -> Article:
    return newsgraph.extract(reference.reference_text(), published=reference.PUBLISHED)


def _found(article: Article) -> dict[str, bool]:
    return {i["item"]: i["found"] for i in reference.check(article)}


def test_checklist_covers_every_section():
    items = reference.checklist()
    counts = {s: sum(i.section == s for i in items) for s in reference.SECTIONS}
    assert counts == {"entities": 12, "quotes": 5, "amounts": 5, "times": 4, "events": 7, "relations": 5}


def test_an_empty_article_scores_zero():
    empty = Article(id="x", text=reference.reference_text())
    assert not any(_found(empty).values())


def test_newsgraph_finds_the_core_facts(article):
    found = _found(article)
    for item in ("Sam Altman (PERSON)", "Elon Musk (PERSON)", "OpenAI (ORG)", "Twitter/X (ORG)",
                 "97.4e9 USD", "DATE 2022"):
        assert found[item], item


def test_each_kind_of_loss_is_noticed(article):
    base = _found(article)
    bid = "acquisition_bid (bidder/acquirer=Elon Musk; target=OpenAI, 97.4e9, rejected)"
    assert base[bid]
    # swap bidder and target: the bid item must fail
    swapped = copy.copy(article)
    swapped.events = [dataclasses.replace(e, roles=tuple(
        Role({"bidder": "target", "target": "bidder"}.get(r.role, r.role), r.ref) for r in e.roles))
        if e.type == "acquisition_bid" else e for e in article.events]
    assert not _found(swapped)[bid]
    # drop the speaker of every quote: every quote item fails
    mute = copy.copy(article)
    mute.quotes = [dataclasses.replace(q, speaker=None) for q in article.quotes]
    assert not any(v for k, v in _found(mute).items() if "quote by" in k)
    # split Twitter and X into two entities: the one-entity item fails
    split = copy.copy(article)
    twitter = next(e for e in article.entities if e.name in ("Twitter", "X"))
    split.entities = [dataclasses.replace(e, aliases=(), mentions=tuple(m for m in e.mentions if m.text != "X"))
                      if e is twitter else e for e in article.entities]
    assert not _found(split)["Twitter/X (ORG)"]
    # an approximate amount that is not marked approximate
    exact = copy.copy(article)
    exact.amounts = [dataclasses.replace(a, approximate=False) for a in article.amounts]
    assert not _found(exact)["100e9 USD approximate"]


def test_evaluate_reports_the_score_per_section(article):
    report = reference.evaluate()
    metrics = report["systems"]["newsgraph"]
    assert metrics["expected"] == 38 and 0 < metrics["score"] <= 1
    assert metrics["found"] == sum(i["found"] for i in report["checklist"])
    assert len(report["errors"]) == metrics["expected"] - metrics["found"]
