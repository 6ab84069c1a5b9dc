"""The driver side of the Spark job: files in, Parquet with the store's schema out.

    reportedly spark crawl/*.warc.gz --out ledger-parquet/ [--master spark://host:7077]
    spark-submit --master yarn reportedly/spark/__main__.py crawl/ --out hdfs-mounted/out

The unit of distribution is the input *file*: the driver only lists paths
(cheap, streaming-friendly), and each task ingests its files with
:func:`reportedly.ingest.iter_documents` and extracts them with the same
:class:`reportedly.extract.Extractor` as ``reportedly run``
(:mod:`reportedly.spark.executor`). Results are written as two Parquet
folders, ``documents/`` and ``claims/``, with the columns of the store's
tables; ``reportedly import DIR`` loads them into a DuckDB ledger.

Input paths must be readable under the same name from every executor (local
mode, or a shared filesystem on a cluster).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from reportedly.spark.executor import JobOptions, ModelHandle, extract_partition
from reportedly.spark.rows import CLAIMS_DIR, DOCUMENTS_DIR, spark_schemas

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = [
    "CLAIMS_DIR",
    "DOCUMENTS_DIR",
    "JobSummary",
    "build_session",
    "list_inputs",
    "main",
    "run_job",
]

#: Tasks per core: several small tasks even out files of unequal length.
_TASKS_PER_CORE = 4
#: JVM options of a local-mode job (see :func:`build_session`).
_LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@dataclass(frozen=True, slots=True)
class JobSummary:
    """What one job wrote."""

    out: str
    files: int
    documents: int
    claims: int
    partitions: int


def build_session(
    master: str | None = None,
    app_name: str = "reportedly",
    config: Mapping[str, str] | None = None,
) -> "SparkSession":
    """A SparkSession; ``master`` None keeps spark-submit's master, else local[*].

    (pyspark itself defaults to ``local[*]`` when started outside spark-submit.)
    ``config`` adds Spark settings, e.g. ``{"spark.executor.memory": "4g"}``.
    """
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if master is None or master.startswith("local"):
        # Executors in local mode must run this interpreter (the one that has
        # reportedly and the model installed), not whatever `python3` is on PATH.
        # (PYSPARK_PYTHON is what the local Python worker factory reads.)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
        # The dedup shuffle is tiny; Spark's default of 200 shuffle tasks
        # would cost more than the data on one machine.
        builder = builder.config("spark.sql.shuffle.partitions", str(_local_cores(master) * 2))
        # In local mode the one JVM only schedules and writes while Python
        # extracts, yet its JIT compilers and parallel GC threads took 28
        # CPU-seconds of a 60-article job from the cores the extraction
        # needs; the quick compiler alone and the serial collector halve that.
        if "spark.driver.extraJavaOptions" not in (config or {}):
            builder = builder.config("spark.driver.extraJavaOptions", _LOCAL_JVM_OPTIONS)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _local_cores(master: str | None) -> int:
    """Cores of a ``local[N]`` / ``local[*]`` / ``local`` master."""
    inside = (master or "local[*]").partition("[")[2].partition("]")[0].split(",")[0]
    if inside.isdigit():
        return max(1, int(inside))
    return (os.cpu_count() or 1) if inside == "*" else 1


def list_inputs(inputs: Sequence[str | Path], manifest: str | Path | None = None) -> list[str]:
    """Expand files, directories and globs into absolute file paths.

    Uses ingest's own discovery (sidecars and the manifest are not inputs),
    so the job reads exactly the files ``reportedly run`` reads.
    """
    from reportedly.ingest.discover import iter_files

    exclude = [manifest] if manifest else []
    return [str(p.resolve()) for p in iter_files([str(p) for p in inputs], exclude=exclude)]


def run_job(
    spark: "SparkSession",
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    manifest: str | Path | None = None,
    published: str | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
) -> JobSummary:
    """Extract every document under ``inputs`` and write Parquet under ``out``."""
    from pyspark import StorageLevel

    files = list_inputs(inputs, manifest)
    if not files:
        raise FileNotFoundError(f"no input files found under {', '.join(map(str, inputs))}")
    sc = spark.sparkContext
    n_parts = partitions or min(len(files), max(1, sc.defaultParallelism) * _TASKS_PER_CORE)
    options = JobOptions(
        ingested_at=datetime.now().replace(microsecond=0),
        manifest=str(Path(manifest).resolve()) if manifest else None,
        published=published,
    )
    task = partial(extract_partition, options=options, model=ModelHandle())
    # Persisted so that the two writes below run extraction once, not twice.
    results = sc.parallelize(files, n_parts).mapPartitions(task).persist(StorageLevel.MEMORY_AND_DISK)
    doc_schema, claim_schema = spark_schemas()
    documents = spark.createDataFrame(results.map(itemgetter(0)), doc_schema, verifySchema=False)
    claims = spark.createDataFrame(results.flatMap(itemgetter(1)), claim_schema, verifySchema=False)
    # The store keeps one row per id (the same article under two paths is
    # one document), so the Parquet does too.
    documents = documents.dropDuplicates(["id"])
    claims = claims.dropDuplicates(["id"])
    mode = "overwrite" if overwrite else "errorifexists"
    out_dir = str(out)
    documents.write.mode(mode).parquet(f"{out_dir}/{DOCUMENTS_DIR}")
    claims.write.mode(mode).parquet(f"{out_dir}/{CLAIMS_DIR}")
    n_documents = spark.read.parquet(f"{out_dir}/{DOCUMENTS_DIR}").count()
    n_claims = spark.read.parquet(f"{out_dir}/{CLAIMS_DIR}").count()
    results.unpersist()
    return JobSummary(out=out_dir, files=len(files), documents=n_documents, claims=n_claims, partitions=n_parts)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportedly-spark",
        description="Extract claims from files, directories or globs (text, HTML, WARC) with PySpark "
        "and write documents/ and claims/ Parquet with the store's schema.",
    )
    parser.add_argument("inputs", nargs="+", help="files, directories or globs")
    parser.add_argument("--out", required=True, help="output folder (gets documents/ and claims/)")
    parser.add_argument("--master", default=None, help="Spark master URL (default: spark-submit's, else local[*])")
    parser.add_argument("--manifest", default=None, help="manifest CSV of per-file metadata")
    parser.add_argument("--published", default=None, help="publication date for files that give none (ISO)")
    parser.add_argument("--partitions", type=int, default=None, help="number of tasks (default: 4 per core)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``spark-submit reportedly/spark/__main__.py`` and ``python -m reportedly.spark``."""
    args = _parser().parse_args(argv)
    spark = build_session(args.master)
    try:
        summary = run_job(
            spark,
            args.inputs,
            args.out,
            manifest=args.manifest,
            published=args.published,
            partitions=args.partitions,
            overwrite=args.overwrite,
        )
    finally:
        spark.stop()
    print(
        f"{summary.files} files, {summary.documents} documents, {summary.claims} claims "
        f"in {summary.partitions} tasks -> {summary.out}"
    )
    return 0
