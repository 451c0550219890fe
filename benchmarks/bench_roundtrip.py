"""Event round trip through the state engine vs. a bare python-socketio server, at 1, 10 and 100 clients.

Both servers run under the same uvicorn in their own process, pinned to one core; the clients are light
hand-framed engine.io clients (`benchmarks._eio`) in this process, pinned to another core, so that the server
saturates first. Each client sends its next event only after the reply to the previous
one (closed loop). Runs alternate baseline and subject (ABBA) so that drift on the shared machine hits both.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks._apps import EVENT_PATH
from benchmarks._common import (
    Report,
    Row,
    ServerProcess,
    StealMeter,
    cores,
    cpu_seconds,
    finish,
    percentile,
    pinned,
    uvicorn_process,
)
from benchmarks._eio import LightClient

SUBJECT = "benchmarks._apps:counter_app"
BASELINE = "benchmarks._apps:bare_socketio_app"
HANDLER = "counter.increment"
LEVELS = (1, 10, 100)
THROUGHPUT = 0.85  # at 10 and 100 clients
LATENCY = 1.15  # p50 at 1 client
CPU = 1.2  # server CPU per event, every level


class BenchClient:
    """One socket.io connection that sends an event, waits for its reply, and records the latency.

    Framed by hand over aiohttp (`benchmarks._eio`): python-socketio's AsyncClient costs about twice the CPU
    per event of this one, enough for a single client process to saturate before the server does and squeeze
    the ratio toward 1.
    """

    def __init__(self, session: aiohttp.ClientSession, handler: str = HANDLER) -> None:
        self.handler = handler
        self._session = session
        self.light: LightClient | None = None

    async def connect(self, url: str) -> None:
        self.light = await LightClient.open(self._session, url, path=EVENT_PATH + "/")

    async def call(self) -> float:
        """Sends one event and returns the seconds until its reply arrived."""
        light = self.light
        assert light is not None
        started = time.perf_counter()
        reply = await light.call(self.handler, 1)
        elapsed = time.perf_counter() - started
        if reply.get("id") != light.events or "error" in reply:
            raise RuntimeError(f"Unexpected reply {reply!r} to event {light.events}")
        return elapsed

    async def loop(self, until: float, samples: list[float]) -> None:
        while time.perf_counter() < until:
            samples.append(await self.call())

    async def close(self) -> None:
        if self.light is not None:
            await self.light.close()


@dataclass
class Run:
    """What one timed run of ``clients`` closed-loop clients against one server measured."""

    events: int
    seconds: float
    server_cpu: float
    client_cpu: float
    latencies: list[float] = field(repr=False)
    helper_cpu: float = 0.0  # of the process the server depends on, if any (a redis-server)


class Pool:
    """``size`` clients connected to one server, kept open across that server's runs at one level; the CPU
    time of ``helper`` (a process the server depends on) is measured beside the server's."""

    def __init__(
        self,
        server: ServerProcess,
        session: aiohttp.ClientSession,
        size: int,
        handler: str = HANDLER,
        helper: int | None = None,
    ) -> None:
        self.server = server
        self.helper = helper
        self.clients = [BenchClient(session, handler) for _ in range(size)]

    async def __aenter__(self) -> Pool:
        await asyncio.gather(*(c.connect(self.server.url) for c in self.clients))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.gather(*(c.close() for c in self.clients))

    async def run(self, *, warmup: float, duration: float) -> Run:
        discard: list[float] = []
        until = time.perf_counter() + warmup
        await asyncio.gather(*(c.loop(until, discard) for c in self.clients))
        samples: list[float] = []
        helper = self.helper
        cpu_before, client_before = cpu_seconds(self.server.pid), time.process_time()
        helper_before = 0.0 if helper is None else cpu_seconds(helper)
        started = time.perf_counter()
        await asyncio.gather(*(c.loop(started + duration, samples) for c in self.clients))
        seconds = time.perf_counter() - started
        server_cpu = cpu_seconds(self.server.pid) - cpu_before
        helper_cpu = 0.0 if helper is None else cpu_seconds(helper) - helper_before
        return Run(len(samples), seconds, server_cpu, time.process_time() - client_before, samples, helper_cpu)


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

    @property
    def helper_cpu_us(self) -> float:
        return sum(r.helper_cpu for r in self.runs) / sum(r.events for r in self.runs) * 1e6

    def cpu_share(self, attr: str) -> float:
        return sum(getattr(r, attr) for r in self.runs) / sum(r.seconds for r in self.runs)


