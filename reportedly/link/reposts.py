"""Repost groups: exact and near-duplicate documents, and credited copies.

Three signals join documents into one group (union-find, so groups are
transitive):

* the same cleaned text (``Document.id`` is a content hash, so exact copies
  already share an id; we also hash the whitespace-normalised text);
* near-duplicates: MinHash signatures over word 5-shingles, candidates from
  locality-sensitive hashing (datasketch ``MinHashLSH``), so no pair is
  compared unless LSH puts them in one bucket;
* credits: a document crediting an original publisher ("By Rudaw", "via
  X", set by ingest as ``Document.original_publisher``) is a repost even
  when the original is not in the corpus, and that publisher is named.

The original of a group is the earliest published member that is not
itself a credited repost; its publisher, or the credited one, is named.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from reportedly.link.vocab import normalise_text
from reportedly.types import Document

__all__ = ["RepostGroup", "find_reposts", "shingles"]

_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class RepostGroup:
    """Documents carrying one article; ``original`` is a member doc id or None."""

    id: str
    members: list[str]
    original: str | None
    original_publisher: str | None
    reasons: list[str] = field(default_factory=list)


def shingles(text: str, k: int = 5) -> set[bytes]:
    """Word k-shingles of a text, lower-cased (short texts give one shingle)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_reposts(
    documents: Iterable[Document],
    threshold: float = 0.8,
    num_perm: int = 64,
    shingle_words: int = 5,
) -> list[RepostGroup]:
    """Groups of two or more documents carrying the same article.

    ``threshold`` is the estimated Jaccard similarity of shingle sets above
    which two documents are near-duplicates; a repost with a comment or a
    share footer added keeps most of its shingles and passes, two articles
    on one event do not. Documents that repost with a credit but match
    nothing still form a one-member group so that their original publisher
    is recorded.
    """
    docs = [d for d in documents if d.ok]
    union = _Union()
    reasons: dict[str, list[str]] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    # One set of permutations for all signatures (drawing them per document
    # costs more than hashing it), and CRC-32 shingle hashes: C speed, and
    # the same on every run so repost groups are stable.
    template = MinHash(num_perm=num_perm, hashfunc=zlib.crc32)
    exact: dict[str, str] = {}
    for d in docs:
        union.find(d.id)
        digest = hashlib.sha1(" ".join(d.text.split()).lower().encode("utf-8")).hexdigest()
        if digest in exact:
            union.union(d.id, exact[digest])
            reasons.setdefault(d.id, []).append(f"same text as {exact[digest]}")
            continue
        exact[digest] = d.id
        sh = shingles(d.text, shingle_words)
        if not sh:
            continue
        m = MinHash(num_perm=num_perm, hashfunc=zlib.crc32, permutations=template.permutations, scheme=template.scheme)
        m.update_batch(list(sh))
        for other in lsh.query(m):
            union.union(d.id, other)
            reasons.setdefault(d.id, []).append(f"near-duplicate of {other}")
        lsh.insert(d.id, m)
    for d in docs:
        if d.original_publisher:
            reasons.setdefault(d.id, []).append(f"credits {d.original_publisher}")

    members: dict[str, list[Document]] = {}
    for d in docs:
        members.setdefault(union.find(d.id), []).append(d)
    out: list[RepostGroup] = []
    for root, group in members.items():
        credited = [d for d in group if d.original_publisher]
        if len(group) < 2 and not credited:
            continue
        original, publisher = _original(group)
        gid = "r" + hashlib.sha1(root.encode("utf-8")).hexdigest()[:12]
        why = sorted({r for d in group for r in reasons.get(d.id, [])})
        out.append(RepostGroup(gid, sorted(d.id for d in group), original, publisher, why))
    return out


def _original(group: list[Document]) -> tuple[str | None, str | None]:
    """The earliest uncredited member and its publisher, else the credited publisher."""
    credited = {normalise_text(d.original_publisher) for d in group if d.original_publisher}
    firsts = sorted(
        (d for d in group if not d.repost and not d.original_publisher),
        key=lambda d: (d.published or "9999", d.id),
    )
    for d in firsts:
        if not credited or (d.publisher and normalise_text(d.publisher) in credited):
            return d.id, d.publisher
    if credited:
        name = next(d.original_publisher for d in group if d.original_publisher)
        return None, name
    return (firsts[0].id, firsts[0].publisher) if firsts else (None, None)

