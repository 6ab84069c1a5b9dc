"""Repost groups: exact copies, near-duplicates, credits; unrelated articles stay apart."""

from __future__ import annotations

from reportedly.link.reposts import find_reposts
from reportedly.types import Document

_ARTICLE = (
    "ERBIL, Kurdistan Region. A picture of a diminished armed group in the north is emerging from recent reports "
    "and statistics. As troops prepare for a major offensive to retake the city, indications are that the group "
    "has all but conceded defeat. In the last week alone it has suffered mass desertion and executed dissenters, "
    "while a captured fighter described the group as weakened. Experts believe that many of its leaders have "
    "relocated abroad, leaving dwindling numbers behind. Defense statistics released earlier this month indicate "
    "that the number of fighters had fallen sharply from earlier estimates."
)
_OTHER = (
    "The city council approved a new budget on Tuesday after a long debate about school funding, road repairs and "
    "the price of public transport. The mayor said the plan balances the needs of families with the costs of "
    "maintaining bridges built decades ago, while critics argued that the increase in bus fares would hurt workers "
    "who commute from the suburbs every day."
)


def _doc(i: str, text: str, **kw: object) -> Document:
    return Document(id=i, path=f"{i}.txt", text=text, **kw)  # type: ignore[arg-type]


def test_near_duplicate_with_comment_and_footer() -> None:
    original = _doc("a", _ARTICLE, publisher="Rudaw", published="2016-08-19")
    repost = _doc("b", "I think there is a bit of truth to this. " + _ARTICLE + " Leave a Reply. Share this.",
                  publisher="Blog", published="2016-08-20")
    groups = find_reposts([original, repost, _doc("c", _OTHER, publisher="Gazette")])
    assert len(groups) == 1
    assert groups[0].members == ["a", "b"]
    assert groups[0].original == "a" and groups[0].original_publisher == "Rudaw"
    assert any("near-duplicate" in r for r in groups[0].reasons)


def test_exact_copy_with_other_wrapping() -> None:
    a = _doc("a", _ARTICLE, publisher="X", published="2016-01-02")
    b = _doc("b", _ARTICLE.replace(". ", ".\n\n"), publisher="Y", published="2016-01-01")
    groups = find_reposts([a, b])
    assert len(groups) == 1 and groups[0].original == "b"  # the earlier one


def test_credit_alone_names_the_original() -> None:
    repost = _doc("b", _ARTICLE, publisher="Blog", original_publisher="Rudaw", repost=True)
    groups = find_reposts([repost, _doc("c", _OTHER)])
    assert [(g.members, g.original, g.original_publisher) for g in groups] == [(["b"], None, "Rudaw")]


def test_same_event_different_articles_are_not_reposts() -> None:
    rewrite = _doc("b", " ".join(reversed(_ARTICLE.split(". "))))
    assert find_reposts([_doc("a", _ARTICLE), rewrite, _doc("c", _OTHER)]) == []
