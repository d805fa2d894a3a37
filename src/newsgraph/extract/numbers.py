"""Numbers as news writes them: digits ("1,099.5"), words ("twenty-five", "half a") and scales ("bn", "million").

Pure string functions and regex fragments, shared by the amount extractor; no spaCy.
"""
from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_UNITS)}
WORD_VALUES.update({w: float(20 + 10 * i) for i, w in enumerate(_TENS)})
WORD_VALUES.update({"dozen": 12.0, "hundred": 100.0})

#: Multipliers of scale words and abbreviations (crore and lakh: Indian English).
SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "crore": 1e7, "crores": 1e7, "lakh": 1e5, "lakhs": 1e5,
}

_S = r"[ \t\u00a0]"  # horizontal space only: an amount never crosses a line break
#: A number in digits: 1,099 / 97.4 / .5 (no sign: "-" is a range dash in news text).
DIGITS = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
_WORD = r"(?:" + "|".join(sorted(_UNITS + _TENS + ["hundred"], key=len, reverse=True)) + r")\b"
#: A number in words: "five", "twenty-five", "one point three", "one and a half"; "a"/"half a" only
#: before a scale or "percent".
WORDS = (rf"(?:{_WORD}(?:(?:-|{_S}+){_WORD})*(?:{_S}+point(?:{_S}+{_WORD})+|{_S}+and{_S}+a{_S}+half)?"
         rf"|(?:half{_S}+an?|an?(?:{_S}+half)?|a{_S}+dozen)"
         rf"(?={_S}+(?:thousand|million|billion|trillion|percent|per{_S}?cent)\b))")
NUMBER = rf"(?:{DIGITS}|{WORDS})"
#: A scale after a number: a spelled-out word (spaced), or an abbreviation (attached; bn/mn/tn may be spaced).
SCALE = (rf"(?:{_S}+(?:thousand|million|billion|trillion|crores?|lakhs?|bn|mn|mln|bln|tn|trn)"
         rf"|(?:bn|mn|mln|bln|tn|trn|m|b|k))(?![A-Za-z0-9])")

_WORD_SPLIT = re.compile(r"[\s-]+")


def parse_number(text: str) -> float | None:
    """The value of a number in digits or words ("1,099.5" -> 1099.5, "twenty-five" -> 25, "one point three" -> 1.3)."""
    s = text.strip().lower()
    if not s:
        return None
    if s[0].isdigit() or s[0] == ".":
        try:
            return float(s.replace(",", ""))
        except ValueError:
            return None
    words = [w for w in _WORD_SPLIT.split(s) if w and w != "and"]
    if "point" in words:  # "one point three" -> 1.3
        i = words.index("point")
        whole = parse_number(" ".join(words[:i]))
        digits = [WORD_VALUES.get(w) for w in words[i + 1:]]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            return None
        return float(f"{whole:.0f}." + "".join(f"{d:.0f}" for d in digits))
    if words in (["a"], ["an"]):
        return 1.0
    if words[:1] == ["half"] or words == ["a", "half"]:
        return 0.5
    if words[-2:] == ["a", "half"]:
        base = parse_number(" ".join(words[:-2]))
        return None if base is None else base + 0.5
    if words == ["a", "dozen"]:
        return 12.0
    total, current = 0.0, 0.0
    for w in words:
        if w not in WORD_VALUES:
            return None
        v = WORD_VALUES[w]
        if w == "hundred":
            current = (current or 1.0) * 100.0
        else:
            current += v
    return total + current


def scale_of(text: str | None) -> float:
    """The multiplier of a scale word or abbreviation (1.0 when there is none)."""
    if not text:
        return 1.0
    return SCALES.get(text.strip().lower(), 1.0)
