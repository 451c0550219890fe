"""Runs every benchmark: ``python -m benchmarks``. Exits 1 if any target is missed."""

from __future__ import annotations

import sys
import time

from benchmarks import bench_bundle, bench_memory, bench_roundtrip, bench_startup, bench_substates


def main() -> int:
    started = time.perf_counter()
    statuses = [
        bench.main([]) for bench in (bench_roundtrip, bench_substates, bench_memory, bench_startup, bench_bundle)
    ]
    print(f"\nAll benchmarks finished in {time.perf_counter() - started:.0f} s.")
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
