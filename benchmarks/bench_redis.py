"""The Redis state manager against the memory manager, in the same run, at 1, 10 and 100 clients.

Two uvicorn processes serve the README's counter, one keeping states in memory and one in a redis-server this
benchmark starts (no persistence, on a free port). Closed-loop clients (benchmarks/_eio.py's light hand-framed
client) send their next event when the previous one is answered; runs alternate between the two servers (ABBA,
bench_roundtrip's `abba`) so that drift on the shared machine hits both. As in bench_roundtrip, the servers and redis-server are pinned to
one core and the load generator to another, so that the servers saturate first. Also measured: Redis round trips per event (Redis's own
``total_reads_processed``, which counts one read for a pipeline; ``total_commands_processed`` counts each
command), and bytes per client in Redis for the counter and the dashboard example.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks._common import Report, Row, ServerProcess, cores, finish, pinned, uvicorn_process
from benchmarks._eio import LightClient, session
from benchmarks.bench_roundtrip import Totals, abba
from tests.servers import RedisServer

SUBJECT = "benchmarks._apps:counter_app"
HANDLER = "counter.increment"
LEVELS = (1, 10, 100)


@contextmanager
def _server(redis_url: str | None, build_dir: Path, cpu: int | None) -> Iterator[ServerProcess]:
    # The app reads PYREACT_REDIS_URL, as a deployment would; the process inherits this environment.
    before = os.environ.get("PYREACT_REDIS_URL")
    os.environ["PYREACT_REDIS_URL"] = redis_url or ""
    try:
        with uvicorn_process(SUBJECT, build_dir=build_dir, cpu=cpu) as server:
            yield server
    finally:
        if before is None:
            os.environ.pop("PYREACT_REDIS_URL", None)
        else:
            os.environ["PYREACT_REDIS_URL"] = before


def _info(redis: RedisServer, *names: str) -> dict[str, int]:
    stats = dict(
        line.split(":", 1) for line in redis.cli("INFO", "stats").splitlines() if ":" in line and line[0] != "#"
    )
    return {name: int(stats[name]) for name in names}


async def _round_trips(server: ServerProcess, redis: RedisServer, events: int = 200) -> tuple[float, float]:
    async with session() as http:
        client = await LightClient.open(http, server.url)
        await client.call(HANDLER, 1)
        before = _info(redis, "total_reads_processed", "total_commands_processed")
        for _ in range(events):
            await client.call(HANDLER, 1)
        after = _info(redis, "total_reads_processed", "total_commands_processed")
        await client.close()
    return tuple((after[k] - before[k]) / events for k in before)  # type: ignore[return-value]


def _bytes_per_client(redis: RedisServer) -> tuple[float, float]:
    """Returns the records' bytes and Redis's MEMORY USAGE per client hash, averaged over the stored clients."""
    keys = [
        k
        for k in redis.cli("--raw", "KEYS", "pyreact:s:*").split()
        if not k.endswith((":lock", ":wake", ":want", ":more"))
    ]
    records = memory = 0
    for key in keys:
        fields = redis.cli("--raw", "HKEYS", key).split()
        records += sum(int(redis.cli("HSTRLEN", key, f)) for f in fields)
        memory += int(redis.cli("MEMORY", "USAGE", key, "SAMPLES", "0"))
    return records / max(1, len(keys)), memory / max(1, len(keys))


def _dashboard_bytes() -> int:
    """The records of a dashboard client that changed each of its states (a client that changes none has none)."""
    from examples import dashboard
    from pyreact_asgi.runtime.redis_manager import RedisStateManager
    from pyreact_asgi.state import State

    manager = RedisStateManager("redis://127.0.0.1:1/0", 60)  # only encodes: never connects

    def every(cls: type[State]) -> list[type[State]]:
        return [cls, *(c for sub in cls.__subclasses__() for c in every(sub))]

    states = [cls for cls in every(State) if cls.__module__ == dashboard.__name__]
    return sum(len(manager.encode(cls())) for cls in states)


async def bench(
    levels: tuple[int, ...],
    rounds: int,
    warmup: float,
    duration: float,
    redis_core: str = "server",
    unix: bool = False,
) -> Report:
    where = "a Unix socket" if unix else "127.0.0.1"
    report = Report(
        name="bench_redis",
        subject=f"Redis state manager (redis-server on {where}, no persistence)",
        baseline="memory state manager, same app, same uvicorn",
    )
    cpus = cores()
    server_cpu = cpus and cpus[0]
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        redis = RedisServer(Path(tmp), unix=unix)
        redis.start()
        try:
            assert redis.process is not None
            redis_cpu = server_cpu if redis_core == "server" else cpus and cpus[1]
            if redis_cpu is not None:
                os.sched_setaffinity(redis.process.pid, {redis_cpu})
            with (
                _server(redis.url, Path(tmp), server_cpu) as subject,
                _server(None, Path(tmp), server_cpu) as baseline,
                pinned(cpus and cpus[1]),
            ):
                for n in levels:
                    totals = {"subject": Totals(), "baseline": Totals()}
                    await abba(
                        {"subject": (subject, HANDLER), "baseline": (baseline, HANDLER)},
                        n,
                        totals,
                        rounds=rounds,
                        warmup=warmup,
                        duration=duration,
                        subject_helper=redis.process.pid,
                    )
                    s, b = totals["subject"], totals["baseline"]
                    label = "1 client" if n == 1 else f"{n} clients"
                    row = report.add(Row(f"events/s, {label}", "", s.throughput, b.throughput, "≥ 0.7x"))
                    row.passed = row.ratio is not None and row.ratio >= 0.7
                    report.add(Row(f"p50 latency, {label}", "ms", s.latency_ms(50), b.latency_ms(50)))
                    report.add(Row(f"server CPU per event, {label}", "µs", s.server_cpu_us, b.server_cpu_us))
                    report.add(Row(f"redis-server CPU per event, {label}", "µs", s.helper_cpu_us))
                reads, commands = await _round_trips(subject, redis)
                trips = report.add(Row("Redis round trips per event", "", reads, None, "≤ 3"))
                trips.passed = reads <= 3.2  # the lock renewal and expiry refresh add a few reads of their own
                report.add(Row("Redis commands per event", "", commands))
                records, memory = _bytes_per_client(redis)
                report.add(Row("counter: record bytes per client", "B", records))
                report.add(Row("counter: Redis MEMORY USAGE per client", "B", memory))
        finally:
            redis.stop()
    report.add(Row("dashboard: record bytes per client (every state changed)", "B", _dashboard_bytes()))
    report.notes.append(
        f"{rounds} rounds per level and manager, alternating, each {warmup:g} s warm-up + {duration:g} s measured."
    )
    report.notes.append(
        f"Servers pinned to CPU {cpus[0]}, redis-server to CPU {cpus[0 if redis_core == 'server' else 1]}, "
        f"load generator to CPU {cpus[1]}."
        if cpus
        else "Only one CPU: servers, redis-server and load generator share it (not pinned)."
    )
    report.notes.append(
        "Round trips: Redis's total_reads_processed per event over 200 sequential events of one client "
        "(a pipeline arrives in one read); commands: total_commands_processed per event."
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_redis", description=__doc__)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS), help="concurrent clients per level")
    parser.add_argument("--rounds", type=int, default=6, help="runs per level and manager, alternating")
    parser.add_argument("--warmup", type=float, default=0.2, help="seconds of unmeasured events per run")
    parser.add_argument("--duration", type=float, default=1.5, help="measured seconds per run")
    parser.add_argument(
        "--redis-core",
        choices=["server", "other"],
        default="server",
        help="pin redis-server to the servers' core (default: its CPU is charged to the Redis manager) or to the "
        "load generator's (as when Redis runs on a machine of its own)",
    )
    parser.add_argument(
        "--unix", action="store_true", help="reach redis-server through its Unix socket (unix://) instead of TCP"
    )
    args = parser.parse_args(argv)
    if shutil.which("redis-server") is None:
        print("redis-server is missing: apt-get install redis-server")
        return 1
    return finish(
        asyncio.run(bench(tuple(args.levels), args.rounds, args.warmup, args.duration, args.redis_core, args.unix))
    )


if __name__ == "__main__":
    raise SystemExit(main())
