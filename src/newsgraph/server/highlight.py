"""The article text as safe HTML with its facts marked, built from the newsgraph/1 offsets.

The text is cut at every fact boundary and each piece is escaped on its own; the markup around
the pieces is ours alone, so nothing in an article can ever become a tag or an attribute.
Three layers nest: sentences (outermost), quotes, then entity mentions, amounts and dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

# A sentence ends at . ! ? (plus closing quotes/brackets) before a space and a capital, or at a line break.
_SENT_END = re.compile(r"(?<=[.!?])[\"”’')\]]*[ \t]+(?=[\"“‘(\[]?[A-Z0-9])|\n+")
# "Mr. Smith", "J. Smith", "U.S. Treasury": a short capitalised word before the period is no sentence end.
_ABBREV = re.compile(r"(?:^|[\s(])(?:[A-Z][a-z]?|(?:[A-Za-z]\.)+[A-Za-z])\.$")

SPEAKER_COLOURS = 8


@dataclass(slots=True)
class Mark:
    """One stretch to wrap: its tag, attributes and layer (0 sentence, 1 quote, 2 inline)."""

    start: int
    end: int
    layer: int
    cls: str
    attrs: dict[str, str] = field(default_factory=dict)
    ident: str | None = None


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets for display; blank stretches are skipped."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if not m.group().startswith("\n") and _ABBREV.search(text[max(0, m.start() - 12):m.start()]):
            continue
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


def sentence_of(sents: list[tuple[int, int]], offset: int) -> int:
    """The index of the sentence holding ``offset`` (the nearest one before it otherwise)."""
    best = 0
    for i, (s, _) in enumerate(sents):
        if s <= offset:
            best = i
        else:
            break
    return best


def speaker_palette(data: dict[str, Any]) -> dict[str | None, int]:
    """A colour index per quote speaker, in order of first quote; unattributed quotes get none."""
    out: dict[str | None, int] = {}
    for q in data.get("quotes", []):
        if q.get("speaker") and q["speaker"] not in out:
            out[q["speaker"]] = len(out) % SPEAKER_COLOURS
    return out


def marks(data: dict[str, Any]) -> list[Mark]:
    """Every stretch to wrap, overlaps within a layer removed (the earlier, then longer, wins)."""
    text = data["article"]["text"]
    names = {e["id"]: e for e in data.get("entities", [])}
    out = [Mark(s, e, 0, "sent", {"data-s": str(i)}, f"s-{i}") for i, (s, e) in enumerate(sentences(text))]
    palette = speaker_palette(data)
    quotes = []
    for q in data.get("quotes", []):
        spk = names.get(q.get("speaker") or "")
        colour = f"spk-{palette[q['speaker']]}" if q.get("speaker") in palette else "spk-none"
        title = f"{q.get('kind', 'quote')} quote" + (f" by {spk['name']}" if spk else " (speaker unknown)")
        quotes.append(Mark(q["start"], q["end"], 1, f"quote {colour}", {"title": title}, f"f-{q['id']}"))
    inline = []
    for a in data.get("amounts", []):
        inline.append(Mark(a["start"], a["end"], 2, "amt", {"title": _amount_title(a)}, f"f-{a['id']}"))
    for t in data.get("times", []):
        inline.append(Mark(t["start"], t["end"], 2, "time", {"title": f"{t['type']} {t.get('value') or ''}".strip()},
                           f"f-{t['id']}"))
    for e in data.get("entities", []):
        for n, m in enumerate(e.get("mentions", [])):
            inline.append(Mark(m["start"], m["end"], 2, f"ent t-{e['type']}",
                               {"title": f"{e['type']}: {e['name']}", "data-entity": e["id"]},
                               f"f-{e['id']}" if n == 0 else f"f-{e['id']}-{n}"))
    return out + _no_overlap(quotes, len(text)) + _no_overlap(inline, len(text))


def _amount_title(a: dict[str, Any]) -> str:
    value = a.get("value")
    shown = f"{value:,.0f}" if isinstance(value, (int, float)) and abs(value) >= 1000 else str(value)
    return f"{a.get('unit', '')} {shown}".strip() + (" (approx.)" if a.get("approximate") else "")


def _no_overlap(items: list[Mark], limit: int) -> list[Mark]:
    kept: list[Mark] = []
    end = -1
    for m in sorted(items, key=lambda m: (m.start, -(m.end - m.start))):
        if 0 <= m.start < m.end <= limit and m.start >= end:
            kept.append(m)
            end = m.end
    return kept


def render(data: dict[str, Any]) -> Markup:
    """The article text as HTML: every text piece escaped, every fact wrapped in a span."""
    text = data["article"]["text"]
    ms = marks(data)
    cuts = sorted({0, len(text), *(m.start for m in ms), *(m.end for m in ms)})
    by_layer: list[list[Mark]] = [[m for m in ms if m.layer == k] for k in range(3)]
    opened_ids: set[str] = set()
    stack: list[Mark] = []
    parts: list[str] = []
    idx = [0, 0, 0]
    for a, b in zip(cuts, cuts[1:]):
        want = []
        for k in range(3):
            layer = by_layer[k]
            while idx[k] < len(layer) and layer[idx[k]].end <= a:
                idx[k] += 1
            if idx[k] < len(layer) and layer[idx[k]].start <= a < layer[idx[k]].end:
                want.append(layer[idx[k]])
        common = 0
        while common < len(stack) and common < len(want) and stack[common] is want[common]:
            common += 1
        parts.extend("</span>" for _ in stack[common:])
        for m in want[common:]:
            parts.append(_open(m, first=m.ident not in opened_ids))
            if m.ident:
                opened_ids.add(m.ident)
        stack = want
        parts.append(str(escape(text[a:b])))
    parts.extend("</span>" for _ in stack)
    return Markup("".join(parts))


def _open(m: Mark, *, first: bool) -> str:
    attrs = {"class": m.cls, **m.attrs}
    if first and m.ident:
        attrs["id"] = m.ident
    return "<span " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + ">"


def facts(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The side panel: each fact with a label and the element and sentence it points at."""
    text = data["article"]["text"]
    sents = sentences(text)
    names = {e["id"]: e["name"] for e in data.get("entities", [])}
    palette = speaker_palette(data)
    drawn = {m.ident for m in marks(data)}

    def item(label: str, start: int, target: str, **extra: Any) -> dict[str, Any]:
        n = sentence_of(sents, start)      # a fact hidden by an overlapping one points at its sentence
        return {"label": label, "target": target if target in drawn else f"s-{n}", "sentence": n, **extra}

    out: dict[str, list[dict[str, Any]]] = {}
    out["entities"] = [item(e["name"], e["mentions"][0]["start"] if e.get("mentions") else 0, f"f-{e['id']}",
                            detail=f"{e['type']} · {len(e.get('mentions', []))}×", type=e["type"])
                       for e in data.get("entities", [])]
    out["quotes"] = [item(q["text"], q["start"], f"f-{q['id']}", detail=names.get(q.get("speaker") or "", "unknown speaker"),
                          colour=f"spk-{palette[q['speaker']]}" if q.get("speaker") in palette else "spk-none")
                     for q in data.get("quotes", [])]
    out["amounts"] = [item(a["text"], a["start"], f"f-{a['id']}", detail=_amount_title(a)) for a in data.get("amounts", [])]
    out["dates"] = [item(t["text"], t["start"], f"f-{t['id']}", detail=f"{t['type']} {t.get('value') or ''}".strip())
                    for t in data.get("times", [])]
    out["events"] = [item(f"{e['type']}" + (f" ({e['status']})" if e.get("status") else ""), e["start"],
                          f"s-{sentence_of(sents, e['start'])}",
                          detail=", ".join(f"{r['role']}: {_ref(data, r['ref'], names)}" for r in e.get("roles", [])))
                     for e in data.get("events", [])]
    out["relations"] = [item(f"{names.get(r['subject'], r['subject'])} — {r['type']}"
                             + (f" — {names.get(r['object'] or '', r['object'])}" if r.get("object") else "")
                             + (f": {r['value']}" if r.get("value") else ""), r["start"],
                             f"s-{sentence_of(sents, r['start'])}") for r in data.get("relations", [])]
    return out


def _ref(data: dict[str, Any], ref: str, names: dict[str, str]) -> str:
    if ref in names:
        return names[ref]
    for key in ("amounts", "times"):
        for f in data.get(key, []):
            if f["id"] == ref:
                return f["text"]
    return ref
