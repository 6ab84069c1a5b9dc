"""Scraped-text cleaning: debris removal and the metadata kept from it.

The texts below are written for these tests in four styles of scraped page
(a WordPress blog repost, a wire story, a news site with widgets, a forum-like
page with cookie and newsletter prompts), so the rules are checked on text
they were not written from. The seeds are checked last, as a whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportedly.ingest import clean_text
from reportedly.ingest.credits import is_person_name
from reportedly.ingest.stamps import is_stamp, split_dateline
from reportedly.ingest.vocab import default_rules

BLOG_REPOST = """\
Kurdish forces push toward Raqqa – what it means #Syria #Kurds


My two cents: this is a bigger deal than the headlines suggest, and the numbers below deserve a careful look.

Peshmerga advance on key villages

By Kurdistan 24

2 hours ago

Fighters rest near the front line. Reuters photo

DUHOK, Kurdistan Region—Kurdish forces said on Tuesday that they had retaken six villages east of the city.

Commanders estimated that about 900 militants were still defending the area.

via Peshmerga advance on key villages.

Share this:

Like this:

Like Loading...

Leave a Reply

Your email address will not be published. Required fields are marked *

This site uses Akismet to reduce spam. Learn how your comment data is processed.

%d bloggers like this:
"""

WIRE_STORY = """\
Coalition says militant numbers falling in eastern Syria

WASHINGTON (Reuters) - The U.S.-led coalition estimated on Thursday that fewer than 3,000 militants remain in eastern Syria, officials said.

The estimate is down from about 5,000 in the spring, a spokesman told reporters.

(Reporting by Jane Doe; Editing by John Roe)
"""

NEWS_SITE = """\
Officials dispute casualty figures after Mosul battle
By Samir Haddad, The Daily Planet
Published: March 3, 2017 10:15 AM EST
Font size A A A
Print
Facebook Twitter Email WhatsApp
Iraqi officials said more than 1,200 civilians were evacuated from the old city last week.
A United Nations agency put the figure at between 1,500 and 2,000.
REUTERS/Ahmed Jadallah
Iraqi soldiers patrol a street in west Mosul, March 2, 2017. (Photo: Ahmed Jadallah/Reuters)
Residents said conditions had worsened since January.
Tags: Mosul, Iraq, civilians
Related: Mosul offensive enters new phase
Read more
Sign up for our daily newsletter
12 Comments
"""

FORUM_PAGE = """\
Why the estimates keep changing

We use cookies to improve your experience. By continuing to browse this site you agree to our use of cookies.

Accept cookies

Analysts said the group had lost about half of its territory, according to a report released on Monday.

The report counted roughly 15,000 fighters, a figure disputed by local commanders.

Advertisement

#ISIS #analysis

Subscribe to our newsletter for weekly updates

42 likes

