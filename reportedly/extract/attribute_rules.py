"""spaCy's ``attribute_ruler``, compiled to table lookups: the same output, a fraction of the time.

en_core_web_sm maps every tagged token to its part of speech and morphology
with an ``AttributeRuler`` of about 180 token patterns (a tag map, morph rules
and a few exceptions). spaCy runs them through its general ``Matcher``, which
tests set and regular-expression predicates through a Python ``Token`` per
word, and then sets each match on a fresh ``Token``: on news text that cost
about a sixth of the whole parse, as much as the dependency parser.

Almost all of those patterns test one token for equality (or set membership)
of its tag, lower-case form, dependency label or whitespace-ness. Which of
them hit a token therefore depends only on those four values, and what they
set is worked out once per distinct combination and written back for the
whole Doc with array operations. The few longer patterns ("gon na", "There
are") are matched from the positions where their first word can occur.

:class:`CompiledAttributeRules` keeps the ruler's semantics: every rule is
matched against the Doc as it was before any rule applied, and the rules
apply in the order they were added, a later one overriding what an earlier
one set. A ruler with a pattern of another shape (operators, other token
keys) is not compiled (:func:`compile_ruler` returns ``None``) and stays as
it is. ``reportedly.extract.model.load_base_model`` swaps the compiled form
in for the model reportedly loads itself; a pipeline passed in by a user is
never modified.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc

__all__ = ["CompiledAttributeRules", "compile_ruler", "use_compiled_rules"]

#: Token keys a pattern may test, in the order of the key columns read from a Doc.
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
#: Attributes written back with ``Doc.from_array``; DEP (set by rules on
#: whitespace only) is set token by token, as ``from_array`` wants heads with it.
_WRITABLE = (TAG, POS, MORPH, LEMMA)
_COLUMN = {attr: i for i, attr in enumerate(_WRITABLE)}
#: Distinct token keys remembered before the table is emptied: the keys are
#: bounded by the tags, labels and the words the rules name, so this only
#: guards against a pathological ruler.
_TABLE_LIMIT = 100_000

#: A token's key values as strings: (tag, lower form, dependency label, is_space).
Values = tuple[str, str, str, bool]
Test = Callable[[Values], bool]


def _value_test(spec: Any) -> Callable[[Any], bool] | None:
    if isinstance(spec, (str, bool, int)):
        return lambda value, want=spec: value == want
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            return lambda value, allowed=frozenset(arg): value in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            return lambda value, banned=frozenset(arg): value not in banned
        if op == "REGEX" and isinstance(arg, str):
            return lambda value, rx=re.compile(arg): bool(rx.search(value))
    return None


def _token_test(token: Mapping[str, Any]) -> Test | None:
    """A test of one token's key values for one token pattern, or None if not compilable."""
    if not token or any(key not in _KEYS for key in token):
        return None
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for key, spec in token.items():
        test = _value_test(spec)
        if test is None:
            return None
        tests.append((_KEYS.index(key), test))
    return lambda values: all(test(values[i]) for i, test in tests)


def _listed(token: Mapping[str, Any], key: str) -> set[str] | None:
    """The values a token pattern allows for ``key`` by equality or ``IN``; None if it tests ``key`` otherwise or not at all."""
    spec = token.get(key)
    if isinstance(spec, str):
        return {spec}
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return set(spec["IN"])
    return None


