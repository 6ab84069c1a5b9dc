"""The web read model on disk, next to the store it was built from.

Building the read model of a million-claim store takes a minute of DuckDB
work; every server process would repeat it at start-up. So it is written
once into a sidecar directory (``ledger.duckdb.web/<key>/``) and every later
start, and every worker process, memory-maps it: start-up takes about a
second and the workers share one copy of the pages.

The key is a hash of the store file's identity (path, size, modification
time, and the same for its write-ahead log) and of the code that builds the
model (:data:`MODEL_SOURCES`, templates of pre-rendered fragments included),
so a changed store or a new version of the builder never reads a stale model. Building takes an
exclusive lock, so workers started together build once; the directory is
written under a temporary name and renamed when complete.

Where the store's directory is not writable the model goes to the user's
cache directory instead (``$XDG_CACHE_HOME/reportedly/web``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.ipc as ipc

__all__ = ["FORMAT", "MODEL_SOURCES", "Sidecar", "code_version", "model_key", "open_sidecar", "store_identity"]

#: Bumped when the layout of the directory changes.
FORMAT = 1
_HERE = Path(__file__).resolve().parent
_READY = "READY"


def store_identity(db: Path) -> dict[str, Any]:
    """What changes whenever the store's content can have changed."""
    out: dict[str, Any] = {"path": str(db.resolve())}
    for name, path in (("db", db), ("wal", db.with_name(db.name + ".wal"))):
        if path.exists():
            st = path.stat()
            out[name] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return out


#: The code the read model's content depends on: a change to any of these
#: makes a new model (a module added to the build must be listed here).
MODEL_SOURCES: tuple[str, ...] = (
    "searchindex.py",
    "readmodel.py",
    "sidecar.py",
    "series.py",
    "chart.py",
    "ledger.py",
    "fragments.py",
    "templates/_series_head.html",
)


def code_version() -> str:
    """A hash of the code that builds the read model (:data:`MODEL_SOURCES`)."""
    digest = hashlib.sha256()
    for name in MODEL_SOURCES:
        path = _HERE / name
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_key(db: Path) -> str:
    blob = json.dumps({"format": FORMAT, "store": store_identity(db), "code": code_version()}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


class Sidecar:
    """One read-model directory: ``.npy`` arrays, Arrow IPC tables and JSON."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save_arrays(self, group: str, arrays: dict[str, npt.NDArray[Any]]) -> None:
        (self.path / group).mkdir(parents=True, exist_ok=True)
        for name, array in arrays.items():
            np.save(self.path / group / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)

    def arrays(self, group: str) -> dict[str, npt.NDArray[Any]]:
        """The arrays of ``group``, memory-mapped read-only (an empty array cannot be mapped)."""
        out: dict[str, npt.NDArray[Any]] = {}
        for path in sorted((self.path / group).glob("*.npy")):
            try:
                # A plain ndarray view of the map: np.memmap's own indexing
                # wraps every result, a cost paid on each of many small lookups.
                out[path.stem] = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            except ValueError:  # numpy refuses to map a zero-byte payload
                out[path.stem] = np.load(path, allow_pickle=False)
        return out

    def save_table(self, name: str, table: pa.Table) -> None:
        # One record batch: take() on a single chunk does not copy the others.
        table = table.combine_chunks()
        with pa.OSFile(str(self.path / f"{name}.arrow"), "wb") as sink:
            with ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table, max_chunksize=max(1, table.num_rows))

    def table(self, name: str) -> pa.Table:
        """The table, memory-mapped (zero copy)."""
        source = pa.memory_map(str(self.path / f"{name}.arrow"), "r")
        return ipc.open_file(source).read_all()

    def save_json(self, name: str, value: Any) -> None:
        (self.path / f"{name}.json").write_text(json.dumps(value, ensure_ascii=False, default=str), encoding="utf-8")

    def json(self, name: str) -> Any:
        return json.loads((self.path / f"{name}.json").read_text(encoding="utf-8"))


def _root_for(db: Path) -> Path:
    """The sidecar's parent: next to the store, else the user's cache."""
    beside = db.resolve().with_name(db.name + ".web")
    try:
        beside.mkdir(exist_ok=True)
        probe = beside / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return beside
    except OSError:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        where = cache / "reportedly" / "web" / hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
        where.mkdir(parents=True, exist_ok=True)
        return where


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_sidecar(db: Path, build: Callable[[Sidecar], None]) -> tuple[Sidecar, bool]:
    """The current read model of ``db``, calling ``build`` to write it first if needed.

    Returns the sidecar and whether it was built by this call.
    """
    root = _root_for(db)
    key = model_key(db)
    final = root / key
    if (final / _READY).exists():
        return Sidecar(final), False
    with _locked(root):
        if (final / _READY).exists():  # another process built it while we waited
            return Sidecar(final), False
        tmp = root / f"{key}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            build(Sidecar(tmp))
            (tmp / _READY).write_text(key)
            tmp.rename(final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        # Older models of this store are stale now; a process still mapping
        # one keeps its pages until it exits.
        for old in root.iterdir():
            if old.is_dir() and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    return Sidecar(final), True
