"""Entities: one per real-world thing in the article, typed from all its mentions.

The small spaCy model is noisy mention by mention ("Altman" as GPE, "OpenAI" as
PERSON, "xAI" missed). Here the document is made coherent in three steps:

1. *find* candidate mentions: spaCy's name spans, cleaned (split at line breaks and
   possessives, headings left out), plus names spaCy misses: camel-case words, the two
   names of a rename ("X (formerly Twitter)"), dateline places;
2. *cluster* them: same normalised name; a surname or short form joins the one full
   name it ends (or starts, for "Barclays" -> "Barclays Bank"); renames and acronyms
   in parentheses join their name; then every other occurrence of a known name is
   added as a mention;
3. *type* each cluster by weighted votes from all its mentions: spaCy's label, titles
   ("CEO Sam Altman" -> PERSON, "OpenAI CEO" -> ORG), speech verbs (a speaker is a
   person or an organisation, not a place), organisation word shapes ("Inc.", camel case).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy
from spacy.attrs import DEP, POS
from spacy.symbols import PROPN, conj
from spacy.tokens import Doc, Span as SpacySpan

from .. import lexicons
from ..ingest.datelines import find_dateline
from ..model import Entity, Span
from ..nlp import is_heading
from . import doc_cache

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT",
                         "WORK_OF_ART", "LAW", "LANGUAGE"})
ANIMATE = ("PERSON", "ORG")
PLACES = frozenset({"GPE", "LOC", "FAC"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_BREAKS = frozenset({",", "(", ")", "[", "]", "|", "-", "–", "—", ";", ":", '"', "“", "”"})
# A number glued to the end of a name span: a year, a date, a score, a phone prefix
# ("Durham 114", "Dublin Newsroom +353"); short numbers stay ("Radio 4", "G7").
_YEARISH = re.compile(r"^[+(]?\d[\d.,:/()-]{2,}$")
_CAMEL = re.compile(r"^[a-z]+[A-Z]|[a-z][A-Z]")
_ASCII_LOWER = re.compile(r"[a-z]")
_APOS = str.maketrans({"’": "'", "‘": "'"})
# Votes (how much one piece of evidence counts); a spaCy label counts 1.
W_TITLE = 3.0
W_ORG_SHAPE = 2.0
W_SPEAKER = 1.5
W_RENAME = 1.0
W_GAZETTEER = 1.5  # a known place name, a known given name, an initial ("M. McCague")


@dataclass
class _Mention:
    start: int  # character offsets
    end: int
    text: str
    first_tok: int
    last_tok: int
    votes: Counter = field(default_factory=Counter)
    animate: float = 0.0  # evidence that it is a person or an organisation, not which


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """The clustering key of a name: lower case, straight apostrophes, no leading "the", no possessive."""
    key = " ".join(name.translate(_APOS).lower().split())
    if key.startswith("the "):
        key = key[4:]
    first, _, rest = key.partition(" ")
    if rest and first in lexicons.words("honorifics.txt"):
        key = rest
    for suffix in ("'s", "'"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key.strip(" .,")


def extract_entities(doc: Doc) -> list[Entity]:
    """The document's coherent entities, ordered by first mention, ids e1, e2, ..."""
    headings = _heading_tokens(doc)
    mentions = _spacy_mentions(doc, headings)
    links: list[tuple[int, int]] = []
    mentions, links = _paren_mentions(doc, mentions)
    mentions += _shape_mentions(doc, mentions, headings)
    for m in mentions:
        _add_evidence(doc, m)
    _result_lines(doc, mentions)
    for extra in (_conjunct_mentions(doc, mentions, headings), _dateline_mentions(doc, mentions)):
        for m in extra:
            _add_evidence(doc, m)
        mentions += extra
    clusters = _cluster(mentions, links)
    clusters = _add_occurrences(doc, clusters)
    return _to_entities(clusters)


# ---------------------------------------------------------------- finding mentions

