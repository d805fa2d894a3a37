"""Quotes: quote-mark scanning (no model), then extraction on real and hand-written news text."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.extract.quotes import extract_quotes, find_marked

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared() -> Path:
    import os

    return Path(os.environ["NEWSGRAPH_SHARED"]) if os.environ.get("NEWSGRAPH_SHARED") else SHARED


def contents(text: str) -> list[str]:
    return [text[q.start:q.end] for q in find_marked(text)]


# --- quote marks -----------------------------------------------------------------------------

def test_curly_straight_and_nyt_marks():
    text = "“We are not for sale,” he said. \"It is over,\" she said. ''That makes me smart,'' he said."
    assert contents(text) == ["We are not for sale", "It is over", "That makes me smart"]


def test_mistyped_opening_mark():
    text = "Voters wrote in.\n”Mr. Stone embodies the worst of politics.” ― Ana Ruiz\n"
    assert contents(text) == ["Mr. Stone embodies the worst of politics."]
    text = "She said:\n“The real rate is 51 percent.“\nOther text “here is more” too."
    assert contents(text) == ["The real rate is 51 percent.", "here is more"]


def test_apostrophes_are_not_quotes():
    text = "Musk’s bid, the players’ union and the '90s: nothing here is quoted, isn't it?"
    assert contents(text) == []


def test_single_curly_quote_only_when_clearly_a_quote():
    text = "The firm’s ‘robust and orderly transition plan’ is ready, the ‘X’ brand aside."
    assert contents(text) == ["robust and orderly transition plan"]


def test_quote_over_paragraphs_reopens_and_closes_once():
    text = "He said: “First paragraph goes on.\n\n“Second paragraph too.\n“Last one ends here.”\nThen more."
    quotes = find_marked(text)
    assert len(quotes) == 1
    assert text[quotes[0].start:quotes[0].end].startswith("First paragraph")
    assert text[quotes[0].start:quotes[0].end].endswith("Last one ends here.")


def test_nyt_quote_over_paragraphs():
    text = ("''We will not stop,'' she said. ''This is only the start.\n\n"
            "''Next year we go further.''\nOther text.")
    assert contents(text) == ["We will not stop", "This is only the start.\n\n''Next year we go further."]


def test_unbalanced_marks_do_not_swallow_text():
    text = "He said “this never closes.\nA new paragraph with no mark.\n“Here is a real one,” she said."
    assert contents(text) == ["Here is a real one"]


def test_nested_quotes_of_another_style():
    text = "\"As he put it, “a deal is a deal” and that is that,\" she said."
    assert contents(text) == ["As he put it, “a deal is a deal” and that is that"]


def test_titles_in_quotes_are_not_quotes():
    assert contents("He spoke on “Fox and Friends” on Monday.") == []


# --- extraction ---------------------------------------------------------------------------------

def run(text: str):
    import newsgraph

    article = newsgraph.extract(text)
    names = {e.id: e.name for e in article.entities}
    return article, names


def test_reference_article():
    import newsgraph

    text = (shared() / "examples" / "openai-musk-bid.txt").read_text(encoding="utf-8")
    article = newsgraph.extract(text)
    names = {e.id: e.name for e in article.entities}
    direct = [q for q in article.quotes if q.kind == "direct"]
    expected = [("OpenAI has a mission", "Sam Altman", "stating"),
                ("Musk’s offer comes from a competitor", "Chris Lehane", "stated"),
                ("Maybe it was like this at the beginning of the Industrial Revolution", "Sam Altman", "remarked"),
                ("No thank you, but we will buy Twitter for $9.74 billion if you want", "Sam Altman", "wrote")]
    assert len(direct) == 4
    for q, (start, speaker, cue) in zip(direct, expected):
        assert q.text.startswith(start)
        assert names[q.speaker] == speaker
        assert q.cue == cue and text[q.cue_start:q.cue_end] == cue
        assert text[q.start:q.end] == q.text
        assert text[q.speaker_mention.start:q.speaker_mention.end] == q.speaker_mention.text
    assert direct[0].text.endswith("We are not for sale.")
    indirect = [q for q in article.quotes if q.kind == "indirect" and "an attempt by a struggling competitor" in q.text]
    assert len(indirect) == 1 and names[indirect[0].speaker] == "Chris Lehane"
    assert [q.id for q in article.quotes] == [f"q{n}" for n in range(1, len(article.quotes) + 1)]
    assert [q.start for q in article.quotes] == sorted(q.start for q in article.quotes)


def test_split_quote_gives_two_records_with_one_speaker():
    article, names = run("Jane Doe runs Acme Corp.\n“We will grow,” Doe said, “and we will hire.”\n")
    direct = [q for q in article.quotes if q.kind == "direct"]
    assert [q.text for q in direct] == ["We will grow", "and we will hire."]
    assert direct[0].speaker == direct[1].speaker and names[direct[0].speaker] == "Jane Doe"
    assert direct[0].cue_start == direct[1].cue_start


def test_colon_quote_and_pronoun_speaker():
    article, names = run("Maria Lopez, the chief executive of Brightwater, spoke on Monday.\n"
                         "She told reporters: “Our results speak for themselves and we are not done.”\n")
    (q,) = [q for q in article.quotes if q.kind == "direct"]
    assert q.speaker_mention.text == "She" and names[q.speaker] == "Maria Lopez"


def test_description_speaker_resolves_to_an_organisation():
    article, names = run("Shares in Northwind Traders fell 5% on Tuesday.\n"
                         "“We expect a better second half for every one of our stores,” the company said.\n")
    (q,) = [q for q in article.quotes if q.kind == "direct"]
    assert q.speaker_mention.text == "the company" and names[q.speaker] == "Northwind Traders"


def test_indirect_and_according_to():
    article, names = run("Tom Baker said that the merger would close in March.\n"
                         "According to Reuters, the deal values the group at $2 billion.\n")
    kinds = [(q.kind, names.get(q.speaker), q.text) for q in article.quotes]
    assert ("indirect", "Tom Baker", "the merger would close in March") in kinds
    assert any(k == "indirect" and n == "Reuters" and t.startswith("the deal values") for k, n, t in kinds)


def test_mixed_quote():
    article, names = run("Anna Berg said the plan was “a disaster for small savers” and should be dropped.\n")
    (q,) = article.quotes
    assert q.kind == "mixed" and names[q.speaker] == "Anna Berg"
    assert q.text.startswith("the plan was “a disaster")


def test_quote_inside_a_quote_is_not_a_cue():
    article, _ = run("“He said we would win,” Paul Smith wrote.\n")
    (q,) = article.quotes
    assert q.cue == "wrote" and q.speaker_mention.text == "Paul Smith"


# --- robustness ---------------------------------------------------------------------------------

def test_long_run_on_sentence_and_stray_marks_stay_fast():
    from newsgraph import nlp
    from newsgraph.extract.entities import extract_entities

    words = []
    for i in range(5000):
        words.append("said" if i % 50 == 0 else ("“" if i % 97 == 0 else f"word{i % 13}"))
    text = "Bob Stone said " + " ".join(words) + " and ” “ '' \" ‘ ’ everything else.\n"
    doc = nlp.parse(text)
    started = time.perf_counter()
    quotes = extract_quotes(doc, extract_entities(doc))
    assert time.perf_counter() - started < 5.0
    for q in quotes:
        assert text[q.start:q.end] == q.text


def test_marks_scan_is_linear():
    text = ("“a " * 20000) + ("” b ‘ c ’ '' " * 20000)
    started = time.perf_counter()
    find_marked(text)
    assert time.perf_counter() - started < 2.0


# --- real articles (no names from the reference article in any rule) -------------------------

def test_bbc_business_article():
    path = shared() / "data" / "bbc_news_raw" / "business" / "252.txt"
    if not path.exists():
        pytest.skip("shared BBC data not present")
    article, names = run(path.read_text(encoding="utf-8"))
    tony = [q for q in article.quotes if q.text.startswith("The big question now")]
    assert tony and names[tony[0].speaker] == "Tony Lavender"
    ben = [q for q in article.quotes if q.text.startswith("The United Kingdom has the opportunity")]
    assert ben and names[ben[0].speaker] == "Ben Verwaayen"
    assert not any("\n" in q.text for q in article.quotes if q.kind == "direct")


def test_polnear_article_with_nyt_marks():
    from newsgraph.eval.corpora import polnear

    try:
        docs = [d for d in polnear.documents("dev") if d.id.startswith("nyt_")][:1]
    except Exception:  # noqa: BLE001 - shared data missing
        pytest.skip("shared PolNeAR data not present")
    article, _ = run(docs[0].text)
    direct = [q for q in article.quotes if q.kind == "direct"]
    assert len(direct) >= 3
    assert sum(q.speaker_mention is not None for q in direct) >= len(direct) - 1


# --- attribution forms learnt from the PolNeAR train split ------------------------------------

def test_dash_signature_after_each_quote():
    article, names = run("Readers wrote in.\n“He represents our greatest shame.” ― Sonya Herridge "
                         "“He is ignorant of our culture.”― Pamela Padilla\n")
    direct = [q for q in article.quotes if q.kind == "direct"]
    assert [q.speaker_mention.text for q in direct] == ["Sonya Herridge", "Pamela Padilla"]
    assert all(q.cue == "―" for q in direct)


def test_markup_attributes_are_not_quotes():
    text = '<tweet id="6721385" author="@someone" datetime="2015-12-02">Nothing quoted here</tweet>.'
    assert contents(text) == []


def test_colon_lead_without_speech_verb():
    article, names = run("The senator released the following statement:\n"
                         "“We offer our condolences to the family and friends of the governor.”\n")
    (q,) = [q for q in article.quotes if q.kind == "direct"]
    assert q.speaker_mention.text == "The senator"


def test_nested_report_credits_the_outer_speaker():
    article, names = run("Nancy Pelosi said she expected that voters will say “no” to the plan.\n")
    (q,) = [q for q in article.quotes if q.kind in ("direct", "mixed")]
    assert names[q.speaker] == "Nancy Pelosi"


def test_quote_after_a_reporting_sentence_takes_its_speaker():
    article, names = run("Loretta Lynch announced the lawsuit on Monday. “We are seeking a court order "
                         "declaring the law discriminatory and unenforceable.”\n")
    (q,) = [q for q in article.quotes if q.kind == "direct"]
    assert names[q.speaker] == "Loretta Lynch"


def test_quoted_label_is_not_speech():
    article, _ = run("He crushed the party’s “establishment” candidate to win a seat.\n")
    assert [q for q in article.quotes if q.kind in ("direct", "mixed")] == []


# --- properties ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(["“", "”", '"', "''", "‘", "’", "'", "`", "\n", "\n\n", " ", "word", "he said",
                           ",", ".", ":", "Musk’s", "=", ">", "―"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60))
def test_marked_stretches_are_ordered_and_inside_the_text(pieces):
    text = " ".join(pieces)
    last = -1
    for q in find_marked(text):
        assert 0 <= q.open < q.start < q.end < q.close <= len(text)
        assert q.open > last
        assert text[q.start:q.end].strip() == text[q.start:q.end]
        last = q.close - 1


def test_no_entities_and_no_quotes():
    from newsgraph import nlp

    doc = nlp.parse("Shares rose 3% on Monday. Nobody commented.\n")
    assert extract_quotes(doc, []) == []
    doc = nlp.parse("“We are pleased,” the chairman said.\n")
    (q,) = extract_quotes(doc, [])
    assert q.speaker is None and q.speaker_mention.text == "the chairman" and q.cue == "said"


def test_phrasal_reporting_verb():
    article, names = run("Maria Lopez listened to the charge.\n"
                         "“We never hid anything from anyone, ever,” Lopez shot back.\n")
    (q,) = [q for q in article.quotes if q.kind == "direct"]
    assert q.cue == "shot" and names[q.speaker] == "Maria Lopez"


def test_things_that_suggest_are_not_speakers_but_people_are():
    art, _ = run("Acme's rising costs and its falling sales suggest that the firm is in trouble.\n"
                 "Analysts suggest that the firm will be sold within a year.")
    indirect = [q for q in art.quotes if q.kind == "indirect"]
    assert [q.text for q in indirect] == ["the firm will be sold within a year"]
