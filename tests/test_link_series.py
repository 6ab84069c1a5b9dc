"""Series, conflicts, updates, derived totals and contradictions on seed-shaped frames."""

from __future__ import annotations

import pytest

from link_frames import qclaim, seed_corpus
from reportedly.analyse.compare import Tolerance, compatible
from reportedly.link import link
from reportedly.link.places import Gazetteer
from reportedly.link.series import Entry
from reportedly.link.vocab import Vocabulary
from reportedly.types import Document


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.fixture(scope="module")
def gazetteer(vocab: Vocabulary) -> Gazetteer:
    return Gazetteer(vocab)


@pytest.fixture(scope="module")
def linked(vocab: Vocabulary, gazetteer: Gazetteer):
    docs, claims = seed_corpus()
    return link(docs, claims, vocab, gazetteer), claims


def _the_series(result):
    found = [s for s in result.series if s.label.endswith("ISIS, Iraq and Syria")]
    assert len(found) == 1, [s.label for s in result.series]
    return found[0]


def test_seed_series_holds_every_figure(linked) -> None:
    result, _ = linked
    s = _the_series(result)
    assert s.label == "militants/fighters, ISIS, Iraq and Syria"
    figures = {(e.role, e.low, e.high, e.bound) for e in s.entries}
    assert ("reported", 15000, 15000, "=") in figures
    assert ("reported", 19000, 25000, "=") in figures
    assert ("previous", 30000, 30000, ">") in figures  # "more than 30,000"
    # The reposted copy is counted once, its claim kept as a copy.
    ranges = [e for e in s.entries if e.low == 19000]
    assert len(ranges) == 1 and len(ranges[0].copies) == 1


def test_seed_derived_total(linked) -> None:
    result, _ = linked
    s = _the_series(result)
    derived = [d for d in result.derived if d.series_id == s.id]
    assert len(derived) == 1
    d = derived[0]
    assert d.value == 11000 and d.bound == "~"
    assert d.label.startswith("derived 11,000 = 4,000 in Iraq + 7,000 in Syria")
    assert d.time_start == "2017-07-20"
    assert all(d.id != e.id for e in s.entries)  # never mixed with the reported entries


def test_seed_conflict_and_update(linked) -> None:
    result, _ = linked
    s = _the_series(result)
    by_id = {e.id: e for e in s.entries}
    kinds = {(r.kind, by_id[r.a].low, by_id[r.b].low) for r in result.relations if r.series_id == s.id}
    assert ("conflict", 15000, 19000) in kinds
    # "more than 30,000" earlier, then 19,000-25,000: an update, never a conflict.
    assert ("update", 30000, 19000) in kinds
    assert not any(k == "conflict" and 30000 in (a, b) for k, a, b in kinds)


def test_seed_killed_vs_alive(linked) -> None:
    result, claims = linked
    contra = [r for r in result.relations if r.kind == "contradiction"]
    assert len(contra) == 1
    contents = {c.id: c.content for c in claims}
    assert {contents[contra[0].a], contents[contra[0].b]} == {"al-Baghdadi was killed", "he is in fact alive"}
    assert "baghdadi" in contra[0].reason


def test_repost_group_names_original(linked) -> None:
    result, _ = linked
    groups = [g for g in result.reposts if "doc003" in g.members]
    assert len(groups) == 1
    assert set(groups[0].members) == {"doc003", "doc003copy"}
    assert groups[0].original_publisher == "Rudaw"


def _entry(low: float, high: float | None, bound: str = "=", vague: bool = False) -> Entry:
    return Entry(id="x", claim_id="x", doc_id="d", role="reported", text="", low=low, high=high, bound=bound,
                 vague=vague, time_start=None, time_end=None, time_text=None, source=None, publisher=None,
                 group="d", evidence="")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (_entry(15000, 15000), _entry(19000, 25000), False),
        (_entry(24000, 24000, "~"), _entry(19000, 25000), True),
        (_entry(30000, 30000, ">"), _entry(45000, 45000), True),  # "more than 30,000" allows 45,000
        (_entry(30000, 30000, ">"), _entry(25000, 25000), False),
        (_entry(1000, None, vague=True), _entry(7000, 7000), True),  # "thousands"
        (_entry(100, 100), _entry(104, 104), True),  # within the exact tolerance
        (_entry(100, 100), _entry(120, 120), False),
        (_entry(500, 500, "<"), _entry(100, 100), True),
    ],
)
def test_tolerance_rules(a: Entry, b: Entry, expected: bool) -> None:
    assert compatible(a, b, Tolerance()) is expected