async def abba(
    servers: dict[str, tuple[ServerProcess, str]],
    clients: int,
    results: dict[str, Totals],
    *,
    rounds: int,
    warmup: float,
    duration: float,
    subject_helper: int | None = None,
) -> dict[str, Pool]:
    """Connects ``clients`` clients to each of two servers and times them in ABBA order; returns the pools.

    ``servers`` maps "subject" and "baseline" to a server and the handler its events call; the CPU time of
    ``subject_helper`` (a process id) is measured with the subject's runs.
    """
    # The default connector limit of 100 connections would queue clients.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async with (
            Pool(servers["subject"][0], session, clients, servers["subject"][1], subject_helper) as s_pool,
            Pool(servers["baseline"][0], session, clients, servers["baseline"][1]) as b_pool,
        ):
            pools = {"subject": s_pool, "baseline": b_pool}
            # ABBA order (baseline, subject, subject, baseline, ...), in short runs, so that bursts of load
            # from elsewhere on the machine fall on both servers alike.
            order = [("baseline", "subject") if r % 2 == 0 else ("subject", "baseline") for r in range(rounds)]
            for kind in (k for pair in order for k in pair):
                run = await pools[kind].run(warmup=warmup, duration=duration)
                results[kind].runs.append(run)
                print(
                    f"{clients:>3} clients  {kind:<8}  {run.events / run.seconds:6.0f} events/s  "
                    f"server CPU {run.server_cpu / run.seconds:4.0%} ({run.server_cpu / run.events * 1e6:4.0f} µs/event)  "
                    f"client CPU {run.client_cpu / run.seconds:4.0%}",
                    flush=True,
                )
            return pools


async def bench(levels: tuple[int, ...], rounds: int, warmup: float, duration: float) -> Report:
    report = Report(
        name="bench_roundtrip",
        subject="pyreact_asgi",
        baseline="bare python-socketio AsyncServer (defaults, websocket only) echoing a small dict, same uvicorn",
    )
    results: dict[int, dict[str, Totals]] = {n: {"subject": Totals(), "baseline": Totals()} for n in levels}
    steal = StealMeter()
    pair = cores()
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with (
            uvicorn_process(SUBJECT, build_dir=Path(tmp), cpu=pair and pair[0]) as subject,
            uvicorn_process(BASELINE, cpu=pair and pair[0]) as baseline,
            pinned(pair and pair[1]),
        ):
            for clients in levels:
                await abba(
                    {"subject": (subject, HANDLER), "baseline": (baseline, HANDLER)},
                    clients,
                    results[clients],
                    rounds=rounds,
                    warmup=warmup,
                    duration=duration,
                )
    for clients, totals in results.items():
        s, b = totals["subject"], totals["baseline"]
        n = _clients(clients)
        # The targets: throughput where the server saturates (10 and 100 clients), latency where it
        # does not (1 client), and the server's CPU per event everywhere.
        throughput = report.add(Row(f"events/s, {n}", "", s.throughput, b.throughput))
        if clients >= 10:
            throughput.target = f"≥ {THROUGHPUT}x"
            throughput.passed = throughput.ratio is not None and throughput.ratio >= THROUGHPUT
        p50 = report.add(Row(f"p50 latency, {n}", "ms", s.latency_ms(50), b.latency_ms(50)))
        if clients == 1:
            p50.target = f"≤ {LATENCY}x"
            p50.passed = p50.ratio is not None and p50.ratio <= LATENCY
        report.add(Row(f"p99 latency, {n}", "ms", s.latency_ms(99), b.latency_ms(99)))
        cpu = report.add(Row(f"server CPU per event, {n}", "µs", s.server_cpu_us, b.server_cpu_us, f"≤ {CPU}x"))
        cpu.passed = cpu.ratio is not None and cpu.ratio <= CPU
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
    report.extra["pinned"] = pair
    report.notes.append(
        f"Servers pinned to CPU {pair[0]}, load generator to CPU {pair[1]}."
        if pair
        else "Only one CPU: server and load generator share it (not pinned)."
    )
    report.notes.append(
        f"CPU steal (time the hypervisor gave to other machines) during the run: {steal.share():.0%} of this VM's CPU time."
    )
    report.notes.append(
        f"{rounds} rounds per level and server, alternating, each {warmup:g} s warm-up + {duration:g} s measured; "
        "latency percentiles over every event of the measured windows."
    )
    return report


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
