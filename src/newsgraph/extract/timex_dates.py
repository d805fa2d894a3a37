"""TIMEX3 values of calendar expressions: dates, months, years, quarters, seasons, weekdays, relative units."""
from __future__ import annotations

import datetime as dt
import re

from .timex_parse import (DAY_RE, ISO_RE, MONTH_RE, ORD_RE, ORDINALS, PARTS, SLASH_RE, WORDS, YEAR_RE, easter,
                          infer_year, iso, month_of, nth_weekday, quarter, shift_month, spelled_day, unit_of, week,
                          weekday_of, year_of)

Value = tuple[str, "str | None"]

def date_value(text: str, a: dt.date | None, tense: str | None) -> str:
    iso = ISO_RE.search(text)
    if iso:
        return iso.group()
    sl = SLASH_RE.search(text)
    if sl:
        y = int(sl.group(3))
        y = y if y > 99 else (1900 + y if y > 50 else 2000 + y)
        return f"{y:04d}-{int(sl.group(1)):02d}-{int(sl.group(2)):02d}"
    month = month_of(text) or 1
    year = year_of(text)
    rest = YEAR_RE.sub(" ", MONTH_RE.sub(" ", text))
    dm = DAY_RE.search(rest)
    day = int(dm.group(1)) if dm else spelled_day(rest)
    if year is None:
        year = infer_year(a, month, day, tense) if a else None
    ys = f"{year:04d}" if year else "XXXX"
    return f"{ys}-{month:02d}" + (f"-{day:02d}" if day else "")


def weekday_date(text: str, a: dt.date, tense: str | None) -> dt.date:
    wd = weekday_of(text) or 1
    low = text.lower()
    back = (a.isoweekday() - wd) % 7
    fwd = (wd - a.isoweekday()) % 7
    if re.search(r"\b(last|previous)\b", low):
        return a - dt.timedelta(days=back or 7)
    if re.search(r"\b(next|following|coming)\b", low):
        return a + dt.timedelta(days=fwd or 7)
    if tense == "future" or (tense != "past" and fwd < back):
        return a + dt.timedelta(days=fwd)
    return a - dt.timedelta(days=back)


def day_ref(text: str, a: dt.date | None, tense: str | None) -> str:
    """The date a day reference (weekday, yesterday, a month and day, last night) points to."""
    low = text.lower()
    if MONTH_RE.search(text) and DAY_RE.search(YEAR_RE.sub(" ", MONTH_RE.sub(" ", text))):
        return date_value(text, a, tense)
    if a is None:
        return "XXXX-XX-XX"
    if "yesterday" in low or "last night" in low:
        return iso(a - dt.timedelta(days=1))
    if "tomorrow" in low:
        return iso(a + dt.timedelta(days=1))
    if weekday_of(text):
        return iso(weekday_date(text, a, tense))
    return iso(a)


def month_year(text: str, a: dt.date | None, tense: str | None) -> Value:
    month = month_of(text) or 1
    year = year_of(text)
    if year is None:
        low = text.lower()
        shift = -1 if "last year" in low else 1 if "next year" in low else 0
        year = a.year + shift if a else None
    return "DATE", f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"


def month(text: str, a: dt.date | None, tense: str | None) -> Value:
    month = month_of(text) or 1
    if a is None:
        return "DATE", f"XXXX-{month:02d}"
    low = text.lower()
    if re.search(r"\b(last|previous)\b", low):
        year = a.year - 1 if month >= a.month else a.year
    elif re.search(r"\b(next|following)\b", low):
        year = a.year + 1 if month <= a.month else a.year
    elif re.search(r"\bthis\b", low):
        year = a.year
    else:
        year = infer_year(a, month, None, tense)
    return "DATE", f"{year:04d}-{month:02d}"


def year(text: str, a: dt.date | None, tense: str | None) -> Value:
    year = year_of(text)
    return "DATE", f"{year:04d}" if year else "XXXX"


