"""Attribution patterns on hand-written sentences (real spaCy model)."""

from __future__ import annotations

import pytest

from reportedly.extract.attr_lexicon import load_lexicon
from reportedly.extract.attribution import Attribution, find_attributions, quote_regions


@pytest.fixture(scope="module")
def lex():
    """The shipped lexicon without the MiniLM tagger's vote: these tests pin
    what the rules and the linear models do with one hand-written sentence.
    The tagger moves decisions statistically (tests/test_attr_tagger.py and
    the PolNeAR slice in tests/test_attribution_eval.py measure it), and
    it turns down a cue here and there in sentences this short."""
    return load_lexicon(tagger=False)


def _atts(nlp, text: str, lex) -> tuple[str, list[Attribution]]:
    doc = nlp(text)
    return doc.text, find_attributions(doc, lex)


def _content(text: str, att: Attribution) -> str:
    return " ".join(text[a:b] for a, b in att.content)


def _by_cue(atts: list[Attribution], cue: str) -> Attribution:
    hits = [a for a in atts if a.cue == cue]
    assert hits, f"no attribution with cue {cue!r} in {[a.cue for a in atts]}"
    return hits[0]


def test_told_with_intermediary_and_count(nlp, lex):
    text, atts = _atts(nlp, "Three Iraqi intelligence officials told The AP that 4,000 fighters remain in Iraq.", lex)
    att = _by_cue(atts, "told")
    assert att.source is not None
    assert att.source.count == 3
    assert att.source.kind == "unnamed"
    assert att.source.name == "Iraqi intelligence officials"
    assert att.source.via == ["The Associated Press"]
    assert _content(text, att) == "that 4,000 fighters remain in Iraq"


def test_pronoun_they_resolves_to_plural_source_and_inherits_via(nlp, lex):
    text, atts = _atts(
        nlp,
        "Two senior officials told the BBC that the talks had failed.\n\n"
        "They claim that about 300 soldiers were killed in the fighting.",
        lex,
    )
    att = _by_cue(atts, "claim")
    assert att.source is not None
    assert att.source.resolved_from == "They"
    assert att.source.text == "Two senior officials"
    assert att.source.via == ["BBC"]
    assert att.source_span is not None and text[att.source_span[0] : att.source_span[1]] == "They"


