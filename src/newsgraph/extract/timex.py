"""Normalise one time expression to a TIMEX3 type and value.

Pure: text + anchor date (the publication date) + the tense of its sentence in, ``(type,
value)`` out. Relative expressions are resolved against the anchor, never the machine
clock; without an anchor they stay underspecified (``XXXX-01``, ``XXXX-XX-XX``).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable

from .timex_rules import MONTH_ANY, RULES, WEEKDAY, WORDS

Value = tuple[str, "str | None"]
_MONTHS: dict[str, int] = WORDS["months"]
_WEEKDAYS: dict[str, int] = WORDS["weekdays"]
_NUMBERS: dict[str, float] = WORDS["numbers"]
_ORDINALS: dict[str, int] = WORDS["ordinals"]
_PARTS: dict[str, str] = WORDS["parts_of_day"]

_MONTH_RE = re.compile(MONTH_ANY)
_WEEKDAY_RE = re.compile(WEEKDAY)
_YEAR_RE = re.compile(r"(?<![\d$])(1[6-9]\d\d|20\d\d)(?!\d)")
_FY_RE = re.compile(r"\bFY ?'?(\d\d)\b", re.I)
_DAY_RE = re.compile(r"(?<![\d:/])([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])")
_CLOCK_RE = re.compile(r"\b(\d{1,2})(?::(\d\d))? ?(a\.m|p\.m|am|pm)?", re.I)
_ORD_RE = re.compile(r"\b(%s)\b" % "|".join(sorted(map(re.escape, _ORDINALS), key=len, reverse=True)), re.I)
_UNIT_RE = re.compile(r"(second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|"
                      r"centur|millenni)", re.I)
_ISO_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_SLASH_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d\d)")


def _iso(d: dt.date) -> str:
    return d.isoformat()


def _week(d: dt.date) -> str:
    """The ISO week of a day."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _month_of(text: str) -> int | None:
    m = _MONTH_RE.search(text)
    return _MONTHS[m.group().rstrip(".").lower()] if m else None


def _year_of(text: str) -> int | None:
    m = _YEAR_RE.search(text)
    if m:
        return int(m.group(1))
    spelled = re.search(r"\b(nineteen|eighteen|two thousand)\b(.*)", text.lower())
    if spelled:
        century = {"nineteen": 1900, "eighteen": 1800}.get(spelled.group(1), 2000)
        rest = spelled.group(2).replace(" and ", " ")
        return century + (0 if "hundred" in rest else int(number(rest) or 0))
    fy = _FY_RE.search(text)
    return (1900 if int(fy.group(1)) > 50 else 2000) + int(fy.group(1)) if fy else None


def _weekday_of(text: str) -> int | None:
    m = _WEEKDAY_RE.search(text)
    return _WEEKDAYS[m.group().rstrip(".").lower()] if m else None


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
        if word in _NUMBERS and word not in ("hundred",):
            if word in ("a", "an") and seen:
                continue
            total += _NUMBERS[word]
            seen = True
        elif word == "hundred":
            total, seen = max(total, 1) * 100, True
        elif word == "half" and seen:
            total += 0.5
    if "half a" in t or "half an" in t:
        return 0.5 if not total or total == 1 else total
    return total if seen else None


def _unit_of(text: str) -> str | None:
    units = _UNIT_RE.findall(text)
    return units[-1].lower() if units else None


def _infer_year(a: dt.date, month: int, day: int | None, tense: str | None) -> int:
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


def _spelled_day(text: str) -> int | None:
    """A day of the month written as an ordinal word ("eighth", "twenty-first")."""
    low = text.lower().replace("-", " ")
    words = re.findall(r"[a-z]+", low)
    day = 0
    for w in words:
        if w in ("twenty", "thirty"):
            day += _NUMBERS[w]
        elif w in _ORDINALS:
            day += _ORDINALS[w]
        elif w in ("twentieth", "thirtieth"):
            day += 20 if w == "twentieth" else 30
    return int(day) if 0 < day <= 31 else None


