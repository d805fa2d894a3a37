"""Across articles: one global entity per real thing, user corrections that stick, deals as one object."""
from __future__ import annotations

import dataclasses

import pytest

from newsgraph.errors import StoreError
from newsgraph.resolve.deals import deal_kind, sentence_bounds, to_date
from newsgraph.resolve.entities import canonical_title, description, normalize
from newsgraph.store import queries as Q
from newsgraph.store.corrections import merge, split
from newsgraph.store.writer import store_article
from store_fixtures import Builder, backend, bid_report, reference_article, store, two_browns  # noqa: F401


def gid_of(store, article_id: str, name: str) -> int:
    return store.scalar("SELECT ae.gid FROM article_entities ae JOIN articles a ON a.aid = ae.aid "
                        "WHERE a.id = ? AND ae.name = ? AND a.current = 1", (article_id, name))


def test_names_titles_and_descriptions():
    assert normalize("The Wall Street Journal") == normalize("Wall Street Journal") == "wall street journal"
    assert normalize("Time Warner Inc.", "ORG") == normalize("Time Warner", "ORG")
    assert normalize("Mr Brown", "PERSON") == "brown" and normalize("OpenAI’s") == "openai"
    assert normalize("U.S.", "GPE") == normalize("United States", "GPE") == normalize("America", "GPE")
    assert canonical_title("Chief Executive Officer") == canonical_title("CEO") == canonical_title("boss") == "ceo"
    assert description("OpenAI’s chief executive") == ("OpenAI", "ceo")
    assert description("the chief executive of Unilever") == ("Unilever", "ceo")
    assert description("the BBC chairman") == ("BBC", "chairman")
    assert description("Sam Altman") is None and description("OpenAI") is None


def test_one_global_person_for_full_name_surname_and_description(store):
    store_article(store, reference_article())
    store_article(store, bid_report())
    altman = gid_of(store, "ref-openai-musk", "Sam Altman")
    assert gid_of(store, "wire-bid-0210", "Altman") == altman
    assert gid_of(store, "wire-bid-0210", "OpenAI's chief executive") == altman
    # the quote in the second report is linked to the global speaker
    assert [q["source"]["article_id"] for q in Q.quotes(store, speaker=altman)] == ["wire-bid-0210", "ref-openai-musk"]
    assert gid_of(store, "wire-bid-0210", "Wall Street Journal") == gid_of(store, "ref-openai-musk",
                                                                           "The Wall Street Journal")


def test_people_sharing_a_surname_stay_apart(store):
    for art in two_browns():
        store_article(store, art)
    gordon, nick = gid_of(store, "bbc-brown-budget", "Gordon Brown"), gid_of(store, "bbc-nick-brown", "Nick Brown")
    assert gordon != nick
    # a bare "Brown" next to the Treasury is the chancellor
    assert gid_of(store, "bbc-brown-pledge", "Brown") == gordon
    # a bare "Brown" with nothing to tell them apart is neither
    b = Builder("bbc-brown-unclear", "Brown was unavailable for comment.", published="2005-04-01")
    b.entity("PERSON", "Brown", "Brown")
    store_article(store, b.a)
    assert gid_of(store, "bbc-brown-unclear", "Brown") not in (gordon, nick)


def test_surname_of_a_single_known_person_links_and_types_stay_apart(store):
    store_article(store, reference_article())
    b = Builder("later", "Lehane said the company would not comment. Twitter shares fell.", published="2025-03-01")
    b.entity("PERSON", "Lehane", "Lehane")
    b.entity("PRODUCT", "Twitter", "Twitter")
    store_article(store, b.a)
    assert gid_of(store, "later", "Lehane") == gid_of(store, "ref-openai-musk", "Chris Lehane")
    assert gid_of(store, "later", "Twitter") != gid_of(store, "ref-openai-musk", "Twitter")


def test_org_names_that_differ_in_spacing_or_legal_form_are_one(store):
    names = ["Time Warner", "TimeWarner", "Time Warner Inc", "Warner Music"]
    for i, name in enumerate(names):
        b = Builder(f"tw{i}", f"{name} reported higher profits.", published="2005-01-20")
        b.entity("ORG", name, name)
        store_article(store, b.a)
    gids = [gid_of(store, f"tw{i}", n) for i, n in enumerate(names)]
    assert gids[0] == gids[1] == gids[2] != gids[3]


def _shell(id: str, name: str, text: str, url: str) -> object:
    b = Builder(id, text, published="2005-01-10", url=url)
    b.entity("ORG", name, name)
    return b.a


