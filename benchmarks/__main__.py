"""Runs every benchmark, or the ones named: ``python -m benchmarks [NAME ...]``. Exits 1 if a target is missed."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from types import ModuleType

from benchmarks import (
    bench_bundle,
    bench_cli,
    bench_memory,
    bench_redis,
    bench_reload,
    bench_roundtrip,
    bench_startup,
    bench_substates,
    bench_table,
)

BENCHMARKS: dict[str, ModuleType] = {
    module.__name__.removeprefix("benchmarks.bench_"): module
    for module in (
        bench_roundtrip,
        bench_substates,
        bench_memory,
        bench_startup,
        bench_bundle,
        bench_cli,
        bench_reload,
        bench_redis,
        bench_table,
    )
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Runs the benchmarks with their default settings, one after the other, and prints a table "
        "for each. Run one alone with more options: python -m benchmarks.bench_<name> --help.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of: {', '.join(BENCHMARKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; pick from {', '.join(BENCHMARKS)}")
    started = time.perf_counter()
    runs: list[Callable[[list[str]], int]] = [BENCHMARKS[name].main for name in args.names or BENCHMARKS]
    statuses = [run([]) for run in runs]
    print(f"\nAll benchmarks finished in {time.perf_counter() - started:.0f} s.")
    return max(statuses)


if __name__ == "__main__":
    sys.exit(main())
