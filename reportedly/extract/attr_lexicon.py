"""The vocabularies attribution runs on, read from ``reportedly/data/attr_*``.

They are data files so that users can extend them without touching code:
cue verbs and nouns, document nouns, unnamed-source nouns, anonymity phrases,
titles and organisation aliases. :func:`load_lexicon` reads them once per call;
callers keep the returned object (no module-level cache, per the project's
conventions).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["AttrLexicon", "load_lexicon"]


def _lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    text = resources.files("reportedly.data").joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class AttrLexicon:
    """Every vocabulary attribution needs, as sets and maps of lower-cased keys."""

    cue_verbs: frozenset[str]
    object_cue_verbs: frozenset[str]
    cue_nouns: frozenset[str]
    document_nouns: frozenset[str]
    unnamed_nouns: frozenset[str]
    anonymous_nouns: frozenset[str]
    anonymity_phrases: tuple[str, ...]
    titles: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)

    def canonical(self, name: str) -> str:
        """The canonical form of an organisation name ("The AP" -> "The Associated Press").

        Close misspellings of a known alias ("The Associate Press") map too:
        a scraped article's typo should not split one intermediary in two.
        """
        key = name.strip().lower()
        if key in self.aliases:
            return self.aliases[key]
        if len(key) >= 8:
            close = difflib.get_close_matches(key, list(self.aliases), n=1, cutoff=0.92)
            if close:
                return self.aliases[close[0]]
        return name.strip()

    def is_known_org(self, name: str) -> bool:
        return name.strip().lower() in self.aliases


def load_lexicon() -> AttrLexicon:
    """Read the ``attr_*`` data files shipped in ``reportedly/data``."""
    unnamed: set[str] = set()
    anonymous: set[str] = set()
    for line in _lines("attr_unnamed_nouns.txt"):
        parts = line.split("\t")
        unnamed.add(parts[0].strip().lower())
        if len(parts) > 1 and parts[1].strip() == "anonymous":
            anonymous.add(parts[0].strip().lower())
    verbs: set[str] = set()
    object_verbs: set[str] = set()
    for line in _lines("attr_cue_verbs.txt"):
        lemma, _, flag = line.partition("\t")
        verbs.add(lemma.strip().lower())
        if flag.strip() == "object":
            object_verbs.add(lemma.strip().lower())
    aliases: dict[str, str] = {}
    for line in _lines("attr_aliases.tsv"):
        alias, _, canonical = line.partition("\t")
        if canonical.strip():
            aliases[alias.strip().lower()] = canonical.strip()
    return AttrLexicon(
        cue_verbs=frozenset(verbs),
        object_cue_verbs=frozenset(object_verbs),
        cue_nouns=frozenset(w.strip().lower() for w in _lines("attr_cue_nouns.txt")),
        document_nouns=frozenset(w.strip().lower() for w in _lines("attr_document_nouns.txt")),
        unnamed_nouns=frozenset(unnamed),
        anonymous_nouns=frozenset(anonymous),
        anonymity_phrases=tuple(p.strip().lower() for p in _lines("attr_anonymity.txt")),
        titles=frozenset(w.strip().lower() for w in _lines("attr_titles.txt")),
        aliases=aliases,
    )
