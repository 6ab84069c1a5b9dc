"""Acceptance of issue 2 on the two seed articles in ../shared/seeds.

The manifest dates 000 to 2017-07-20 and 003 to 2016-08-20. Each test checks
one listed claim of the acceptance section: its figure, bound, vagueness,
places, source (with count, anonymity, intermediaries), cue, time interval
and change, or a statement with its source.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportedly.extract import Extractor
from reportedly.ingest import Manifest, iter_documents
from reportedly.types import Claim, Document

MANIFEST = {"000_4d33433c687c8a0e.txt": {"published": "2017-07-20"}, "003_387345a95e5baaed.txt": {"published": "2016-08-20"}}


@pytest.fixture(scope="module")
def ledger(nlp, seeds: Path) -> dict[str, tuple[Document, list[Claim]]]:
    manifest = Manifest.from_mapping(MANIFEST, base=seeds)
    documents = list(iter_documents([seeds], manifest=manifest))
    out: dict[str, tuple[Document, list[Claim]]] = {}
    for document, claims in Extractor(nlp).pipe(documents):
        out[Path(document.path).name[:3]] = (document, claims)
    assert set(out) == {"000", "003"}
    return out


def quantity(claims: list[Claim], lemma: str, *, value: float | None = None, low: float | None = None) -> Claim:
    found = [
        c
        for c in claims
        if c.kind == "quantity"
        and c.quantity is not None
        and lemma in (c.quantity.entity_lemma or c.quantity.entity or "").lower()
        and (value is None or c.quantity.value == value)
        and (low is None or c.quantity.low == low)
    ]
    assert len(found) == 1, f"expected one {lemma} claim with value={value} low={low}, got {[c.quantity.text for c in found]}"
    return found[0]


def statement(claims: list[Claim], words: str) -> Claim:
    found = [c for c in claims if c.kind == "statement" and c.content and words in c.content]
    assert found, f"no statement containing {words!r}"
    return found[0]


def officials_via_ap(claim: Claim) -> None:
    src = claim.source
    assert src is not None
    assert "officials" in (src.name or "").lower()
    assert src.count == 3
    assert src.anonymous
    assert src.via == ["The Associated Press"]


def test_metadata(ledger) -> None:
    doc000, _ = ledger["000"]
    doc003, _ = ledger["003"]
    assert doc000.author == "Alissa Stechschulte"
    assert doc003.repost and doc003.original_publisher == "Rudaw"
    assert (doc000.published or "").startswith("2017-07-20")
    assert (doc003.published or "").startswith("2016-08-20")


def test_offsets_and_evidence(ledger) -> None:
    for document, claims in ledger.values():
        assert claims
        for c in claims:
            assert document.text[c.sentence_start : c.sentence_end] == c.sentence
            assert c.sentence_start <= c.start < c.end <= c.sentence_end
            if c.kind == "quantity":
                assert document.text[c.start : c.end] == c.quantity.text


def test_no_claim_from_debris(ledger) -> None:
    debris = ("Font Size", "Tags :", "Leave a Reply", "Akismet", "bloggers like this", "Stringer/File Photo", "AFP photo")
    for _, claims in ledger.values():
        for c in claims:
            assert not any(d in c.sentence for d in debris), c.sentence


def test_fighters_and_supporters_in_iraq(ledger) -> None:
    _, claims = ledger["000"]
    for lemma, value in (("fighter", 4000), ("supporter", 3000)):
        c = quantity(claims, lemma, value=value)
        assert c.quantity.bound == "~"
        assert "Iraq" in c.quantity.locations
        assert "approximately" in c.hedges
        assert c.cue == "claim"
        assert c.source.resolved_from == "They"
        officials_via_ap(c)


def test_fighters_and_supporters_in_syria(ledger) -> None:
    _, claims = ledger["000"]
    for lemma, value in (("fighter", 7000), ("supporter", 5000)):
        c = quantity(claims, lemma, value=value)
        assert c.quantity.bound == "~"
        assert c.quantity.locations == ["Syria"]
        assert "estimated" in c.hedges
        officials_via_ap(c)  # the paragraph continues the officials' report


def test_thousands_of_militants_vague(ledger) -> None:
    _, claims = ledger["000"]
    c = quantity(claims, "militant", low=1000)
    assert c.quantity.vague and c.quantity.high is None
    assert c.cue == "told"
    officials_via_ap(c)


def test_pentagon_figures_as_of_last_summer(ledger) -> None:
    _, claims = ledger["000"]
    removed = quantity(claims, "individual", value=45000)
    assert removed.quantity.bound == "~"
    left = quantity(claims, "militant", value=15000)
    assert left.quantity.change is not None and left.quantity.change.direction == "down"
    assert set(left.quantity.locations) == {"Iraq", "Syria"}
    for c in (removed, left):
        assert c.source is not None and c.source.name == "Pentagon" and c.source.kind == "organisation"
        assert (c.time.start, c.time.end) == ("2016-06-01", "2016-08-31")
        assert "last summer" in (c.time.text or "").lower()


def test_defense_statistics_earlier_this_month(ledger) -> None:
    _, claims = ledger["003"]
    c = quantity(claims, "militant", low=19000)
    q = c.quantity
    assert (q.low, q.high, q.value) == (19000, 25000, None)
    assert set(q.locations) == {"Iraq", "Syria"}
    assert q.actor == "ISIS"
    assert q.change is not None and q.change.direction == "down"
    assert q.change.previous_low == 30000 and q.change.previous_bound in (">", ">=")
    assert c.source is not None and "defense statistics" in (c.source.name or "") and c.source.kind == "document"
    assert (c.time.text, c.time.start, c.time.end) == ("earlier this month", "2016-08-01", "2016-08-20")
    # the previous value is part of the change, not a claim of its own
    assert not [x for x in claims if x.kind == "quantity" and x.quantity.low == 30000]


def test_baghdadi_killed_and_alive(ledger) -> None:
    _, claims = ledger["000"]
    killed = statement(claims, "al-Baghdadi was killed")
    assert killed.source is not None and killed.source.name == "Recent reports" and killed.source.kind == "document"
    alive = statement(claims, "he is in fact alive")
    assert alive.source is not None and alive.source.anonymous
    assert alive.source.via == ["The Associated Press"]
    assert alive.hedges == ["reportedly"]


def test_rasmussen_last_week(ledger) -> None:
    _, claims = ledger["000"]
    c = statement(claims, "small number of relatively skilled fighters")
    assert c.source is not None and c.source.name == "Nick Rasmussen" and c.source.kind == "person"
    assert c.cue == "explained"
    assert (c.time.start, c.time.end) == ("2017-07-10", "2017-07-16")
    assert "could" in c.hedges


def test_shukri_via_bbc_saeed_and_experts(ledger) -> None:
    _, claims = ledger["003"]
    shukri = statement(claims, "taking refuge here")
    assert shukri.source is not None and shukri.source.name == "Ismail Shukri"
    assert shukri.source.via and "BBC" in shukri.source.via[0]
    saeed = statement(claims, "their bombs were being made by specialists")
    assert saeed.source is not None and saeed.source.name == "Sulaiman Saeed" and saeed.source.resolved_from == "he"
    experts = statement(claims, "relocated to Libya")
    assert experts.source is not None and experts.source.name == "Experts" and experts.cue == "believe"
