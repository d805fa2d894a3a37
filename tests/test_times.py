"""Time expressions in real articles: detection, tense, anchoring, and the TempEval-3 scorer."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph import nlp
from newsgraph.errors import InputError
from newsgraph.eval import times as times_eval
from newsgraph.eval.corpora import tempeval3
from newsgraph.extract.times import anchor_date, extract_times, find_spans
from conftest import REFERENCE, bbc


def _times(text: str, published=None) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in extract_times(nlp.parse(text), published)]


@pytest.fixture(scope="module")
def reference_times():
    return extract_times(nlp.parse(REFERENCE.read_text(encoding="utf-8")), "2025-02-11")


def test_reference_article_years(reference_times):
    dates = {(t.text, t.value) for t in reference_times if t.type == "DATE"}
    for year in ("2015", "2018", "2022", "2023"):
        assert (year, year) in dates
    # nothing absurd: money, "X (formerly Twitter)" and the bid's figures are not times
    texts = {t.text for t in reference_times}
    assert not texts & {"formerly", "97.4", "$97.4 billion", "9.74", "44"}
    assert [t.id for t in reference_times] == [f"t{i}" for i in range(1, len(reference_times) + 1)]
    assert [t.start for t in reference_times] == sorted(t.start for t in reference_times)


def test_offsets_index_the_text_and_never_cross_a_line(reference_times):
    text = REFERENCE.read_text(encoding="utf-8")
    for t in reference_times:
        assert text[t.start:t.end] == t.text and "\n" not in t.text
    assert all("\n" not in text[s:e] for s, e, _ in find_spans("in May\n2022 and on Monday\nmorning"))


def test_tense_picks_past_or_future_weekdays_and_months():
    past = _times("The board met on Monday and approved the deal in January.", "2025-02-11")
    future = _times("The board will meet on Monday and will vote in January.", "2025-02-11")
    assert ("Monday", "DATE", "2025-02-10") in past and ("January", "DATE", "2025-01") in past
    assert ("Monday", "DATE", "2025-02-17") in future and ("January", "DATE", "2026-01") in future
    planned = _times("The team planned to leave Nairobi on Thursday.", "1998-09-28")
    assert ("Thursday", "DATE", "1998-10-01") in planned


def test_relative_expressions_resolve_against_the_publication_date():
    got = _times("Sales rose last week, two years ago they fell, and every week since 2019 analysts "
                 "have met. Profit for the third quarter was up. Now it trades weekly, as it did "
                 "recently and in the 1990s.", "2025-02-11")
    for item in [("last week", "DATE", "2025-W06"), ("two years ago", "DATE", "2023"), ("every week", "SET", "P1W"),
                 ("2019", "DATE", "2019"), ("the third quarter", "DATE", "2024-Q3"), ("Now", "DATE", "PRESENT_REF"),
                 ("weekly", "SET", "P1W"), ("recently", "DATE", "PAST_REF"), ("the 1990s", "DATE", "199")]:
        assert item in got, item


def test_anaphors_follow_the_last_date_mentioned():
    got = _times("The plant closed on March 3, 2019. Later that day workers marched, and the following "
                 "year it reopened.", "2025-02-11")
    assert ("Later that day", "DATE", "2019-03-03") in got and ("the following year", "DATE", "2020") in got


def test_a_sentence_period_is_not_part_of_a_date():
    got = _times("The election is on 5 May. Results follow on Sept 30.", "2005-03-10")
    assert ("5 May", "DATE", "2005-05-05") in got and ("Sept 30", "DATE", "2005-09-30") in got


def test_empty_and_timeless_texts():
    assert _times("", "2025-02-11") == [] and _times("No dates here at all.", None) == []


def test_without_publication_date_nothing_is_guessed():
    got = _times("Shares fell yesterday after a profit warning in January.", None)
    assert ("yesterday", "DATE", "XXXX-XX-XX") in got and ("January", "DATE", "XXXX-01") in got


def test_publication_date_forms():
    assert anchor_date("2025-02-11") == dt.date(2025, 2, 11)
    assert anchor_date("2025-02-11T09:30:00Z") == dt.date(2025, 2, 11)
    assert anchor_date(dt.datetime(2025, 2, 11, 9)) == dt.date(2025, 2, 11)
    assert anchor_date(None) is None
    with pytest.raises(InputError) as err:
        anchor_date("11/02/2025")
    assert err.value.code == "NG109"


def test_words_that_only_look_like_times():
    got = {t[0] for t in _times("May I ask? The March for Life drew crowds. Three-quarters of voters, "
                                "a 44-year-old teacher and 2,000 troops cut the quarterly dividend.", "2025-02-11")}
    assert not got & {"May", "March", "Three-quarters", "44-year", "2,000", "2000", "quarterly"}


@pytest.mark.parametrize("section,number,expected", [
    ("business", 1, [("the three months", "DURATION", "P3M"), ("December", "DATE", "2004-12"),
                     ("the fourth quarter", "DATE", "2004-Q4"), ("2005", "DATE", "2005")]),
    ("business", 100, [("last year", "DATE", "2004"), ("Tuesday", "DATE", "2005-02-01")]),
])
def test_bbc_articles(section, number, expected):
    got = _times(bbc(section, number), "2005-02-03")
    for item in expected:
        assert item in got, item


def test_tempeval_reader_offsets_and_splits():
    docs = tempeval3.load("dev", limit=3)
    assert len(docs) == 3 and all(len(d.dct) == 10 for d in docs)
    for doc in docs:
        for g in doc.timexes:
            assert doc.text[g.start:g.end] == g.text and g.type in ("DATE", "TIME", "DURATION", "SET")
    dev = {p.name for p in tempeval3._files("dev")}
    train = {p.name for p in tempeval3._files("train")}
    assert len(dev) == 52 and len(train) == 204 and not dev & train
    assert len(tempeval3._files("test")) == 20


def test_scorer_counts_strict_relaxed_and_value():
    g = tempeval3.GoldTimex
    doc = tempeval3.TimeDoc("d", "He left last week and came back on Monday.", "2025-02-11",
                            (g(8, 17, "last week", "DATE", "2025-W06"), g(35, 41, "Monday", "DATE", "2025-02-10")))
    pred = [(3, 17, "DATE", "2025-W06"), (35, 41, "DATE", "2025-02-17"), (0, 2, "DATE", None)]
    s = times_eval.score([doc], [pred])
    assert (s["tp_strict"], s["tp_relaxed"], s["tp_value"]) == (1, 2, 1)
    assert s["relaxed_precision"] == round(2 / 3, 4) and s["relaxed_recall"] == 1.0
    assert s["value_f1"] == round(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), 4)
    assert s["type_accuracy"] == 1.0


def test_eval_report_follows_the_contract():
    report = times_eval.evaluate("dev", limit=4, baselines=True)
    assert report["task"] == "times" and report["n_docs"] == 4
    ours, base = report["systems"]["newsgraph"], report["systems"]["spacy_sm"]
    assert ours["value_f1"] > base["value_f1"] and ours["relaxed_f1"] > 0.8
    assert len(report["errors"]) <= 30


def test_year_ranges_give_each_end_its_own_year():
    got = _times("The ban ran from 2009-2010 and the best season was 1957-58, as 2019-05-12 records.", "2025-02-11")
    assert [g for g in got if g[0] != "2019-05-12"] == [("2009", "DATE", "2009"), ("2010", "DATE", "2010"),
                                                         ("1957", "DATE", "1957"), ("58", "DATE", "1958")]
    assert ("2019-05-12", "DATE", "2019-05-12") in got


def test_relative_days_and_bare_units_around_a_narrated_date():
    got = _times("He was shot on Oct. 23, 2010. The night before, he had dined with friends, and the day "
                 "after, police came. Days before the vote he resigned; three days later he returned.", "2025-02-11")
    for item in [("The night before", "TIME", "2010-10-22TNI"), ("the day after", "DATE", "2010-10-24"),
                 ("Days", "DURATION", "PXD"), ("three days", "DURATION", "P3D")]:
        assert item in got, item
    # "at the time" closing a clause is the story's past; "at the time of ..." is left alone
    assert ("the time", "DATE", "PAST_REF") in _times("He said at the time, he was willing.", "2025-02-11")
    assert _times("At the time of its founding it had 12 members.", "2025-02-11") == []


def test_ages_are_not_durations_and_schedules_look_forward():
    got = _times("The drug is approved for children ages 6 months to 5 years; trials ran for five years.", "2025-02-11")
    assert [g[0] for g in got] == ["five years"]
    assert [g[0] for g in _times("He ran a five-minute mile; a 10-minute walk.", "2025-02-11")] == ["10-minute"]
    got = _times("Protesters planned a rally on Saturday. The court has scheduled a hearing Thursday.", "2025-02-11")
    assert ("Saturday", "DATE", "2025-02-15") in got and ("Thursday", "DATE", "2025-02-13") in got
    got = _times("Lawyers said they would fight Wednesday's ruling.", "2000-01-07")
    assert ("Wednesday", "DATE", "2000-01-05") in got


def test_period_words_read_as_dates_or_sets():
    got = _times("Sales in the current fiscal year rose. He runs every morning. Over the past year prices rose; "
                 "the last week was calm.", "2025-02-11")
    for item in [("the current fiscal year", "DATE", "2025"), ("every morning", "SET", "XXXX-XX-XXTMO"),
                 ("the past year", "DATE", "2024"), ("the last week", "DATE", "2025-W06")]:
        assert item in got, item


@pytest.mark.parametrize("section,number", [("business", 1), ("politics", 7), ("sport", 3)])
def test_anchor_windows_find_what_a_full_scan_finds(section, number):
    from newsgraph.extract import times

    text = bbc(section, number) + "\n" + REFERENCE.read_text(encoding="utf-8")
    full = []
    for rank, rule in enumerate(times.RULES):
        full += [(m.start(), m.end(), rule.kind, rank) for m in rule.pattern.finditer(text) if m.end() > m.start()]
    full.sort(key=lambda f: (-(f[1] - f[0]), f[3], f[0]))
    taken: list[tuple[int, int, str]] = []
    for start, end, kind, _ in full:
        if all(end <= s or start >= e for s, e, _k in taken) and times._plausible(text, start, end, kind):
            taken.append((start, end, kind))
    assert find_spans(text) == sorted(taken) and taken


def test_counted_days_and_bare_periods():
    got = _times("In Saudi Arabia, today is the eighth day of the operation. After weeks of talks, and over the "
                 "years, little changed.", "1990-08-15")
    for item in [("the eighth day", "DATE", "1990-08-15"), ("weeks", "DURATION", "PXW"), ("years", "DURATION", "PXY")]:
        assert item in got, item


def test_year_after_a_month_and_newspaper_names():
    got = _times("On that January day in 2011, he left. The party daily Granma said so a week or so ago.", "2013-03-01")
    assert ("January", "DATE", "2011-01") in got and ("a week or so ago", "DATE", "2013-W08") in got
    assert "daily" not in {g[0] for g in got}
    assert ("recent years", "DATE", "PAST_REF") in _times("Prices rose in recent years.", "2013-03-01")


def test_a_clock_time_takes_the_day_named_in_its_sentence():
    got = _times("The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.", "1998-08-08")
    assert ("about 10:35 a.m.", "TIME", "1998-08-07T10:35") in got
    assert ("3 p.m.", "TIME", "1998-08-08T15:00") in _times("Talks resume at 3 p.m.", "1998-08-08")


def test_day_ranges_give_the_second_day_its_month_and_year():
    got = _times("The summit is on April 24 and 25. Talks ran March 5-7, 2011. On May 3, 40 people died.", "2013-03-01")
    assert got == [("April 24", "DATE", "2013-04-24"), ("25", "DATE", "2013-04-25"), ("March 5", "DATE", "2011-03-05"),
                   ("7, 2011", "DATE", "2011-03-07"), ("May 3", "DATE", "2012-05-03")]


def test_show_titles_and_year_end_forms():
    got = _times('Baker said on ABC\'s "This Week" and on CBS\'s "60 Minutes" that, this week, talks failed.',
                 "1991-02-25")
    assert [g[0] for g in got] == ["this week"]
    got = _times("The deal should close by year's end, or at least in the short term.", "1989-11-02")
    assert ("year's end", "DATE", "1989") in got and ("the short term", "DATE", "FUTURE_REF") in got