def _date_value(text: str, a: dt.date | None, tense: str | None) -> str:
    iso = _ISO_RE.search(text)
    if iso:
        return iso.group()
    sl = _SLASH_RE.search(text)
    if sl:
        y = int(sl.group(3))
        y = y if y > 99 else (1900 + y if y > 50 else 2000 + y)
        return f"{y:04d}-{int(sl.group(1)):02d}-{int(sl.group(2)):02d}"
    month = _month_of(text) or 1
    year = _year_of(text)
    rest = _YEAR_RE.sub(" ", _MONTH_RE.sub(" ", text))
    dm = _DAY_RE.search(rest)
    day = int(dm.group(1)) if dm else _spelled_day(rest)
    if year is None:
        year = _infer_year(a, month, day, tense) if a else None
    ys = f"{year:04d}" if year else "XXXX"
    return f"{ys}-{month:02d}" + (f"-{day:02d}" if day else "")


def _weekday_date(text: str, a: dt.date, tense: str | None) -> dt.date:
    wd = _weekday_of(text) or 1
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


def _day_ref(text: str, a: dt.date | None, tense: str | None) -> str:
    """The date a day reference (weekday, yesterday, a month and day, last night) points to."""
    low = text.lower()
    if _MONTH_RE.search(text) and _DAY_RE.search(_YEAR_RE.sub(" ", _MONTH_RE.sub(" ", text))):
        return _date_value(text, a, tense)
    if a is None:
        return "XXXX-XX-XX"
    if "yesterday" in low or "last night" in low:
        return _iso(a - dt.timedelta(days=1))
    if "tomorrow" in low:
        return _iso(a + dt.timedelta(days=1))
    if _weekday_of(text):
        return _iso(_weekday_date(text, a, tense))
    return _iso(a)


