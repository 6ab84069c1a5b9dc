"""Time references: relative expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from reportedly.extract.timeref import TimeFinder, find_time, find_time_expressions, parse_published, resolve_time

P_000 = date(2017, 7, 20)  # a Thursday
P_003 = date(2016, 8, 20)  # a Saturday


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("as of last summer", P_000, "2016-06-01", "2016-08-31"),
        ("earlier this month", P_003, "2016-08-01", "2016-08-20"),
        ("last week", P_000, "2017-07-10", "2017-07-16"),
        ("the last week", P_003, "2016-08-14", "2016-08-20"),
        ("yesterday", P_000, "2017-07-19", "2017-07-19"),
        ("July 10", P_000, "2017-07-10", "2017-07-10"),
        ("in 2016", P_000, "2016-01-01", "2016-12-31"),
        ("last year", P_000, "2016-01-01", "2016-12-31"),
        ("three years ago", P_000, "2014-01-01", "2014-12-31"),
        ("this week", P_000, "2017-07-17", "2017-07-23"),
        ("on Monday", P_003, "2016-08-15", "2016-08-15"),
        ("last Thursday", P_000, "2017-07-13", "2017-07-13"),
        ("now", P_000, "2017-07-20", "2017-07-20"),
        ("last month", P_000, "2017-06-01", "2017-06-30"),
        ("July 2016", P_000, "2016-07-01", "2016-07-31"),
        ("the past two weeks", P_000, "2017-07-06", "2017-07-20"),
        ("since 2014", P_000, "2014-01-01", "2017-07-20"),
        ("this summer", P_000, "2017-06-01", "2017-08-31"),
        ("winter", date(2017, 1, 10), "2016-12-01", "2017-02-28"),
        ("the 1990s", P_000, "1990-01-01", "1999-12-31"),
        ("December 20", date(2017, 1, 5), "2016-12-20", "2016-12-20"),
    ],
)
def test_resolves_expressions(text: str, published: date, start: str, end: str) -> None:
    interval = resolve_time(text, published)
    assert interval is not None, text
    assert (interval[0].isoformat(), interval[1].isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["nine difficult months", "two years", "recent years", "the day"])
def test_durations_are_not_references(text: str) -> None:
    assert resolve_time(text, P_000) is None


def test_without_publication_date_only_absolute_dates_resolve() -> None:
    assert resolve_time("last summer", None) is None
    assert resolve_time("since 1950", None) is None  # open-ended up to an unknown date
    interval = resolve_time("August 12, 2016", None)
    assert interval is not None and interval[0] == date(2016, 8, 12)


def test_parse_published_accepts_datetimes_and_rejects_garbage() -> None:
    assert parse_published("2016-08-20T09:51:00+00:00") == P_003
    assert parse_published("yesterday") is None
    assert parse_published(None) is None


def test_find_time_in_a_sentence(nlp) -> None:
    doc = nlp.make_doc("As of last summer, the Pentagon indicated that the number was reduced.")
    for _, proc in nlp.pipeline:
        if _ != "reportedly_claims":
            doc = proc(doc)
    sent = doc[:]
    ref = find_time(sent, "2017-07-20")
    assert (ref.text, ref.start, ref.end, ref.anchor) == ("As of last summer", "2016-06-01", "2016-08-31", "text")
    unresolved = find_time(sent, None)
    assert (unresolved.text, unresolved.start, unresolved.end, unresolved.anchor) == ("As of last summer", None, None, "text")


def _parse(nlp, text: str):
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name != "reportedly_claims":
            doc = proc(doc)
    return doc


def test_present_tense_defaults_to_publication(nlp) -> None:
    doc = _parse(nlp, "Officials say 4,000 fighters remain in the city.")
    ref = find_time(doc[:], "2017-07-20")
    assert (ref.text, ref.start, ref.end, ref.anchor) == (None, "2017-07-20", "2017-07-20", "published")
    assert find_time(doc[:], None).anchor == "none"


def test_early_mid_and_late_take_a_third_of_what_follows() -> None:
    pub = date(2017, 12, 28)
    assert resolve_time("early November", pub) == (date(2017, 11, 1), date(2017, 11, 10))
    assert resolve_time("late March 2016", pub) == (date(2016, 3, 22), date(2016, 3, 31))
    assert resolve_time("early nonsense", pub) is None


def test_a_figure_between_gives_the_time_to_that_figure(nlp) -> None:
    doc = _parse(nlp, "An official said on Tuesday that 12,000 fighters remain, down from 15,000 in August.")
    text = doc.text
    now, before = text.index("12,000"), text.index("15,000")
    assert find_time(doc[:], "2016-12-14", near=(now, now + 6)).text == "Tuesday"
    assert find_time(doc[:], "2016-12-14", near=(before, before + 6)).text == "August"


def test_so_far_as_a_degree_is_no_time(nlp) -> None:
    doc = _parse(nlp, "She went so far as to say she will win.")
    assert find_time(doc[:], "2016-03-01").anchor == "published"
    doc = _parse(nlp, "The candidate he likes so far is Kasich.")
    assert find_time(doc[:], "2016-03-01").text == "so far"


def test_nearest_expression_wins_and_the_claim_is_not_its_own_time(nlp) -> None:
    doc = _parse(nlp, "On Monday officials said that 300 people had died by last week, up from 200 in 2015.")
    text = doc.text
    near_300 = (text.index("300"), text.index("300") + 3)
    near_200 = (text.index("200"), text.index("200") + 3)
    assert find_time(doc[:], "2016-08-20", near=near_300).text == "last week"
    assert find_time(doc[:], "2016-08-20", near=near_200).text == "2015"
    exprs = [e.text for e in find_time_expressions(doc[:])]
    assert "On Monday" in exprs or "Monday" in exprs


def test_one_finder_per_document_answers_as_find_time_does(nlp) -> None:
    """TimeFinder remembers a sentence's expressions and resolutions; asking it
    for several claims of one sentence must give what find_time gives each."""
    doc = _parse(nlp, "On Monday officials said that 300 people had died by last week, up from 200 in 2015.")
    text = doc.text
    finder = TimeFinder("2016-08-20")
    for near in [None, (text.index("300"), text.index("300") + 3), (text.index("200"), text.index("200") + 3), None]:
        assert finder.find(doc[:], near=near) == find_time(doc[:], "2016-08-20", near=near)
    undated = TimeFinder(None)
    assert undated.find(doc[:]) == find_time(doc[:], None)


def test_time_word_hints_skip_only_sentences_without_such_words() -> None:
    from reportedly.extract.timeref import _EXTRA_PATTERNS, _extra_matches

    for text in [
        "Officials said the toll had risen SO FAR to 300.",
        "The vote comes next Tuesday morning, since now is too late.",
        "Prices fell early this year and again last winter.",
        "The committee met and agreed on a plan.",
        "It rose to date \u0131n the north.",
    ]:
        assert [m.span() for m in _extra_matches(text)] == [m.span() for m in _EXTRA_PATTERNS.finditer(text)]
    assert _extra_matches("The committee met and agreed on a plan.") == []


def test_time_finder_asks_dateparser_once_per_expression_and_base(nlp, monkeypatch) -> None:
    from reportedly.extract import timeref

    asked: list[str] = []
    real = timeref.parse_date

    def counting(text, base):
        asked.append(text)
        return real(text, base)

    sent = next(iter(nlp("The count reached 4,000 on November 3, 2019, officials said.").sents))
    monkeypatch.setattr(timeref, "parse_date", counting)
    ref = timeref.TimeFinder(None).find(sent)
    # without a publication date the expression is resolved twice (probe date, then none),
    # both times against the same base: dateparser is asked once
    assert ref.text == "November 3, 2019" and ref.start == "2019-11-03"
    assert asked == ["november 3, 2019"]


def test_bare_month_names_are_read_as_dateparser_reads_them() -> None:
    import calendar
    from datetime import datetime

    from dateparser.date import DateDataParser

    from reportedly.extract.timeref import parse_date

    for base in (datetime(2001, 6, 15), datetime(2016, 1, 31), datetime(2020, 2, 29), datetime(2019, 12, 30)):
        parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"})
        for name in calendar.month_name[1:]:
            ours, theirs = parse_date(name.lower(), base), parser.get_date_data(name.lower())
            assert (ours.date_obj, ours.period) == (theirs.date_obj, theirs.period)


def test_plain_calendar_dates_are_read_as_dateparser_reads_them() -> None:
    from datetime import datetime

    from dateparser.date import DateDataParser

    from reportedly.extract.timeref import _plain_date, parse_date

    forms = ["aug. 14", "14 august", "sept 9", "june 31", "feb 29", "november 2019", "july 4, 2016", "9 may 2021", "may. 3 1999"]
    for base in (datetime(2001, 6, 15), datetime(2019, 12, 31), datetime(2016, 2, 29)):
        parser = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period"})
        for form in forms:
            ours, theirs = parse_date(form, base), parser.get_date_data(form)
            assert (ours.date_obj, ours.period) == (theirs.date_obj, theirs.period), form
    # days a month lacks, 29 February without a year and anything else go to dateparser
    assert _plain_date("june 31", datetime(2001, 6, 15)) is None
    assert _plain_date("feb 29", datetime(2016, 2, 29)) is None
    assert _plain_date("last august", datetime(2001, 6, 15)) is None


def _near(text: str, figure: str) -> tuple[int, int]:
    start = text.index(figure)
    return start, start + len(figure)


def test_a_relative_clause_on_something_else_keeps_its_time(nlp) -> None:
    # "three years ago" is when the caliphate was proclaimed, not the months of warfare.
    doc = _parse(
        nlp,
        "But after nine difficult months of warfare to take back the city where the jihadists "
        "proclaimed its caliphate three years ago, the fight is not over yet.",
    )
    ref = find_time(doc[:], "2017-07-20", near=_near(doc.text, "nine"))
    assert ref.anchor == "published"


def test_a_relative_clause_on_the_source_or_a_poll_still_dates_the_claim(nlp) -> None:
    doc = _parse(nlp, "Officials who spoke on Monday said 300 people had died.")
    assert find_time(doc[:], "2017-07-20", near=_near(doc.text, "300")).text == "Monday"
    doc = _parse(
        nlp, "In the previous national poll, conducted in early September, Clinton led Trump by 5 percentage points."
    )
    assert find_time(doc[:], "2016-10-01", near=_near(doc.text, "5 percentage")).text == "early September"


def test_a_time_past_an_earlier_value_is_not_the_claims(nlp) -> None:
    # "from March" dates the earlier value the change is measured against.
    doc = _parse(nlp, "Kasich was at 25 percent support in the latest Fox poll, up eight points from March.")
    assert find_time(doc[:], "2016-04-20", near=_near(doc.text, "25 percent")).anchor == "published"
    # a bound ("more than 200") is no earlier value: the time stands
    doc = _parse(nlp, "More than 200 people, including 12 children, died on Monday.")
    assert find_time(doc[:], "2016-04-20", near=_near(doc.text, "More than 200")).text == "Monday"
