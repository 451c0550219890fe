"""Page-change round trip of a server-side table of 100 000 rows vs. the counter's round trip, in the same run.

One uvicorn process serves an app with both pages (benchmarks._apps:table_app). One closed-loop python-socketio
client per page: the table client asks for a random page of the sorted table each time ("bench_orders.go_to_page"),
the counter client increments. Runs alternate (ABBA) so drift on the shared machine hits both. Target: the
table's page change within 2x of the counter's event.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from benchmarks._apps import EVENT_PATH
from benchmarks._common import Report, Row, finish, percentile, uvicorn_process

SUBJECT = "benchmarks._apps:table_app"
PAGES = 4000  # 100 000 rows, 25 a page


class PageClient:
    """One connection to one page of the app, sending one event at a time and timing each reply."""

    def __init__(self, session: aiohttp.ClientSession, page: str) -> None:
        self.page = page
        self.sio = socketio.AsyncClient(http_session=session, reconnection=False)
        self.sio.on("state", self._on_state)
        self.sio.on("update", self._on_update)
        self._connected = asyncio.Event()
        self._reply: asyncio.Future[dict[str, Any]] | None = None
        self._next_id = 0

    async def _on_state(self, data: dict[str, Any]) -> None:
        self._connected.set()

    async def _on_update(self, data: dict[str, Any]) -> None:
        if self._reply is not None and not self._reply.done() and data.get("id") == self._next_id:
            self._reply.set_result(data)

    async def connect(self, url: str) -> None:
        auth = {"token": secrets.token_urlsafe(18), "page": self.page}
        await self.sio.connect(url, socketio_path=EVENT_PATH, transports=["websocket"], auth=auth)
        await self._connected.wait()

    async def call(self, handler: str, args: list[Any]) -> float:
        self._next_id += 1
        self._reply = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self.sio.emit("event", {"id": self._next_id, "handler": handler, "args": args})
        reply = await self._reply
        elapsed = time.perf_counter() - started
        if "error" in reply:
            raise RuntimeError(f"Unexpected reply {reply!r}")
        return elapsed


async def _run(client: PageClient, handler: str, make_args: Any, seconds: float) -> list[float]:
    samples: list[float] = []
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        samples.append(await client.call(handler, make_args()))
    return samples


async def bench(rounds: int, seconds: float) -> Report:
    rng = random.Random(1)
    counter_ms: list[float] = []
    table_ms: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp,
        uvicorn_process(SUBJECT, build_dir=Path(tmp)) as server,
    ):
        async with aiohttp.ClientSession() as session:
            counter, table = PageClient(session, "/"), PageClient(session, "/table")
            await counter.connect(server.url)
            await table.connect(server.url)
            await table.call("bench_orders.load", [])
            await table.call("bench_orders.sort_by", ["total"])  # a sorted view: the order is computed once, then kept
            await _run(counter, "counter.increment", lambda: [1], 0.5)  # warm-up
            await _run(table, "bench_orders.go_to_page", lambda: [rng.randint(1, PAGES)], 0.5)
            for run in range(rounds):
                steps = [("counter", counter), ("table", table)]
                for name, client in steps if run % 2 == 0 else steps[::-1]:
                    if name == "counter":
                        counter_ms += [s * 1000 for s in await _run(client, "counter.increment", lambda: [1], seconds)]
                    else:
                        args = lambda: [rng.randint(1, PAGES)]  # noqa: E731
                        table_ms += [s * 1000 for s in await _run(client, "bench_orders.go_to_page", args, seconds)]
            await counter.sio.disconnect()
            await table.sio.disconnect()
    report = Report(
        name="bench_table",
        subject="page change of a 100 000-row server-side table (sorted by a column)",
        baseline="the counter's increment, same server, same run",
    )
    counter_ms.sort()
    table_ms.sort()
    p50 = report.add(Row("p50 round trip", "ms", percentile(table_ms, 50), percentile(counter_ms, 50), "≤ 2x"))
    p50.passed = p50.subject <= 2 * p50.baseline
    report.add(Row("p99 round trip", "ms", percentile(table_ms, 99), percentile(counter_ms, 99)))
    report.notes.append(
        f"{len(table_ms)} page changes and {len(counter_ms)} increments over {rounds} alternating runs of "
        f"{seconds:g} s; 25 rows a page (about 2.5 KB of delta) against one integer."
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_table", description=__doc__)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args(argv)
    return finish(asyncio.run(bench(args.rounds, args.seconds)))


if __name__ == "__main__":
    raise SystemExit(main())