def test_he_resolves_to_the_named_subject_of_its_own_sentence(nlp, lex):
    # the small model labels "Trump" an organisation; "Obama" is the last named person
    text, atts = _atts(
        nlp,
        'Obama spoke on Monday. At least a half-dozen times, Trump cited "Obama-Clinton" policies, '
        "which he said had harmed the economy.",
        lex,
    )
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.resolved_from == "he"
    assert (att.source.name, att.source.kind) == ("Trump", "person")
    # not a subject inside what the pronoun reports
    text, atts = _atts(nlp, "Audrey Scagnelli met us downtown. AT&T just finished laying the fiber, she said.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.name == "Audrey Scagnelli"


def test_a_surname_the_article_names_as_a_person_is_a_person(nlp, lex):
    text, atts = _atts(nlp, 'Mike Centinello is a consultant. "The candidates will decide," Centinello said.', lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and (att.source.name, att.source.kind) == ("Centinello", "person")
    text, atts = _atts(nlp, "Centinello said the candidates will decide.", lex)
    assert _by_cue(atts, "said").source.kind == "organisation"  # nothing says otherwise


def test_they_resolves_to_the_plural_subject_of_its_own_sentence(nlp, lex):
    text, atts = _atts(nlp, "The officials met the minister. The senators met on Monday, and they said the deal was dead.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.resolved_from == "they"
    assert att.source.text == "The senators"


def test_a_title_of_the_other_sex_is_no_antecedent(nlp, lex):
    text, atts = _atts(nlp, "Mr. Sanders spoke first. Mrs. Clinton invited the senator, and he said he would come.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.name == "Sanders"


def test_he_said_resolves_to_last_named_person_after_quote(nlp, lex):
    text, atts = _atts(
        nlp,
        "Maria Lopez runs a bakery in the town. “Prices have doubled since spring,” he said.",
        lex,
    )
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.name == "Maria Lopez"
    assert att.source.kind == "person"
    assert _content(text, att).startswith("“Prices have doubled")


def test_according_to(nlp, lex):
    text, atts = _atts(nlp, "According to the Pentagon, about 15,000 militants remain in Syria.", lex)
    att = _by_cue(atts, "According to")
    assert att.source is not None and att.source.name == "Pentagon"
    assert att.source.kind == "organisation"
    assert _content(text, att) == "about 15,000 militants remain in Syria"


def test_according_to_at_end(nlp, lex):
    text, atts = _atts(nlp, "Unemployment fell to 4 percent last month, according to government statistics.", lex)
    att = _by_cue(atts, "according to")
    assert att.source is not None and att.source.kind == "document"
    assert _content(text, att) == "Unemployment fell to 4 percent last month"


def test_passive_without_source(nlp, lex):
    text, atts = _atts(nlp, "It is suspected that the commanders are seeking safety in Libya.", lex)
    att = _by_cue(atts, "is suspected")
    assert att.source is None
    assert _content(text, att) == "that the commanders are seeking safety in Libya"


def test_document_source_with_evidence_verb(nlp, lex):
    text, atts = _atts(
        nlp, "United States defense statistics released this month indicate that the number had fallen.", lex
    )
    att = _by_cue(atts, "indicate")
    assert att.source is not None and att.source.kind == "document"
    assert att.source.name == "United States defense statistics"


def test_noun_cue_report_that(nlp, lex):
    text, atts = _atts(nlp, "Clinton seized on a New York Times report that Trump had lost $915 million.", lex)
    att = _by_cue(atts, "report")
    assert att.source is not None and att.source.text == "a New York Times"
    assert _content(text, att) == "that Trump had lost $915 million"


def test_apposition_gives_the_persons_name(nlp, lex):
    text, atts = _atts(
        nlp,
        "Last week the Director of the National Counterterrorism Center, Nick Rasmussen, "
        "explained that there could still be skilled fighters.",
        lex,
    )
    att = _by_cue(atts, "explained")
    assert att.source is not None
    assert att.source.name == "Nick Rasmussen"
    assert att.source.kind == "person"


def test_anonymity_stated_later_in_article(nlp, lex):
    text, atts = _atts(
        nlp,
        "The officials said that the leader is alive.\n\n"
        "The officials remain anonymous because they are not authorized to speak to the press.",
        lex,
    )
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.anonymous
    assert att.source.kind == "unnamed"


def test_named_person_is_not_anonymous(nlp, lex):
    _, atts = _atts(nlp, "Senator John Smith said that the bill would pass.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None
    assert not att.source.anonymous
    assert att.source.name == "John Smith"


def test_interview_intermediary(nlp, lex):
    _, atts = _atts(nlp, "The minister said in an interview with CNN that the border would stay closed.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.via == ["CNN"]


def test_quote_before_cue_with_source_after_and_continuation(nlp, lex):
    text, atts = _atts(
        nlp,
        "“Some of their members are taking refuge here,” the intelligence chief, Ismail Shukri, told the BBC. "
        "“They view Libya as a safe haven.”",
        lex,
    )
    att = _by_cue(atts, "told")
    assert att.source is not None and att.source.name == "Ismail Shukri"
    assert att.source.via == ["BBC"]
    assert len(att.content) == 2
    assert text[att.content[1][0] : att.content[1][1]] == "“They view Libya as a safe haven.”"


def test_relative_pronoun_source(nlp, lex):
    _, atts = _atts(nlp, "The mayor, who said that taxes would rise, lost the vote.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None
    assert att.source.resolved_from == "who"
    assert att.source.name == "mayor"


def test_numeral_source_takes_plural_antecedent(nlp, lex):
    _, atts = _atts(
        nlp,
        "Four officials said that the strike had failed. One stated that the leader was wounded.",
        lex,
    )
    att = _by_cue(atts, "stated")
    assert att.source is not None and att.source.resolved_from == "One"
    assert att.source.count == 1


def test_plain_narration_has_no_attribution(nlp, lex):
    _, atts = _atts(nlp, "The bridge was built in 1932 and carries 40,000 cars a day.", lex)
    assert atts == []


def test_offsets_point_into_text(nlp, lex):
    text, atts = _atts(nlp, "Officials said that 12 people died. Police told reporters that roads were closed.", lex)
    assert len(atts) == 2
    for att in atts:
        assert att.cue is not None and att.cue_start is not None and att.cue_end is not None
        assert text[att.cue_start : att.cue_end] == att.cue
        assert att.sentence_start <= att.cue_start < att.sentence_end
        for a, b in att.content:
            assert 0 <= a < b <= len(text)


def test_quote_regions_do_not_cross_paragraphs():
    text = "He said “this is open.\n\nNew paragraph “quoted” here."
    assert quote_regions(text) == [(text.index("“quoted”"), text.index("“quoted”") + len("“quoted”"))]


def test_a_curly_quote_closed_by_a_straight_one_ends_there(nlp, lex):
    text = '“I heard parts of his speech," Trump said at the rally, “and I liked it.”'
    first = text.index('"') + 1
    assert quote_regions(text) == [(0, first), (text.index("“and"), len(text))]
    # the cue stands between the two quotes, not inside one
    _, atts = _atts(nlp, text, lex)
    assert "said" in [a.cue for a in atts]


def test_verb_group_joins_the_cue(nlp, lex):
    _, atts = _atts(nlp, "The governor has repeatedly said that the plant will stay open.", lex)
    assert [a.cue for a in atts] == ["has repeatedly said"]


def test_preposition_cue(nlp, lex):
    text, atts = _atts(nlp, "The senator called for an independent inquiry into the contracts.", lex)
    att = _by_cue(atts, "called for")
    assert _content(text, att) == "an independent inquiry into the contracts"


def test_transcript_speaker_line(nlp, lex):
    text, atts = _atts(nlp, "Partial transcript:\n\nWALLACE: Let's start with the news about the debate.", lex)
    att = _by_cue(atts, ":")
    assert att.source is not None and att.source.text == "WALLACE"
    assert _content(text, att) == "Let's start with the news about the debate"


def test_nested_cue_inside_a_quote_is_not_reported(nlp, lex):
    _, atts = _atts(nlp, "“I think we will win the state,” the candidate said.", lex)
    assert [a.cue for a in atts] == ["said"]


def test_a_share_is_not_a_head_count(nlp, lex):
    [a] = find_attributions(nlp("Sixty-six percent said the economy is getting worse."), lex)
    assert a.source.count is None
    assert a.source.name == "Sixty-six percent"
    [b] = find_attributions(nlp("The 2019 Rich List said she is the richest woman."), lex)
    assert b.source.count is None
    [c] = find_attributions(nlp("Three officials said the town fell."), lex)
    assert c.source.count == 3


def test_a_part_of_a_group_is_named_and_kinded_by_the_group(nlp, lex):
    [a] = find_attributions(nlp("Some of its members said that no one had been arrested."), lex)
    assert a.source is not None and a.source.text == "Some of its members"
    assert (a.source.name, a.source.kind) == ("members", "unnamed")
    [b] = find_attributions(nlp("Three of the officials said the talks had failed."), lex)
    assert (b.source.name, b.source.count) == ("officials", 3)
    [c] = find_attributions(nlp("One of her ads says that the senator voted against the troops."), lex)
    assert (c.source.name, c.source.kind) == ("ads", "document")


def test_source_name_is_the_person_not_a_name_in_a_modifier(nlp, lex):
    [a] = find_attributions(nlp("Charlie Winter, a researcher at London-based Quilliam, said the group is losing ground."), lex)
    assert a.source.name == "Charlie Winter"
    [b] = find_attributions(nlp("The manager of Cleveland West, Stacey McVey, said the store will close next month."), lex)
    assert b.source.name == "Stacey McVey"


def test_participle_cues_take_the_reporter_or_the_described_noun(nlp, lex):
    atts = find_attributions(nlp("The governor said the plan will cost $2 billion, adding that taxes will not rise."), lex)
    [adding] = [a for a in atts if a.cue == "adding"]
    assert adding.source.name == "governor"
    atts = find_attributions(nlp("A website posted an article claiming that the senator had died."), lex)
    [claiming] = [a for a in atts if a.cue == "claiming"]
    assert claiming.source.name == "article" and claiming.source.kind == "document"


def test_a_trailing_report_is_the_intermediary(nlp, lex):
    text = "Trump said the wall will be built, the Times reported."
    atts = find_attributions(nlp(text), lex)
    [said] = [a for a in atts if a.cue == "said"]
    assert said.source.name == "Trump" and said.source.via
    [he] = [a for a in find_attributions(nlp("He said that officials told him the wall will be built."), lex) if a.cue == "said"]
    assert he.source.via == []  # "officials told him" is reported, not an intermediary


def test_source_names_lose_markup_debris(nlp, lex):
    [a] = find_attributions(nlp("Bernie <b>Sanders</b> said the election was rigged."), lex)
    assert a.source.name == "Bernie Sanders"
    [b] = find_attributions(nlp('<a href="http://x.com/s">Sanders said the election was rigged.'), lex)
    assert b.source.name == "Sanders"


def test_he_she_continue_a_subject_not_an_object(nlp, lex):
    text = "Hillary Clinton might nominate Barack Obama himself. “Wow, what a great idea,” she said in Iowa."
    [a] = find_attributions(nlp(text), lex)
    assert a.source.name == "Hillary Clinton"


def test_any_adverb_inside_the_verb_group_joins_the_cue(nlp, lex):
    _, atts = _atts(nlp, "The senator pointedly said that taxes would rise.", lex)
    assert [a.cue for a in atts] == ["pointedly said"]


def test_governing_verb_through_to_opens_the_cue_and_reports_nothing_itself(nlp, lex):
    _, atts = _atts(nlp, "The governor tried to claim that the budget was balanced.", lex)
    assert [a.cue for a in atts] == ["tried to claim"]
    _, atts = _atts(nlp, "Republicans are continuing to insist that the deal is bad.", lex)
    assert [a.cue for a in atts] == ["are continuing to insist"]


def test_raising_verb_has_no_source_and_its_subject_opens_the_content(nlp, lex):
    text, atts = _atts(nlp, "The two candidates seemed to be well known in town.", lex)
    att = _by_cue(atts, "seemed")
    assert att.source is None and att.source_span is None
    assert [text[a:b] for a, b in att.content] == ["The two candidates", "to be well known in town"]


def test_quote_resumed_after_the_cue_in_the_same_sentence(nlp, lex):
    text, atts = _atts(nlp, "“To all the girls all over the world,” Bond said, “own your magic.”", lex)
    att = _by_cue(atts, "said")
    assert [text[a:b] for a, b in att.content] == ["“To all the girls all over the world,”", "“own your magic.”"]


def test_quote_just_before_the_source_opens_the_content_of_the_quote_after(nlp, lex):
    # the parse gives "said" only the quote after it; the one before is the same speaker's
    text, atts = _atts(nlp, "“Of course,” Clinton said, “I didn’t know him that well, but I did know him.”", lex)
    att = _by_cue(atts, "said")
    assert [text[a:b] for a, b in att.content] == ["“Of course,”", "“I didn’t know him that well, but I did know him.”"]


def test_two_clauses_hung_on_the_cue_are_one_report(nlp, lex):
    # the parser makes both clauses complements of "said": the report runs over both
    text, atts = _atts(nlp, "Officials said the road is closed, the bridge is damaged.", lex)
    assert _content(text, _by_cue(atts, "said")) == "the road is closed, the bridge is damaged"


def test_raising_verb_with_an_adjective_complement(nlp, lex):
    text, atts = _atts(nlp, "Cruz seemed lost on the stage.", lex)
    att = _by_cue(atts, "seemed")
    assert att.source_span is None
    assert [text[a:b] for a, b in att.content] == ["Cruz", "lost on the stage"]


def test_quote_continues_past_a_relative_clause_cue_about_the_source(nlp, lex):
    text, atts = _atts(
        nlp,
        "''It's not going to be easy for Marco Rubio to do it,'' said Representative Peter T. King of New York, "
        "who endorsed Mr. Rubio on Tuesday. ''There is no doubt that right now Trump is the favorite.''",
        lex,
    )
    att = _by_cue(atts, "said")
    assert text[att.content[-1][0] : att.content[-1][1]] == "''There is no doubt that right now Trump is the favorite.''"


def test_source_loses_a_leading_even_and_a_manner_phrase(nlp, lex):
    text, atts = _atts(nlp, "Even Republicans who praised him said that he would lose.", lex)
    att = _by_cue(atts, "said")
    assert att.source_span is not None
    assert text[att.source_span[0] : att.source_span[1]] == "Republicans who praised him"
    text, atts = _atts(nlp, "Mr. Schilling, through a spokeswoman, said that he would not run.", lex)
    att = _by_cue(atts, "said")
    assert att.source_span is not None
    assert text[att.source_span[0] : att.source_span[1]] == "Mr. Schilling"


def test_learned_bounds_cut_a_trailing_relative_clause_the_rules_keep(nlp, lex):
    if lex.bounds is None:
        pytest.skip("no learned boundary weights in reportedly/data/attr_model/")
    # One decision of a trained model, so a retrain can flip it: the earlier
    # example ("... client, Peabody Energy, which filed for bankruptcy ...")
    # was cut until the models were retrained on session 19's tagger.
    sentence = "The mayor dismissed the complaint as the work of a developer, Acme Homes, which sued the city last year."
    text, atts = _atts(nlp, sentence, load_lexicon(bounds=False))
    assert _content(text, _by_cue(atts, "dismissed")).endswith("last year")
    text, atts = _atts(nlp, sentence, lex)
    assert _content(text, _by_cue(atts, "dismissed")) == "the complaint as the work of a developer, Acme Homes"


def test_sourceless_cue_noun_as_an_object_is_what_the_verb_reports(nlp, lex):
    text, atts = _atts(nlp, "The governor has repeated the accusation that Rubio recites the same points.", lex)
    assert [a.cue for a in atts] == ["has repeated"]
    assert _content(text, atts[0]) == "the accusation that Rubio recites the same points"


def test_subject_reached_through_an_adjective_or_a_preposition(nlp, lex):
    text, atts = _atts(nlp, "Advisers to Mr. Rubio are quick to point out that he has placed second.", lex)
    att = _by_cue(atts, "are quick to point out")
    assert att.source_span is not None and text[att.source_span[0] : att.source_span[1]] == "Advisers to Mr. Rubio"
    text, atts = _atts(nlp, "When he returned he began by saying that the plan had failed.", lex)
    att = _by_cue(atts, "saying")
    assert att.source_span is not None and text[att.source_span[0] : att.source_span[1]] == "he"


def test_speaker_after_the_verb_of_a_quote(nlp, lex):
    text, atts = _atts(nlp, "“There are more candidates competing here,” added another New Hampshire Republican.", lex)
    att = _by_cue(atts, "added")
    assert att.source_span is not None
    assert text[att.source_span[0] : att.source_span[1]] == "another New Hampshire Republican"


def _frame_of(nlp, text: str, word: str) -> tuple[str, list[str]]:
    """The frame and content of the verb ``word`` as the extractor's own rules see it."""
    from reportedly.extract.attribution import verb_frame, verb_subject

    doc = nlp(text)
    verb = next(t for t in doc if t.text == word)
    subject, _passive = verb_subject(verb)
    frame, content, _extra = verb_frame(verb, subject, quote_regions(doc.text), doc.text)
    return frame, [doc.text[a:b] for a, b in content]


def test_a_preposition_with_its_object_is_no_parenthetical(nlp):
    # 'referring to X' hangs on 'said' like a parenthetical, but reports X
    frame, content = _frame_of(nlp, "The economy is strong, the senator said, referring to the jobs report.", "referring")
    assert (frame, content) == ("prep", ["the jobs report"])


def test_a_noun_object_beats_a_quote_before_the_source(nlp):
    frame, content = _frame_of(nlp, "“Enough is enough.” The senator urged voters to reject the plan.", "urged")
    assert (frame, content) == ("object", ["voters to reject the plan"])
    frame, content = _frame_of(nlp, "“This must stop.” Trump attacked the media on Monday.", "attacked")
    assert frame == "object" and content[0].startswith("the media")
    # with no object the quote is still what the verb reports
    frame, content = _frame_of(nlp, "“This must stop.” Trump said.", "said")
    assert frame in {"quote", "paren"} and content == ["“This must stop.”"]


def test_cue_features_carry_the_words_around_the_verb(nlp):
    from reportedly.extract.attribution import cue_features, verb_subject

    doc = nlp("Sanders has called for a ban on fracking.")
    verb = doc[2]
    subject, passive = verb_subject(verb)
    feats = cue_features(verb, subject, passive, "prep")
    assert {"lc=call|for", "c=prep:for", "aux=has", "lemma=call", "frame=prep"} <= set(feats)
    assert any(f.startswith("sl=") for f in feats) and any(f.startswith("lfs=call|prep|") for f in feats)


def test_learned_cue_edge_takes_in_a_manner_adverb(nlp, lex):
    if lex.cue_edge is None:
        pytest.skip("no learned cue edge weights in reportedly/data/attr_model/")
    sentence = "“We will win,” she said sarcastically."
    text, atts = _atts(nlp, sentence, load_lexicon(cue_edge=False))
    assert [a.cue for a in atts] == ["said"]
    text, atts = _atts(nlp, sentence, lex)
    assert [a.cue for a in atts] == ["said sarcastically"]
    assert _content(text, atts[0]) == "“We will win,”"
    # the edge never runs into the source, nor into a clause it reports
    text, atts = _atts(nlp, "The mayor said in a statement that the road will reopen.", lex)
    att = _by_cue(atts, atts[0].cue)
    assert att.cue is not None and "road" not in att.cue and _content(text, att) == "that the road will reopen"


def test_learned_cue_edge_takes_in_a_light_verbs_object(nlp, lex):
    if lex.cue_edge is None:
        pytest.skip("no learned cue edge weights in reportedly/data/attr_model/")
    for sentence, cue, content in (
        ("The senator cast doubt on the official unemployment figures.", "cast doubt on", "the official unemployment figures"),
        ("Sanders made the case for a higher minimum wage.", "made the case for", "a higher minimum wage"),
    ):
        text, atts = _atts(nlp, sentence, load_lexicon(tagger=False, cue_edge=False))
        assert [a.cue for a in atts] == [cue.split()[0]]
        text, atts = _atts(nlp, sentence, lex)
        assert [(a.cue, _content(text, a)) for a in atts] == [(cue, content)]


def test_cue_edge_candidates_enter_only_a_content_that_follows(nlp):
    from reportedly.extract.attr_cue_edge import edge_candidates

    doc = nlp("Rebels claimed credit for the attack, officials said.")
    content = set(range(2, 6))  # "credit for the attack"
    # the walk stops at the content unless it may go in, and then leaves the content its last word
    assert edge_candidates(doc, 1, len(doc), content) == [1]
    assert edge_candidates(doc, 1, len(doc), content, (2, 5)) == [1, 2, 3, 4]
    # a content that does not start right after the cue is not entered
    assert edge_candidates(doc, 0, len(doc), content | {1}, (2, 5)) == [0]
    # nor is punctuation crossed
    doc = nlp("He said “we will win” today.")
    assert edge_candidates(doc, 1, len(doc), set(range(2, 7)), (2, 6)) == [1]


def test_cue_edge_weighs_the_taggers_cue_logits_over_the_words_taken_in(nlp):
    import numpy as np

    from reportedly.extract.attr_cue_edge import CueEdgeModel, taken_logits

    doc = nlp("She said Tuesday that the plan would fail.")
    logits = np.array([-3.0, 4.0, 2.5, -1.0, -4.0, -4.0, -4.0, -4.0, -4.0, -4.0])
    assert taken_logits(logits, 1, [1, 2]).tolist() == [0.0, 2.5]
    content = set(range(3, 9))
    linear = CueEdgeModel({"bias": 0.0, "n=1": -1.0}, tagger_cue=1.0)
    # the regression alone stops at the verb; the tagger's vote for "Tuesday" outweighs it
    assert linear.best_end(doc, doc[1], 1, len(doc), content, "verb") == 1
    assert linear.best_end(doc, doc[1], 1, len(doc), content, "verb", cue_logits=logits) == 2
    # with no weight for it the vote is not asked
    assert CueEdgeModel(linear.weights).best_end(doc, doc[1], 1, len(doc), content, "verb", cue_logits=logits) == 1


def test_cue_taking_in_content_words_moves_the_content_start(nlp):
    import dataclasses

    from reportedly.extract.attr_cue_edge import CueEdgeModel

    base = load_lexicon(tagger=False, cue_edge=False)
    sentence = "The senator cast doubt on the official unemployment figures."
    text, atts = _atts(nlp, sentence, base)
    assert [(a.cue, _content(text, a)) for a in atts] == [("cast", "doubt on the official unemployment figures")]
    # a model that wants the cue to end on "on", and only there
    stub = dataclasses.replace(base, cue_edge=CueEdgeModel({"bias": -1.0, "into|tw=on": 5.0}))
    text, atts = _atts(nlp, sentence, stub)
    assert [(a.cue, _content(text, a)) for a in atts] == [("cast doubt on", "the official unemployment figures")]
    assert text[atts[0].cue_start : atts[0].cue_end] == "cast doubt on"


def test_source_loses_what_it_was_doing(nlp, lex):
    text, atts = _atts(nlp, "Marco Rubio, speaking at a rally in Miami, said that he would win.", lex)
    att = _by_cue(atts, "said")
    assert att.source_span is not None and text[att.source_span[0] : att.source_span[1]] == "Marco Rubio"
    # an apposition says who the source is and stays
    text, atts = _atts(nlp, "Chris Cox, a lobbyist for the NRA, said that the bill would fail.", lex)
    att = _by_cue(atts, "said")
    assert att.source_span is not None and text[att.source_span[0] : att.source_span[1]].strip(" ,") == "Chris Cox, a lobbyist for the NRA"


def test_governing_verb_opens_the_cue(nlp, lex):
    # PolNeAR marks the copula and the adjective, or the governing verb, as part of the cue
    text, atts = _atts(nlp, "Republican voters were slightly more likely to say that the economy is weak.", lex)
    att = _by_cue(atts, "were slightly more likely to say")
    assert _content(text, att) == "that the economy is weak"
    text, atts = _atts(nlp, "The governor decided on Monday to call for a new vote.", lex)
    assert [a.cue for a in atts] == ["decided on Monday to call for"]
    assert _content(text, atts[0]) == "a new vote"


def test_speech_verb_closing_a_paragraph_with_a_colon_reports_the_next(nlp, lex):
    text, atts = _atts(
        nlp,
        "The governor spoke after the vote. Limbaugh added:\n\n"
        "This is the greatest fear I have ever seen from a front-runner.\n\nThe hearing resumed on Monday.",
        lex,
    )
    att = _by_cue(atts, "added")
    assert att.source is not None and att.source.name == "Limbaugh"
    assert _content(text, att) == "This is the greatest fear I have ever seen from a front-runner."


def test_speech_verb_ending_the_sentence_reports_what_stands_before_it(nlp, lex):
    text, atts = _atts(nlp, "Not a chance, experts say.", lex)
    att = _by_cue(atts, "say")
    assert _content(text, att) == "Not a chance"
    assert att.source is not None and att.source.text == "experts"
    # 'said yes': what was said follows the verb, nothing before it is content.
    text, atts = _atts(nlp, "Asked whether he would run again, the senator said yes.", lex)
    assert all("Asked" not in _content(text, a) for a in atts)


def test_passive_cue_without_agent_says_it_of_its_subject(nlp, lex):
    text, atts = _atts(nlp, "Clinton was declared the winner in Maryland.", lex)
    att = _by_cue(atts, "was declared")
    assert att.source is None and att.source_span is None
    assert [text[a:b] for a, b in att.content] == ["Clinton", "the winner in Maryland"]
    # the same with a preposition joining the cue: "accused of", "blamed for"
    text, atts = _atts(nlp, "The developer was accused of using the money for a luxury condominium.", lex)
    att = _by_cue(atts, "was accused of")
    assert att.source is None
    assert [text[a:b] for a, b in att.content] == ["The developer", "using the money for a luxury condominium"]


def test_quote_continues_after_content_that_ends_in_a_quote(nlp, lex):
    # the reported clause opens with the speaker's subject outside the quote marks
    text, atts = _atts(
        nlp,
        "Biden “has a lot of really good roles to play,” said Doyle, whose home state is a target. "
        "“He deservedly has that appeal.”",
        lex,
    )
    att = _by_cue(atts, "said")
    assert text[att.content[-1][0] : att.content[-1][1]] == "“He deservedly has that appeal.”"


def test_according_to_parsed_as_root(nlp, lex):
    # The small parser makes "According" the root and hangs the clause on
    # the source as an apposition; the comma still ends the source.
    text, atts = _atts(nlp, "According to longtime talk show host Jim Bell, the senator reeks of fear.", lex)
    att = _by_cue(atts, "According to")
    assert att.source is not None and att.source.name == "Jim Bell"
    assert _content(text, att) == "the senator reeks of fear"
    assert not [a for a in atts if a is not att and a.cue_start == att.cue_start]


def test_according_to_with_a_gerund_parse(nlp, lex):
    text, atts = _atts(nlp, "The governor shouted at reporters, according to show insiders.", lex)
    att = _by_cue(atts, "according to")
    assert att.source is not None and "insiders" in att.source.name
    assert _content(text, att) == "The governor shouted at reporters"


def test_speaker_after_a_quote_the_parser_also_makes_a_subject(nlp, lex):
    # The parser gives "said" two subjects: "reaction" inside the quote and
    # "strategist" outside it; the speaker is the one outside.
    text, atts = _atts(
        nlp, "“My reaction, that was outrageous,” Obama's former campaign strategist said in an interview with CNN.", lex
    )
    att = _by_cue(atts, "said")
    assert att.source_span is not None
    assert text[slice(*att.source_span)] == "Obama's former campaign strategist"
    assert _content(text, att) == "“My reaction, that was outrageous,”"


def test_a_poll_finding_is_attributed_to_the_poll(nlp, lex):
    text, atts = _atts(
        nlp, "In a CNN/ORC poll released Monday, 31 percent of Republicans said they were extremely enthusiastic.", lex
    )
    att = _by_cue(atts, "In")
    assert att.pattern == "finding"
    assert att.source is not None and att.source.kind == "document" and "CNN/ORC poll" in (att.source.name or "")
    assert _content(text, att) == "31 percent of Republicans said they were extremely enthusiastic"
    # the respondents' own report is there too, nested in the finding
    assert _content(text, _by_cue(atts, "said")) == "they were extremely enthusiastic"


def test_a_poll_finding_keeps_the_clause_core(nlp, lex):
    text, atts = _atts(nlp, "Kasich was at 25 percent support in the most recent Fox poll, up eight points from March.", lex)
    att = _by_cue(atts, "in")
    assert _content(text, att) == "Kasich was at 25 percent support"


def test_leading_in_the_polls_is_no_finding(nlp, lex):
    _text, atts = _atts(nlp, "Trump, who leads in the polls there, spoke in Miami.", lex)
    assert [a for a in atts if a.pattern == "finding"] == []


def test_a_date_beside_a_source_is_not_its_name(nlp, lex):
    _text, atts = _atts(nlp, "According to a Gallup survey this week, 40 percent approve of the plan.", lex)
    att = _by_cue(atts, "According to")
    assert att.source is not None and att.source.name == "Gallup survey"


def test_said_in_a_statement_that(nlp, lex):
    # The parser hangs the that-clause on "statement", not on "said".
    text, atts = _atts(nlp, "Rep. Zoe Lofgren said in a statement that the announcements were important steps.", lex)
    att = _by_cue(atts, "said")
    assert att.source is not None and att.source.name == "Zoe Lofgren"
    assert _content(text, att) == "that the announcements were important steps"


def test_speaker_after_a_comma_when_the_parser_gives_two_subjects(nlp, lex):
    text, atts = _atts(nlp, "People like Scott, he said.", lex)
    att = _by_cue(atts, "said")
    assert att.source_span is not None and text[slice(*att.source_span)] == "he"


def test_a_live_blog_time_stamp_or_heading_is_not_the_speaker(nlp, lex):
    text, atts = _atts(
        nlp, "The Latest on the race.\n\n12:15 p.m.\n\nDonald Trump says political correctness has run amok.", lex
    )
    att = _by_cue(atts, "says")
    assert att.source is not None and att.source.name == "Donald Trump"
    text, atts = _atts(nlp, "The Latest: Trump urges supporters to monitor polling places.", lex)
    att = _by_cue(atts, "urges")
    assert att.source_span is not None and text[slice(*att.source_span)] == "Trump"


def test_a_dateline_and_a_comparison_are_not_the_source(nlp, lex):
    text, atts = _atts(nlp, "BRUSSELS - European leaders said on Friday that the union must change.", lex)
    [att] = [a for a in atts if (a.cue or "").startswith("said")]
    assert att.source_span is not None and text[slice(*att.source_span)] == "European leaders"
    text, atts = _atts(nlp, "Democratic candidate Hillary Clinton, like Obama, has said that Europe must spend more.", lex)
    att = _by_cue(atts, "has said")
    assert att.source_span is not None and text[slice(*att.source_span)] == "Democratic candidate Hillary Clinton"


def test_asked_opening_a_sentence_reports_the_question_not_the_answerer(nlp, lex):
    text, atts = _atts(nlp, "Asked if she believed Putin wanted Trump to win, Clinton said she was not going to jump to that conclusion.", lex)
    [asked] = [a for a in atts if (a.cue or "").startswith("Asked")]
    assert asked.source is None
    assert _content(text, asked) == "if she believed Putin wanted Trump to win"
    said = _by_cue(atts, "said")
    assert said.source is not None and said.source.name == "Clinton"
    assert _content(text, said) == "she was not going to jump to that conclusion"


def test_spoke_about_after_adjuncts(nlp, lex):
    text, atts = _atts(nlp, "Hillary Clinton spoke out Tuesday about the death of Terence Crutcher in Tulsa.", lex)
    att = _by_cue(atts, "spoke out Tuesday about")
    assert _content(text, att) == "the death of Terence Crutcher in Tulsa"


def test_called_for_someone_to_act(nlp, lex):
    text, atts = _atts(nlp, "Clinton is calling for the United States to take a stronger role in the conflict.", lex)
    att = _by_cue(atts, "is calling for")
    assert att.source is not None and att.source.name == "Clinton"
    assert _content(text, att) == "the United States to take a stronger role in the conflict"


def test_a_nested_cue_needs_the_stricter_threshold(nlp):
    from dataclasses import replace

    text = "Merrill says Machado promised to continue supporting Clinton."
    # without the tagger's vote, whose thresholds were chosen again with it
    base = load_lexicon(tagger=False)
    assert base.cue_weights, "the shipped cue model is needed here"
    both = replace(base, nested_cue_threshold=0.0)
    strict = replace(base, nested_cue_threshold=1.0)
    cues = lambda lx: [a.cue for a in _atts(nlp, text, lx)[1]]  # noqa: E731
    assert any(c.startswith("promised") for c in cues(both)) and "says" in cues(both)
    assert not any(c.startswith("promised") for c in cues(strict)) and "says" in cues(strict)
    assert base.nested_cue_threshold > base.cue_threshold  # chosen by scripts/train_attribution.py


def test_a_parenthetical_report_leaves_out_the_opening_conjunction(nlp, lex):
    text, atts = _atts(nlp, "Yet, she observed, the plan would fail.", lex)
    att = _by_cue(atts, "observed")
    assert [text[a:b] for a, b in att.content] == ["the plan would fail"]
