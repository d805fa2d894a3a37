"""Document-coherent entities on real articles: one entity per real thing, typed from all its mentions."""
from __future__ import annotations

from importlib import resources

import pytest

import newsgraph
from newsgraph.extract.entities import normalise
from conftest import SHARED, bbc


def by_name(article, name):
    found = [e for e in article.entities if e.name == name or name in e.aliases]
    assert len(found) == 1, f"{name!r}: {[(e.name, e.aliases) for e in article.entities]}"
    return found[0]


def test_normalise_drops_article_possessive_and_honorific():
    assert normalise("The Wall Street Journal") == "wall street journal"
    assert normalise("Musk’s") == "musk"
    assert normalise("Mr Balls") == "balls"
    assert normalise("Mr") == "mr"


def test_reference_article_entities(reference):
    expect = {"Sam Altman": "PERSON", "Elon Musk": "PERSON", "Chris Lehane": "PERSON", "OpenAI": "ORG",
              "xAI": "ORG", "The Wall Street Journal": "ORG", "Microsoft": "ORG", "DeepMind": "ORG",
              "Anthropic": "ORG", "Paris": "GPE", "France": "GPE"}
    for name, etype in expect.items():
        assert by_name(reference, name).type == etype, name
    # surnames joined to the full name, one entity each
    assert "Altman" in by_name(reference, "Sam Altman").aliases
    assert "Musk" in by_name(reference, "Elon Musk").aliases
    assert "Lehane" in by_name(reference, "Chris Lehane").aliases
    # "X (formerly Twitter)": one entity, named by its longest name
    twitter = by_name(reference, "Twitter")
    assert "X" in twitter.aliases and twitter.type == "ORG"
    # every "OpenAI" in the text is a mention of the one ORG entity
    text = reference.text
    openai = by_name(reference, "OpenAI")
    assert len(openai.mentions) == text.count("OpenAI")
    # no heading is merged into an entity; no entity crosses a line
    for ent in reference.entities:
        for m in ent.mentions:
            assert "\n" not in m.text
        assert "Mission" not in ent.name and "Counterattack" not in ent.name


def test_reference_has_no_person_that_is_a_company(reference):
    people = {e.name for e in reference.entities if e.type == "PERSON"}
    assert people == {"Sam Altman", "Elon Musk", "Chris Lehane"}


def test_honorific_short_forms_join_full_names():
    art = newsgraph.extract(bbc("politics", 5))
    balls = by_name(art, "Ed Balls")
    assert balls.type == "PERSON" and "Mr Balls" in balls.aliases and len(balls.mentions) >= 5
    brown = by_name(art, "Gordon Brown")
    assert "Brown" in brown.aliases
    art = newsgraph.extract(bbc("business", 20))
    assert "Ms Diemont" in by_name(art, "Cara Diemont").aliases


def test_place_inside_an_organisation_name_stays_a_place():
    path = sorted((SHARED / "data/polnear/dev/text").glob("breitbart_2016-09-21_only-percent*.txt"))[0]
    art = newsgraph.extract(path.read_text(encoding="utf-8"))
    assert by_name(art, "The New York Times").type == "ORG"
    assert by_name(art, "New York").type == "GPE"
    assert "Clinton" in by_name(art, "Hillary Clinton").aliases


def test_bundled_example_short_company_name_and_org_nouns():
    text = resources.files("newsgraph").joinpath("examples/harbourline-bid.txt").read_text(encoding="utf-8")
    art = newsgraph.extract(text)
    assert art.dateline == "ROTTERDAM (Newsgraph Wire)"
    assert by_name(art, "Rotterdam").type == "GPE"
    holdings = by_name(art, "Vanterpool Holdings")
    assert holdings.type == "ORG" and "Vanterpool" in holdings.aliases
    assert by_name(art, "Nordlys").type == "ORG"      # "the Danish carrier Nordlys"
    assert by_name(art, "Berenberg").type == "ORG"    # "analysts at Berenberg"
    assert by_name(art, "Maria Castell").type == "PERSON"


@pytest.mark.parametrize("section,number", [("business", 1), ("business", 10), ("tech", 1), ("politics", 5)])
def test_bbc_articles_entities_are_well_formed(section, number):
    art = newsgraph.extract(bbc(section, number))
    assert art.entities
    names = [e.name.lower() for e in art.entities]
    assert len(names) == len(set(names)), "two entities with one name"
    for ent in art.entities:
        assert ent.name.strip() == ent.name and "\n" not in ent.name
        assert ent.type in newsgraph.model.ENTITY_TYPES
        spans = sorted((m.start, m.end) for m in ent.mentions)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "overlapping mentions"