def decade(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    hundreds = re.search(r"(\d\d)00s", low)
    if hundreds:  # "the 1800s" is a century
        return "DATE", hundreds.group(1)
    m = re.search(r"(\d\d)(\d)0s", low)
    if m:
        return "DATE", m.group(1) + m.group(2)
    words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
    short = re.search(r"'(\d)0s", low)
    digit = int(short.group(1)) if short else next(i + 2 for i, w in enumerate(words) if w in low)
    century = 19
    if a is not None and a.year >= 2000 and 2000 + digit * 10 <= a.year:
        century = 20
    return "DATE", f"{century}{digit}"


def century(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    m = ORD_RE.search(low)
    if m:
        return "DATE", f"{ORDINALS[m.group(1).lower()] - 1:02d}"
    if a is None:
        return "DATE", "XX"
    shift = -1 if "last" in low else 1 if "next" in low else 0
    return "DATE", f"{a.year // 100 + shift:02d}"


def _relative_year(low: str, a: dt.date) -> int | None:
    """An explicit year shift in a phrase: "last year's", "year-ago", "of next year"."""
    if re.search(r"last year|year-(?:earlier|ago)|previous year", low):
        return a.year - 1
    if "next year" in low:
        return a.year + 1
    if "this year" in low:
        return a.year
    return None


def quarter_v(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    year = year_of(text)
    qm = re.search(r"\bq([1-4])\b", low) or ORD_RE.search(low)
    q = int(qm.group(1)) if qm and qm.group(1).isdigit() else (ORDINALS[qm.group(1)] if qm else None)
    if q is not None and q > 4:
        q = None
    short = re.search(r"q[1-4](?: ?|-|/)'?(\d\d)\b", low)
    if year is None and short:
        year = 2000 + int(short.group(1)) if int(short.group(1)) < 50 else 1900 + int(short.group(1))
    if a is None:
        return "DATE", f"{year or 'XXXX'}-Q{q or 'X'}"
    ay, aq = quarter(a)
    explicit = year
    if year is None:
        year = _relative_year(low, a)
    if q is None:
        if re.search(r"\b(last|previous|past|latest)\b", low) or (tense == "past" and "this" not in low
                                                                  and "current" not in low):
            year, q = (ay - 1, 4) if aq == 1 else (ay, aq - 1)
            if re.search(r"year-(?:earlier|ago)", low):
                year -= 1
        elif re.search(r"\b(next|coming)\b", low):
            year, q = (ay + 1, 1) if aq == 4 else (ay, aq + 1)
        else:
            year, q = year or ay, aq
        year = explicit or year
    elif year is None:
        # a quarter is reported after it ends, so "the third quarter" in October is this year's
        year = ay - 1 if tense == "past" and q > aq else ay
    return "DATE", f"{year}-Q{q}"


def half(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    h = 1 if re.search(r"first|\bh1\b", low) else 2
    year = year_of(text) or (_relative_year(low, a) if a else None) or (a.year if a else None)
    return "DATE", f"{year or 'XXXX'}-H{h}"


def season(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    code = next(v for k, v in WORDS["seasons"].items() if k in low)
    year = year_of(text)
    if year is None and a is not None:
        start = WORDS["season_months"][code]
        now = a.month
        if re.search(r"\b(?:last|past)\b", low):  # "this past spring" is the last one
            year = a.year - 1 if start >= now else a.year
        elif re.search(r"\bnext\b", low):
            year = a.year + 1 if start <= now else a.year
        elif "this" in low:
            year = a.year
        else:
            year = infer_year(a, start, None, tense)
    return "DATE", f"{year or 'XXXX'}-{code}"


def weekday(text: str, a: dt.date | None, tense: str | None) -> Value:
    return "DATE", iso(weekday_date(text, a, tense)) if a else "XXXX-XX-XX"


def deictic(text: str, a: dt.date | None, tense: str | None) -> Value:
    if a is None:
        return "DATE", "XXXX-XX-XX"
    low = text.lower()
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}
    n = next(v for k, v in shift.items() if k in low)
    n += -1 if "before" in low else 1 if "after" in low else 0
    return "DATE", iso(a + dt.timedelta(days=n))


def relunit(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = unit_of(low) or "year"
    if re.search(r"year(?:-| |'s |’s )end|end of the year", low):
        return "DATE", f"{a.year}" if a else "XXXX"
    n = -1 if re.search(r"\b(last|previous|prior|past)\b|year-(?:earlier|ago)", low) else \
        1 if re.search(r"\b(next|following)\b", low) else 0
    if a is None:
        return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "weekend": "XXXX-WXX-WE"}.get(unit, "XXXX")
    if unit == "weekend":
        d = a + dt.timedelta(days=7 * n)
        if n == 0 and "this" not in low and tense != "future":
            d = a - dt.timedelta(days=a.isoweekday())  # "the weekend" in a report: the one just past
        return "DATE", week(d) + "-WE"
    if unit == "week":
        return "DATE", week(a + dt.timedelta(days=7 * n))
    if unit == "month":
        y, m = shift_month(a.year, a.month, n)
        return "DATE", f"{y}-{m:02d}"
    if unit == "decade":
        return "DATE", f"{(a.year // 10 + n):03d}"
    return "DATE", f"{a.year + n}"


def holiday(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = re.sub(r",?\s*\d{4}$", "", text.lower()).strip()
    fixed = WORDS["holidays"].get(low)
    year = year_of(text)
    month = int(fixed[:2]) if fixed else {"thanksgiving": 11, "labor": 9, "memorial": 5, "easter": 4}[low.split()[0]]
    if year is None:
        if a is None:
            return "DATE", f"XXXX-{fixed}" if fixed else "XXXX-XX-XX"
        year = infer_year(a, month, 15, tense)
    if fixed:
        return "DATE", f"{year}-{fixed}"
    if low.startswith("thanksgiving"):
        return "DATE", iso(nth_weekday(year, 11, 4, 4))
    if low.startswith("labor"):
        return "DATE", iso(nth_weekday(year, 9, 1, 1))
    if low.startswith("memorial"):
        return "DATE", iso(nth_weekday(year, 5, 1, -1))
    return "DATE", iso(easter(year))


def anaphor(text: str, ref: dt.date | None, tense: str | None) -> Value:
    """"that day", "the following morning": read against the reference date (the last one mentioned)."""
    low = text.lower()
    shift = 1 if re.search(r"\b(following|next|after)\b", low) else -1 if re.search(r"\b(previous|prior|before)\b",
                                                                                     low) else 0
    part = next((v for k, v in PARTS.items() if re.search(rf"\b{k}\b", low)), None)
    unit = unit_of(low) or "day"
    if ref is None:
        return ("TIME", f"XXXX-XX-XXT{part}") if part else ("DATE", "XXXX-XX-XX" if unit == "day" else "XXXX")
    if part:
        return "TIME", f"{iso(ref + dt.timedelta(days=shift))}T{part}"
    if unit == "week":
        return "DATE", week(ref + dt.timedelta(days=7 * shift))
    if unit == "month":
        y, m = shift_month(ref.year, ref.month, shift)
        return "DATE", f"{y}-{m:02d}"
    if unit == "year":
        return "DATE", f"{ref.year + shift}"
    return "DATE", iso(ref + dt.timedelta(days=shift))
