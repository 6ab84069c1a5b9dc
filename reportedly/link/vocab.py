"""The linking vocabularies: entity synonyms, actor aliases, place aliases and
polarity words, loaded from the ``reportedly/data/link_*.json`` files.

They are data so that users can extend them without touching code: edit the
files, or keep your own files of the same shape and pass them as ``extra``::

    Vocabulary.load(extra_entities=[Path("my_entities.json")])

Keys starting with ``_`` (such as ``_about``) are documentation and ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["Vocabulary", "normalise_text"]

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Lower-case, collapse spaces, drop a trailing possessive and a leading "the"."""
    t = _SPACES.sub(" ", text.strip()).strip(" .,;:")
    t = _POSSESSIVE.sub("", t)
    t = t.lower()
    if t.startswith("the "):
        t = t[4:]
    return t


def _word_list(name: str) -> set[str]:
    """A packaged one-word-a-line list (``#`` comments), lower-cased."""
    listed = resources.files("reportedly.data").joinpath(name).read_text("utf-8")
    return {w.strip().lower() for w in listed.splitlines() if w.strip() and not w.startswith("#")}


def _read(name: str, extra: Iterable[Path]) -> list[dict[str, Any]]:
    """The packaged file ``name`` followed by the user's extra files."""
    data = [json.loads(resources.files("reportedly.data").joinpath(name).read_text("utf-8"))]
    data.extend(json.loads(Path(p).read_text("utf-8")) for p in extra)
    return [{k: v for k, v in d.items() if not k.startswith("_")} for d in data]


