"""Event round trip through the state engine vs. a bare python-socketio server, at 1, 10 and 100 clients.

Both servers run under the same uvicorn in their own process; the clients are python-socketio AsyncClients
(websocket transport) in this process. Each client sends its next event only after the reply to the previous
one (closed loop). Runs alternate baseline and subject (ABBA) so that drift on the shared machine hits both.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

from benchmarks._apps import EVENT_PATH
from benchmarks._common import (
    Report,
    Row,
    ServerProcess,
    StealMeter,
    cpu_seconds,
    finish,
    percentile,
    uvicorn_process,
)
from pyreact_asgi._codec import encode

SUBJECT = "benchmarks._apps:counter_app"
BASELINE = "benchmarks._apps:bare_socketio_app"
HANDLER = "counter.increment"
LEVELS = (1, 10, 100)


class BenchClient:
    """One socket.io connection that sends an event, waits for its reply, and records the latency."""

    def __init__(self, session: aiohttp.ClientSession, handler: str = HANDLER) -> None:
        self.handler = handler
        self.state_bytes = 0  # size of the full state received on connect
        self.update_bytes = 0  # size of every update received, as the server encoded it
        self.sio = socketio.AsyncClient(http_session=session, reconnection=False)
        self.sio.on("state", self._on_state)
        self.sio.on("update", self._on_update)
        self._connected = asyncio.Event()
        self._reply: asyncio.Future[dict[str, Any]] | None = None
        self._next_id = 0

    async def _on_state(self, data: dict[str, Any]) -> None:
        self.state_bytes = _frame_bytes("state", data)
        self._connected.set()

    async def _on_update(self, data: dict[str, Any]) -> None:
        self.update_bytes += _frame_bytes("update", data)
        if self._reply is not None and not self._reply.done():
            self._reply.set_result(data)

    async def connect(self, url: str) -> None:
        token = secrets.token_urlsafe(18)
        await self.sio.connect(url, socketio_path=EVENT_PATH, transports=["websocket"], auth={"token": token})
        await self._connected.wait()

    async def call(self) -> float:
        """Sends one event and returns the seconds until its reply arrived."""
        self._next_id += 1
        self._reply = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self.sio.emit("event", {"id": self._next_id, "handler": self.handler, "args": [1]})
        reply = await self._reply
        elapsed = time.perf_counter() - started
        if reply.get("id") != self._next_id or "error" in reply:
            raise RuntimeError(f"Unexpected reply {reply!r} to event {self._next_id}")
        return elapsed

    async def loop(self, until: float, samples: list[float]) -> None:
        while time.perf_counter() < until:
            samples.append(await self.call())


@dataclass
class Run:
    """What one timed run of ``clients`` closed-loop clients against one server measured."""

    events: int
    seconds: float
    server_cpu: float
    client_cpu: float
    latencies: list[float] = field(repr=False)


class Pool:
    """``size`` clients connected to one server, kept open across that server's runs at one level."""

    def __init__(
        self, server: ServerProcess, session: aiohttp.ClientSession, size: int, handler: str = HANDLER
    ) -> None:
        self.server = server
        self.clients = [BenchClient(session, handler) for _ in range(size)]

    async def __aenter__(self) -> Pool:
        await asyncio.gather(*(c.connect(self.server.url) for c in self.clients))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.gather(*(c.sio.disconnect() for c in self.clients))

    async def run(self, *, warmup: float, duration: float) -> Run:
        discard: list[float] = []
        until = time.perf_counter() + warmup
        await asyncio.gather(*(c.loop(until, discard) for c in self.clients))
        samples: list[float] = []
        cpu_before, client_before = cpu_seconds(self.server.pid), time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(c.loop(started + duration, samples) for c in self.clients))
        seconds = time.perf_counter() - started
        server_cpu = cpu_seconds(self.server.pid) - cpu_before
        return Run(len(samples), seconds, server_cpu, time.process_time() - client_before, samples)


@dataclass
class Totals:
    runs: list[Run] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return sum(r.events for r in self.runs) / sum(r.seconds for r in self.runs)

    def latency_ms(self, q: float) -> float:
        return percentile(sorted(x for r in self.runs for x in r.latencies), q) * 1000

    @property
    def server_cpu_us(self) -> float:
        return sum(r.server_cpu for r in self.runs) / sum(r.events for r in self.runs) * 1e6

    def cpu_share(self, attr: str) -> float:
        return sum(getattr(r, attr) for r in self.runs) / sum(r.seconds for r in self.runs)