def test_merge_survives_reingest(store):
    store_article(store, _shell("s1", "Royal Dutch Shell", "Royal Dutch Shell cut its reserves again.", "u1"))
    store_article(store, _shell("s2", "Shell", "Shell shares fell 3%.", "u2"))
    keep, other = gid_of(store, "s1", "Royal Dutch Shell"), gid_of(store, "s2", "Shell")
    assert keep != other
    merge(store, keep, [other])
    assert gid_of(store, "s2", "Shell") == keep and Q.find_entity(store, other) == keep
    # a new version of the second article, and a new article, still land on the merged entity
    store_article(store, _shell("s2-v2", "Shell", "Shell shares fell 4%.", "u2"))
    store_article(store, _shell("s3", "Shell", "Shell will sell its stake.", "u3"))
    assert gid_of(store, "s2-v2", "Shell") == keep and gid_of(store, "s3", "Shell") == keep
    assert Q.entity_profile(store, "Shell")["merged_from"] == [other]
    with pytest.raises(StoreError):
        merge(store, keep, [other])   # already merged


def test_split_survives_reingest(store):
    arts = two_browns()
    arts[2] = dataclasses.replace(arts[2], url="https://example.org/brown-pledge")
    for art in arts:
        store_article(store, art)
    gordon = gid_of(store, "bbc-brown-budget", "Gordon Brown")
    assert gid_of(store, "bbc-brown-pledge", "Brown") == gordon
    out = split(store, "Gordon Brown", articles=["bbc-brown-pledge"])   # names work as well as ids
    assert gid_of(store, "bbc-brown-pledge", "Brown") == out["new"] != gordon
    again = dataclasses.replace(arts[2], id="bbc-brown-pledge-v2", text=arts[2].text + " He did not say how much.")
    store_article(store, again)
    assert gid_of(store, "bbc-brown-pledge-v2", "Brown") == out["new"]
    assert gid_of(store, "bbc-brown-budget", "Gordon Brown") == gordon
    with pytest.raises(StoreError):
        split(store, gordon, articles=["no-such-article"])


def _bid(id: str, published: str, buyer: str, target: str, status: str, price: str | None = None):
    text = f"{buyer} has made an offer for {target}" + (f", worth {price}." if price else ".")
    b = Builder(id, text, published=published)
    e1, e2 = b.entity("ORG", buyer, buyer), b.entity("ORG", target, target)
    roles = {"bidder": e1, "target": e2}
    if price:
        roles["price"] = b.amount(price, float(price.strip("$bn")) * 1e9)
    b.event("acquisition_bid", "offer", status, **roles)
    return b.a


def test_deals_by_parties_and_time(store):
    store_article(store, _bid("d1", "2004-11-02", "Glazer", "Manchester United", "proposed", "$1.5bn"))
    store_article(store, _bid("d2", "2005-05-12", "Glazer", "Manchester United", "accepted", "$1.47bn"))
    store_article(store, _bid("d3", "2007-01-10", "Glazer", "Manchester United", "proposed"))   # years later
    store_article(store, _bid("d4", "2005-05-13", "Red Football", "Manchester United", "completed"))
    deals = Q.deals(store, party="Manchester United")
    lifecycles = sorted((len(d["reports"]), tuple(d["statuses"])) for d in deals)
    assert lifecycles == [(1, ("completed",)), (1, ("proposed",)), (2, ("proposed", "accepted"))]
    two = [d for d in deals if len(d["reports"]) == 2][0]
    assert [p["text"] for p in two["prices"]] == ["$1.5bn", "$1.47bn"]


def test_deal_helpers():
    assert deal_kind("acquisition_bid") == deal_kind("merger") == "acquisition" and deal_kind("lawsuit") is None
    assert str(to_date("2025-W07")) == "2025-02-10" and str(to_date("2022")) == "2022-01-01" and to_date("PRESENT_REF") is None
    text = "First one. The bid was rejected on Friday. Last."
    s, e = sentence_bounds(text, text.index("rejected"), text.index("rejected") + 8)
    assert text[s:e] == "The bid was rejected on Friday."


def test_a_name_tagged_with_another_type_links_only_with_evidence(store):
    def art(id: str, text: str, *ents: tuple[str, str]):
        b = Builder(id, text, published="2004-12-20")
        for etype, name in ents:
            b.entity(etype, name, name)
        store_article(store, b.a)
    art("y1", "Yukos, founded by Mikhail Khodorkovsky, lost its main unit to Rosneft.",
        ("ORG", "Yukos"), ("PERSON", "Mikhail Khodorkovsky"), ("ORG", "Rosneft"))
    # the tagger calls the company a person, but Khodorkovsky and Rosneft are there too
    art("y2", "Rosneft bought the unit Yukos had owned; Mikhail Khodorkovsky is in jail.",
        ("ORG", "Rosneft"), ("PERSON", "Yukos"), ("PERSON", "Mikhail Khodorkovsky"))
    art("y3", "Yukos said nothing.", ("PERSON", "Yukos"))
    company = gid_of(store, "y1", "Yukos")
    assert gid_of(store, "y2", "Yukos") == company
    assert gid_of(store, "y3", "Yukos") != company
