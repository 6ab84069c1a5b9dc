"""ingest -> extract -> store, streamed in batches, in one process or a pool.

    summary = run(["articles/"], "ledger.duckdb", published="2017-07-20")
    print(summary.added, summary.claims_added, summary.problems)

Memory stays bounded whatever the input size: documents flow through
generators, at most a few chunks per worker are in flight, and the store
receives one batch (one transaction) at a time; within a chunk the Extractor
parses at most ``DEFAULT_BATCH_CHARS`` of text at once, so a run of long
articles costs no more peak memory than short ones. Documents whose id is already
stored are dropped *before* extraction, so a second run over the same input
adds nothing and costs little more than reading the files. The claims do not
depend on ``workers``: extraction is a pure function of one document, results
come back in input order, and the store is written only by this process.
With workers, HTML pages (files and WARC records) are also parsed in them:
this process reads them and hands them over unparsed
(:mod:`reportedly.ingest.deferred`).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reportedly import settings
from reportedly.errors import ExtractionError
from reportedly.store import BatchResult, Store
from reportedly.types import Claim, Document

if TYPE_CHECKING:
    from reportedly.extract import Extractor
    from reportedly.ingest import Manifest
    from reportedly.ingest.deferred import Deferred

__all__ = ["IN_FLIGHT_PER_WORKER", "WORKER_CHUNK", "Problem", "RunSummary", "extract_chunk", "run"]

Pair = tuple[Document, list[Claim]]
T = TypeVar("T")
R = TypeVar("R")

#: Documents sent to a worker at a time: small enough to spread the work
#: evenly, large enough that pickling overhead stays negligible.
WORKER_CHUNK = 8
#: Chunks in flight per worker: keeps every worker busy while bounding memory.
IN_FLIGHT_PER_WORKER = 2


@dataclass(slots=True)
class Problem:
    """A document that was skipped or failed, with its one-line reason."""

    path: str
    status: str
    reason: str


@dataclass(slots=True)
class RunSummary:
    """What a run saw and did.

    ``added`` counts readable documents newly stored and ``already_stored``
    those found in the store already; ``skipped``/``failed`` count the
    documents of this run that could not be read or processed, each listed in
    ``problems`` (whether or not an earlier run recorded them already).
    """

    db: Path
    seen: int = 0
    added: int = 0
    already_stored: int = 0
    skipped: int = 0
    failed: int = 0
    claims_added: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 1
    linked: bool = False
    link_result: Any = None

    @property
    def ok(self) -> bool:
        """True when every document was read and processed."""
        return not (self.skipped or self.failed)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["db"] = str(self.db)
        data["ok"] = self.ok
        data["link_result"] = None if self.link_result is None else str(self.link_result)
        return data


def run(
    paths: Sequence[str | Path],
    db: str | Path = settings.DEFAULT_DB,
    *,
    manifest: "str | Path | Manifest | None" = None,
    published: str | None = None,
    workers: int = 1,
    batch_size: int = settings.BATCH_SIZE,
    progress: bool = True,
    link: bool = True,
    on_batch: Callable[[BatchResult, "RunSummary"], None] | None = None,
    extractor: "Extractor | None" = None,
    attribution_tagger: bool = False,
) -> RunSummary:
    """Ingest ``paths``, extract claims and store them in ``db``.

    ``manifest`` is a path (JSON or CSV) or a loaded ``Manifest``;
    ``published`` the default publication date. ``workers > 1`` extracts in
    that many processes, each loading the model once. ``progress`` shows a
    Rich progress bar when stderr is a terminal. ``on_batch`` is called after
    every committed batch (the CLI logs with it). ``extractor`` reuses an
    already loaded :class:`~reportedly.extract.Extractor` (``workers == 1``
    only; workers load their own). ``attribution_tagger`` lets the MiniLM
    edge tagger vote on attributions in the extractors this run builds. After the run, if ``link``, the
    cross-document links are rebuilt with :func:`reportedly.link.relink`
    whenever the store changed since they were last built.
    """
    from reportedly.ingest import Manifest, iter_documents

    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    loaded = Manifest.load(manifest) if isinstance(manifest, (str, Path)) else manifest
    summary = RunSummary(db=Path(db), workers=workers)
    started = time.perf_counter()
    with Store(db) as store, _Pool(workers, attribution_tagger) as pool:
        # With workers, pages are parsed in them too: parsing HTML costs about
        # seven times what reading a text file does, and in this process it
        # would cap how many workers can be kept busy.
        inputs = [str(p) for p in paths]
        if workers > 1:
            documents = _resolve_in_pool(iter_documents(inputs, loaded, published, defer=True), pool)
        else:
            documents = iter_documents(inputs, loaded, published)
        readable: deque[bool] = deque()
        todo = _unstored(documents, store, summary, window=batch_size, readable=readable)
        if workers == 1:
            pairs = _extract_here(todo, chunk=batch_size, extractor=extractor, attribution_tagger=attribution_tagger)
        else:
            pairs = _extract_in_pool(todo, pool)
        pairs = _note_failures(pairs, readable, summary)
        with _Progress(enabled=progress and sys.stderr.isatty()) as bar, store.bounded_writes():
            for batch in _batches(bar.track(pairs), batch_size):
                result = store.add_batch(batch)
                _count(batch, result, summary)
                if on_batch is not None:
                    on_batch(result, summary)
        if link:
            _relink(store, summary)
    summary.seconds = time.perf_counter() - started
    return summary


# -- stages ----------------------------------------------------------------


def _unstored(
    docs: Iterable[Document], store: Store, summary: RunSummary, window: int, readable: deque[bool]
) -> Iterator[Document]:
    """Drop documents the store holds already; note every skipped input.

    Checked a window at a time so the store is asked once per window, not
    once per document. ``readable`` receives, in order, whether each document
    passed on was readable, for :func:`_note_failures`.
    """
    for chunk in _chunks(docs, window):
        stored = store.stored_status([d.id for d in chunk])
        for doc in chunk:
            summary.seen += 1
            if not doc.ok:
                summary.skipped += doc.status == "skipped"
                summary.failed += doc.status != "skipped"
                summary.problems.append(Problem(doc.path, doc.status, doc.reason or doc.status))
            old = stored.get(doc.id)
            if old == "ok" or (old is not None and not doc.ok):
                summary.already_stored += doc.ok
                continue
            readable.append(doc.ok)
            yield doc


def _note_failures(pairs: Iterable[Pair], readable: deque[bool], summary: RunSummary) -> Iterator[Pair]:
    """Record the documents that were readable but failed in extraction.

    Results come back in input order, so each pops the readability its
    document had when it went in; the deque holds only the work in flight.
    """
    for doc, claims in pairs:
        if readable.popleft() and not doc.ok:
            summary.failed += 1
            summary.problems.append(Problem(doc.path, doc.status, doc.reason or doc.status))
        yield doc, claims


def _count(batch: Sequence[Pair], result: BatchResult, summary: RunSummary) -> None:
    """Fold a committed batch into the summary.

    ``add_batch`` decides in batch order, so walking the batch in order and
    consuming its id lists tells each occurrence of a duplicated id apart.
    """
    added = Counter(result.added)
    already = Counter(result.already_stored)
    for doc, _ in batch:
        if added[doc.id]:
            added[doc.id] -= 1
            summary.added += doc.ok
        elif already[doc.id]:
            already[doc.id] -= 1
            summary.already_stored += doc.ok
    summary.claims_added += result.claims_added


def _relink(store: Store, summary: RunSummary) -> None:
    """Rebuild the cross-document links, unless nothing changed since the last build.

    Skipping an unchanged store keeps a rerun over the same input fast; a run
    killed before linking leaves the store marked stale, so the next run links.
    """
    from reportedly.link import relink

    if not store.links_stale:
        return
    summary.link_result = relink(store)
    store.mark_linked()
    summary.linked = True


# -- extraction ------------------------------------------------------------


def _failed(doc: Document, exc: BaseException) -> Document:
    """The document marked failed, with the error on one line."""
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return dataclasses.replace(doc, status="failed", reason="extraction failed: " + message)


def extract_chunk(extractor: "Extractor", docs: Sequence[Document]) -> list[Pair]:
    """Claims of each document, in order; unreadable documents pass through.

    The chunk goes through ``Extractor.pipe`` (spaCy batches it; it marks a
    document it cannot process as failed); should ``pipe`` itself raise,
    each document is retried alone so one bad article fails alone.
    """
    readable = [d for d in docs if d.ok]
    try:
        results = list(extractor.pipe(readable, batch_size=max(1, len(readable))))
    except Exception:
        results = []
        for doc in readable:
            try:
                results.append((doc, extractor.extract(doc)))
            except Exception as exc:  # any error in third-party NLP code: record, go on
                results.append((_failed(doc, exc), []))
    found = iter(results)
    return [next(found) if doc.ok else (doc, []) for doc in docs]


def _extract_here(
    docs: Iterable[Document], chunk: int, extractor: "Extractor | None", attribution_tagger: bool = False
) -> Iterator[Pair]:
    from reportedly.extract import Extractor

    for part in _batches(docs, chunk):
        if extractor is None and any(d.ok for d in part):
            # loaded only once there is something to extract
            extractor = Extractor(attribution_tagger=attribution_tagger)
        yield from extract_chunk(extractor, part) if extractor is not None else ((d, []) for d in part)


# One extractor per worker process, built by the pool's initializer: the model
# is loaded once per process, not once per task.
_worker_extractor: "Extractor | None" = None
#: Whether this worker's extractor lets the attribution tagger vote (set by the initializer).
_worker_tagger = False


#: Each worker is one core's worth of work: numerical libraries in a worker
#: must not start a thread per core each, or N workers fight over N x N threads.
_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _init_worker(attribution_tagger: bool = False) -> None:
    global _worker_tagger
    _worker_tagger = attribution_tagger
    for name in _ONE_THREAD:  # before numpy/spaCy are imported in this process
        os.environ.setdefault(name, "1")


def _worker() -> "Extractor":
    """This worker's Extractor, loaded by its first extraction task: a worker
    that only ever parses pages (a rerun over stored input) loads no model."""
    global _worker_extractor
    if _worker_extractor is None:
        from reportedly.extract import Extractor

        _worker_extractor = Extractor(attribution_tagger=_worker_tagger)
    return _worker_extractor


def _work(docs: list[Document]) -> list[Pair]:
    return extract_chunk(_worker(), docs)


def _parse(items: list["Document | Deferred"]) -> list[Document]:
    from reportedly.ingest.deferred import resolve

    return [resolve(item) for item in items]


class _Pool:
    """``workers`` spawned processes, started on first use and shared by page
    parsing and extraction. Spawned (not forked) so no DuckDB or thread state
    is copied."""

    def __init__(self, workers: int, attribution_tagger: bool = False) -> None:
        self.workers = workers
        self.attribution_tagger = attribution_tagger
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[[list[T]], list[R]], chunk: list[T]) -> "Future[list[R]]":
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_init_worker,
                initargs=(self.attribution_tagger,),
            )
        return self._executor.submit(fn, chunk)

    def __enter__(self) -> "_Pool":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


def _in_order(
    items: Iterable[T], pool: _Pool, fn: Callable[[list[T]], list[R]], here: Callable[[list[T]], list[R] | None]
) -> Iterator[R]:
    """``fn`` over chunks of ``items`` in the pool, results in input order.

    Chunks are submitted only while fewer than ``IN_FLIGHT_PER_WORKER`` per
    worker are pending, so the input is read no faster than it is processed.
    A chunk for which ``here`` already gives the result (nothing in it needs
    a worker) is not sent, and takes its place in the order as it is.
    """
    pending: deque[tuple[list[T], Future[list[R]] | list[R]]] = deque()

    def next_result() -> list[R]:
        chunk, result = pending.popleft()
        if not isinstance(result, Future):
            return result
        try:
            return result.result()
        except BrokenProcessPool as exc:
            where = getattr(chunk[0], "id", None) or getattr(chunk[0], "path", "?")
            raise ExtractionError(where, f"a worker process died ({exc}); try fewer --workers") from exc

    for chunk in _chunks(items, WORKER_CHUNK):
        done = here(chunk)
        pending.append((chunk, pool.submit(fn, chunk) if done is None else done))
        while len(pending) >= pool.workers * IN_FLIGHT_PER_WORKER:
            yield from next_result()
    while pending:
        yield from next_result()


def _resolve_in_pool(items: Iterable["Document | Deferred"], pool: _Pool) -> Iterator[Document]:
    """Documents in input order, pages parsed in the pool."""

    def here(chunk: list["Document | Deferred"]) -> list[Document] | None:
        docs = [i for i in chunk if isinstance(i, Document)]
        return docs if len(docs) == len(chunk) else None

    return _in_order(items, pool, _parse, here)


def _extract_in_pool(docs: Iterable[Document], pool: _Pool) -> Iterator[Pair]:
    """Extract in the pool, yielding results in input order; chunks with
    nothing readable pass through without starting it, so a rerun over
    stored input loads no model."""

    def here(chunk: list[Document]) -> list[Pair] | None:
        return None if any(d.ok for d in chunk) else [(d, []) for d in chunk]

    return _in_order(docs, pool, _work, here)


# -- helpers ---------------------------------------------------------------


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text_chars(item: Document | Pair) -> int:
    doc = item[0] if isinstance(item, tuple) else item
    return len(doc.text or "")


def _batches(items: Iterable[T], size: int, chars: int = settings.BATCH_CHARS) -> Iterator[list[T]]:
    """Chunks of at most ``size`` documents (or pairs) that also close once
    their texts reach ``chars``, so a run of long articles costs no more
    memory per batch than one of short ones."""
    chunk: list[T] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += _text_chars(item)  # type: ignore[arg-type]
        if len(chunk) >= size or held >= chars:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


class _Progress:
    """A Rich progress line on stderr (documents, claims, rate), or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed} documents"),
                TextColumn("{task.fields[claims]} claims"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def track(self, pairs: Iterable[Pair]) -> Iterator[Pair]:
        if self._progress is None:
            yield from pairs
            return
        task = self._progress.add_task("extracting", total=None, claims=0, rate="")
        started = time.perf_counter()
        done = claims = 0
        for pair in pairs:
            done += 1
            claims += len(pair[1])
            rate = done / max(time.perf_counter() - started, 1e-9)
            self._progress.update(task, completed=done, claims=claims, rate=f"{rate:.1f} docs/s")
            yield pair
