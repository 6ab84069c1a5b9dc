"""The PySpark job: the same per-document extraction as ``reportedly run``,
distributed with ``mapPartitions``, written as Parquet with the store's schema.

pyspark is an optional extra (``pip install 'reportedly[spark]'``); nothing in
this package imports it at module load, so ``reportedly`` works without it.
"""

from reportedly.spark.job import CLAIMS_DIR, DOCUMENTS_DIR, JobSummary, build_session, run_job

__all__ = ["CLAIMS_DIR", "DOCUMENTS_DIR", "JobSummary", "build_session", "run_job"]
