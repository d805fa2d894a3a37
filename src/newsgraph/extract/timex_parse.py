"""Reading the parts of a time expression (month, year, day, count, unit) and calendar arithmetic.

Shared by the TIMEX3 normalisers in ``timex`` and ``timex_dates``.
"""
from __future__ import annotations

import datetime as dt
import re

from .timex_rules import MONTH_ANY, WEEKDAY, WORDS

MONTHS: dict[str, int] = WORDS["months"]
WEEKDAYS: dict[str, int] = WORDS["weekdays"]
NUMBERS: dict[str, float] = WORDS["numbers"]
ORDINALS: dict[str, int] = WORDS["ordinals"]
PARTS: dict[str, str] = WORDS["parts_of_day"]

MONTH_RE = re.compile(MONTH_ANY)


WEEKDAY_RE = re.compile(WEEKDAY)


YEAR_RE = re.compile(r"(?<![\d$])(1[6-9]\d\d|20\d\d)(?!\d)")


FY_RE = re.compile(r"\bFY ?'?(\d\d)\b", re.I)


DAY_RE = re.compile(r"(?<![\d:/])([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])")


ORD_RE = re.compile(r"\b(%s)\b" % "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True)), re.I)


UNIT_RE = re.compile(r"(second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|"
                      r"centur|millenni)", re.I)


ISO_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


SLASH_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d\d)")


def iso(d: dt.date) -> str:
    return d.isoformat()


def week(d: dt.date) -> str:
    """The ISO week of a day."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def month_of(text: str) -> int | None:
    m = MONTH_RE.search(text)
    return MONTHS[m.group().rstrip(".").lower()] if m else None


def year_of(text: str) -> int | None:
    m = YEAR_RE.search(text)
    if m:
        return int(m.group(1))
    spelled = re.search(r"\b(nineteen|eighteen|two thousand)\b(.*)", text.lower())
    if spelled:
        century = {"nineteen": 1900, "eighteen": 1800}.get(spelled.group(1), 2000)
        rest = spelled.group(2).replace(" and ", " ")
        return century + (0 if "hundred" in rest else int(number(rest) or 0))
    fy = FY_RE.search(text)
    return (1900 if int(fy.group(1)) > 50 else 2000) + int(fy.group(1)) if fy else None


def weekday_of(text: str) -> int | None:
    m = WEEKDAY_RE.search(text)
    return WEEKDAYS[m.group().rstrip(".").lower()] if m else None


def number(text: str) -> float | None:
    """The count in a duration phrase ("two", "24", "twenty four", "2 1/2"); None when vague ("several")."""
    t = text.lower().replace("-", " ")
    m = re.search(r"(\d+(?:\.\d+)?)(?:\s+1/2|½)?", t.replace(",", ""))
    if m:
        return float(m.group(1)) + (0.5 if ("1/2" in t or "½" in t) else 0)
    if re.search(r"\b(few|several|many|some|numerous|countless)\b", t):
        return None
    if re.search(r"\bcouple\b", t):
        return 2.0
    total, seen = 0.0, False
    for word in re.findall(r"[a-z]+", t):
        if word in NUMBERS and word not in ("hundred",):
            if word in ("a", "an") and seen:
                continue
            total += NUMBERS[word]
            seen = True
        elif word == "hundred":
            total, seen = max(total, 1) * 100, True
        elif word == "half" and seen:
            total += 0.5
    if "half a" in t or "half an" in t:
        return 0.5 if not total or total == 1 else total
    return total if seen else None


def unit_of(text: str) -> str | None:
    units = UNIT_RE.findall(text)
    return units[-1].lower() if units else None


def infer_year(a: dt.date, month: int, day: int | None, tense: str | None) -> int:
    """The year of a month (and day) without a year, from the anchor and the tense."""
    key = (month, day or 0)
    now = (a.month, a.day if day else 0)
    ahead = (month - a.month) % 12
    if ahead == 1 or (day and ahead == 0) or (day and ahead == 2 and day < a.day):
        # within about a month after the anchor: a date in this year whatever the tense
        return a.year + (month < a.month)
    if tense == "past":
        return a.year - 1 if key > now else a.year
    if tense == "future":
        return a.year + 1 if key < now else a.year
    # no tense: the nearest such date
    best = min((abs((month - a.month) + 12 * k), -k, a.year + k) for k in (-1, 0, 1))
    return best[2]


def spelled_day(text: str) -> int | None:
    """A day of the month written as an ordinal word ("eighth", "twenty-first")."""
    low = text.lower().replace("-", " ")
    words = re.findall(r"[a-z]+", low)
    day = 0
    for w in words:
        if w in ("twenty", "thirty"):
            day += NUMBERS[w]
        elif w in ORDINALS:
            day += ORDINALS[w]
        elif w in ("twentieth", "thirtieth"):
            day += 20 if w == "twentieth" else 30
    return int(day) if 0 < day <= 31 else None


DUR_CODE = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
             "weekend": "WE", "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y",
             "decade": "Y", "centur": "Y", "millenni": "Y"}


DUR_MULT = {"fortnight": 2, "decade": 10, "centur": 100, "millenni": 1000}


SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)}


def duration_value(count: float | None, unit: str) -> str:
    """An ISO 8601 duration ("P3Y", "PT5H", "PXM") from a count (None: vague) and a unit word."""
    code = DUR_CODE[unit]
    timepart = unit in ("second", "minute", "hour")
    prefix = "PT" if timepart else "P"
    if count is None:
        return f"{prefix}X{code}"
    count *= DUR_MULT.get(unit, 1)
    if code == "Q" and count != int(count):  # TBAQ writes whole quarters as "P2Q"; "1.5 quarters" goes to months
        code, count = "M", count * 3
    if count != int(count) and code in SMALLER:
        whole, frac = int(count), count - int(count)
        small, k = SMALLER[code]
        head = f"{whole}{code}" if whole else ""
        if code == "D":
            return f"P{head}T{int(round(frac * k))}H"
        return f"{prefix}{head}{int(round(frac * k))}{small}"
    return f"{prefix}{int(count)}{code}"


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    if n > 0:
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)
