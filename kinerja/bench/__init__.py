"""Benchmarks printed by ``flask kinerja bench …``: figures, with a naive baseline in the same run.

:mod:`.org` times the organisation screens and API on the demo data; :mod:`.imports` times
the check of a large synthetic import file.
"""

from kinerja.bench.imports import bench_import
from kinerja.bench.org import bench_org

__all__ = ["bench_import", "bench_org"]
