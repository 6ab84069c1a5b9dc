"""The executor side of the Spark job: one partition of input files in,
store rows out, through the very same ingest and :class:`Extractor` as
``reportedly run``.

Loading the spaCy model takes seconds, so each executor's Python worker loads
it once and keeps it for every task it runs (Spark reuses Python workers by
default, ``spark.python.worker.reuse``). That per-process model is the only
state kept between tasks; it is reached through an explicit
:class:`ModelHandle` shipped inside the task closure, never through a global
looked up from deep inside the library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from reportedly.spark.rows import RowTuple, claim_tuple, document_tuple
from reportedly.types import Claim, Document

if TYPE_CHECKING:
    from reportedly.extract import Extractor

__all__ = ["JobOptions", "ModelHandle", "PartitionResult", "extract_partition"]

#: (documents row, claims rows) of one input document.
PartitionResult = tuple[RowTuple, list[RowTuple]]

# The Extractor of this Python worker process, built on first use. Filled
# only on executors; the driver never loads a model.
_PER_PROCESS: dict[str, "Extractor"] = {}


@dataclass(frozen=True, slots=True)
class ModelHandle:
    """A picklable reference to the executor process's Extractor.

    Pickling ships only this empty handle; :meth:`get` builds
    ``Extractor()`` (the same default model and pipes as ``reportedly run``)
    on first use in each worker process and returns it afterwards.
    """

    key: str = "default"

    def get(self) -> "Extractor":
        extractor = _PER_PROCESS.get(self.key)
        if extractor is None:
            from reportedly.extract import Extractor

            extractor = _PER_PROCESS[self.key] = Extractor()
        return extractor


@dataclass(frozen=True, slots=True)
class JobOptions:
    """What every partition needs besides its files (picklable, small)."""

    ingested_at: datetime
    manifest: str | None = None
    published: str | None = None


def extract_partition(
    paths: Iterable[str], options: JobOptions, model: ModelHandle
) -> Iterator[PartitionResult]:
    """Ingest and extract the files of one partition, streaming.

    Extraction goes through :func:`reportedly.pipeline.extract_chunk`, the
    function ``reportedly run`` uses in its workers (one document's failure
    fails that document alone), in chunks of the same size. Documents that
    are skipped or failed are kept, with no claims, as ``run`` stores them.
    """
    from reportedly.ingest import Manifest, iter_documents
    from reportedly.pipeline import WORKER_CHUNK, extract_chunk

    manifest = Manifest.load(options.manifest) if options.manifest else None
    documents = iter_documents(list(paths), manifest=manifest, default_published=options.published)
    extractor: Extractor | None = None
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= WORKER_CHUNK:
            extractor = extractor or model.get()
            yield from _rows(extract_chunk(extractor, chunk), options)
            chunk = []
    if chunk:
        extractor = extractor or model.get()
        yield from _rows(extract_chunk(extractor, chunk), options)


def _rows(pairs: Iterable[tuple[Document, list[Claim]]], options: JobOptions) -> Iterator[PartitionResult]:
    for doc, claims in pairs:
        yield document_tuple(doc, len(claims), options.ingested_at), [claim_tuple(c) for c in claims]