class _Sequence:
    """One pattern of several tokens (or with a regular expression), matched by hand."""

    def __init__(self, rule: int, index: int, pattern: Sequence[Mapping[str, Any]], tests: list[Test]) -> None:
        self.rule = rule
        self.index = index
        self.tests = tests
        self.length = len(pattern)
        # Where it can start: the first token's word, label or tag, the rarest first.
        self.start_column: int | None = None
        self.start_ids: list[int] = []
        self.start_regex: re.Pattern[str] | None = None
        first = pattern[0]
        for key in ("LOWER", "DEP", "TAG"):
            values = _listed(first, key)
            if values is not None:
                self.start_column = _KEYS.index(key)
                self.start_ids = sorted(get_string_id(v) for v in values)
                break
            spec = first.get(key)
            if key == "LOWER" and isinstance(spec, dict) and set(spec) == {"REGEX"}:
                self.start_column = _KEYS.index(key)
                self.start_regex = re.compile(spec["REGEX"])
                break

    def starts(self, keys: numpy.ndarray, strings: Any) -> Iterator[int]:
        last = len(keys) - self.length
        if self.start_column is None:
            yield from range(last + 1)
            return
        wanted = self.start_ids
        if self.start_regex is not None:
            # Each distinct word of the Doc is tried once, not each occurrence.
            rx = self.start_regex
            wanted = [h for h in numpy.unique(keys[:, self.start_column]).tolist() if h and rx.search(strings[h])]
        hits = numpy.flatnonzero(numpy.isin(keys[:, self.start_column], wanted))
        yield from (int(i) for i in hits if i <= last)


