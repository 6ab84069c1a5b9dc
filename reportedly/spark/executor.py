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

from reportedly.settings import MODEL_NAMES
from reportedly.spark.rows import RowTuple, claim_tuple, document_tuple

if TYPE_CHECKING:
    from reportedly.extract import Extractor

__all__ = ["JobOptions", "ModelHandle", "PartitionResult", "extract_partition"]

#: (documents row, claims rows) of one input document.
PartitionResult = tuple[RowTuple, list[RowTuple]]

# One Extractor per Python worker process, keyed by the model names asked for.
# Filled lazily on the executor; the driver never loads a model.
_PER_PROCESS: dict[tuple[str, ...], "Extractor"] = {}


@dataclass(frozen=True, slots=True)
class ModelHandle:
    """A picklable reference to the executor process's Extractor.

    Pickling ships only the model names; :meth:`get` loads the model on first
    use in each worker process and returns the same Extractor afterwards.
    """

    names: tuple[str, ...] = MODEL_NAMES

    def get(self) -> "Extractor":
        extractor = _PER_PROCESS.get(self.names)
        if extractor is None:
            from reportedly.extract import Extractor
            from reportedly.extract.model import load_base_model

            nlp = load_base_model(self.names)
            nlp.add_pipe("reportedly_claims")
            extractor = Extractor(nlp=nlp)
            _PER_PROCESS[self.names] = extractor
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

    Documents that are skipped or failed are kept (with no claims), exactly as
    ``reportedly run`` stores them, so ``import`` gives the same ledger.
    """
    from reportedly.ingest import Manifest, iter_documents

    manifest = Manifest.load(options.manifest) if options.manifest else None
    documents = iter_documents(list(paths), manifest=manifest, default_published=options.published)
    for doc, claims in model.get().pipe(documents):
        yield document_tuple(doc, len(claims), options.ingested_at), [claim_tuple(c) for c in claims]
