"""Server memory per idle connection: the state engine vs. a bare python-socketio server, at 1,000 connections.

Each server runs under uvicorn in a process of its own, so its resident set size (RSS, from ``/proc``) is its
alone. The connections come from this process, through a light hand-framed client (`benchmarks._eio`). Each
connection has a token and the full state of its page, as a browser tab would; then it stays idle. Runs
alternate subject and baseline (ABBA).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

from benchmarks._common import Report, Row, ServerProcess, finish, uvicorn_process
from benchmarks._eio import LightClient, rss, session

SUBJECT = "benchmarks._apps:counter_app"
BASELINE = "benchmarks._apps:bare_socketio_app"
TARGET = 1.2
# Connections opened at once: enough to be quick, few enough for the listen backlog.
BATCH = 100


async def open_many(url: str, count: int) -> tuple[object, list[LightClient]]:
    http = session()
    clients: list[LightClient] = []
    for start in range(0, count, BATCH):
        clients += await asyncio.gather(*(LightClient.open(http, url) for _ in range(min(BATCH, count - start))))
    return http, clients


async def close_all(http: object, clients: list[LightClient]) -> None:
    await asyncio.gather(*(client.close() for client in clients))
    await http.close()  # type: ignore[attr-defined]


async def settle() -> None:
    # Let the server finish what the last connections started (their state, their tasks) before reading RSS.
    await asyncio.sleep(1.0)


async def measure(server: ServerProcess, count: int) -> dict[str, float]:
    """Returns the server's RSS before, with ``count`` idle connections, and after they closed, in bytes."""
    http, warm = await open_many(server.url, 20)  # imports and first allocations out of the way
    await close_all(http, warm)
    await settle()
    before = rss(server.pid)
    http, clients = await open_many(server.url, count)
    await settle()
    held = rss(server.pid)
    await close_all(http, clients)
    await settle()
    return {"before": before, "held": held, "after": rss(server.pid), "per_connection": (held - before) / count}


async def bench(count: int, rounds: int) -> Report:
    results: dict[str, list[dict[str, float]]] = {"subject": [], "baseline": []}
    order = ["subject", "baseline", "baseline", "subject"] * ((rounds + 1) // 2)
    with tempfile.TemporaryDirectory() as build:
        for kind in order[: 2 * rounds]:
            factory = SUBJECT if kind == "subject" else BASELINE
            with uvicorn_process(factory, build_dir=Path(build)) as server:
                results[kind].append(await measure(server, count))
    s = statistics.median(r["per_connection"] for r in results["subject"]) / 1024
    b = statistics.median(r["per_connection"] for r in results["baseline"]) / 1024
    report = Report("bench_memory", "pyreact_asgi (counter)", "bare python-socketio server")
    report.add(Row(f"memory per idle connection, {count:,} connections", "KiB", s, b, f"≤ {TARGET}x", s <= TARGET * b))
    for kind, label in (("subject", "pyreact_asgi"), ("baseline", "bare")):
        runs = results[kind]
        mib = [f"{r['before'] / 2**20:.0f} → {r['held'] / 2**20:.0f} → {r['after'] / 2**20:.0f} MiB" for r in runs]
        report.notes.append(f"{label} server RSS before → with the connections → after they closed: {'; '.join(mib)}.")
    report.notes.append(
        f"{rounds} runs per server, alternating; each opens {count:,} connections (a token and the page's full "
        "state each) after a warm-up of 20, and reads the server's RSS 1 s after the last one is served."
    )
    report.extra["runs"] = results
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_memory", description=__doc__)
    parser.add_argument("--connections", type=int, default=1000, help="idle connections held at once")
    parser.add_argument("--rounds", type=int, default=2, help="runs per server, alternating")
    args = parser.parse_args(argv)
    return finish(asyncio.run(bench(args.connections, args.rounds)))


if __name__ == "__main__":
    raise SystemExit(main())
