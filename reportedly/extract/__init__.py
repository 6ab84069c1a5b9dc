"""Extraction: claim frames from one document.

    from reportedly.extract import Extractor
    extractor = Extractor()                      # loads the installed English model
    claims = extractor.extract(document)         # list[Claim]
    for document, claims in extractor.pipe(documents):
        ...

:class:`Extractor` is pure: it reads a :class:`~reportedly.types.Document`
and returns claims, with no I/O and no global state written, so the same
object serves a process pool or a PySpark ``mapPartitions``. Long articles
are parsed in paragraph-aligned chunks so ``nlp.max_length`` is never hit;
offsets always point into the full ``Document.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from reportedly.extract import component as _component  # registers the spaCy factories
from reportedly.extract.frames import build_claims
from reportedly.extract.hedges import find_hedges
from reportedly.extract.model import load_base_model
from reportedly.extract.timeref import find_time
from reportedly.settings import PIPE_CACHE_ENTRIES
from reportedly.types import Claim, Document

__all__ = ["DEFAULT_BATCH_CHARS", "DEFAULT_CHUNK_CHARS", "Extractor", "build_claims", "find_hedges", "find_time", "split_chunks"]

#: Largest piece of text parsed at once. Well under spaCy's ``max_length``
#: (1,000,000) because the parser's memory grows with the text.
DEFAULT_CHUNK_CHARS = 100_000
#: Most characters parsed in one spaCy batch. The parser's working memory
#: grows with the text of the whole batch, not with its number of documents,
#: so batches counted in documents alone let peak memory follow whichever
#: long articles happen to arrive together (eight long copies in a row cost
#: eight times one). Bounded in characters, the peak is set by this budget
#: (or by one ``chunk_chars`` piece) whatever the input.
DEFAULT_BATCH_CHARS = 20_000

_CLAIMS = "reportedly_claims"
_BREAKS = (re.compile(r"\n[ \t\u00a0]*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s"), re.compile(r"\s"))

assert _component  # imported for its side effect of registering the factories


def _bound_pipe_caches(nlp: Language, limit: int = PIPE_CACHE_ENTRIES) -> None:
    """Empty a pipe's lookup cache once it passes ``limit`` entries.

    spaCy's rule lemmatizer memoises every (word, tag) it meets in a plain
    dict that no memory zone covers, so over a crawl it grows without end.
    Emptying it costs a few lookups again; it never changes a lemma.
    """
    for _, pipe in nlp.pipeline:
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > limit:
            cache.clear()


def split_chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, with their offsets.

    Cuts fall at the last paragraph break before the limit, else the last
    line break, sentence end or space; a text without any is cut hard.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = limit
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window)]
            if ends and ends[-1] > limit // 4:
                cut = ends[-1]
                break
        pieces.append((pos, text[pos : pos + cut]))
        pos += cut
    pieces.append((pos, text[pos:]))
    return [(off, piece) for off, piece in pieces if piece.strip()]


class Extractor:
    """Runs the spaCy pipeline plus claim assembly over documents.

    With ``nlp=None`` the installed English model is loaded and the
    ``reportedly_paragraphs`` and ``reportedly_claims`` components are
    added, the latter with the MiniLM attribution tagger where
    ``attribution_tagger``. A model passed in is used as it is, never modified: without a
    ``reportedly_claims`` component the claims are assembled after parsing.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        *,
        chunk_chars: int = DEFAULT_CHUNK_CHARS,
        batch_chars: int = DEFAULT_BATCH_CHARS,
        attribution_tagger: bool = False,
    ) -> None:
        if nlp is None:
            nlp = load_base_model()
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("reportedly_paragraphs", before="parser")
            nlp.add_pipe(_CLAIMS, config={"attribution_tagger": attribution_tagger})
        self.nlp = nlp
        self.chunk_chars = max(1, min(chunk_chars, nlp.max_length - 1))
        self.batch_chars = max(1, batch_chars)

    def extract(self, document: Document) -> list[Claim]:
        """Claims of one document ([] for documents that are not "ok")."""
        for _, claims in self.pipe([document], batch_size=1):
            return claims
        return []

    def pipe(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, list[Claim]]]:
        """``(document, claims)`` for each document, in input order.

        Documents whose status is not "ok" pass through with no claims. A
        document on which the pipeline raises comes back with status
        "failed" and the error as its reason; the others go on.
        """
        it = iter(documents)
        while batch := list(islice(it, max(batch_size, 1))):
            try:
                results = self._run(batch, batch_size)
            except Exception:  # noqa: BLE001 - isolate the failing document below
                results = [self._run_one(document, batch_size) for document in batch]
            yield from results

    # ----------------------------------------------------------------- internals

    def _run_one(self, document: Document, batch_size: int) -> tuple[Document, list[Claim]]:
        try:
            return self._run([document], batch_size)[0]
        except Exception as err:  # noqa: BLE001 - a per-document failure must not abort a run
            reason = f"extraction failed: {type(err).__name__}: {err}".splitlines()[0]
            return replace(document, status="failed", reason=reason), []

    def _run(self, batch: list[Document], batch_size: int) -> list[tuple[Document, list[Claim]]]:
        # Inside a memory zone the strings and lexemes spaCy adds for new words
        # (names, figures, URLs: a crawl never runs out of them) are freed when
        # the batch is done; outside one the vocabulary grows with every
        # article. Claims are plain dataclasses, so nothing made here outlives it.
        with self.nlp.memory_zone():
            found = self._claims_of(batch, batch_size)
        _bound_pipe_caches(self.nlp)
        return list(zip(batch, found, strict=True))

    def _claims_of(self, batch: list[Document], batch_size: int) -> list[list[Claim]]:
        found: list[list[Claim]] = [[] for _ in batch]
        has_component = _CLAIMS in self.nlp.pipe_names
        for group in self._groups(batch, batch_size):
            # Docs are made per group, so only one group's parses are alive at once.
            docs = [self._make_doc(batch[n], offset, piece) for n, offset, piece in group]
            for (n, _, _), doc in zip(group, self.nlp.pipe(docs, batch_size=len(docs)), strict=True):
                if has_component:
                    claims = doc._.claims or []
                else:
                    claims = build_claims(doc, batch[n].id, batch[n].published, offset=doc._.char_offset)
                found[n].extend(claims)
        for claims in found:
            claims.sort(key=lambda c: (c.start, c.end, c.kind))
        return found

    def _groups(self, batch: list[Document], batch_size: int) -> Iterator[list[tuple[int, int, str]]]:
        """``(document index, offset, text)`` pieces, in parse batches.

        A batch closes at ``batch_size`` pieces or before its text would pass
        ``batch_chars``; a piece longer than that is parsed alone.
        """
        group: list[tuple[int, int, str]] = []
        chars = 0
        for n, document in enumerate(batch):
            if not document.ok or not document.text.strip():
                continue
            for offset, piece in split_chunks(document.text, self.chunk_chars):
                if group and (len(group) >= batch_size or chars + len(piece) > self.batch_chars):
                    yield group
                    group, chars = [], 0
                group.append((n, offset, piece))
                chars += len(piece)
        if group:
            yield group

    def _make_doc(self, document: Document, offset: int, piece: str) -> Doc:
        doc = self.nlp.make_doc(piece)
        doc._.doc_id = document.id
        doc._.published = document.published
        doc._.char_offset = offset
        return doc