def _heading_tokens(doc: Doc) -> set[int]:
    """Tokens of headings: title-case lines without digits where a capitalised word is one
    the body uses in lower case ("Musk's Bid" when the body speaks of "the bid")."""
    out: set[int] = set()
    lower_words: set[str] | None = None
    text = doc_cache.text(doc)
    for sent in doc_cache.sentences(doc):
        line = text[sent.start_char:sent.end_char]          # sent.text, without joining its tokens
        if sent.start == 0 or not is_heading(line) or any(c.isdigit() for c in line):
            continue
        if lower_words is None:
            lower_words = {w for w in doc_cache.strings(doc, "text") if w.islower() and w.isalpha() and len(w) > 2}
        if any(t.is_title and t.lower_ in lower_words for t in sent):
            out.update(range(sent.start, sent.end))
    return out


def _clean(doc: Doc, first: int, last: int) -> list[tuple[int, int]]:
    """Token ranges (inclusive) of a span after trimming and splitting at line breaks and possessives."""
    parts: list[tuple[int, int]] = []
    cur: list[int] = []
    for i in range(first, last + 1):
        tok = doc[i]
        spaced = i > 0 and bool(doc[i - 1].whitespace_) and bool(tok.whitespace_)
        if (tok.is_space or "\n" in tok.text or tok.text in _POSSESSIVE or "\n" in tok.whitespace_
                or (tok.text in _BREAKS and (spaced or tok.text not in "-–—"))
                or (tok.is_digit and first < i < last)):  # "Millwall 2 Burnley 1"
            if tok.text not in _POSSESSIVE and not tok.is_space:
                cur.append(i)
            if cur:
                parts.append((cur[0], cur[-1]))
            cur = []
        else:
            cur.append(i)
    if cur:
        parts.append((cur[0], cur[-1]))
    out = []
    for a, b in parts:
        while a <= b and (doc[a].is_punct or doc[a].lower_ in ("the", "a", "an") and doc[a].is_lower):
            a += 1
        while b >= a and (doc[b].is_punct and doc[b].text not in (".",) or doc[b].is_space
                          or _YEARISH.match(doc[b].text)):
            b -= 1
        if a <= b:
            out.append((a, b))
    return out


def _make(doc: Doc, a: int, b: int) -> _Mention | None:
    span = doc[a: b + 1]
    text = doc_cache.span_text(span)
    if not any(c.isalpha() for c in text) or len(text) > 80:
        return None
    if text.islower() and not _CAMEL.search(text):
        return None
    if normalise(text) in lexicons.words("not_entities.txt"):
        return None
    return _Mention(span.start_char, span.end_char, text, a, b)


