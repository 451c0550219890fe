"""Benchmarks of pyreact_asgi, each against a baseline measured in the same run.

Run one with ``python -m benchmarks.bench_<topic>``, or all with ``python -m benchmarks`` (see README.md).
They are never collected by pytest and never assert timings.
"""
