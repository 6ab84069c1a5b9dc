"""``python -m reportedly.spark`` / ``spark-submit reportedly/spark/__main__.py``."""

import sys

from reportedly.spark.job import main

sys.exit(main())