def test_more_than_earlier_then_less_later_is_update_not_conflict(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    d1 = Document(id="d1", path="1", text="Officials said more than 30,000 fighters in Syria.", publisher="A")
    d2 = Document(id="d2", path="2", text="Analysts said 25,000 fighters in Syria.", publisher="B")
    c1 = qclaim(d1, d1.text, "more than 30,000", low=30000, bound=">", actor="ISIS", locations=("Syria",),
                source="Officials", time=("2015-01-01", "2015-12-31"))
    c2 = qclaim(d2, d2.text, "25,000", low=25000, actor="ISIS", locations=("Syria",), source="Analysts",
                time=("2016-05-01", "2016-05-31"))
    result = link([d1, d2], [c1, c2], vocab, gazetteer, stories=False)
    kinds = [(r.kind, r.a, r.b) for r in result.relations]
    assert kinds == [("update", c1.id, c2.id)]


def test_an_earlier_value_with_its_own_time_is_its_own_entry(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    from reportedly.types import Change

    sent = "An official said on Tuesday that 12,000 fighters remain in Syria, down from 15,000 in August."
    d1 = Document(id="d1", path="1", text=sent, publisher="A")
    d2 = Document(id="d2", path="2", text="The Pentagon put the fighters in Syria at 15,000 in August.", publisher="B")
    change = Change(direction="down", previous_low=15000, previous_high=15000, previous_bound="=", previous_text="15,000")
    now = qclaim(d1, sent, "12,000", low=12000, actor="ISIS", locations=("Syria",), source="official",
                 time=("2016-12-13", "2016-12-13"), time_text="Tuesday", change=change)
    before = qclaim(d1, sent, "15,000", low=15000, actor="ISIS", locations=("Syria",), source="official",
                    time=("2016-08-01", "2016-08-31"), time_text="August")
    pentagon = qclaim(d2, d2.text, "15,000", low=15000, actor="ISIS", locations=("Syria",), source="Pentagon",
                      time=("2016-08-01", "2016-08-31"), time_text="August")
    result = link([d1, d2], [now, before, pentagon], vocab, gazetteer, stories=False)
    [series] = result.series
    assert sorted(e.claim_id for e in series.entries) == sorted([now.id, before.id, pentagon.id])
    assert not [e for e in series.entries if e.role == "previous"]
    kinds = {(r.kind, frozenset((r.a, r.b))) for r in result.relations}
    assert ("corroboration", frozenset((before.id, pentagon.id))) in kinds
    # undated, the earlier value is only the change's and ends before the report
    undated = qclaim(d1, sent, "15,000", low=15000, actor="ISIS", locations=("Syria",), source="official",
                     time=("2016-12-13", "2016-12-13"), time_text="Tuesday")
    [series] = link([d1], [now, undated], vocab, gazetteer, stories=False).series
    assert sorted((e.claim_id, e.role) for e in series.entries) == sorted([(now.id, "reported"), (now.id, "previous")])


def test_same_source_or_same_doc_is_not_a_conflict(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    d1 = Document(id="d1", path="1", text="The Pentagon said 10,000 fighters in Syria.", publisher="A")
    d2 = Document(id="d2", path="2", text="The Pentagon said 20,000 fighters in Syria.", publisher="B")
    t = ("2016-05-01", "2016-05-31")
    c1 = qclaim(d1, d1.text, "10,000", low=10000, actor="ISIS", locations=("Syria",), source="Pentagon", time=t)
    c2 = qclaim(d2, d2.text, "20,000", low=20000, actor="ISIS", locations=("Syria",), source="the Pentagon", time=t)
    result = link([d1, d2], [c1, c2], vocab, gazetteer, stories=False)
    assert not [r for r in result.relations if r.kind == "conflict"]


def test_aliases_and_synonyms_merge_series(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    d1 = Document(id="d1", path="1", text="Daesh has 5,000 jihadists in Syria.", publisher="A")
    d2 = Document(id="d2", path="2", text="ISIL has 5,200 combatants in Syria.", publisher="B")
    t = ("2016-05-01", "2016-05-31")
    c1 = qclaim(d1, d1.text, "5,000", low=5000, entity="jihadists", actor="Daesh", locations=("Syria",), source="X", time=t)
    c2 = qclaim(d2, d2.text, "5,200", low=5200, entity="combatants", actor="ISIL", locations=("Syria",), source="Y", time=t)
    result = link([d1, d2], [c1, c2], vocab, gazetteer, stories=False)
    assert len(result.series) == 1
    assert result.series[0].key.actor == "ISIS" and result.series[0].key.entity == "fighter"
    assert [r.kind for r in result.relations] == ["corroboration"]


def test_location_containment(gazetteer: Gazetteer) -> None:
    mosul, iraq, syria = gazetteer.resolve("Mosul"), gazetteer.resolve("Iraq"), gazetteer.resolve("Syria")
    assert mosul.within(iraq) and not mosul.within(syria) and not iraq.within(mosul)
    assert gazetteer.resolve("Los Angeles").within(gazetteer.resolve("California"))
    assert gazetteer.resolve("Los Angeles").within(gazetteer.resolve("U.S."))
    # "in Mosul, Iraq" is about Mosul; "Iraq and Syria" stays a composite of two.
    assert gazetteer.place_set(["Mosul", "Iraq"]) == frozenset({mosul})
    assert gazetteer.place_set(["Iraq", "Syria"]) == frozenset({iraq, syria})
    assert gazetteer.resolve("Kurdistan Region").id.startswith("x:")


def test_user_vocabulary_extends(tmp_path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text('{"fighter": ["gunman"], "_about": "mine"}', encoding="utf-8")
    assert Vocabulary.load().entity("gunman") == "gunman"
    assert Vocabulary.load(extra_entities=[extra]).entity("gunmen") in ("gunmen", "fighter")
    assert Vocabulary.load(extra_entities=[extra]).entity("gunman") == "fighter"


def test_generic_series_are_listed_not_compared(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    """ "7 people" rescued from a flood and "30,000 people" of a town are not one quantity."""
    t = ("2014-10-01", "2014-10-01")
    flood = Document(id="d1", path="1", text="Rescuers said they saved seven people from the flood waters on Sunday.")
    town = Document(id="d2", path="2", text="The mayor said 30,000 people live in the desert town near the border.")
    quake = Document(id="d3", path="3", text="The mayor said 25,000 people live in Managua's flooded northern district.")
    quake2 = Document(id="d4", path="4", text="Officials said 24,500 people live in Managua's flooded northern district.")
    claims = [
        qclaim(flood, flood.text, "seven", low=7, entity="people", lemma="person", source="Rescuers", time=t),
        qclaim(town, town.text, "30,000", low=30000, entity="people", lemma="person", source="mayor", time=t),
        qclaim(quake, quake.text, "25,000", low=25000, entity="people", lemma="person", locations=("Managua",), source="mayor", time=t),
        qclaim(quake2, quake2.text, "24,500", low=24500, entity="people", lemma="person", locations=("Managua",), source="Officials", time=t),
    ]
    result = link([flood, town, quake, quake2], claims, vocab, gazetteer)
    assert len(result.series) == 2
    # Place but no actor: compared only inside one story (the last two articles
    # are one), where figures may corroborate but are never called a conflict.
    assert result.stories["d3"] == result.stories["d4"] != result.stories["d1"]
    managua = next(s for s in result.series if s.key.places)
    assert [(r.kind, r.series_id) for r in result.relations] == [("corroboration", managua.id)]
    far_apart = [c for c in claims]
    far_apart[3] = qclaim(quake2, quake2.text, "24,500", low=2450, entity="people", lemma="person",
                          locations=("Managua",), source="Officials", time=t)
    assert link([flood, town, quake, quake2], far_apart, vocab, gazetteer).relations == []
    unrelated = link([flood, town, quake, quake2], claims, vocab, gazetteer, stories=False)
    assert unrelated.relations == []
