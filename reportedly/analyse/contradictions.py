"""Statements that contradict each other about the same subject.

"Recent reports have stated that al-Baghdadi was killed" and "officials
told The AP that he is in fact alive" assert opposite states (dead / alive,
from ``reportedly/data/link_polarity.json``) of one subject. A statement's
*assertion* is the state its content names, flipped by a negation just
before it ("not dead", "never confirmed") or by a denial before it or in
the reporting verb ("sources denied that Rosenberg was captured", "we are
not aware of Banksy being arrested"; ``denials`` in the polarity file), and
ignored inside a condition ("if al-Baghdadi was found and killed") or a
temporal backdrop ("a ransom for Foley while he was still alive" says
nothing of whether he is alive now). Its *subject* is the names in the
content; a content that names nobody and opens with a pronoun ("he is in
fact alive") takes the last name before it in the sentence that is not the
source's. Statements are blocked by subject name, so only statements
sharing a name are ever compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from reportedly.analyse.compare import Relation
from reportedly.link.vocab import Vocabulary, normalise_text
from reportedly.types import Claim

__all__ = ["Assertion", "assertion", "find_contradictions"]

_TOKEN = re.compile(r"[\w][\w'’.-]*\w|\w")
_NEGATIONS = {"not", "never", "no", "n't", "nor", "neither"}
_CONDITIONS = {"if", "whether", "unless", "should", "would", "while"}
#: Auxiliaries and copulas that make "X ... killed" a statement about X.
_PASSIVE = {"is", "was", "were", "are", "be", "been", "being", "remains", "remained", "found", "reportedly", "now", "still"}
_COMPLEMENTISERS = {"that", "how"}
#: Words that may follow a predicative adjective ("is dead in his flat", "alive and well").
_AFTER_PREDICATE = {"and", "or", "but", "in", "at", "on", "after", "since", "for", "by", "to", "from", "with", "as",
                    "when", "while", "because", "according", "that", "now", "today", "yesterday", "again", "still"}
_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them"}
#: Capitalised words that open sentences or name no one.
_NOT_NAMES = {"the", "a", "an", "he", "she", "they", "it", "i", "we", "you", "this", "that", "one", "but", "and", "in", "on", "mr", "mrs", "ms", "dr",
              "no", "not", "none"}


@dataclass(frozen=True, slots=True)
class Assertion:
    """What a statement says of whom: ``state`` ("dead"), negated or not, about ``subjects``."""

    claim_id: str
    state: str
    negated: bool
    subjects: frozenset[str]
    word: str
    names: tuple[str, ...] = ()
    time: tuple[str | None, str | None] = (None, None)


def _names(text: str, vocab: Vocabulary) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        low = tok.lower()
        if not any(c.isupper() for c in tok) or low in _NOT_NAMES or low in vocab.states:
            continue
        out.append(low)
        if "-" in low:  # "al-Baghdadi" is also "Baghdadi"
            out.append(low.rsplit("-", 1)[-1])
    return out


def _state(words: list[str], vocab: Vocabulary, before_noun: list[bool] | None = None) -> tuple[str, bool, str, int] | None:
    """The first state word asserted (not conditional), its negation and its index.

    ``before_noun[i]`` says word ``i`` runs straight on into another word
    (no punctuation between), where an adjective describes the next noun.
    """
    for i, w in enumerate(words):
        state = vocab.states.get(w)
        if state is None:
            continue
        before = words[max(0, i - 4) : i]
        if any(b in _CONDITIONS for b in words[:i]):
            return None
        if w in vocab.passive_only and not any(b in _PASSIVE for b in words[max(0, i - 3) : i]):
            continue  # "troops killed X", "militants released a video": not the subject's state
        if (w in vocab.predicative_only and before_noun and before_noun[i] and i + 1 < len(words)
                and words[i + 1] not in _AFTER_PREDICATE):
            continue  # "5,000 false alarms", "a free press": describes a noun, asserts nothing
        return state, any(b in _NEGATIONS or b.endswith("n't") for b in before), w, i
    return None


#: How many words before the state word may name its subject ("al-Baghdadi was killed").
_SUBJECT_WINDOW = 6


def assertion(claim: Claim, vocab: Vocabulary, not_subject: Callable[[str], bool] | None = None) -> Assertion | None:
    """The assertion a statement claim makes, or None when it asserts no known state.

    The subject is the names in the few words before the state word (the
    clause it is predicated of), leaving out names for which ``not_subject``
    is true (countries, actors: "Syrian", "Islamic State" are settings, not
    who was killed).
    """
    if claim.kind != "statement" or not claim.content:
        return None
    spans = list(_TOKEN.finditer(claim.content))
    tokens = [m.group(0) for m in spans]
    words = [w.lower() for w in tokens]
    before_noun = [bool(re.match(r" \w", claim.content[m.end() : m.end() + 2])) for m in spans]
    lead = 0
    while lead < len(words) and words[lead] in _COMPLEMENTISERS:  # "that he is in fact alive"
        lead += 1
    found = _state(words[lead:], vocab, before_noun[lead:])
    if found is None:
        return None
    state, negated, word, i = found
    cue = [w.lower() for w in _TOKEN.findall(claim.cue or "")]
    if _denies(words[lead : lead + i], vocab) or _denies(cue, vocab):
        negated = not negated
    clause = vocab.without_actors(" ".join(tokens[max(lead, lead + i - _SUBJECT_WINDOW) : lead + i]))
    subjects = [n for n in _names(clause, vocab) if not (not_subject and not_subject(n))]
    if not subjects and lead < len(words) and words[lead] in _PRONOUNS:
        subjects = _antecedent(claim, vocab)
    if not subjects:
        return None
    kin = _kin(words[lead : lead + i])
    if kin is not None:
        # "a wife of al-Baghdadi was detained" is not said of al-Baghdadi
        subjects = [f"{kin} of {n}" for n in subjects]
    return Assertion(claim.id, state, negated, frozenset(subjects), word, tuple(subjects), (claim.time.start, claim.time.end))


#: People named through someone else ("the wife of X", "X's bodyguard"), singular.
_KIN = {
    "wife": "wife", "wives": "wife", "husband": "husband", "son": "son", "sons": "son",
    "daughter": "daughter", "daughters": "daughter", "child": "child", "children": "child",
    "brother": "brother", "brothers": "brother", "sister": "sister", "sisters": "sister",
    "father": "father", "mother": "mother", "family": "family", "relative": "relative",
    "relatives": "relative", "aide": "aide", "aides": "aide", "bodyguard": "bodyguard",
    "bodyguards": "bodyguard", "deputy": "deputy", "driver": "driver",
}


def _kin(words: list[str]) -> str | None:
    """The relation through which the named person is mentioned, if the clause's
    subject is someone's kin or staff ("a wife and child of al-Baghdadi",
    "Baghdadi's wife")."""
    for j, w in enumerate(words):
        if w in _KIN and ("of" in words[j + 1 : j + 4] or (j > 0 and words[j - 1].endswith(("'s", "’s")))):
            return _KIN[w]
    return None


def _denies(words: list[str], vocab: Vocabulary) -> bool:
    """Whether ``words`` hold a denial ("denied", "not aware")."""
    for denial in vocab.denials:
        n = len(denial)
        if any(tuple(words[j : j + n]) == denial for j in range(len(words) - n + 1)):
            return True
    return False


def _antecedent(claim: Claim, vocab: Vocabulary) -> list[str]:
    """The last name before the content in its sentence that is not the source's."""
    if claim.content_start is None:
        return []
    cut = claim.content_start
    if claim.source and claim.source.start is not None and claim.sentence_start <= claim.source.start < cut:
        # "..., but the anonymous officials told The AP that he ...": names
        # inside the attribution (source, cue, intermediary) are not the subject.
        cut = claim.source.start
    before = claim.sentence[: max(0, cut - claim.sentence_start)]
    source_words: set[str] = set()
    if claim.source:
        for t in [claim.source.text or "", claim.source.name or "", *claim.source.via]:
            source_words.update(w.lower() for w in _TOKEN.findall(t))
    names = [n for n in _names(before, vocab) if n not in source_words and n.split("-")[-1] not in source_words]
    if not names:
        return []
    last = names[-1]
    # Keep "al-baghdadi" together with "baghdadi" when the hyphenated form was last.
    return [n for n in names[-2:] if n == last or last.endswith("-" + n) or n.endswith("-" + last)] or [last]


