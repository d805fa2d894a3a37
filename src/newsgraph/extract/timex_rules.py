"""The surface grammar of English time expressions: one regex per kind of TIMEX3.

Each rule names a kind (the normaliser in ``timex.py`` turns a match of that kind into a
TIMEX3 value) and its pattern. Span conventions follow the TempEval-3 TBAQ training
annotation: determiners and modifiers ("the", "last", "about", "early") belong to the span,
prepositions ("on", "in", "at", "for") do not. Word lists come from ``time_words.json``.
The anchor tables at the end (``_ANCHOR_WORDS``, ``NUMERIC_SCAN``, ``CAPITAL_SCAN``) say which words or digit
shapes each kind must contain, so ``times.find_spans`` can skip text where a rule cannot match.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..lexicons import table

WORDS = table("time_words.json")


def _cap(phrase: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split())


def _alt(items: list[str]) -> str:
    """A regex alternation of whole words, longest first (spaces match any run of blanks)."""
    parts = sorted(set(items), key=len, reverse=True)
    return r"\b(?:" + "|".join(re.escape(p).replace("\\ ", " ") for p in parts) + r")\b"


_MONTH_FULL = [m for m in WORDS["months"] if len(m) > 4 or m in ("may", "june", "july")]
_MONTH_ABBR = [m for m in WORDS["months"] if m not in _MONTH_FULL and m not in ("may",)]
# Month and weekday names must be capitalised: "may", "march", "sun" are ordinary words.
MONTH = r"(?-i:(?:%s)\b|(?:%s)\.|Sept\b)" % (
    "|".join(m.capitalize() for m in _MONTH_FULL), "|".join(m.capitalize() for m in _MONTH_ABBR))
# in "MONTH DAY" forms the abbreviation may lack its period ("Sept 30"); a full name never takes one
MONTH_ANY = r"(?-i:(?:%s)\b|(?:%s)\b\.?)" % (
    "|".join(m.capitalize() for m in _MONTH_FULL), "|".join(m.capitalize() for m in _MONTH_ABBR))
_WD_FULL = [w for w in WORDS["weekdays"] if w.endswith("day")]
WEEKDAY = r"(?-i:(?:%s)\b|(?:%s)\.)" % (
    "|".join(w.capitalize() for w in _WD_FULL),
    "|".join(w.capitalize() for w in WORDS["weekdays"] if w not in _WD_FULL))
WEEKDAYS = r"(?-i:(?:%s)s\b)" % "|".join(w.capitalize() for w in _WD_FULL)
# a year; in a range ("2009-2010", "1957-58") each end is a year of its own (the short end is "year_tail")
YEAR = (r"(?<![\d$£€.,:/])(?:(?<!\d-)|(?<=(?:1[6-9]|20)\d\d-))(?:1[6-9]\d\d|20\d\d)(?![\d%]|[.,]\d|s\b)"
        r"(?:(?!-\d)|(?=-(?:1[6-9]\d\d|20\d\d|\d\d)(?![\d/%]|-\d|[.,]\d)))")
DAY = (r"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d|%|[.,]\d)|(?:twenty-|twenty |thirty-|thirty )?"
       r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|(?:tenth|eleventh|twelfth|thirteenth|"
       r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth))")
_NUMWORDS = [w for w in WORDS["numbers"] if w not in ("a", "an")]
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM = (r"(?:(?!(?:1[6-9]|20)\d\d\b)\d+(?:[.,]\d+)?(?: 1/2|½)?|(?:%s)(?:-| )(?:one|two|three|four|five|six|seven|eight|nine)"
       r"|%s|%s|an?)") % (_TENS, _alt(WORDS["vague_numbers"]), _alt(_NUMWORDS))
UNIT = (r"(?:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade|"
        r"centur(?:y|ie)|millenni(?:um|a))")
UNITS = UNIT + r"s?"
ORD = _alt(list(WORDS["ordinals"]))
SEASON = r"(?:spring|summer|fall|autumn|winter)"
EDGE = r"(?:(?:early|mid|late)(?:-| )|the (?:end|beginning|start|middle|close|rest) of |mid-?)"
TZ = _alt(WORDS["timezones"])
DAYREF = r"(?:%s|today|yesterday|tomorrow|tonight)" % WEEKDAY
PART = r"(?:morning|afternoon|evening|night)"
APPROX = (r"(?:about|almost|nearly|some|more than|less than|fewer than|roughly|just|only|over|"
          r"around|at least|at most|up to|no more than|approximately|under|another|"
          r"an additional|an extra|a full|a further)")
_ONES = "one|two|three|four|five|six|seven|eight|nine"
SPELLED_YEAR = (rf"(?:nineteen|eighteen) (?:(?:{_TENS})(?:(?:-| )(?:{_ONES}))?|ten|eleven|twelve|thirteen|fourteen|"
                rf"fifteen|sixteen|seventeen|eighteen|nineteen|hundred)"
                rf"|two thousand(?: and)?(?: (?:{_ONES}|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                rf"seventeen|eighteen|nineteen|twenty(?:(?:-| )(?:{_ONES}))?))?")
_S = r"[ \t]+"


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]


def _r(kind: str, pattern: str) -> Rule:
    pattern = pattern.replace(" ?", "\0").replace(" ", _S).replace("\0", "[ \t]*")
    return Rule(kind, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I))


MD = rf"(?:{MONTH_ANY} {DAY}|the {DAY}(?: of)? {MONTH_ANY}|{DAY}(?: of)? {MONTH_ANY})"

RULES: tuple[Rule, ...] = (
    _r("clock", rf"(?:(?:around|about|approximately|shortly (?:before|after)|just (?:before|after)) )?"
                rf"(?:(?:[01]?\d|2[0-3])(?::[0-5]\d)?(?: ?(?:a\.m\.?|p\.m\.?|am\b|pm\b))(?: {TZ}\b| local time)?"
                rf"|(?:[01]?\d|2[0-3]):[0-5]\d(?: {TZ}\b)?|(?:[01]\d|2[0-3])[0-5]\d (?:GMT|UTC)\b|(?<!high\x20)(?:noon|midnight|midday)"
                rf"|(?:[1-9]|1[012]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) o'clock"
                rf"|(?:[1-9]|1[012]) in the (?:morning|afternoon|evening))"
                rf"(?:(?:, ?| (?:on )?)(?:{DAYREF}|{MD})(?:,? {MD})?(?:,? {YEAR})?)?"),
    _r("part", rf"(?:(?:early|late|earlier|later) )?(?:(?:this|that|the|last|yesterday|tomorrow|the following|"
               rf"the next|the previous|{WEEKDAY}) (?:{PART}|mid-?afternoon)|tonight|overnight|"
               rf"mid(?:-| )?afternoon(?: (?:yesterday|today|tomorrow|{WEEKDAY}))?"
               rf"|(?:early|late) (?:morning|afternoon|evening)(?: (?:yesterday|today|tomorrow|{WEEKDAY}))?)"),
    _r("date", rf"(?:{WEEKDAY},? )?(?:{EDGE})?(?:{MD})(?:,? {YEAR})?"
               rf"|\d{{4}}-[01]\d-[0-3]\d\b|(?<![\d/])[01]?\d/[0-3]?\d/(?:\d{{4}}|\d\d)\b"),
    _r("month_year", rf"(?:{EDGE})?{MONTH}(?: of)?,? (?:{YEAR}|(?:this|last|next) year)"
                     rf"|(?:{EDGE})?(?:last|this|next) year's {MONTH}"),
    _r("month", rf"(?:(?:last|this|next|the previous|the following) |{EDGE})?{MONTH}"),
    _r("decade", r"(?:the )?(?:(?:early|mid|late)(?:-| ))?(?:'\d0s|1[6-9]\d0s|20\d0s|(?:nineteen |the )?"
                 r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"),
    _r("century", rf"(?:the )?(?:(?:early|mid|late)(?:-| ))?{ORD}(?:-| )century|(?:this|last|next) century"),
    _r("quarter", rf"(?:the )?(?:(?:fiscal|calendar|company's|year-earlier|year-ago|latest|last|previous|past|"
                  rf"current|this|next|coming|same|final|{YEAR}|(?:this|last|next) year's) )*"
                  rf"(?:{ORD}(?:-| | fiscal )quarter|(?<=the\x20)quarter|(?<=(?:est|ent|ous|ast|his|ext|ing|ago|ier)\x20)quarter|(?<=\d\x20)quarter)"
                  rf"(?: of (?:fiscal )?(?:{YEAR}|this year|last year|next year)|,? {YEAR})?"
                  rf"|the (?:latest|year-earlier|year-ago) period|\bQ[1-4](?: ?|-|/)(?:{YEAR}|'?\d\d\b)?|{YEAR} ?Q[1-4]\b"),
    _r("half", rf"(?:the )?(?:first|second|latter|last|year-earlier)(?:-| )half"
               rf"(?: of (?:{YEAR}|the year|this year|last year|next year))?|{ORD} half of {YEAR}|\bH[12] {YEAR}"),
    _r("season", rf"(?:(?:early|late|mid|last|this|next|the) )*(?:(?:last|this|next|early|late|this past) {SEASON}"
                 rf"|{SEASON}(?: of)?,? {YEAR}|(?:summer|winter|autumn)|(?<=in\x20)(?:the )?(?:spring|fall)(?! of))"),
    _r("weekday", rf"(?:(?:last|next|this|coming|early|late|earlier|later|the previous|the following|the next) )?{WEEKDAY}"),
    _r("deictic", r"(?:(?:early|late|earlier|later) )?(?:yesterday|today|tomorrow)|the day (?:before|after) (?:yesterday|tomorrow)"),
    _r("relunit", rf"(?:(?:earlier|later|early|late|(?:the )?(?:end|start|beginning|middle|rest) of) )?"
                  rf"(?:this|last|next|current|the current|the same|this past) (?:(?:fiscal|calendar) (?=year))?"
                  rf"(?:week|month|year|weekend|decade)(?!s|-)"
                  rf"|(?:the )?year-(?:earlier|ago)|the (?:full |fiscal |calendar )?year(?![-'’]| ago| earlier)"
                  rf"|the weekend|year(?:-| |'s |’s )end\b|the (?:end|beginning|start|middle|rest) of the (?:year|month|week)"),
    _r("anaphor", rf"(?:(?:later|earlier|early|late) )?(?:that|the same) (?:day|week|month|year|{PART})"
                  rf"|the (?:following|next|previous|prior) (?:day|{PART})|the (?:following|previous|prior) "
                  rf"(?:week|month|year)"
                  rf"|(?<=(?:later|rlier)\x20in\x20)the (?:day|week|month|year)"
                  rf"|the (?:day|night|week|month|year) (?:before|after)(?=\s*[,.;:!?)'\"]|\s*$)"),
    _r("ago", rf"(?:(?:about|almost|nearly|some|more than|less than|roughly|just|only|over|around|barely) )?"
              rf"{NUM}(?:-| ){UNITS}(?: or so)? (?:ago|from now|hence|back)|{UNITS} ago"
              rf"|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? (?:earlier|later)"),
    _r("duration", rf"(?:the )?(?:(?:past|last|next|first|coming|previous|final|following|recent|remaining|"
                   rf"entire|full|whole|initial|latest|year-earlier|same) )*(?:{APPROX} )?{NUM}"
                   rf"(?: and (?:a|one) half|-and-a-half)?(?:-| )(?:more |additional |extra |full |trading |business |"
                   rf"calendar |straight |"
                   rf"consecutive |working )?{UNITS}(?:-long| and a half)?"
                   rf"|(?:the )?(?:past|last|next|coming|recent) "
                   rf"(?:(?:week|month|year|decade|century|hour)s?|days)(?!-)"
                   rf"|(?:(?<=for\x20)|(?<=within\x20)|(?<=in\x20))(?:years|months|weeks|decades|centuries)(?! of)"
                   rf"|(?:(?<=for\x20)|(?<=within\x20))(?:days|hours)(?! of)|(?<=in\x20)(?:minutes|hours)\b(?! of)"
                   rf"|the (?:days|weeks|months|years) ahead"
                   rf"|(?:minutes|hours|days|weeks|months|years|decades)(?= (?:before|after|later|earlier)\b)"
                   rf"|(?:(?<=after\x20)|(?<=following\x20)|(?<=follows\x20)|(?<=amid\x20)|(?<=during\x20))"
                   rf"(?:days|weeks|months|years|decades)(?= of\b)"
                   rf"|(?<=over\x20the\x20)(?:years|decades|centuries)(?! of| ahead| to come)"
                   rf"|decades-long"),
    _r("set", rf"(?:every|each|per) (?:other |single )?(?:{NUM} )?(?:{UNITS}|{WEEKDAY}|{MONTH}|{PART}|{SEASON})"
              rf"|(?:once|twice|{NUM} times) (?:a|an|per|every) {UNIT}|{WEEKDAYS}"
              rf"|{_alt(list(WORDS['set_adverbs']))}"),
    _r("holiday", rf"(?-i:{_alt([_cap(h) for h in WORDS['holidays']])}|Thanksgiving(?: Day)?|Labor Day|"
                  rf"Memorial Day|Easter(?: Sunday)?)(?:,? {YEAR})?"),
    _r("ref", rf"{_alt(WORDS['present_ref'] + WORDS['past_ref'] + WORDS['future_ref'])}"),
    _r("nth_day", rf"the (?:\d{{1,3}}(?:st|nd|rd|th)|{ORD}) (?:straight |consecutive )?day(?= of\b| in a row\b)"),
    _r("year_tail", r"(?<=(?:1[6-9]|20)\d\d-)\d\d(?![\d/%]|-\d|[.,]\d)"),
    _r("ref_time", r"(?<=at\x20)the time(?=\s*[,.;:!?)'\"])"),
    _r("year", rf"(?:(?:{EDGE}|fiscal (?:year )?|calendar (?:year )?|the year |FY ?|model year )?"
               rf"(?:{YEAR}|{SPELLED_YEAR}))"
               rf"|FY(?:{YEAR}|'?\d\d)\b"),
)



_PART_WORDS = ["morning", "afternoon", "evening", "night", "tonight", "overnight"]
_UNIT_WORDS = ["second", "minute", "hour", "day", "night", "week", "fortnight", "month", "quarter", "year", "decade",
               "centur", "millenni"]
# What each kind of expression must contain (as a substring, any case): a rule only runs around these.
_ANCHOR_WORDS: dict[str, list[str]] = {
    "clock": ["noon", "midnight", "midday", "o'clock"],
    "part": _PART_WORDS,
    "decade": ["ties"],
    "century": ["century"],
    "quarter": ["quarter", "period", "q1", "q2", "q3", "q4"],
    "half": ["half", "h1", "h2"],
    "season": ["spring", "summer", "fall", "autumn", "winter"],
    "deictic": ["yesterday", "today", "tomorrow"],
    "relunit": ["week", "month", "year", "decade"],
    "anaphor": ["day", "week", "month", "year"] + _PART_WORDS,
    "ago": ["ago", "from now", "hence", "back", "earlier", "later"],
    "duration": _UNIT_WORDS,
    "set": ["every", "each", "per", "once", "twice", "times", *WORDS["set_adverbs"]],
    "holiday": list(WORDS["holidays"]) + ["thanksgiving", "labor day", "memorial day", "easter"],
    "ref": sorted({w.split()[-1] for w in WORDS["present_ref"] + WORDS["past_ref"] + WORDS["future_ref"]}),
    "nth_day": ["day"],
    "ref_time": ["time"],
    "year": ["nineteen", "eighteen", "two thousand", "fy"],
}
# digits in a time shape, and capitalised month or weekday abbreviations, anchor these kinds
_NUMERIC = r"\d ?[ap]\.?m\b|\d:\d\d|\d (?:GMT|UTC)|\d in the|\d-[01]\d-|\d/\d|0s\b|\dQ[1-4]|\d\d-\d|(?:1[6-9]|20)\d\d"
NUMERIC_KINDS = frozenset({"clock", "date", "decade", "quarter", "year_tail", "year"})
CAPITAL_KINDS = frozenset({"date", "month_year", "month", "weekday", "set"})
NUMERIC_SCAN = re.compile(_NUMERIC, re.I)
CAPITAL_SCAN = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)")
WORD_SCAN = re.compile(r"[A-Za-z][\w'’.-]*")
# the kinds each anchor word stands for; a phrase ("from now", "labor day") is anchored by each of its words
WORD_KINDS: dict[str, frozenset[str]] = {}
for _kind, _words_of in _ANCHOR_WORDS.items():
    for _w in {w for phrase in _words_of for w in phrase.split()}:
        WORD_KINDS[_w] = WORD_KINDS.get(_w, frozenset()) | {_kind}