async def bench(levels: tuple[int, ...], rounds: int, warmup: float, duration: float) -> Report:
    report = Report(
        name="bench_roundtrip",
        subject="pyreact_asgi",
        baseline="bare python-socketio AsyncServer (defaults, websocket only) echoing a small dict, same uvicorn",
    )
    results: dict[int, dict[str, Totals]] = {n: {"subject": Totals(), "baseline": Totals()} for n in levels}
    steal = StealMeter()
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with uvicorn_process(SUBJECT, build_dir=Path(tmp)) as subject, uvicorn_process(BASELINE) as baseline:
            for clients in levels:
                # The default connector limit of 100 connections would queue clients.
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                    async with Pool(subject, session, clients) as s_pool, Pool(baseline, session, clients) as b_pool:
                        pools = {"subject": s_pool, "baseline": b_pool}
                        # ABBA order (baseline, subject, subject, baseline, ...), in short runs, so that
                        # bursts of load from elsewhere on the machine fall on both servers alike.
                        order = [
                            ("baseline", "subject") if r % 2 == 0 else ("subject", "baseline") for r in range(rounds)
                        ]
                        for kind in (k for pair in order for k in pair):
                            run = await pools[kind].run(warmup=warmup, duration=duration)
                            results[clients][kind].runs.append(run)
                            print(
                                f"{clients:>3} clients  {kind:<8}  {run.events / run.seconds:6.0f} events/s  "
                                f"server CPU {run.server_cpu / run.seconds:4.0%}  "
                                f"client CPU {run.client_cpu / run.seconds:4.0%}",
                                flush=True,
                            )
    for clients, totals in results.items():
        s, b = totals["subject"], totals["baseline"]
        throughput = report.add(Row(f"events/s, {_clients(clients)}", "", s.throughput, b.throughput, "≥ 0.6x"))
        throughput.passed = throughput.ratio is not None and throughput.ratio >= 0.6
        p50 = report.add(Row(f"p50 latency, {_clients(clients)}", "ms", s.latency_ms(50), b.latency_ms(50), "≤ 1.5x"))
        p50.passed = p50.ratio is not None and p50.ratio <= 1.5
        report.add(Row(f"p99 latency, {_clients(clients)}", "ms", s.latency_ms(99), b.latency_ms(99)))
        report.add(Row(f"server CPU per event, {_clients(clients)}", "µs", s.server_cpu_us, b.server_cpu_us))
    report.extra["levels"] = {
        str(clients): {
            kind: {
                "events_per_s": t.throughput,
                "p50_ms": t.latency_ms(50),
                "p99_ms": t.latency_ms(99),
                "server_cpu_us_per_event": t.server_cpu_us,
                "server_cpu_share": t.cpu_share("server_cpu"),
                "client_cpu_share": t.cpu_share("client_cpu"),
                "runs": [
                    {"events": r.events, "seconds": r.seconds, "events_per_s": r.events / r.seconds} for r in t.runs
                ],
            }
            for kind, t in totals.items()
        }
        for clients, totals in results.items()
    }
    report.extra["settings"] = {"rounds": rounds, "warmup_s": warmup, "duration_s": duration}
    for clients, totals in results.items():
        s, b = totals["subject"], totals["baseline"]
        report.notes.append(
            f"{_clients(clients)}: server process busy {s.cpu_share('server_cpu'):.0%} (subject) / "
            f"{b.cpu_share('server_cpu'):.0%} (baseline) of one core; client process "
            f"{s.cpu_share('client_cpu'):.0%} / {b.cpu_share('client_cpu'):.0%}."
        )
    report.extra["cpu_steal_share"] = steal.share()
    report.notes.append(
        f"CPU steal (time the hypervisor gave to other machines) during the run: {steal.share():.0%} of this VM's CPU time."
    )
    report.notes.append(
        f"{rounds} rounds per level and server, alternating, each {warmup:g} s warm-up + {duration:g} s measured; "
        "latency percentiles over every event of the measured windows."
    )
    return report


def _frame_bytes(event: str, data: Any) -> int:
    # What the server put on the websocket: the socket.io EVENT prefix "42" and the msgspec-encoded JSON
    # array (re-encoding the decoded payload gives the same bytes, since msgspec keeps key order).
    return 2 + len(encode([event, data]))


def _clients(n: int) -> str:
    return "1 client" if n == 1 else f"{n} clients"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_roundtrip", description=__doc__)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS), help="concurrent clients per level")
    parser.add_argument("--rounds", type=int, default=6, help="runs per level and server, alternating")
    parser.add_argument("--warmup", type=float, default=0.2, help="seconds of unmeasured events per run")
    parser.add_argument("--duration", type=float, default=1.5, help="measured seconds per run")
    args = parser.parse_args(argv)
    report = asyncio.run(bench(tuple(args.levels), args.rounds, args.warmup, args.duration))
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
