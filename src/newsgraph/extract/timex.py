"""Normalise one time expression to a TIMEX3 type and value.

Pure: text + anchor date (the publication date) + the tense of its sentence in, ``(type,
value)`` out. Relative expressions are resolved against the anchor, never the machine
clock; without an anchor they stay underspecified (``XXXX-01``, ``XXXX-XX-XX``).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from .timex_dates import (anaphor, century, date_value, day_ref, decade, deictic, half, holiday, month,
                          month_year, quarter_v, relunit, season, weekday, year)
from .timex_parse import (DUR_MULT, PARTS, WORDS, duration_value, iso, month_of, number, shift_month, unit_of, week,
                          weekday_of)
from .timex_rules import RULES

Value = tuple[str, "str | None"]

_LAST_UNIT = re.compile(r"^(?:the )?(?:past|last) (?:week|month|year)$")
_CLOCK_RE = re.compile(r"\b(\d{1,2})(?::(\d\d))? ?(a\.m|p\.m|am|pm)?", re.I)


def _clock(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    tail = re.sub(r"^.*?(a\.m\.?|p\.m\.?|\bam\b|\bpm\b|noon|midnight|o'clock|morning|afternoon|evening|"
                  r"\d\d?:\d\d)", "", text, count=1, flags=re.I)
    day = day_ref(tail, a, tense)
    if "noon" in low or "midday" in low:
        return "TIME", f"{day}T12:00"
    if "midnight" in low:
        return "TIME", f"{day}T24:00"
    m = _CLOCK_RE.search(text)
    if not m:
        hour = int(number(text.split()[0]) or 0)
        minute, mer = 0, ("pm" if re.search("afternoon|evening", low) and hour < 12 else "")
    else:
        hour, minute, mer = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower().replace(".", "")
        if re.search("afternoon|evening", low) and hour < 12:
            mer = "pm"
    if mer == "pm" and hour < 12:
        hour += 12
    elif mer == "am" and hour == 12:
        hour = 0
    return "TIME", f"{day}T{hour:02d}:{minute:02d}"


def _part(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    part = next((v for k, v in PARTS.items() if k in low), "NI")
    if "overnight" in low and a is not None:
        return "TIME", f"{iso(a - dt.timedelta(days=1))}TNI"
    if a is not None and re.search(r"\b(the following|the next)\b", low):
        return "TIME", f"{iso(a + dt.timedelta(days=1))}T{part}"
    return "TIME", f"{day_ref(text, a, tense)}T{part}"


def _ago(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = unit_of(low) or "year"
    n = number(re.sub(r"\b(ago|earlier|before|later|hence|back|from now)\b.*", "", low))
    future = bool(re.search(r"\b(later|hence|from now)\b", low))
    if n is None or "few" in low:
        return "DATE", "FUTURE_REF" if future else "PAST_REF"
    if a is None:
        return "DATE", "XXXX"
    sign = 1 if future else -1
    n = int(round(n * DUR_MULT.get(unit, 1)))
    if unit in ("year", "decade", "centur", "millenni"):
        return "DATE", f"{a.year + sign * n}"
    if unit == "month":
        y, m = shift_month(a.year, a.month, sign * n)
        return "DATE", f"{y}-{m:02d}"
    if unit == "quarter":
        y, m = shift_month(a.year, a.month, sign * 3 * n)
        return "DATE", f"{y}-Q{(m - 1) // 3 + 1}"
    if unit in ("week", "fortnight", "weekend"):
        return "DATE", week(a + dt.timedelta(days=7 * sign * n))
    if unit in ("day", "night"):
        return "DATE", iso(a + dt.timedelta(days=sign * n))
    return "TIME", iso(a) + "TXX:XX"


def _duration(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = unit_of(low) or "year"
    core = re.sub(r"^(the\s+)?((past|last|next|first|coming|previous|final|following|recent|remaining|entire|full|"
                  r"whole|initial|latest|year-earlier|same|ensuing)\s+)*", "", low)
    has_count = re.search(r"\d|\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
                          r"\w+ty|few|several|many|some|couple|dozen|half)\b", core)
    if low in WORDS["past_ref"]:
        return "DATE", "PAST_REF"  # "recent years": TBAQ's usual reading
    if not has_count and _LAST_UNIT.match(low):
        return relunit(text, a, tense)  # "the past year", "the last week": TBAQ marks the period as a date
    if not has_count:
        plural = re.search(unit + r"\w*s\b", low) is not None
        return "DURATION", duration_value(None if plural else 1, unit)
    return "DURATION", duration_value(number(core), unit)


def _set(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    adverbs = WORDS["set_adverbs"]
    if low in adverbs:
        return "SET", adverbs[low]
    wd, month = weekday_of(text), month_of(text)
    if wd:
        return "SET", f"XXXX-WXX-{wd}"
    if month:
        return "SET", f"XXXX-{month:02d}"
    part = next((v for k, v in PARTS.items() if re.search(rf"\b{k}\b", low)), None)
    if part:
        return "SET", f"XXXX-XX-XXT{part}"   # every morning: each day's morning
    season = next((v for k, v in WORDS["seasons"].items() if k in low), None)
    if season:
        return "SET", f"XXXX-{season}"
    unit = unit_of(low) or "day"
    per = re.search(r"\b(?:every|each|per)\s+(?:other\s+)?(.*)", low)
    n = number(per.group(1)) if per and re.search(r"\d|\b(two|three|four|five|six|few)\b", per.group(1)) else 1
    if per and "other" in low:
        n = 2
    return "SET", duration_value(n or 1, unit)


def _ref(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = " ".join(text.lower().split())
    for key, value in (("present_ref", "PRESENT_REF"), ("past_ref", "PAST_REF"), ("future_ref", "FUTURE_REF")):
        if low in WORDS[key]:
            return "DATE", value
    return "DATE", None


HANDLERS: dict[str, Callable[[str, "dt.date | None", "str | None"], Value]] = {
    "clock": _clock, "part": _part, "date": lambda t, a, s: ("DATE", date_value(t, a, s)),
    "month_year": month_year, "month": month, "decade": decade, "century": century,
    "quarter": quarter_v, "half": half, "season": season, "weekday": weekday, "deictic": deictic,
    "relunit": relunit, "ago": _ago, "duration": _duration, "set": _set, "holiday": holiday,
    "ref": _ref, "year": year, "anaphor": anaphor,
    "nth_day": lambda t, a, s: ("DATE", iso(a) if a else "XXXX-XX-XX"),  # "today is the eighth day of ..."
    "ref_time": lambda t, a, s: ("DATE", "PAST_REF"),  # "at the time": a moment in the story's past
    "year_tail": lambda t, a, s: ("DATE", f"XX{t}"),  # "-58" of "1957-58": the century comes from the context
}


def kind_of(text: str) -> str | None:
    """The grammar rule whose pattern matches the whole text, or None."""
    for rule in RULES:
        if rule.pattern.fullmatch(text):
            return rule.kind
    return None


def normalise(text: str, anchor: dt.date | None = None, tense: str | None = None, *,
              kind: str | None = None) -> Value | None:
    """TIMEX3 ``(type, value)`` of a time expression, or None when the text is not one.

    ``tense`` is "past", "present" or "future" (the tense of the sentence around it).
    """
    text = " ".join(text.split())
    kind = kind or kind_of(text)
    if kind is None:
        return None
    return HANDLERS[kind](text, anchor, tense)
