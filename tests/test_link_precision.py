"""The causes of false conflicts seen on FNC-1 bodies, each on hand-written sentences.

* a source's count read as a figure ("a report from one doctor");
* different things counted under one noun ("cases of Ebola" / "cases of
  HIV", "home-grown militants" / "foreign fighters");
* an actor named somewhere in the sentence taken as the owner of any
  counted thing (doctors in a sentence about ISIS);
* victims of an event compared with standing numbers or across events
  ("killing 100 ISIS fighters" / "thousands of fighters");
* totals over a month compared with a day's count;
* denials and backdrops missed in statements ("denied that X was
  captured", "while he was still alive", "No ISIS militants were killed").
"""

from __future__ import annotations

import pytest

from link_frames import qclaim, sclaim
from reportedly.analyse.contradictions import assertion, find_contradictions
from reportedly.link import link
from reportedly.link.places import Gazetteer
from reportedly.link.qualifiers import SourceCues, counts_sources, event, postmodifier
from reportedly.link.series import series_key
from reportedly.link.vocab import Vocabulary
from reportedly.types import Document

OCT = ("2014-10-01", "2014-10-01")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


@pytest.fixture(scope="module")
def gazetteer(vocab: Vocabulary) -> Gazetteer:
    return Gazetteer(vocab)


def _doc(i: int, text: str, publisher: str) -> Document:
    return Document(id=f"d{i}", path=f"{i}.txt", text=text, publisher=publisher, published="2014-10-01")


def _conflicts(vocab: Vocabulary, gazetteer: Gazetteer, docs: list[Document], claims: list) -> list:
    result = link(docs, claims, vocab, gazetteer, stories=False)
    return [r for r in result.relations if r.kind == "conflict"]


# -- a source's count is no figure -------------------------------------------------

