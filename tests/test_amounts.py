"""Money amounts and percentages: the normaliser on many written forms, golden real articles, the MEANTIME eval."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from newsgraph import nlp
from newsgraph.extract.amounts import extract_amounts, find_amounts, parse_amount
from conftest import bbc

B, M = 1e9, 1e6

# (text, value, unit, approximate, qualifier, value_high)
FORMS = [
    ("$97.4 billion", 97.4 * B, "USD", False, None, None),
    ("US$2bn", 2 * B, "USD", False, None, None),
    ("£1.2bn", 1.2 * B, "GBP", False, None, None),
    ("€850m", 850 * M, "EUR", False, None, None),
    ("850m euros", 850 * M, "EUR", False, None, None),
    ("¥3 trillion", 3e12, "JPY", False, None, None),
    ("Rs 5 crore", 5e7, "INR", False, None, None),
    ("100p", 1.0, "GBP", False, None, None),
    ("$1-2 billion", 1 * B, "USD", False, None, 2 * B),
    ("$1bn-$2bn", 1 * B, "USD", False, None, 2 * B),
    ("£5-10m", 5 * M, "GBP", False, None, 10 * M),
    ("multibillion-dollar", None, "USD", True, None, None),
    ("multi-million pound", None, "GBP", True, None, None),
    ("billions of dollars", None, "USD", True, None, None),
    ("hundreds of millions of pounds", None, "GBP", True, None, None),
    ("$9.74 billion", 9.74 * B, "USD", False, None, None),
    ("$44bn", 44 * B, "USD", False, None, None),
    ("3.5 million dollars", 3.5 * M, "USD", False, None, None),
    ("a billion dollars", 1 * B, "USD", False, None, None),
    ("half a million pounds", 0.5 * M, "GBP", False, None, None),
    ("close to half a trillion dollars", 5e11, "USD", True, "close to", None),
    ("nearly $100 billion", 100 * B, "USD", True, "nearly", None),
    ("about US$1.4 billion", 1.4 * B, "USD", True, "about", None),
    ("more than $44bn", 44 * B, "USD", True, "more than", None),
    ("at least £8,000", 8000, "GBP", True, "at least", None),
    ("up to €2bn", 2 * B, "EUR", True, "up to", None),
    ("an estimated $5bn", 5 * B, "USD", True, "an estimated", None),
    ("Some £280m", 280 * M, "GBP", True, "some", None),
    ("between $12 million and $20 million", 12 * M, "USD", False, "between", 20 * M),
    ("about US$16 million to $28 million", 16 * M, "USD", True, "about", 28 * M),
    ("GB£20.1 billion", 20.1 * B, "GBP", False, None, None),
    ("AU$52.5 million", 52.5 * M, "AUD", False, None, None),
    ("A$300m", 300 * M, "AUD", False, None, None),
    ("USD$23 billion dollar", 23 * B, "USD", False, None, None),
    ("$5.9 billion dollars", 5.9 * B, "USD", False, None, None),
    ("$249 USD", 249, "USD", False, None, None),
    ("EUR 850m", 850 * M, "EUR", False, None, None),
    ("USD 5 million", 5 * M, "USD", False, None, None),
    ("$7.4 Billion", 7.4 * B, "USD", False, None, None),
    ("US$7.2 bn", 7.2 * B, "USD", False, None, None),
    ("$1,099", 1099, "USD", False, None, None),
    ("$US5bn", 5 * B, "USD", False, None, None),
    ("$A300m", 300 * M, "AUD", False, None, None),
    ("EUR5.5bn", 5.5 * B, "EUR", False, None, None),
    ("$50k", 50_000, "USD", False, None, None),
    ("9.9 billion yuan", 9.9 * B, "CNY", False, None, None),
    ("540bn yen", 540 * B, "JPY", False, None, None),
    ("86.7bn Swiss francs", 86.7 * B, "CHF", False, None, None),
    ("59.2 trillion rupiah", 59.2e12, "IDR", False, None, None),
    ("3bn Australian dollars", 3 * B, "AUD", False, None, None),
    ("26 cents", 0.26, "USD", False, None, None),
    ("fifteen cents", 0.15, "USD", False, None, None),
    ("274.5 pence", 2.745, "GBP", False, None, None),
    ("4 euro cents", 0.04, "EUR", False, None, None),
    ("5%", 5, "percent", False, None, None),
    ("5.2 per cent", 5.2, "percent", False, None, None),
    ("five percent", 5, "percent", False, None, None),
    ("Thirty per cent", 30, "percent", False, None, None),
    ("half a percent", 0.5, "percent", False, None, None),
    ("15-20%", 15, "percent", False, None, 20),
    ("20 to 25 percent", 20, "percent", False, None, 25),
    ("between three and seven percent", 3, "percent", False, "between", 7),
    ("between 20% and 30%", 20, "percent", False, "between", 30),
    ("more than 7.3%", 7.3, "percent", True, "more than", None),
    ("almost fifteen percent", 15, "percent", True, "almost", None),
    ("one point three per cent", 1.3, "percent", False, None, None),
    ("twenty-five percent", 25, "percent", False, None, None),
    ("three hundred million dollars", 300 * M, "USD", False, None, None),
    ("$458 m", 458 * M, "USD", False, None, None),
    ("0.25 percentage points", 0.25, "percentage_point", False, None, None),
]


@pytest.mark.parametrize("text,value,unit,approx,qualifier,high", FORMS, ids=[f[0] for f in FORMS])
def test_parse_amount_forms(text, value, unit, approx, qualifier, high):
    got = parse_amount(text)
    assert got is not None, text
    assert got.unit == unit
    assert got.approximate is approx
    assert got.qualifier == qualifier
    for want, have in ((value, got.value), (high, got.value_high)):
        assert (want is None and have is None) or have == pytest.approx(want, rel=1e-9)


@pytest.mark.parametrize("text", [
    "rapper 50 Cent said", "10 pounds of flour", "the dollar fell", "a pound of butter", "he won 3 games",
    "in 2004", "the 1990s", "five people", "Elon Musk", "a million people", "3 million shares",
    "filmed in 720p", "a takeover of 5 firms",
])
def test_not_amounts(text):
    assert find_amounts(text) == []


def test_changes_are_not_ranges():
    """"rose 5% to 6%" and "lost more than $2 to $43.25" are two amounts each, not ranges."""
    for text in ("profits rose 5% to 6%", "from $5m to $6m", "shares lost more than $2 to $43.25"):
        found = find_amounts(text)
        assert len(found) == 2, text
        assert all(p.value_high is None for _, _, p in found)


def test_amount_inside_a_phrase():
    text = "Musk took a 10% stake and a 10p rise followed."
    assert [(text[s:e], p.value, p.unit) for s, e, p in find_amounts(text)] == [
        ("10%", 10, "percent"), ("10p", 0.1, "GBP")]


def test_no_span_crosses_a_line_break():
    text = "It raised $5\nbillion dollars and 12\n%"
    for start, end, _ in find_amounts(text):
        assert "\n" not in text[start:end]


def test_reference_article_amounts(reference_text):
    amounts = extract_amounts(nlp.parse(reference_text))
    got = [(a.value, a.unit, a.approximate, a.qualifier) for a in amounts]
    assert got == [
        (97.4e9, "USD", False, None),
        (1e11, "USD", True, "nearly"),
        (None, "USD", True, None),       # multibillion-dollar
        (9.74e9, "USD", False, None),
        (44e9, "USD", False, None),
        (9.74e9, "USD", False, None),
    ]
    assert [a.text for a in amounts] == ["$97.4 billion", "nearly $100 billion", "multibillion-dollar",
                                         "$9.74 billion", "$44 billion", "$9.74 billion"]
    assert [a.id for a in amounts] == [f"a{i}" for i in range(1, 7)]
    for a in amounts:
        assert reference_text[a.start:a.end] == a.text


def _summary(text: str) -> set[tuple[str, float | None, str]]:
    return {(a.text, a.value, a.unit) for a in extract_amounts(nlp.parse(text))}


# article number -> (must contain (text, value, unit), must not contain span texts)
GOLDEN = {
    1: ({("$1.13bn", 1.13e9, "USD"), ("£600m", 6e8, "GBP"), ("$639m", 6.39e8, "USD"), ("76%", 76, "percent"),
         ("around 5%", 5, "percent"), ("$42.09bn", 42.09e9, "USD")}, {"600", "639"}),
    4: ({("£1.97bn", 1.97e9, "GBP"), ("274.5 pence", 2.745, "GBP"), ("four pence", 0.04, "GBP")}, set()),
    5: ({("7.5bn euros", 7.5e9, "EUR"), ("$9.7bn", 9.7e9, "USD"), ("about 9%", 9, "percent")}, {"7.5bn"}),
    13: ({("540bn yen", 540e9, "JPY"), ("£2.77bn", 2.77e9, "GBP")}, set()),
    17: ({("77m euros", 77e6, "EUR"), ("close to 12bn euros", 12e9, "EUR"), ("as much as 3bn euros", 3e9, "EUR")},
         set()),
    32: ({("3 trillion yen", 3e12, "JPY"), ("about 189 trillion yen", 189e12, "JPY")}, set()),
    49: ({("some £280m", 280e6, "GBP"), ("up to £17,730", 17730, "GBP"), ("almost £11,500", 11500, "GBP")},
         set()),
    50: ({("86.7bn Swiss francs", 86.7e9, "CHF"), ("$74.6bn", 74.6e9, "USD")}, {"86.7bn"}),
}


@pytest.mark.parametrize("number", sorted(GOLDEN))
def test_bbc_business_golden(number):
    must, must_not = GOLDEN[number]
    got = _summary(bbc("business", number))
    for item in must:
        assert any(t == item[0] and u == item[2] and v == pytest.approx(item[1]) for t, v, u in got), (item, got)
    texts = {t for t, _, _ in got}
    assert not (texts & must_not), texts & must_not


def test_extractor_is_cheap_next_to_the_parse():
    texts = [bbc("business", n) for n in range(1, 11)]
    t0 = time.perf_counter()
    docs = list(nlp.parse_many(texts))
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        extract_amounts(doc)
    assert time.perf_counter() - t0 < 0.25 * parse_s


def test_meantime_eval_contract_and_floor():
    from newsgraph.eval.amounts import evaluate

    report = evaluate("dev", limit=20)
    assert report["task"] == "amounts" and report["split"] == "dev" and report["n_docs"] == 20
    ours, base = report["systems"]["newsgraph"], report["systems"]["spacy_sm"]
    assert ours["money_overlap_f1"] >= 0.9 and ours["money_value_accuracy"] >= 0.95
    assert ours["money_overlap_f1"] >= base["money_overlap_f1"]
    assert ours["money_currency_accuracy"] >= base["money_currency_accuracy"]
    assert len(report["errors"]) <= 30


def test_spacy_money_without_currency_takes_the_last_currency():
    """spaCy's MONEY "another 3 billion" has no currency written: it is read in the last one named ($)."""
    text = "The firm lost $2bn last year and expects to lose another 3 billion this year."
    got = [(a.text, a.value, a.unit) for a in extract_amounts(nlp.parse(text))]
    assert got == [("$2bn", 2e9, "USD"), ("3 billion", 3e9, "USD")]


@pytest.mark.parametrize("section,number", [("sport", 3), ("sport", 5), ("sport", 9), ("sport", 96)])
def test_bbc_sport_distances_and_scores_are_not_amounts(section, number):
    """Athletics distances ("100m", "5,000m", "4x100m") and scores ("2-0") carry no currency: no amounts."""
    assert find_amounts(bbc(section, number)) == []


def test_bbc_rapper_50_cent_is_not_money():
    text = bbc("entertainment", 282)
    assert "50 Cent" in text
    assert not [text[s:e] for s, e, _ in find_amounts(text) if "Cent" in text[s:e]]

_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "US$": "USD", "A$": "AUD"}


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.01", max_value="99999", places=2), st.sampled_from(sorted(_SIGNS)),
       st.sampled_from([("", 1.0), ("m", 1e6), ("bn", 1e9), (" million", 1e6), (" billion", 1e9)]))
def test_written_money_round_trips(number, sign, scale):
    """Any number written with a currency sign and scale ("$1,234.5bn") reads back as its value."""
    written = f"{sign}{number:,}{scale[0]}"
    got = parse_amount(written)
    assert got is not None, written
    assert got.unit == _SIGNS[sign]
    assert got.value == pytest.approx(float(number) * scale[1], rel=1e-9)