def _shouted_tokens(doc: Doc) -> set[int]:
    """Tokens of ALL-CAPS lines of three or more words (headlines), where the model's labels
    are unreliable; names there are found by matching names known from the body."""
    out: set[int] = set()
    start = 0
    for line in doc_cache.text(doc).split("\n"):
        if len(_ASCII_LOWER.findall(line)) > 0.2 * len(line):   # cannot be 80 % capitals: skip the count
            start += len(line) + 1
            continue
        letters = [c for c in line if c.isalpha()]
        if len(line.split()) >= 3 and letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
            span = doc.char_span(start, start + len(line), alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
        start += len(line) + 1
    return out


def _spacy_mentions(doc: Doc, headings: set[int]) -> list[_Mention]:
    out = []
    shouted = _shouted_tokens(doc)
    for ent in doc.ents:
        if ent.label_ not in NAME_LABELS or ent.start in headings or ent.start in shouted:
            continue
        pieces = _clean(doc, ent.start, ent.end - 1)
        split = len(pieces) > 1
        for a, b in pieces:
            m = _make(doc, a, b)
            if m is None:
                continue
            m.votes[ent.label_] += 0.5 if split else 1.0
            out.append(m)
    return out


_NAME = r"[A-Z][\w&.'’-]*(?:[ ][A-Z][\w&.'’-]*){0,5}"


@lru_cache(maxsize=1)
def _paren_pattern() -> re.Pattern:
    cues = sorted(lexicons.lines("rename_cues.txt"), key=len, reverse=True)
    cue_re = "|".join(re.escape(c) for c in cues)
    return re.compile(rf"(?P<a>{_NAME}|[a-z]+[A-Z][\w]*)\s*[(,]\s*(?:(?P<cue>{cue_re})\s+)?(?P<b>{_NAME})\)")


def _paren_mentions(doc: Doc, mentions: list[_Mention]) -> tuple[list[_Mention], list[tuple[int, int]]]:
    """Renames ("X (formerly Twitter)") and acronyms ("Federal Reserve (Fed)"): both names, linked."""
    pattern = _paren_pattern()
    links = []
    mentions = list(mentions)
    text = doc_cache.text(doc)
    if "(" not in text:
        return mentions, links
    for m in pattern.finditer(text):
        a_txt, b_txt = m.group("a"), m.group("b")
        if not m.group("cue"):
            initials = "".join(w[0] for w in a_txt.split() if w[0].isupper())
            if not (b_txt.isupper() and 2 <= len(b_txt) <= 6 and (b_txt == initials or b_txt[0] == a_txt[0])):
                continue
        ia = _ensure(doc, mentions, m.start("a"), m.end("a"))
        ib = _ensure(doc, mentions, m.start("b"), m.end("b"))
        if ia is not None and ib is not None and ia != ib:
            if m.group("cue"):
                mentions[ia].votes["ORG"] += W_RENAME
                mentions[ib].votes["ORG"] += W_RENAME
            links.append((ia, ib))
    return mentions, links


def _ensure(doc: Doc, mentions: list[_Mention], start: int, end: int) -> int | None:
    """Index of the mention at these offsets; the longest overlapping one is trimmed to a name inside it."""
    for i, m in enumerate(mentions):
        if m.start == start and m.end == end:
            return i
    # A name inside a longer spaCy span (e.g. "Musk's own platform, X") wins for these offsets.
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for i, m in enumerate(mentions):
        if m.start < end and start < m.end:
            if m.start <= start and end <= m.end and (m.start, m.end) != (start, end):
                mentions[i] = _Mention(span.start_char, span.end_char, doc_cache.span_text(span),
                                       span.start, span.end - 1, m.votes)
                return i
            return i
    made = _make(doc, span.start, span.end - 1)
    if made is None:
        return None
    mentions.append(made)
    return len(mentions) - 1


def _shape_mentions(doc: Doc, mentions: list[_Mention], headings: set[int]) -> list[_Mention]:
    """Camel-case names spaCy missed (xAI, iPhone, eBay) and names before a title ("Acme CEO")."""
    covered = {i for m in mentions for i in range(m.first_tok, m.last_tok + 1)}
    out = []
    for i, word in enumerate(doc_cache.strings(doc, "text")):
        if len(word) < 2 or not _CAMEL.search(word):
            continue
        tok = doc[i]
        if tok.i in covered or tok.i in headings or not tok.is_alpha or len(tok) < 2:
            continue
        if not tok.text.isupper():
            m = _make(doc, tok.i, tok.i)
            if m:
                out.append(m)
                covered.add(tok.i)
    return out


def _conjunct_mentions(doc: Doc, mentions: list[_Mention], headings: set[int]) -> list[_Mention]:
    """A proper noun spaCy missed in a list of names ("xAI, DeepMind, and Anthropic") takes
    half the labels of the name it is coordinated with."""
    at = {i: m for m in mentions for i in range(m.first_tok, m.last_tok + 1)}
    out = []
    pos_dep = doc.to_array([POS, DEP]) if len(doc) else numpy.zeros((0, 2), dtype="uint64")
    for i in numpy.flatnonzero((pos_dep[:, 0] == PROPN) & (pos_dep[:, 1] == conj)).tolist():
        tok = doc[i]
        if (tok.i in at or tok.i in headings or tok.pos_ != "PROPN" or not tok.is_title
                or tok.dep_ != "conj" or tok.head.i not in at or tok.is_sent_start):
            continue
        first = tok.left_edge.i if all(t.pos_ == "PROPN" and t.i not in at for t in doc[tok.left_edge.i: tok.i]) else tok.i
        m = _make(doc, first, tok.i)
        if m:
            for label, vote in at[tok.head.i].votes.items():
                m.votes[label] += vote / 2
            out.append(m)
    return out


_RESULT_LINE = re.compile(r"^\s*(?P<a>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}) +\d{1,3} +"
                          r"(?P<b>[A-Z][\w.'&-]*(?: [A-Z][\w.'&-]*){0,3}) +\d{1,3}\s*$", re.M)


def _result_lines(doc: Doc, mentions: list[_Mention]) -> None:
    """Sports results ("Millwall 2 Burnley 1"): the two sides are teams, organisations."""
    text = doc_cache.text(doc)
    if not any(c.isdigit() for c in text):
        return
    for hit in _RESULT_LINE.finditer(text):
        for side in ("a", "b"):
            s, e = hit.span(side)
            for m in mentions:
                if m.start < e and s < m.end:
                    m.votes["ORG"] += W_TITLE


def _dateline_mentions(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Places named in the dateline ("Paris, France|") are GPEs."""
    line = find_dateline(doc_cache.text(doc)[:200])
    if line is None:
        return []
    out = []
    if "(" in line.text:  # the agency: "LONDON (Reuters) -"
        a = line.start + line.text.index("(") + 1
        b = line.start + line.text.rindex(")") if ")" in line.text else line.end
        for m in mentions:
            if m.start < b and a < m.end:
                m.votes["ORG"] += W_TITLE
    place = line.text.split("(")[0]
    pos = line.start
    for part in place.split(","):
        word = part.strip()
        if not word or not word[0].isupper() or any(ch.isdigit() for ch in word):
            continue
        start = doc_cache.text(doc).index(word, pos)
        pos = start + len(word)
        span = doc.char_span(start, start + len(word), alignment_mode="contract")
        if span is None:
            continue
        overlapping = [m for m in mentions if m.start < span.end_char and span.start_char < m.end]
        for m in overlapping:
            m.votes["GPE"] += W_TITLE
        if overlapping:
            continue
        m = _make(doc, span.start, span.end - 1)
        if m:
            m.votes["GPE"] += W_TITLE
            out.append(m)
    return out


# ---------------------------------------------------------------- evidence

@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    return frozenset(t.split()[-1] for t in lexicons.words("titles.txt"))


def _add_evidence(doc: Doc, m: _Mention) -> None:
    titles = _title_words()
    text = m.text
    last = text.split()[-1].lower().rstrip(".")
    if _CAMEL.search(text) and " " not in text:
        m.votes["ORG"] += W_ORG_SHAPE
    if last in lexicons.words("org_suffixes.txt") or last + "." in lexicons.words("org_suffixes.txt"):
        if len(text.split()) > 1:
            m.votes["ORG"] += W_ORG_SHAPE
    key = normalise(text)
    words = text.split()
    if key in lexicons.words("places.txt"):
        m.votes["GPE"] += W_GAZETTEER
    if len(words) > 1 and (words[0].lower() in lexicons.words("given_names.txt")
                           or re.fullmatch(r"[A-Z]\.", words[0])) and words[-1][0].isupper():
        m.votes["PERSON"] += W_GAZETTEER
    if m.first_tok == m.last_tok and doc[m.first_tok].pos_ == "ADJ":  # "Russian", "Olympic"
        m.votes["NORP"] += W_GAZETTEER
    if doc[m.first_tok].lower_ in lexicons.words("honorifics.txt") and m.last_tok > m.first_tok:
        m.votes["PERSON"] += W_TITLE
    before = doc[m.first_tok - 1] if m.first_tok > 0 else None
    after = doc[m.last_tok + 1] if m.last_tok + 1 < len(doc) else None
    after2 = doc[m.last_tok + 2] if m.last_tok + 2 < len(doc) else None
    # "the Danish carrier Nordlys": an organisation noun right before a name.
    if before is not None and before.lower_ in _org_nouns() and not text.isupper():
        m.votes["ORG"] += W_TITLE
    # "analysts at Berenberg", "chief executive of Acme": a role, then at/of, then a name.
    if (before is not None and before.lower_ in ("at", "of", "for") and m.first_tok > 1
            and (doc[m.first_tok - 2].lower_ in titles or doc[m.first_tok - 2].lemma_.lower() in titles)):
        m.votes["ORG"] += W_TITLE
    # "CEO Sam Altman", "chief executive Jane Doe": a title right before a name.
    if before is not None and before.lower_ in titles and not before.is_sent_start:
        m.votes["PERSON"] += W_TITLE
    # "OpenAI CEO ...", "OpenAI's Chief Global Affairs Officer": an organisation before a title.
    nxt = after2 if after is not None and after.text in _POSSESSIVE else after
    if nxt is not None and nxt.lower_ in titles and nxt.i + 1 < len(doc) and (
            doc[nxt.i + 1].is_title or doc[nxt.i + 1].text in "," or nxt.lower_ in ("ceo", "chief")):
        m.votes["ORG"] += W_TITLE
    # "Jane Doe, chief executive of Acme": a title in apposition.
    if after is not None and after.text == "," and after2 is not None and after2.lower_ in titles:
        m.votes["PERSON"] += W_TITLE
    # A speaker: subject of a speech verb.
    root = doc[m.last_tok]
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in lexicons.words("speech_verbs.txt"):
        m.animate += W_SPEAKER


@lru_cache(maxsize=1)
def _org_nouns() -> frozenset[str]:
    return frozenset(" ".join(lexicons.lines("org_nouns.txt")).lower().split())


# ---------------------------------------------------------------- clustering

class _Cluster:
    def __init__(self) -> None:
        self.mentions: list[_Mention] = []

    @property
    def keys(self) -> set[str]:
        return {normalise(m.text) for m in self.mentions}

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)

    def votes(self) -> Counter:
        total: Counter = Counter()
        for m in self.mentions:
            total.update(m.votes)
        return total

    def type(self) -> str:
        votes = self.votes()
        animate = sum(m.animate for m in self.mentions)
        if not votes and not animate:
            return "ORG" if any(_CAMEL.search(m.text) for m in self.mentions) else "MISC"
        best, score = max(votes.items(), key=lambda kv: (kv[1], kv[0] in ANIMATE)) if votes else ("", 0.0)
        if best not in ANIMATE and animate and animate + max(votes["PERSON"], votes["ORG"]) > score:
            if votes["ORG"] > votes["PERSON"]:
                return "ORG"
            return "PERSON" if self._looks_personal() else "ORG"
        return best

    def _looks_personal(self) -> bool:
        name = max((m.text for m in self.mentions), key=len)
        words = name.split()
        return 1 <= len(words) <= 4 and all(w[0].isupper() for w in words) and not _CAMEL.search(name)

    def name(self) -> str:
        honorifics = lexicons.words("honorifics.txt")

        def rank(m: _Mention) -> tuple[bool, int, int, bool]:
            return (m.text.split()[0].lower() not in honorifics, len(m.text.split()), len(m.text),
                    not m.text.isupper())
        best = max(self.mentions, key=rank).text
        return best[4:] if best.startswith("the ") else best


def _cluster(mentions: list[_Mention], links: list[tuple[int, int]]) -> list[_Cluster]:
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    by_key: dict[str, int] = {}
    for i, m in enumerate(mentions):
        key = normalise(m.text)
        if key in by_key:
            union(i, by_key[key])
        else:
            by_key[key] = i
    for i, j in links:
        union(i, j)
    _link_short_forms(mentions, by_key, find, union)
    groups: dict[int, _Cluster] = defaultdict(_Cluster)
    for i, m in enumerate(mentions):
        groups[find(i)].mentions.append(m)
    return list(groups.values())


def _link_short_forms(mentions, by_key, find, union) -> None:
    """A surname ("Altman") joins the one person whose full name ends with it; a short
    organisation name ("Barclays") joins the full name it starts when the rest is a legal form."""
    keyed_types: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        keyed_types[normalise(m.text)].update(m.votes)
    long_keys = [k for k in by_key if len(k.split()) > 1]
    suffixes = lexicons.words("org_suffixes.txt")
    for key, idx in list(by_key.items()):
        words = key.split()
        if len(words) > 2:
            continue
        persons, orgs = [], []
        for lk in long_keys:
            lw = lk.split()
            if len(lw) <= len(words):
                continue
            votes = keyed_types[lk]
            if lw[-len(words):] == words and votes["PERSON"] >= max(votes["ORG"], votes["GPE"], 0.5):
                persons.append(lk)
            elif keyed_types[key]["GPE"] + keyed_types[key]["LOC"] <= keyed_types[key]["ORG"] and lw[: len(words)] == words and all(w.rstrip(".") in suffixes or w in suffixes for w in lw[len(words):]):
                orgs.append(lk)
        person_targets = {find(by_key[k]) for k in persons}
        org_targets = {find(by_key[k]) for k in orgs}
        if len(person_targets) > 1 or len(org_targets) > 1:
            continue  # two people (or firms) share the short form: leave it alone
        for i, m in enumerate(mentions):
            if normalise(m.text) != key:
                continue
            # Both a surname and a firm's short name ("Vanterpool"): the firm, unless the
            # mention itself says person (a title, a personal vote).
            if person_targets and (not org_targets or m.votes["PERSON"] > m.votes["ORG"] + 1):
                union(i, next(iter(person_targets)))
                m.votes["PERSON"] += W_TITLE  # a linked short form takes its full name's type
            elif org_targets:
                union(i, next(iter(org_targets)))


def _add_occurrences(doc: Doc, clusters: list[_Cluster]) -> list[_Cluster]:
    """Every other occurrence of a known name (also in headings) becomes a mention of its entity.

    Matching is on token texts, one pass over the document (no per-document regex).
    """
    words = doc_cache.strings(doc, "text")
    forms: dict[tuple[str, ...], list[_Cluster]] = defaultdict(list)
    for c in clusters:
        surfaces = {tuple(words[m.first_tok: m.last_tok + 1]) for m in c.mentions}
        if c.type() == "PERSON":
            surfaces |= {(max(surfaces, key=lambda f: (len(f), sum(map(len, f))))[-1],)}
        for form in surfaces:
            if form and form[0].lower() == "the":
                form = form[1:]
            text = " ".join(form)
            if len(text) >= 2 and text[0].isalpha() and (text[0].isupper() or _CAMEL.search(text)):
                for variant in {form, tuple(w.upper() for w in form)}:  # upper case: headlines
                    if c not in forms[variant]:
                        forms[variant].append(c)
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for form in sorted(forms, key=len, reverse=True):
        by_first[form[0]].append(form)
    covered = bytearray(len(words) + 1)
    for c in clusters:
        for m in c.mentions:
            covered[m.first_tok: m.last_tok + 1] = b"\x01" * (m.last_tok + 1 - m.first_tok)
    i = 0
    while i < len(words):
        for form in by_first.get(words[i], ()) if not covered[i] else ():
            j = i + len(form)
            if tuple(words[i:j]) == form and not any(covered[i:j]):
                span = doc[i:j]
                owners = forms[form]
                owner = owners[0] if len(owners) == 1 else _nearest(owners, span.start_char)
                owner.mentions.append(_Mention(span.start_char, span.end_char, doc_cache.span_text(span), i, j - 1))
                covered[i:j] = b"\x01" * len(form)
                i = j - 1
                break
        i += 1
    return clusters


def _nearest(owners: list[_Cluster], at: int) -> _Cluster:
    before = [c for c in owners if c.first <= at]
    return max(before, key=lambda c: c.first) if before else min(owners, key=lambda c: c.first)


def _to_entities(clusters: list[_Cluster]) -> list[Entity]:
    out = []
    for c in sorted(clusters, key=lambda c: c.first):
        etype = c.type()
        mentions = sorted({(m.start, m.end, m.text) for m in c.mentions})
        name = c.name()
        aliases = sorted({m.text for m in c.mentions} - {name}, key=lambda s: (len(s), s))
        out.append(Entity(id=f"e{len(out) + 1}", type=etype, name=name, aliases=tuple(aliases),
                          mentions=tuple(Span(s, e, t) for s, e, t in mentions)))
    return out