Copyright 2017 Example Media. All rights reserved.
"""


def test_blog_repost_keeps_commentary_and_detects_repost() -> None:
    out = clean_text(BLOG_REPOST)
    assert out.title == "Kurdish forces push toward Raqqa – what it means"
    assert out.repost is True
    assert out.original_publisher == "Kurdistan 24"
    assert out.extra["repost_title"] == "Peshmerga advance on key villages"
    assert out.extra["via"] == "Peshmerga advance on key villages"
    assert out.published_text == "2 hours ago"
    assert out.dateline == "DUHOK, Kurdistan Region"
    assert out.text.startswith("My two cents")
    assert "Kurdish forces said on Tuesday" in out.text
    assert "about 900 militants" in out.text
    for debris in ("Reuters photo", "Like", "Leave a Reply", "Akismet", "bloggers", "via ", "By Kurdistan", "Share this"):
        assert debris not in out.text, debris
    assert "DUHOK" not in out.text


def test_wire_story_dateline_credit_and_trailer() -> None:
    out = clean_text(WIRE_STORY)
    assert out.title == "Coalition says militant numbers falling in eastern Syria"
    assert out.dateline == "WASHINGTON"
    assert out.extra["dateline_credit"] == "Reuters"
    assert out.original_publisher is None and out.repost is False
    assert out.author == "Jane Doe"
    assert out.text.startswith("The U.S.-led coalition estimated")
    assert "Reporting by" not in out.text and "Editing" not in out.text


def test_news_site_widgets_byline_and_stamp() -> None:
    out = clean_text(NEWS_SITE)
    assert out.title == "Officials dispute casualty figures after Mosul battle"
    assert out.author == "Samir Haddad"
    assert out.original_publisher == "The Daily Planet"
    assert out.published_text == "Published: March 3, 2017 10:15 AM EST"
    assert out.published == "2017-03-03"
    lines = out.text.splitlines()
    assert lines == [
        "Iraqi officials said more than 1,200 civilians were evacuated from the old city last week.",
        "A United Nations agency put the figure at between 1,500 and 2,000.",
        "Residents said conditions had worsened since January.",
    ]


def test_forum_page_cookie_newsletter_hashtags_likes() -> None:
    out = clean_text(FORUM_PAGE)
    assert out.title == "Why the estimates keep changing"
    paragraphs = out.text.split("\n\n")
    assert paragraphs == [
        "Analysts said the group had lost about half of its territory, according to a report released on Monday.",
        "The report counted roughly 15,000 fighters, a figure disputed by local commanders.",
    ]
    assert out.repost is False and out.original_publisher is None
    assert len(out.removed) == 7


def test_prose_that_resembles_debris_is_kept() -> None:
    text = (
        "Related issues were raised by officials in Baghdad on Monday.\n\n"
        "Printing presses in the city reopened after the fighting stopped.\n\n"
        "No comment was made by the ministry about the 300 detainees.\n\n"
        "Share prices rose 3 percent after the announcement, traders said.\n"
    )
    out = clean_text(text, detect_title=False)
    assert out.text == text.strip()
    assert out.removed == []


def test_title_only_when_headline_like() -> None:
    out = clean_text("The officials said about 4,000 fighters remain, according to the report.\n\nMore text here.")
    assert out.title is None
    assert out.text.startswith("The officials said")


def test_whitespace_is_normalised_before_the_text_is_final() -> None:
    out = clean_text("Headline here\n\nThree\u00a0 officials   said\u200b so.\r\nSecond line.\r\n", detect_title=True)
    assert out.text == "Three officials said so.\nSecond line."


def test_cut_marker_in_first_half_does_not_swallow_article() -> None:
    text = "Leave a comment\n\n" + "\n\n".join(f"Paragraph {i} says 10{i} fighters left." for i in range(4))
    out = clean_text(text, detect_title=False)
    assert "Paragraph 3" in out.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("yesterday at 09:51", True),
        ("Updated 12:31 GMT", True),
        ("3 days ago", True),
        ("Thursday, July 20, 2017", True),
        ("Last week the Director of the center said so", False),
        ("ISIS in Iraq", False),
    ],
)
def test_publication_stamps(line: str, expected: bool) -> None:
    assert is_stamp(line) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Alissa Stechschulte", True), ("Dr. Sulaiman Saeed", True), ("Breaking News", False), ("We want more", False)],
)
def test_person_names(name: str, expected: bool) -> None:
    assert is_person_name(name) is expected


def test_trailing_place_is_not_an_author() -> None:
    out = clean_text("Headline words here\n\nOfficials said 300 people were evacuated on Monday.\n\nNew Delhi\n")
    assert out.author is None
    out = clean_text("Headline words here\n\nOfficials said 300 people were evacuated on Monday.\n\nPriya Natarajan\n")
    assert out.author == "Priya Natarajan"


def test_datelines_need_a_capitalised_place() -> None:
    assert split_dateline("BEIRUT, Lebanon (AP) — Syrian troops advanced.").place == "BEIRUT, Lebanon"  # type: ignore[union-attr]
    assert split_dateline("ISIS—the group said otherwise.") is None
    assert split_dateline("On July 10, Iraqi forces entered.") is None


def test_debris_rules_are_data() -> None:
    rules = default_rules()
    assert rules.is_debris("Font Size:")
    assert rules.is_debris("Tags : isis mosul")
    assert not rules.is_debris("Officials said 4,000 fighters remain.")


def test_seeds_clean(seeds: Path) -> None:
    rules = default_rules()
    docs = {p.name[:3]: clean_text(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))}
    a, b = docs["000"], docs["003"]
    assert a.author == "Alissa Stechschulte"
    assert a.title and a.title.startswith("Thousands Of ISIS Fighters")
    assert a.repost is False
    assert b.repost is True and b.original_publisher == "Rudaw"
    assert b.published_text == "yesterday at 09:51"
    assert b.dateline == "ERBIL, Kurdistan Region"
    for out in (a, b):
        assert out.title and out.title not in out.text
        for line in out.text.splitlines():
            assert not rules.is_debris(line), line
            assert not line.lower().startswith(("via ", "by ", "tags", "leave a")), line
            assert "photo" not in line.lower(), line
        # the figures survive cleaning
    assert "approximately 4,000 fighters and 3,000 supporters" in a.text
    assert "between 19,000 and 25,000" in b.text
    assert "Alissa" not in a.text