class CompiledAttributeRules:
    """An ``AttributeRuler`` whose one-token patterns are looked up, not matched."""

    def __init__(
        self,
        ruler: AttributeRuler,
        single: list[tuple[int, list[Test], set[str] | None, set[str] | None]],
        sequences: list[_Sequence],
    ) -> None:
        self.vocab = ruler.vocab
        self._attrs: list[dict[int, Any]] = list(ruler.attrs)
        # A table miss tries only the rules that can hit the token's tag.
        self._any_tag = [(rule, tests) for rule, tests, _, tags in single if tags is None]
        self._by_tag: dict[str, list[tuple[int, list[Test]]]] = {}
        for rule, tests, _, tags in single:
            for tag in tags or ():
                self._by_tag.setdefault(tag, []).append((rule, tests))
        self._sequences = sequences
        named: set[str] = set()
        for _, _, words, _ in single:
            named.update(words or ())
        self._named_ids = numpy.array(sorted(get_string_id(w) for w in named), dtype="uint64")
        self._table: dict[tuple[int, int, int, int], tuple[tuple[int, ...], dict[int, Any]]] = {}

    def _values(self, key: Sequence[int]) -> Values:
        strings = self.vocab.strings
        tag, lower, dep, space = key
        word = strings[lower] if lower else ""
        return (strings[tag] if tag else "", word, strings[dep] if dep else "", bool(space))

    def _outcome(self, key: tuple[int, int, int, int]) -> tuple[tuple[int, ...], dict[int, Any]]:
        """The one-token rules that hit a token with this key, and what they set, in order."""
        found = self._table.get(key)
        if found is None:
            if len(self._table) > _TABLE_LIMIT:
                self._table.clear()
            values = self._values(key)
            candidates = sorted(self._any_tag + self._by_tag.get(values[0], []), key=lambda pair: pair[0])
            rules = tuple(rule for rule, tests in candidates if any(test(values) for test in tests))
            found = self._table[key] = (rules, self._merge(rules))
        return found

    def _merge(self, rules: Iterable[int]) -> dict[int, Any]:
        merged: dict[int, Any] = {}
        for rule in rules:
            merged.update(self._attrs[rule])
        return merged

    def _sequence_hits(self, keys: numpy.ndarray) -> dict[int, list[tuple[int, int]]]:
        """``{token: [(rule, match start)]}`` for the patterns matched by hand."""
        hits: dict[int, list[tuple[int, int]]] = {}
        for seq in self._sequences:
            for start in seq.starts(keys, self.vocab.strings):
                if all(test(self._values(keys[start + k])) for k, test in enumerate(seq.tests)):
                    end = start + seq.length
                    target = (start if seq.index >= 0 else end) + seq.index
                    if not start <= target < end:
                        raise ValueError(f"attribute rule {seq.rule}: index {seq.index} outside its match")
                    hits.setdefault(target, []).append((seq.rule, start))
        return hits

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array(_KEY_ATTRS)
        hits = self._sequence_hits(keys) if self._sequences else {}
        # Words no rule names behave alike: one key for all of them.
        lookup = keys.copy()
        lookup[~numpy.isin(lookup[:, 1], self._named_ids), 1] = 0
        distinct, inverse = numpy.unique(lookup, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        outcomes = [self._outcome(tuple(row)) for row in distinct.tolist()]
        values = doc.to_array(list(_WRITABLE))
        for attr, column in _COLUMN.items():
            setting = numpy.array([attr in merged for _, merged in outcomes], dtype=bool)
            if setting.any():
                new = numpy.array([merged.get(attr, 0) for _, merged in outcomes], dtype="uint64")
                chosen = setting[inverse]
                values[chosen, column] = new[inverse][chosen]
        deps: list[tuple[int, int]] = []
        for u, (_, merged) in enumerate(outcomes):
            if DEP in merged:
                deps.extend((int(i), merged[DEP]) for i in numpy.flatnonzero(inverse == u))
        for i, extra in hits.items():
            # A token some longer pattern hit: its rules merged again in the ruler's order.
            rules = outcomes[inverse[i]][0]
            merged = self._merge(rule for rule, _ in sorted([(rule, i) for rule in rules] + extra))
            for attr, value in merged.items():
                if attr == DEP:
                    deps.append((i, value))
                else:
                    values[i, _COLUMN[attr]] = value
        doc.from_array(list(_WRITABLE), values)
        for i, value in deps:
            doc[i].dep = value
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def compile_ruler(ruler: AttributeRuler) -> CompiledAttributeRules | None:
    """The compiled form of ``ruler``, or None when it holds a pattern that cannot be compiled.

    Patterns may test a token's tag, lower-case form, dependency label and
    whitespace-ness by value, ``IN``, ``NOT_IN`` or (lower form) ``REGEX``,
    with no operators (``OP``); rules may set tag, part of speech,
    morphology and lemma, or the dependency label alone.
    """
    single: list[tuple[int, list[Test], set[str] | None, set[str] | None]] = []
    sequences: list[_Sequence] = []
    for rule, entry in enumerate(ruler.patterns):
        attrs = ruler.attrs[rule]
        if any(attr not in (*_WRITABLE, DEP) for attr in attrs) or (DEP in attrs and len(attrs) > 1):
            return None
        index = ruler.indices[rule]
        patterns = entry["patterns"]
        compiled: list[list[Test]] = []
        for pattern in patterns:
            if not isinstance(pattern, list) or not pattern or any("OP" in token for token in pattern):
                return None
            tests = [_token_test(token) for token in pattern]
            if any(test is None for test in tests):
                return None
            compiled.append([t for t in tests if t is not None])
        # A word tested other than by value or IN (NOT_IN, REGEX) needs the word itself: matched by hand.
        words = [(set() if "LOWER" not in p[0] else _listed(p[0], "LOWER")) if len(p) == 1 else None for p in patterns]
        if all(w is not None for w in words) and index in (0, -1):
            named = set().union(*(w for w in words if w is not None))
            tags = [_listed(p[0], "TAG") for p in patterns]
            tagged = None if any(t is None for t in tags) else set().union(*(t for t in tags if t is not None))
            single.append((rule, [tests[0] for tests in compiled], named, tagged))
        else:
            sequences.extend(_Sequence(rule, index, p, tests) for p, tests in zip(patterns, compiled, strict=True))
    return CompiledAttributeRules(ruler, single, sequences)


def use_compiled_rules(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put the compiled form of ``nlp``'s attribute ruler ``name`` in its place; True if it was."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler):
        return False
    compiled = compile_ruler(ruler)
    if compiled is None:
        return False
    # Same name and place, so ``disable=[...]`` lists and pipe_names that name it still hold.
    # (component_names, not pipe_names: the list holds disabled components too.)
    nlp._components[nlp.component_names.index(name)] = (name, compiled)  # noqa: SLF001 - no public swap
    return True