def test_a_report_from_one_doctor_counts_sources(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    cues = SourceCues.load()
    d = _doc(1, "Based on a report from one doctor in Mosul, Al-Monitor wrote that ISIS killed a dozen doctors in Mosul.", "A")
    one = qclaim(d, d.text, "one", low=1, entity="doctor", locations=("Mosul",), time=OCT)
    dozen = qclaim(d, d.text, "a dozen", low=12, entity="doctors", locations=("Mosul",), time=OCT)
    assert counts_sources(one, cues) and not counts_sources(dozen, cues)
    assert series_key(one, vocab, gazetteer, cues) is None and series_key(dozen, vocab, gazetteer, cues) is not None


def test_officials_said_and_figures_inside_a_source_count_sources() -> None:
    cues = SourceCues.load()
    d = _doc(1, "Three officials said that 400 people fled the town.", "A")
    three = qclaim(d, d.text, "Three", low=3, entity="officials", time=OCT)
    people = qclaim(d, d.text, "400", low=400, entity="people", time=OCT)
    assert counts_sources(three, cues) and not counts_sources(people, cues)
    # A figure inside the span some claim names as its source counts sources too.
    d2 = _doc(2, "The two witnesses who spoke to Reuters saw 30 tanks.", "B")
    two = qclaim(d2, d2.text, "two", low=2, entity="witnesses", time=OCT)
    assert counts_sources(two, cues, [(4, 17)]) and not counts_sources(two, cues, [(30, 40)])


def test_one_doctor_source_makes_no_conflict(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "Based on a report from one doctor in Mosul, Al-Monitor wrote about the crisis.", "Al-Monitor")
    b = _doc(2, "Ambassador Alhakim said ISIS executed a dozen doctors in Mosul.", "UN News")
    claims = [qclaim(a, a.text, "one", low=1, entity="doctor", actor="ISIS", locations=("Mosul",), source="Alkalim", time=OCT),
              qclaim(b, b.text, "a dozen", low=12, entity="doctors", actor="ISIS", locations=("Mosul",), source="Alhakim", time=OCT)]
    assert _conflicts(vocab, gazetteer, [a, b], claims) == []


# -- what is counted: qualifiers after and before the noun ---------------------------

def test_cases_of_ebola_and_cases_of_hiv_are_different_series(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "Al-Sabah reported that two cases of Ebola were confirmed in Mosul.", "Iraqi News")
    b = _doc(2, "A health official recorded 26 cases of HIV in Mosul.", "Morning")
    ca = qclaim(a, a.text, "two", low=2, entity="cases", actor="ISIS", locations=("Mosul",), source="Al-Sabah", time=OCT)
    cb = qclaim(b, b.text, "26", low=26, entity="cases", actor="ISIS", locations=("Mosul",), source="official", time=OCT)
    assert postmodifier(ca, vocab, gazetteer) == "ebola" and postmodifier(cb, vocab, gazetteer) == "hiv"
    ka, kb = series_key(ca, vocab, gazetteer), series_key(cb, vocab, gazetteer)
    assert ka and kb and ka[0].entity == "ebola case" and kb[0].entity == "hiv case"
    assert _conflicts(vocab, gazetteer, [a, b], [ca, cb]) == []


def test_places_and_actors_after_of_are_not_qualifiers(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    d = _doc(1, "There are 300 residents of Mosul and 5,000 fighters of the Islamic State in the area.", "A")
    residents = qclaim(d, d.text, "300", low=300, entity="residents", time=OCT)
    fighters = qclaim(d, d.text, "5,000", low=5000, entity="fighters", time=OCT)
    assert postmodifier(residents, vocab, gazetteer) is None and postmodifier(fighters, vocab, gazetteer) is None


def test_modifiers_that_change_what_is_counted_stay_in_the_key(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    keep = gazetteer.is_demonym
    assert vocab.entity("home-grown militant", keep=keep) == "home-grown fighter"
    assert vocab.entity("British jihadist", keep=keep) == "british fighter"  # a nationality, not an owner
    assert vocab.entity("foreign fighter", keep=keep) == "fighter"  # listed as a synonym
    assert vocab.entity("ISIS fighter", keep=keep) == "fighter"  # the actor has its own place
    assert vocab.entity("jihadist fighter", keep=keep) == "fighter"  # a synonym of the head
    assert vocab.entity("new militant", keep=keep) == "fighter"  # generic


def test_home_grown_militants_do_not_conflict_with_foreign_fighters(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "British officers estimate that there are around 500 home-grown militants fighting for ISIS in Syria and Iraq.", "T")
    b = _doc(2, "A UN report estimates an influx of 15,000 foreign fighters who joined ISIS in Iraq and Syria.", "G")
    ca = qclaim(a, a.text, "around 500", low=500, bound="~", entity="home-grown militants", lemma="home-grown militant",
                actor="ISIS", locations=("Syria", "Iraq"), source="British officers", time=OCT)
    cb = qclaim(b, b.text, "15,000", low=15000, entity="foreign fighters", lemma="foreign fighter", actor="ISIS",
                locations=("Iraq", "Syria"), source="UN report", time=OCT)
    assert _conflicts(vocab, gazetteer, [a, b], [ca, cb]) == []


# -- whose: an actor elsewhere in the sentence owns only its members -------------------

def test_sentence_actor_owns_members_not_doctors(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    d = _doc(1, "In Mosul, ISIS executed 12 doctors while the number of militants grew to 9,000.", "A")
    doctors = qclaim(d, d.text, "12", low=12, entity="doctors", locations=("Mosul",), time=OCT)
    militants = qclaim(d, d.text, "9,000", low=9000, entity="militants", locations=("Mosul",), time=OCT)
    kd, km = series_key(doctors, vocab, gazetteer), series_key(militants, vocab, gazetteer)
    assert kd and km and kd[0].actor is None and km[0].actor == "ISIS"


# -- victims of an event --------------------------------------------------------------

def test_event_words_around_the_figure(vocab: Vocabulary) -> None:
    d = _doc(1, "Rehana is famed for killing 100 ISIS fighters, while IS used thousands of fighters and "
                "a dozen doctors have been executed.", "A")
    killed = qclaim(d, d.text, "100", low=100, entity="ISIS fighters", lemma="fighter", time=OCT)
    standing = qclaim(d, d.text, "thousands", low=1000, vague=True, entity="fighters", time=OCT)
    doctors = qclaim(d, d.text, "a dozen", low=12, entity="doctors", time=OCT)
    assert event(killed, vocab) == "killed" and event(standing, vocab) is None and event(doctors, vocab) == "killed"
    d2 = _doc(2, "The 30,000 fighters seized villages and 40 women kidnapped in the raid were freed.", "B")
    assert event(qclaim(d2, d2.text, "40", low=40, entity="women", time=OCT), vocab) == "captured"


def test_killed_fighters_are_not_the_standing_number(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "IS has seized 64 villages around Kobani using thousands of fighters.", "AFP")
    b = _doc(2, "Kurdish fighter Rehana is famed for killing 100 ISIS fighters in Kobani.", "Mirror")
    ca = qclaim(a, a.text, "thousands", low=1000, vague=True, entity="fighters", actor="ISIS", locations=("Kobani",), time=OCT)
    cb = qclaim(b, b.text, "100", low=100, entity="ISIS fighters", lemma="fighter", actor="ISIS", locations=("Kobani",),
                source="reports", time=OCT)
    result = link([a, b], [ca, cb], vocab, gazetteer, stories=False)
    assert len(result.series) == 2 and {s.key.event for s in result.series} == {None, "killed"}
    assert [r for r in result.relations if r.kind == "conflict"] == []


def test_kill_counts_of_different_stories_never_conflict(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "Egyptian media reported killing 64 jihadists of ISIS in Mosul.", "Ahram")
    b = _doc(2, "Officials said ISIS incinerated five militants in Mosul.", "Rudaw")
    ca = qclaim(a, a.text, "64", low=64, entity="jihadists", actor="ISIS", locations=("Mosul",), source="Egyptian media", time=OCT)
    cb = qclaim(b, b.text, "five", low=5, entity="militants", actor="ISIS", locations=("Mosul",), source="Officials", time=OCT)
    result = link([a, b], [ca, cb], vocab, gazetteer)  # stories on: two documents, two stories
    assert len(result.series) == 1 and result.series[0].key.event == "killed"
    assert [r for r in result.relations if r.kind == "conflict"] == []


# -- periods of very different lengths ------------------------------------------------

def test_a_months_total_and_a_days_count_do_not_conflict(vocab: Vocabulary, gazetteer: Gazetteer) -> None:
    a = _doc(1, "The US has carried out more than 100 airstrikes against ISIS in Iraq over the past month.", "AP")
    b = _doc(2, "The U.S. military launched four airstrikes against ISIS in Iraq on Thursday.", "CNN")
    ca = qclaim(a, a.text, "more than 100", low=100, bound=">", entity="airstrikes", actor="ISIS", locations=("Iraq",),
                time=("2014-09-01", "2014-09-30"), time_text="over the past month")
    cb = qclaim(b, b.text, "four", low=4, entity="airstrikes", actor="ISIS", locations=("Iraq",), source="U.S. military",
                time=("2014-09-25", "2014-09-25"), time_text="on Thursday")
    assert _conflicts(vocab, gazetteer, [a, b], [ca, cb]) == []
    # The same two figures over periods of like length do conflict.
    cb2 = qclaim(b, b.text, "four", low=4, entity="airstrikes", actor="ISIS", locations=("Iraq",), source="U.S. military",
                 time=("2014-09-10", "2014-09-30"), time_text="this month")
    assert len(_conflicts(vocab, gazetteer, [a, b], [ca, cb2])) == 1


# -- statements: denials, backdrops, sentence-initial "No" ----------------------------

def _stmt(i: int, sentence: str, content: str, source: str, cue: str | None = None):
    d = _doc(i, sentence, f"P{i}")
    c = sclaim(d, sentence, content, source)
    c.cue = cue
    return c


def test_a_denying_cue_negates_the_content(vocab: Vocabulary) -> None:
    denied = _stmt(1, "YPG sources have strongly denied that Rosenberg was captured.", "Rosenberg was captured",
                   "YPG sources", cue="denied")
    not_captured = _stmt(2, "Fighters said that Gill Rosenberg was not captured by IS.", "Gill Rosenberg was not captured by IS",
                         "Fighters", cue="said")
    captured = _stmt(3, "Reports said that Gill Rosenberg was captured.", "Gill Rosenberg was captured", "Reports", cue="said")
    a = assertion(denied, vocab)
    assert a is not None and a.state == "captured" and a.negated
    found = find_contradictions([denied, not_captured, captured], vocab)
    assert {tuple(sorted((r.a, r.b))) for r in found} == {tuple(sorted((captured.id, denied.id))),
                                                          tuple(sorted((captured.id, not_captured.id)))}


def test_not_aware_of_an_arrest_denies_it(vocab: Vocabulary) -> None:
    c = _stmt(1, 'A spokesman said: "We are certainly not aware of Banksy being arrested in Watford."',
              "We are certainly not aware of Banksy being arrested in Watford", "spokesman", cue="said")
    a = assertion(c, vocab)
    assert a is not None and a.state == "captured" and a.negated


def test_while_alive_and_no_militants_assert_nothing(vocab: Vocabulary) -> None:
    backdrop = _stmt(1, "It was reported that IS demanded a ransom for Foley while he was still alive.",
                     "IS demanded a ransom for Foley while he was still alive", "unattributed", cue="reported")
    nobody = _stmt(2, "No Islamic State militants were killed in the airstrikes, the statement claimed.",
                   "No Islamic State militants were killed in the airstrikes", "statement", cue="claimed")
    assert assertion(backdrop, vocab) is None and assertion(nobody, vocab) is None


def test_an_adjective_before_a_noun_asserts_no_state(vocab: Vocabulary) -> None:
    alarms = _stmt(1, "Forbes wrote that there have been 5,000 false alarms about Ebola.",
                   "there have been 5,000 false alarms about Ebola", "Forbes", cue="wrote")
    claim = _stmt(2, "Officials said the Ebola report was false, and nothing more.", "the Ebola report was false, and nothing more",
                  "Officials", cue="said")
    assert assertion(alarms, vocab) is None
    a = assertion(claim, vocab)
    assert a is not None and a.state == "denied"
