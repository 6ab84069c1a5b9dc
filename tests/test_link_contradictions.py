"""Contradicting statements: opposite states of one subject, negation, conditions."""

from __future__ import annotations

import pytest

from link_frames import sclaim
from reportedly.analyse.contradictions import assertion, find_contradictions
from reportedly.link.vocab import Vocabulary
from reportedly.types import Document


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


def _pair(vocab: Vocabulary, first: str, second: str, subject_second: str = ""):
    d1 = Document(id="d1", path="1", text=f"Reuters reported that {first}.")
    d2 = Document(id="d2", path="2", text=f"{subject_second}Officials told the BBC that {second}.")
    c1 = sclaim(d1, d1.text, first, "Reuters")
    c2 = sclaim(d2, d2.text, second, "Officials", via=("BBC",))
    return find_contradictions([c1, c2], vocab)


def test_dead_vs_alive_across_documents(vocab: Vocabulary) -> None:
    found = _pair(vocab, "Abu Sayyaf was killed in a raid", "Abu Sayyaf is alive")
    assert len(found) == 1 and found[0].kind == "contradiction" and "sayyaf" in found[0].reason


def test_negation_flips(vocab: Vocabulary) -> None:
    assert len(_pair(vocab, "Abu Sayyaf was killed", "Abu Sayyaf was not killed")) == 1
    assert _pair(vocab, "Abu Sayyaf was killed", "Abu Sayyaf is not alive") == []


def test_different_subjects_do_not_clash(vocab: Vocabulary) -> None:
    assert _pair(vocab, "Abu Sayyaf was killed", "Omar Khalid is alive") == []


def test_conditions_assert_nothing(vocab: Vocabulary) -> None:
    d = Document(id="d", path="d", text="One stated that if Abu Sayyaf was found and killed now, they will revive the group.")
    c = sclaim(d, d.text, "if Abu Sayyaf was found and killed now, they will revive the group", "One")
    assert assertion(c, vocab) is None


def test_denied_vs_confirmed(vocab: Vocabulary) -> None:
    found = _pair(vocab, "the Putin meeting was confirmed", "the Putin meeting was denied")
    assert [r.kind for r in found] == ["contradiction"]


def test_active_verbs_say_nothing_of_their_subject(vocab: Vocabulary) -> None:
    """ "Militants released a video" is not "militants are free"; actors are not subjects."""
    assert _pair(vocab, "Abu Sayyaf released a video", "Abu Sayyaf was captured") == []
    assert _pair(vocab, "Islamic State militants were captured", "Islamic State fighters were released") == []


def test_given_names_tell_people_apart(vocab: Vocabulary) -> None:
    assert _pair(vocab, "Willie Nelson is alive", "Judd Nelson was found dead") == []
    assert len(_pair(vocab, "Gill Rosenberg was captured", "Gil Rosenberg was not captured")) == 1


def test_transient_states_need_overlapping_times(vocab: Vocabulary) -> None:
    d1 = Document(id="d1", path="1", text="Reuters reported that Saja Dulaimi was released in March.")
    d2 = Document(id="d2", path="2", text="Officials said that Saja Dulaimi was detained last week.")
    c1 = sclaim(d1, d1.text, "Saja Dulaimi was released in March", "Reuters")
    c2 = sclaim(d2, d2.text, "Saja Dulaimi was detained last week", "Officials")
    c1.time.start, c1.time.end = "2014-03-01", "2014-03-31"
    c2.time.start, c2.time.end = "2014-11-24", "2014-11-30"
    assert find_contradictions([c1, c2], vocab) == []
    c1.time.start, c1.time.end = "2014-11-25", "2014-11-25"
    assert len(find_contradictions([c1, c2], vocab)) == 1


def test_someone_named_through_a_relative_is_not_the_subject(vocab: Vocabulary) -> None:
    """ "A wife of Abu Sayyaf was detained" says nothing of Abu Sayyaf himself."""
    assert _pair(vocab, "a wife and child of Abu Sayyaf were detained", "Abu Sayyaf was not detained") == []
    found = _pair(vocab, "a wife and child of Abu Sayyaf were detained", "the wife of Abu Sayyaf was not detained")
    assert len(found) == 1 and "about wife of" in found[0].reason