def _clock(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    tail = re.sub(r"^.*?(a\.m\.?|p\.m\.?|\bam\b|\bpm\b|noon|midnight|o'clock|morning|afternoon|evening|"
                  r"\d\d?:\d\d)", "", text, count=1, flags=re.I)
    day = _day_ref(tail, a, tense)
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
    part = next((v for k, v in _PARTS.items() if k in low), "NI")
    if "overnight" in low and a is not None:
        return "TIME", f"{_iso(a - dt.timedelta(days=1))}TNI"
    if a is not None and re.search(r"\b(the following|the next)\b", low):
        return "TIME", f"{_iso(a + dt.timedelta(days=1))}T{part}"
    return "TIME", f"{_day_ref(text, a, tense)}T{part}"


def _month_year(text: str, a: dt.date | None, tense: str | None) -> Value:
    month = _month_of(text) or 1
    year = _year_of(text)
    if year is None:
        low = text.lower()
        shift = -1 if "last year" in low else 1 if "next year" in low else 0
        year = a.year + shift if a else None
    return "DATE", f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"


def _month(text: str, a: dt.date | None, tense: str | None) -> Value:
    month = _month_of(text) or 1
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
        year = _infer_year(a, month, None, tense)
    return "DATE", f"{year:04d}-{month:02d}"


def _year(text: str, a: dt.date | None, tense: str | None) -> Value:
    year = _year_of(text)
    return "DATE", f"{year:04d}" if year else "XXXX"


def _decade(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
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


def _century(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    m = _ORD_RE.search(low)
    if m:
        return "DATE", f"{_ORDINALS[m.group(1).lower()] - 1:02d}"
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


def _quarter_v(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    year = _year_of(text)
    qm = re.search(r"\bq([1-4])\b", low) or _ORD_RE.search(low)
    q = int(qm.group(1)) if qm and qm.group(1).isdigit() else (_ORDINALS[qm.group(1)] if qm else None)
    if q is not None and q > 4:
        q = None
    short = re.search(r"q[1-4](?: ?|-|/)'?(\d\d)\b", low)
    if year is None and short:
        year = 2000 + int(short.group(1)) if int(short.group(1)) < 50 else 1900 + int(short.group(1))
    if a is None:
        return "DATE", f"{year or 'XXXX'}-Q{q or 'X'}"
    ay, aq = _quarter(a)
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


def _half(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    h = 1 if re.search(r"first|\bh1\b", low) else 2
    year = _year_of(text) or (_relative_year(low, a) if a else None) or (a.year if a else None)
    return "DATE", f"{year or 'XXXX'}-H{h}"


def _season(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    code = next(v for k, v in WORDS["seasons"].items() if k in low)
    year = _year_of(text)
    if year is None and a is not None:
        start = WORDS["season_months"][code]
        now = a.month
        if re.search(r"\blast\b", low):
            year = a.year - 1 if start >= now else a.year
        elif re.search(r"\bnext\b", low):
            year = a.year + 1 if start <= now else a.year
        elif "this" in low:
            year = a.year
        else:
            year = _infer_year(a, start, None, tense)
    return "DATE", f"{year or 'XXXX'}-{code}"


def _weekday(text: str, a: dt.date | None, tense: str | None) -> Value:
    return "DATE", _iso(_weekday_date(text, a, tense)) if a else "XXXX-XX-XX"


def _deictic(text: str, a: dt.date | None, tense: str | None) -> Value:
    if a is None:
        return "DATE", "XXXX-XX-XX"
    low = text.lower()
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}
    n = next(v for k, v in shift.items() if k in low)
    n += -1 if "before" in low else 1 if "after" in low else 0
    return "DATE", _iso(a + dt.timedelta(days=n))


def _relunit(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = _unit_of(low) or "year"
    if "year-end" in low or re.search(r"end of the year", low):
        return "DATE", f"{a.year}" if a else "XXXX"
    n = -1 if re.search(r"\b(last|previous|prior)\b|year-(?:earlier|ago)", low) else \
        1 if re.search(r"\b(next|following)\b", low) else 0
    if a is None:
        return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "weekend": "XXXX-WXX-WE"}.get(unit, "XXXX")
    if unit == "weekend":
        d = a + dt.timedelta(days=7 * n)
        if n == 0 and "this" not in low and tense != "future":
            d = a - dt.timedelta(days=a.isoweekday())  # "the weekend" in a report: the one just past
        return "DATE", _week(d) + "-WE"
    if unit == "week":
        return "DATE", _week(a + dt.timedelta(days=7 * n))
    if unit == "month":
        y, m = _shift_month(a.year, a.month, n)
        return "DATE", f"{y}-{m:02d}"
    if unit == "decade":
        return "DATE", f"{(a.year // 10 + n):03d}"
    return "DATE", f"{a.year + n}"


_DUR_CODE = {"second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
             "weekend": "WE", "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y",
             "decade": "Y", "centur": "Y", "millenni": "Y"}
_DUR_MULT = {"fortnight": 2, "decade": 10, "centur": 100, "millenni": 1000}
_SMALLER = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)}


def duration_value(count: float | None, unit: str) -> str:
    """An ISO 8601 duration ("P3Y", "PT5H", "PXM") from a count (None: vague) and a unit word."""
    code = _DUR_CODE[unit]
    timepart = unit in ("second", "minute", "hour")
    prefix = "PT" if timepart else "P"
    if count is None:
        return f"{prefix}X{code}"
    count *= _DUR_MULT.get(unit, 1)
    if code == "Q":  # quarters are written in months: "three quarters" = P9M
        code, count = "M", count * 3
    if count != int(count) and code in _SMALLER:
        whole, frac = int(count), count - int(count)
        small, k = _SMALLER[code]
        head = f"{whole}{code}" if whole else ""
        if code == "D":
            return f"P{head}T{int(round(frac * k))}H"
        return f"{prefix}{head}{int(round(frac * k))}{small}"
    return f"{prefix}{int(count)}{code}"


def _ago(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = _unit_of(low) or "year"
    n = number(re.sub(r"\b(ago|earlier|before|later|hence|back|from now)\b.*", "", low))
    future = bool(re.search(r"\b(later|hence|from now)\b", low))
    if n is None or "few" in low:
        return "DATE", "FUTURE_REF" if future else "PAST_REF"
    if a is None:
        return "DATE", "XXXX"
    sign = 1 if future else -1
    n = int(round(n * _DUR_MULT.get(unit, 1)))
    if unit in ("year", "decade", "centur", "millenni"):
        return "DATE", f"{a.year + sign * n}"
    if unit == "month":
        y, m = _shift_month(a.year, a.month, sign * n)
        return "DATE", f"{y}-{m:02d}"
    if unit == "quarter":
        y, m = _shift_month(a.year, a.month, sign * 3 * n)
        return "DATE", f"{y}-Q{(m - 1) // 3 + 1}"
    if unit in ("week", "fortnight", "weekend"):
        return "DATE", _week(a + dt.timedelta(days=7 * sign * n))
    if unit in ("day", "night"):
        return "DATE", _iso(a + dt.timedelta(days=sign * n))
    return "TIME", _iso(a) + "TXX:XX"


def _duration(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    unit = _unit_of(low) or "year"
    core = re.sub(r"^(the\s+)?((past|last|next|first|coming|previous|final|following|recent|remaining|entire|full|"
                  r"whole|initial|latest|year-earlier|same|ensuing)\s+)*", "", low)
    has_count = re.search(r"\d|\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
                          r"\w+ty|few|several|many|some|couple|dozen|half)\b", core)
    if not has_count:
        plural = re.search(unit + r"\w*s\b", low) is not None
        return "DURATION", duration_value(None if plural else 1, unit)
    return "DURATION", duration_value(number(core), unit)


def _set(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = text.lower()
    adverbs = WORDS["set_adverbs"]
    if low in adverbs:
        return "SET", adverbs[low]
    wd, month = _weekday_of(text), _month_of(text)
    if wd:
        return "SET", f"XXXX-WXX-{wd}"
    if month:
        return "SET", f"XXXX-{month:02d}"
    part = next((v for k, v in _PARTS.items() if re.search(rf"\b{k}\b", low)), None)
    if part:
        return "SET", f"TXX:XX{part}"   # e.g. every morning
    season = next((v for k, v in WORDS["seasons"].items() if k in low), None)
    if season:
        return "SET", f"XXXX-{season}"
    unit = _unit_of(low) or "day"
    per = re.search(r"\b(?:every|each|per)\s+(?:other\s+)?(.*)", low)
    n = number(per.group(1)) if per and re.search(r"\d|\b(two|three|four|five|six|few)\b", per.group(1)) else 1
    if per and "other" in low:
        n = 2
    return "SET", duration_value(n or 1, unit)


def _easter(year: int) -> dt.date:
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


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    if n > 0:
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _holiday(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = re.sub(r",?\s*\d{4}$", "", text.lower()).strip()
    fixed = WORDS["holidays"].get(low)
    year = _year_of(text)
    month = int(fixed[:2]) if fixed else {"thanksgiving": 11, "labor": 9, "memorial": 5, "easter": 4}[low.split()[0]]
    if year is None:
        if a is None:
            return "DATE", f"XXXX-{fixed}" if fixed else "XXXX-XX-XX"
        year = _infer_year(a, month, 15, tense)
    if fixed:
        return "DATE", f"{year}-{fixed}"
    if low.startswith("thanksgiving"):
        return "DATE", _iso(_nth_weekday(year, 11, 4, 4))
    if low.startswith("labor"):
        return "DATE", _iso(_nth_weekday(year, 9, 1, 1))
    if low.startswith("memorial"):
        return "DATE", _iso(_nth_weekday(year, 5, 1, -1))
    return "DATE", _iso(_easter(year))


def _ref(text: str, a: dt.date | None, tense: str | None) -> Value:
    low = " ".join(text.lower().split())
    for key, value in (("present_ref", "PRESENT_REF"), ("past_ref", "PAST_REF"), ("future_ref", "FUTURE_REF")):
        if low in WORDS[key]:
            return "DATE", value
    return "DATE", None


def _anaphor(text: str, ref: dt.date | None, tense: str | None) -> Value:
    """"that day", "the following morning": read against the reference date (the last one mentioned)."""
    low = text.lower()
    shift = 1 if re.search(r"\b(following|next|after)\b", low) else -1 if re.search(r"\b(previous|prior|before)\b",
                                                                                     low) else 0
    part = next((v for k, v in _PARTS.items() if re.search(rf"\b{k}\b", low)), None)
    unit = _unit_of(low) or "day"
    if ref is None:
        return ("TIME", f"XXXX-XX-XXT{part}") if part else ("DATE", "XXXX-XX-XX" if unit == "day" else "XXXX")
    if part:
        return "TIME", f"{_iso(ref + dt.timedelta(days=shift))}T{part}"
    if unit == "week":
        return "DATE", _week(ref)
    if unit == "month":
        return "DATE", f"{ref.year}-{ref.month:02d}"
    if unit == "year":
        return "DATE", f"{ref.year}"
    return "DATE", _iso(ref + dt.timedelta(days=shift))


HANDLERS: dict[str, Callable[[str, "dt.date | None", "str | None"], Value]] = {
    "clock": _clock, "part": _part, "date": lambda t, a, s: ("DATE", _date_value(t, a, s)),
    "month_year": _month_year, "month": _month, "decade": _decade, "century": _century,
    "quarter": _quarter_v, "half": _half, "season": _season, "weekday": _weekday, "deictic": _deictic,
    "relunit": _relunit, "ago": _ago, "duration": _duration, "set": _set, "holiday": _holiday,
    "ref": _ref, "year": _year, "anaphor": _anaphor,
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
