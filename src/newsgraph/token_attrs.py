"""A faster, exact stand-in for spaCy's ``attribute_ruler`` + rule ``lemmatizer``.

Together the two components cost about 15 % of en_core_web_sm's parse on news text (33-39 µs
a token, measured on BBC articles), almost all of it Python work per token: the ruler's 179
patterns match every token (56 of them only map the tag to a POS) and each match sets its
attributes one by one; the lemmatizer then looks every token up again.

Yet what they assign is a function of little: every pattern of one token looks only at the
token's lower-case form, tag, dependency label and whether it is whitespace, and the
lemmatizer's result is a function of (text, POS, morphology) (it caches on that key itself).
So this component asks the real components once per distinct key, on a one-token Doc, caches
the answer and writes whole arrays with ``Doc.from_array``. Tokens that a pattern of two
tokens touches ("there is", "gon na") are answered by the real ruler on a three-token window
around them. The output is identical to the two components' (``tests/test_token_attrs.py``
compares every token of BBC articles); the cost falls to about 5 µs a token from cold caches
over 1,113 articles, and the caches forget the words a memory zone frees (BENCHMARKS.md).

``nlp.load`` puts it in place of the two components when the pipeline has both and the
lemmatizer is in "rule" mode; any other pipeline keeps its own components.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Callable, Iterator, NamedTuple

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as UPOS_IDS
from spacy.tokens import Doc

#: Distinct keys kept before a cache starts again (a long feed keeps bringing new words).
MAX_CACHED = 100_000


class Outcome(NamedTuple):
    """What the ruler leaves on one token: ids of POS and morphology, a new tag and dependency
    label (0 where it keeps them) and a lemma ("" where it sets none)."""

    pos: int
    morph: int
    tag: int
    dep: int
    lemma: str


#: Pattern attributes whose values this component can reason about, and the operators.
_ATTRS = {"LOWER", "TAG", "DEP", "IS_SPACE"}
_OPERATORS = {"IN", "NOT_IN", "REGEX"}


def _mentioned(patterns: list[dict[str, Any]]) -> tuple[set[str], list[str], set[str]] | None:
    """Every LOWER value, LOWER regex and DEP value the patterns name; None if they use anything else."""
    lowers: set[str] = set()
    regexes: list[str] = []
    deps: set[str] = set()
    for entry in patterns:
        for pattern in entry["patterns"]:
            for spec in pattern:
                if set(spec) - _ATTRS:
                    return None
                for attr in ("LOWER", "DEP"):
                    value = spec.get(attr)
                    if value is None:
                        continue
                    if isinstance(value, dict):
                        if set(value) - _OPERATORS:
                            return None
                        if "REGEX" in value and attr == "LOWER":
                            regexes.append(value["REGEX"])
                        elif "REGEX" in value:
                            return None
                        names = [v for op in ("IN", "NOT_IN") for v in value.get(op, [])]
                    else:
                        names = [value]
                    (lowers if attr == "LOWER" else deps).update(names)
    return lowers, regexes, deps


def _pair_starts(patterns: list[dict[str, Any]]) -> tuple[set[str], list[str], set[str]] | None:
    """What the first token of a pattern of several tokens must be: LOWER values, LOWER regexes and
    DEP values; None if some such pattern can start on any word (then every Doc is matched whole)."""
    lowers: set[str] = set()
    regexes: list[str] = []
    deps: set[str] = set()
    for entry in patterns:
        for pattern in entry["patterns"]:
            if len(pattern) < 2:
                continue
            first = pattern[0]
            lower, dep = first.get("LOWER"), first.get("DEP")
            if isinstance(lower, str):
                lowers.add(lower)
            elif isinstance(lower, dict) and ("IN" in lower or "REGEX" in lower):
                lowers.update(lower.get("IN", []))
                regexes.extend([lower["REGEX"]] if "REGEX" in lower else [])
            elif isinstance(dep, str):
                deps.add(dep)
            elif isinstance(dep, dict) and "IN" in dep:
                deps.update(dep["IN"])
            else:
                return None
    return lowers, regexes, deps


class TokenAttrs:
    """Assign what ``attribute_ruler`` then ``lemmatizer`` would: POS, MORPH, LEMMA (and TAG/DEP of spaces).

    A one-token pattern cannot tell apart two words that no pattern names (the same for two
    dependency labels), so the cache key is (word class, tag, label class): a word the patterns
    name is its own class, every other word falls in one of two classes (whitespace or not).
    """

    def __init__(self, ruler: Any, lemmatizer: Any):
        self.ruler, self.lemmatizer = ruler, lemmatizer
        vocab = self.vocab = ruler.vocab
        named = _mentioned(ruler.patterns)
        if named is None:
            raise ValueError("the attribute_ruler's patterns use attributes this stand-in cannot key on")
        lowers, regexes, deps = named
        self.regexes = [re.compile(r) for r in regexes]
        self.named_lowers = {vocab.strings.add(w) for w in lowers}
        self.named_deps = {vocab.strings.add(d) for d in deps}
        self.other_word = self._sentinel(["newsgraphword", "zzqxw"], lowers)
        self.other_space = self._sentinel([" ", "\u2009", "\u3000"], lowers)
        self.other_dep = vocab.strings.add("newsgraph_other_dep")
        self.pairs = Matcher(self.vocab)          # the ruler's patterns of more than one token
        for n, entry in enumerate(ruler.patterns):
            longer = [p for p in entry["patterns"] if len(p) > 1]
            if longer:
                self.pairs.add(f"pair{n}", longer)
        self.width = max((len(p) for e in ruler.patterns for p in e["patterns"]), default=1)
        starts = _pair_starts(ruler.patterns)
        self.match_all = starts is None
        lowers, regexes, deps = starts or (set(), [], set())
        self.start_lowers, self.start_regexes = lowers, [re.compile(r) for r in regexes]
        self.start_deps = {vocab.strings.add(d) for d in deps}
        self.classes: dict[int, tuple[int, str, bool]] = {}
        self.outcomes: dict[tuple[int, int, int], Outcome] = {}
        self.windows: dict[tuple, Outcome] = {}
        self.lemmas: dict[tuple[int, int, int], str] = {}
        self._zone_marks: tuple[int, int, int] | None = None   # cache sizes when the last memory zone began
        self._to_check: tuple[int, int, int] | None = None     # entries since then: check their words

    @contextmanager
    def memory_zone(self, mem: Any = None) -> Iterator[None]:
        """Within ``nlp.memory_zone()``: the words a zone brings are freed with it, so the entries
        cached for them are dropped afterwards (at the next Doc: spaCy frees the strings only
        after this component's zone has closed). Common words, which outlive zones, stay cached."""
        self._forget_transient()
        self._zone_marks = (len(self.classes), len(self.lemmas), len(self.windows))
        try:
            yield
        finally:
            self._to_check, self._zone_marks = self._zone_marks, None

    def _forget_transient(self) -> None:
        """Drop the entries added during the last zone whose words the vocabulary no longer holds."""
        if self._to_check is None:
            return
        strings, (n_classes, n_lemmas, n_windows) = self.vocab.strings, self._to_check
        self._to_check = None
        self.classes = _keep_from(self.classes, n_classes, lambda k: k in strings)
        self.lemmas = _keep_from(self.lemmas, n_lemmas, lambda k: k[0] in strings)
        self.windows = _keep_from(self.windows, n_windows, lambda k: all(t[0] in strings for t in k[1:]))

    def _sentinel(self, candidates: list[str], named: set[str]) -> tuple[int, str]:
        for text in candidates:
            if text not in named and not any(r.search(text) for r in self.regexes):
                return self.vocab.strings.add(text), text
        raise ValueError("no free sentinel word")     # pragma: no cover - the patterns name a handful

    def _word_class(self, lower: int, text: str) -> tuple[int, str, bool]:
        """(class id, a text of that class, whether a multi-token pattern may start on it): the word
        itself if a pattern could name it, else a sentinel."""
        low = text.lower()
        starts = low in self.start_lowers or any(r.search(low) for r in self.start_regexes)
        if lower in self.named_lowers or any(r.search(low) for r in self.regexes):
            cls = (lower, text, starts)
        else:
            cls = (*(self.other_space if text.isspace() else self.other_word), starts)
        if len(self.classes) >= MAX_CACHED:
            self.classes.clear()
        self.classes[lower] = cls
        return cls

    def __call__(self, doc: Doc) -> Doc:
        self._forget_transient()
        if not len(doc):
            return doc
        keys = doc.to_array([ORTH, LOWER, TAG, DEP]).tolist()
        classes, outcomes, named_deps, other_dep = self.classes, self.outcomes, self.named_deps, self.other_dep
        start_deps = self.start_deps
        found, starts = [], []
        for i, (orth, lower, tag, dep) in enumerate(keys):
            word = classes.get(lower) or self._word_class(lower, doc[i].text)
            if word[2] or dep in start_deps:
                starts.append(i)
            key = (word[0], tag, dep if dep in named_deps else other_dep)
            out = outcomes.get(key)
            found.append(out if out is not None else self._single(key, word[1]))
        for i in self._near_pairs(doc, starts):
            found[i] = self._window(doc, i, keys)
        doc.from_array([POS, MORPH], numpy.array([(o.pos, o.morph) for o in found], dtype="uint64"))
        for i, o in enumerate(found):
            if o.tag or o.dep:                    # whitespace tokens: the ruler sets _SP and "dep"
                tok = doc[i]
                tok.tag, tok.dep = o.tag or tok.tag, o.dep or tok.dep
        doc.from_array([LEMMA], numpy.array(self._lemmas(doc, keys, found), dtype="uint64"))
        return doc

    def _near_pairs(self, doc: Doc, starts: list[int]) -> set[int]:
        """Tokens that one of the ruler's multi-token patterns touches, matched only where one may start."""
        if not len(self.pairs):
            return set()
        if self.match_all:
            return {i for _, b, e in self.pairs(doc, allow_missing=True) for i in range(b, e)}
        near: set[int] = set()
        for s in starts:
            span = doc[s:s + self.width]
            near.update(s + i for _, b, e in self.pairs(span, allow_missing=True) if b == 0 for i in range(b, e))
        return near

    def _single(self, key: tuple[int, int, int], text: str) -> Outcome:
        """The real ruler on a one-token Doc of this class, tag and dependency label."""
        one = Doc(self.vocab, words=[text], spaces=[False])
        one[0].tag, one[0].dep = key[1], key[2]
        out = self._read(self.ruler(one)[0], key[1], key[2])
        if len(self.outcomes) >= MAX_CACHED:
            self.outcomes.clear()
        self.outcomes[key] = out
        return out

    def _window(self, doc: Doc, i: int, keys: list[list[int]]) -> Outcome:
        """The real ruler on the tokens around ``i`` (as far as a pattern reaches), read at ``i``."""
        lo, hi = max(0, i - self.width + 1), min(len(doc), i + self.width)
        key = (i - lo, *(tuple(k) for k in keys[lo:hi]))
        if key in self.windows:
            return self.windows[key]
        part = Doc(self.vocab, words=[t.text for t in doc[lo:hi]], spaces=[False] * (hi - lo))
        for tok, src in zip(part, doc[lo:hi]):
            tok.tag, tok.dep = src.tag, src.dep
        out = self._read(self.ruler(part)[i - lo], keys[i][2], keys[i][3])
        if len(self.windows) >= MAX_CACHED:
            self.windows.clear()
        self.windows[key] = out
        return out

    def _read(self, tok: Any, tag: int, dep: int) -> Outcome:
        return Outcome(tok.pos, tok.morph.key, tok.tag if tok.tag != tag else 0, tok.dep if tok.dep != dep else 0,
                       tok.lemma_ if tok.lemma else "")

    def _lemmas(self, doc: Doc, keys: list[list[int]], outcomes: list[Outcome]) -> list[int]:
        """Lemma hashes: the ruler's where it set one, else the rule lemmatizer's for (text, POS, morphology)."""
        add, cache = self.vocab.strings.add, self.lemmas
        out = []
        for i, (o, k) in enumerate(zip(outcomes, keys)):
            lemma = o.lemma
            if not lemma:
                key = (k[0], o.pos, o.morph)
                lemma = cache.get(key)
                if lemma is None:
                    lemma = self._rule_lemma(doc[i])
                    if len(cache) >= MAX_CACHED:
                        cache.clear()
                    cache[key] = lemma
            out.append(add(lemma))
        return out

    def _rule_lemma(self, tok: Any) -> str:
        """The first lemma spaCy's rule lemmatizer would give ``tok`` (its ``rule_lemmatize``), worked
        out the same way but with each POS's word index as a set: spaCy keeps it as a list of
        ~57,000 words and scans it for every candidate, which is most of the lemmatizer's time."""
        text, upos = tok.text, tok.pos_.lower()
        if upos in ("", "eol", "space") or self.lemmatizer.is_base_form(tok):
            return text.lower()
        tables = self._tables.get(upos)
        if tables is None:
            return text if upos == "propn" else text.lower()
        index, exceptions, rules = tables
        low = text.lower()
        forms: list[str] = []
        unknown: list[str] = []
        for old, new in rules:
            if low.endswith(old):
                form = low[:len(low) - len(old)] + new
                if form:
                    (forms if form in index or not form.isalpha() else unknown).append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(low, []):        # exceptions go first, the last one in front
            if form not in forms:
                forms.insert(0, form)
        return (forms or unknown or [text])[0]

    @property
    def _tables(self) -> dict[str, tuple[frozenset, dict, list]]:
        """Per POS: (word index as a set, exceptions, suffix rules), from the lemmatizer's lookups."""
        if self.__dict__.get("_table_cache") is None:
            lookups = self.lemmatizer.lookups
            index, exc, rules = (lookups.get_table(n, {}) for n in ("lemma_index", "lemma_exc", "lemma_rules"))
            tables = {}
            for upos in (name.lower() for name in UPOS_IDS if name):
                if any((index.get(upos), exc.get(upos), rules.get(upos))):
                    tables[upos] = (frozenset(index.get(upos, ())), exc.get(upos, {}), rules.get(upos, []))
            self.__dict__["_table_cache"] = tables
        return self.__dict__["_table_cache"]


def _keep_from(cache: dict, start: int, keep: Callable[[Any], bool]) -> dict:
    """``cache`` with the entries from position ``start`` on (insertion order) filtered by ``keep``.
    A cache emptied by its size cap in the meantime is returned as it is."""
    if start >= len(cache):
        return cache
    items = list(cache.items())
    return dict(items[:start] + [(k, v) for k, v in items[start:] if keep(k)])


@Language.factory("newsgraph_token_attrs", assigns=["token.pos", "token.morph", "token.lemma"])
def make_token_attrs(nlp, name):   # no annotations: spaCy's config system resolves them at run time
    """The stand-in, built from the pipeline's own (disabled) ``attribute_ruler`` and ``lemmatizer``."""
    return TokenAttrs(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))


def install(nlp: Language) -> bool:
    """Put the stand-in in place of ``attribute_ruler`` + ``lemmatizer`` where it is exact; True if done."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    lem = nlp.get_pipe("lemmatizer")
    if getattr(lem, "mode", None) != "rule" or getattr(lem, "overwrite", True):
        return False
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return False                               # something between them might read their output
    if _mentioned(nlp.get_pipe("attribute_ruler").patterns) is None:
        return False                               # patterns on attributes the cache key leaves out
    nlp.add_pipe("newsgraph_token_attrs", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True