def _same_person(a: Assertion, b: Assertion) -> bool:
    """False when a shared surname is preceded by different given names ("Willie" / "Judd" Nelson).

    Near-identical spellings ("Gill" / "Gil") count as the same name.
    """
    from difflib import SequenceMatcher

    for name in set(a.names) & set(b.names):
        ia, ib = a.names.index(name), b.names.index(name)
        if ia == 0 or ib == 0:
            continue
        pa, pb = a.names[ia - 1], b.names[ib - 1]
        if pa != pb and pa not in b.names and pb not in a.names and SequenceMatcher(None, pa, pb).ratio() < 0.8:
            return False
    return True


def _times_meet(a: Assertion, b: Assertion) -> bool:
    """Whether two reference times overlap (unknown times always may)."""
    (a0, a1), (b0, b1) = a.time, b.time
    if not (a0 or a1) or not (b0 or b1):
        return True
    return (a0 or "0000") <= (b1 or "9999") and (b0 or "0000") <= (a1 or "9999")


def _opposed(a: Assertion, b: Assertion, vocab: Vocabulary) -> bool:
    if a.state == b.state:
        return a.negated != b.negated
    return vocab.contradicts(a.state, b.state) and a.negated == b.negated


def find_contradictions(
    claims: Iterable[Claim],
    vocab: Vocabulary,
    groups: Mapping[str, str] | None = None,
    per_claim: int = 3,
    not_subject: Callable[[str], bool] | None = None,
) -> list[Relation]:
    """Pairs of statements asserting opposite states of a shared subject.

    Copies of one statement in a repost group count once; statements are
    blocked by subject name and each is paired with at most ``per_claim``
    earlier contradicting ones, which bounds the cost on huge corpora.
    """
    groups = groups or {}
    blocks: dict[str, list[tuple[Claim, Assertion]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for claim in claims:
        a = assertion(claim, vocab, not_subject)
        if a is None:
            continue
        copy_key = (groups.get(claim.doc_id, claim.doc_id), normalise_text(claim.content or ""))
        if copy_key in seen:
            continue
        seen.add(copy_key)
        for subject in a.subjects:
            blocks[subject].append((claim, a))
    out: list[Relation] = []
    done: set[tuple[str, str]] = set()
    for block, items in blocks.items():
        # In time order, each statement is paired with the nearest earlier
        # statements it contradicts (at most ``per_claim``), so a subject
        # discussed a million times costs a million steps, not its square.
        items.sort(key=lambda ca: (ca[0].time.start or "", ca[0].doc_id, ca[0].start))
        latest: dict[tuple[str, bool], list[tuple[Claim, Assertion]]] = defaultdict(list)
        for cb, ab in items:
            found = 0
            for key, earlier in latest.items():
                probe = Assertion("", key[0], key[1], frozenset(), "")
                if not _opposed(probe, ab, vocab):
                    continue
                for ca, aa in reversed(earlier[-per_claim:]):
                    pair = (ca.id, cb.id)
                    if pair in done or ca.id == cb.id or found >= per_claim or not _same_person(aa, ab):
                        continue
                    # Captured in March and free in October is a change, not a contradiction.
                    if (aa.state in vocab.transient or ab.state in vocab.transient) and not _times_meet(aa, ab):
                        continue
                    done.add(pair)
                    found += 1
                    out.append(_relation(ca, aa, cb, ab, block))
            latest[(ab.state, ab.negated)].append((cb, ab))
    return out


def _relation(ca: Claim, aa: Assertion, cb: Claim, ab: Assertion, block: str) -> Relation:
    who_a = (ca.source.name or ca.source.text) if ca.source else "unattributed"
    who_b = (cb.source.name or cb.source.text) if cb.source else "unattributed"
    shared = sorted(aa.subjects & ab.subjects, key=lambda n: (-len(n), n))
    subject = " ".join(n for n in shared if not any(n != m and n in m for m in shared)) or block

    def says(a: Assertion) -> str:
        return f"{'not ' if a.negated else ''}{a.state} ({a.word!r})"

    # "per" reads the same for one source and for many ("Iraqi officials says" did not)
    return Relation(ca.id, cb.id, "contradiction", f"about {subject}: {says(aa)} per {who_a}, {says(ab)} per {who_b}")
