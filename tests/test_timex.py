"""The TIMEX3 normaliser on its own: text + anchor + tense in, (type, value) out, no model needed."""
from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.extract.timex import duration_value, kind_of, normalise, number

ANCHOR = dt.date(2025, 2, 11)  # a Tuesday, ISO week 7

# (text, tense, type, value) resolved against ANCHOR
CASES = [
    ("2022", "past", "DATE", "2022"),
    ("last week", "past", "DATE", "2025-W06"),
    ("this week", None, "DATE", "2025-W07"),
    ("next week", "future", "DATE", "2025-W08"),
    ("Monday", "past", "DATE", "2025-02-10"),
    ("Monday", "future", "DATE", "2025-02-17"),
    ("last Friday", None, "DATE", "2025-02-07"),
    ("next Tuesday", None, "DATE", "2025-02-18"),
    ("January", "past", "DATE", "2025-01"),
    ("January", "future", "DATE", "2026-01"),
    ("November", "past", "DATE", "2024-11"),
    ("March", "past", "DATE", "2025-03"),  # a month ahead: this year's, whatever the tense
    ("two years ago", None, "DATE", "2023"),
    ("three months ago", None, "DATE", "2024-11"),
    ("six days ago", None, "DATE", "2025-02-05"),
    ("several years ago", None, "DATE", "PAST_REF"),
    ("three years", None, "DURATION", "P3Y"),
    ("the past two months", None, "DURATION", "P2M"),
    ("2 1/2 years", None, "DURATION", "P2Y6M"),
    ("five hours", None, "DURATION", "PT5H"),
    ("16-hour", None, "DURATION", "PT16H"),
    ("a few days", None, "DURATION", "PXD"),
    ("a couple of years", None, "DURATION", "P2Y"),
    ("the past decade", None, "DURATION", "P10Y"),
    ("three quarters", None, "DURATION", "P3Q"),  # TBAQ writes quarters as Q (P1Q, P2Q, PXQ)
    ("the 1990s", None, "DATE", "199"),
    ("the late 1970s", None, "DATE", "197"),
    ("the 19th century", None, "DATE", "18"),
    ("yesterday", None, "DATE", "2025-02-10"),
    ("today", None, "DATE", "2025-02-11"),
    ("tomorrow", None, "DATE", "2025-02-12"),
    ("Feb. 11, 2025", None, "DATE", "2025-02-11"),
    ("11 February", None, "DATE", "2025-02-11"),
    ("Saturday, April 25", "future", "DATE", "2025-04-25"),
    ("Dec. 20", "past", "DATE", "2024-12-20"),
    ("July 1988", None, "DATE", "1988-07"),
    ("March eighth", "future", "DATE", "2025-03-08"),
    ("2024-06-30", None, "DATE", "2024-06-30"),
    ("last year", None, "DATE", "2024"),
    ("next month", None, "DATE", "2025-03"),
    ("earlier this month", None, "DATE", "2025-02"),
    ("this quarter", None, "DATE", "2025-Q1"),
    ("Q3 2024", None, "DATE", "2024-Q3"),
    ("the third quarter of 2023", None, "DATE", "2023-Q3"),
    ("the fourth quarter", "past", "DATE", "2024-Q4"),
    ("the first half of 2024", None, "DATE", "2024-H1"),
    ("last summer", None, "DATE", "2024-SU"),
    ("this past spring", None, "DATE", "2024-SP"),
    ("the summer of 2011", None, "DATE", "2011-SU"),
    ("mid-1996", None, "DATE", "1996"),
    ("fiscal 1989", None, "DATE", "1989"),
    ("nineteen ninety-six", None, "DATE", "1996"),
    ("now", None, "DATE", "PRESENT_REF"),
    ("currently", None, "DATE", "PRESENT_REF"),
    ("recently", None, "DATE", "PAST_REF"),
    ("the future", None, "DATE", "FUTURE_REF"),
    ("every week", None, "SET", "P1W"),
    ("weekly", None, "SET", "P1W"),
    ("daily", None, "SET", "P1D"),
    ("each July", None, "SET", "XXXX-07"),
    ("every other year", None, "SET", "P2Y"),
    ("the morning", None, "TIME", "2025-02-11TMO"),
    ("3 p.m.", None, "TIME", "2025-02-11T15:00"),
    ("10:35 a.m. EST", None, "TIME", "2025-02-11T10:35"),
    ("noon Thursday", "past", "TIME", "2025-02-06T12:00"),
    ("Friday morning", "past", "TIME", "2025-02-07TMO"),
    ("last night", None, "TIME", "2025-02-10TNI"),
    ("the 1800s", None, "DATE", "18"),
    ("a year and a half", None, "DURATION", "P1Y6M"),
    ("this past weekend", None, "DATE", "2025-W06-WE"),
    ("the first quarter", "future", "DATE", "2025-Q1"),
    ("0800 UTC", None, "TIME", "2025-02-11T08:00"),
    ("Christmas", "past", "DATE", "2024-12-25"),
    ("Thanksgiving", "past", "DATE", "2024-11-28"),
]


@pytest.mark.parametrize("text,tense,typ,value", CASES)
def test_normalise_against_the_anchor(text, tense, typ, value):
    assert normalise(text, ANCHOR, tense) == (typ, value)


@pytest.mark.parametrize("text,value", [
    ("January", "XXXX-01"), ("yesterday", "XXXX-XX-XX"), ("Monday", "XXXX-XX-XX"), ("last week", "XXXX-WXX"),
    ("last year", "XXXX"), ("two years ago", "XXXX"), ("11 February", "XXXX-02-11"), ("3 p.m.", "XXXX-XX-XXT15:00"),
])
def test_without_an_anchor_relative_values_stay_unresolved(text, value):
    assert normalise(text, None, "past")[1] == value


@pytest.mark.parametrize("text,value", [("2022", "2022"), ("three years", "P3Y"), ("the 1990s", "199"),
                                        ("Feb. 11, 2025", "2025-02-11"), ("every week", "P1W")])
def test_absolute_values_need_no_anchor(text, value):
    assert normalise(text, None, None)[1] == value


def test_the_machine_clock_is_never_used():
    old = dt.date(1989, 10, 30)  # a Monday
    assert normalise("yesterday", old, None) == ("DATE", "1989-10-29")
    assert normalise("last year", old, None) == ("DATE", "1988")
    assert normalise("Friday", old, "past") == ("DATE", "1989-10-27")


@pytest.mark.parametrize("text", ["the", "Musk", "$97.4 billion", "may", "march", "spring water", "2,022"])
def test_non_times_are_refused(text):
    assert normalise(text, ANCHOR, None) is None


def test_kinds_and_helpers():
    assert kind_of("Q3 2024") == "quarter"
    assert kind_of("three years") == "duration"
    assert number("twenty four") == 24 and number("several") is None and number("2 1/2") == 2.5
    assert duration_value(1.5, "hour") == "PT1H30M"
    assert duration_value(None, "year") == "PXY"