@dataclass(slots=True)
class Vocabulary:
    """Lookup tables from written forms to canonical names.

    ``entities`` maps a lemma to its canonical lemma ("militant" -> "fighter");
    ``actors`` a normalised alias to its canonical actor ("daesh" -> "ISIS"),
    ``actors_exact`` the all-capital short aliases ("IS"), which only match
    as written so that the verb "is" never becomes an actor;
    ``places`` a normalised alias to a gazetteer name ("u.s." -> "United States");
    ``states`` a polarity word to its state and ``opposites`` the pairs of
    states that contradict each other; ``not_counted`` lemmas that measure
    durations or ages rather than count things ("years", "months"), which
    form no series; ``members`` the counted things an actor named elsewhere
    in a sentence can own ("fighter", not "doctor"); ``generic_modifiers``
    modifiers that leave what is counted unchanged ("new", "total");
    ``events`` a word to the event it reports of the counted things
    ("executed" -> "killed"); ``denials`` word sequences that deny what
    follows them ("denied", "not aware").
    """

    entities: dict[str, str] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)
    actors_exact: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    opposites: dict[str, set[str]] = field(default_factory=dict)
    not_counted: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    generic_modifiers: set[str] = field(default_factory=set)
    events: dict[str, str] = field(default_factory=dict)
    denials: list[tuple[str, ...]] = field(default_factory=list)
    passive_only: set[str] = field(default_factory=set)
    predicative_only: set[str] = field(default_factory=set)
    transient: set[str] = field(default_factory=set)
    # Compiled on first use: one alternation per kind instead of a search per alias.
    _actor_patterns: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None

    @classmethod
    def load(
        cls,
        extra_entities: Iterable[Path] = (),
        extra_actors: Iterable[Path] = (),
        extra_places: Iterable[Path] = (),
        extra_polarity: Iterable[Path] = (),
    ) -> "Vocabulary":
        vocab = cls()
        for data in _read("link_entities.json", extra_entities):
            for canonical, words in data.items():
                for word in [canonical, *words]:
                    vocab.entities[normalise_text(word)] = canonical
        for data in _read("link_actors.json", extra_actors):
            for canonical, aliases in data.items():
                for alias in [canonical, *aliases]:
                    if alias.isupper() and len(alias) <= 3:
                        vocab.actors_exact[alias] = canonical
                    else:
                        vocab.actors[normalise_text(alias)] = canonical
        vocab.not_counted = _word_list("link_not_counted.txt")
        vocab.members = _word_list("link_members.txt")
        vocab.generic_modifiers = _word_list("link_generic_modifiers.txt")
        for data in _read("link_events.json", ()):
            for event, words in data.items():
                for word in words:
                    vocab.events[word.lower()] = event
        for data in _read("link_places.json", extra_places):
            for alias, name in data.items():
                vocab.places[normalise_text(alias)] = name
        for data in _read("link_polarity.json", extra_polarity):
            for state, words in data.get("states", {}).items():
                for word in words:
                    vocab.states[word.lower()] = state
            vocab.passive_only.update(w.lower() for w in data.get("passive_only", []))
            vocab.predicative_only.update(w.lower() for w in data.get("predicative_only", []))
            vocab.transient.update(data.get("transient", []))
            vocab.denials.extend(tuple(w.lower().split()) for w in data.get("denials", []))
            for a, b in data.get("opposites", []):
                vocab.opposites.setdefault(a, set()).add(b)
                vocab.opposites.setdefault(b, set()).add(a)
        return vocab

    def entity(self, lemma: str | None, keep: Callable[[str], bool] | None = None) -> str | None:
        """Canonical counted thing for a lemma; unknown lemmas stand for themselves.

        A phrase whose head is known keeps the modifiers that change what is
        counted ("home-grown militant" -> "home-grown fighter") and drops
        those that do not: generic ones ("new"), actors ("ISIS fighter":
        the actor has its own place in a series key) and synonyms of the
        head ("jihadist fighter"). ``keep`` names modifiers to keep even
        when they spell an actor: a nationality ("British jihadists") says
        who the fighters are, not whose.
        """
        if not lemma:
            return None
        key = normalise_text(lemma)
        if key in self.entities:
            return self.entities[key]
        words = key.split(" ")
        head = words[-1]
        if head.endswith("s") and (head[:-1] in self.entities or head[:-1] in self.not_counted):
            head = head[:-1]
        if head in self.not_counted:  # "difficult months" measures time
            return head
        if head not in self.entities:
            return key
        canonical = self.entities[head]
        mods = " ".join(words[:-1])
        blanked = self.without_actors(mods)
        kept: list[str] = []
        at = 0
        for w in words[:-1]:
            start = mods.index(w, at)
            at = start + len(w)
            if not blanked[start:at].strip() and not (keep and keep(w)):
                continue  # an actor: it has its own place in a series key
            if w in self.generic_modifiers or canonical in (self.entities.get(w), self.entities.get(w.rstrip("s"))):
                continue
            kept.append(w)
        return " ".join([*kept, canonical])

    def actor(self, text: str | None) -> str | None:
        """Canonical actor for an alias as written; unknown actors stand for themselves."""
        if not text:
            return None
        stripped = _POSSESSIVE.sub("", text.strip())
        if stripped in self.actors_exact:
            return self.actors_exact[stripped]
        key = normalise_text(text)
        return self.actors.get(key, stripped or None)

    def actor_in(self, sentence: str) -> str | None:
        """The one actor a sentence names ("the number of ISIS fighters"); None if none or several."""
        if self._actor_patterns is None:
            self._actor_patterns = _actor_patterns(self)
        exact, folded = self._actor_patterns
        found = {self.actors_exact[m.group(0)] for m in exact.finditer(sentence)} if exact else set()
        if folded:
            found |= {self.actors[m.group(0)] for m in folded.finditer(sentence.lower())}
        return found.pop() if len(found) == 1 else None

    def without_actors(self, text: str) -> str:
        """``text`` with every actor alias blanked out ("Islamic State militants" -> "   militants")."""
        if self._actor_patterns is None:
            self._actor_patterns = _actor_patterns(self)
        exact, folded = self._actor_patterns
        if exact:
            text = exact.sub(lambda m: " " * len(m.group(0)), text)
        if folded:
            spans = [m.span() for m in folded.finditer(text.lower())]
            for a, b in reversed(spans):
                text = text[:a] + " " * (b - a) + text[b:]
        return text

    def place_alias(self, text: str) -> str:
        """A gazetteer name for a place alias ("U.S." -> "United States")."""
        return self.places.get(normalise_text(text), text)

    def contradicts(self, a: str, b: str) -> bool:
        """True when states ``a`` and ``b`` cannot both hold."""
        return b in self.opposites.get(a, set())


def _alternation(words: Iterable[str], before: str) -> re.Pattern[str] | None:
    ordered = sorted(set(words), key=len, reverse=True)  # longest alias wins
    if not ordered:
        return None
    return re.compile(rf"(?<!{before}){'|'.join(re.escape(w) for w in ordered)}(?!\w)")


def _actor_patterns(vocab: Vocabulary) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Patterns for the all-capital aliases (as written) and the others (lower-cased).

    Aliases of three letters or fewer that are not capitals ("us") are left
    out of sentence search: they are common words.
    """
    return (
        _alternation(vocab.actors_exact, r"[\w.]"),
        _alternation((a for a in vocab.actors if len(a) > 3), r"\w"),
    )
