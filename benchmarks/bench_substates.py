"""Events on an app of 20 substates x 50 vars, where each event touches one var of one substate, vs. the counter.

Both apps run under the same uvicorn, each in its own process; the clients are python-socketio AsyncClients in
this process, in a closed loop (the next event after the reply to the previous one). Runs alternate the two
servers (ABBA). The figures are ratios to the counter in the same run: the cost of a large state when an
event touches only a small part of it. Bytes are those of the update the server put on the websocket.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

import aiohttp

from benchmarks._apps import WIDE_HANDLER, WIDE_SUBSTATES, WIDE_VARS
from benchmarks._common import Report, Row, StealMeter, finish, uvicorn_process
from benchmarks.bench_roundtrip import HANDLER, Pool, Totals

SUBJECT = "benchmarks._apps:wide_app"
BASELINE = "benchmarks._apps:counter_app"
LEVELS = (1, 10)
RATIO = 1.3


async def bench(levels: tuple[int, ...], rounds: int, warmup: float, duration: float) -> Report:
    report = Report(
        name="bench_substates",
        subject=f"{WIDE_SUBSTATES} substates x {WIDE_VARS} vars",
        baseline="the counter app (one state, 2 vars), same run",
    )
    results: dict[int, dict[str, Totals]] = {n: {"subject": Totals(), "baseline": Totals()} for n in levels}
    bytes_per_event: dict[str, float] = {}
    state_bytes: dict[str, int] = {}
    steal = StealMeter()
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with (
            uvicorn_process(SUBJECT, build_dir=Path(tmp) / "wide") as subject,
            uvicorn_process(BASELINE, build_dir=Path(tmp) / "counter") as baseline,
        ):
            for clients in levels:
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
                    async with (
                        Pool(subject, session, clients, WIDE_HANDLER) as s_pool,
                        Pool(baseline, session, clients, HANDLER) as b_pool,
                    ):
                        pools = {"subject": s_pool, "baseline": b_pool}
                        order = [
                            ("baseline", "subject") if r % 2 == 0 else ("subject", "baseline") for r in range(rounds)
                        ]
                        for kind in (k for pair in order for k in pair):
                            run = await pools[kind].run(warmup=warmup, duration=duration)
                            results[clients][kind].runs.append(run)
                            print(
                                f"{clients:>3} clients  {kind:<8}  {run.events / run.seconds:6.0f} events/s  "
                                f"server CPU {run.server_cpu / run.seconds:4.0%}",
                                flush=True,
                            )
                        for kind, pool in pools.items():
                            client = pool.clients[0]
                            bytes_per_event[kind] = client.update_bytes / max(1, client._next_id)
                            state_bytes[kind] = client.state_bytes
    for clients, totals in results.items():
        s, b = totals["subject"], totals["baseline"]
        n = "1 client" if clients == 1 else f"{clients} clients"
        throughput = report.add(Row(f"events/s, {n}", "", s.throughput, b.throughput, f"≥ {1 / RATIO:.2f}x"))
        throughput.passed = throughput.ratio is not None and throughput.ratio >= 1 / RATIO
        p50 = report.add(Row(f"p50 latency, {n}", "ms", s.latency_ms(50), b.latency_ms(50), f"≤ {RATIO}x"))
        p50.passed = p50.ratio is not None and p50.ratio <= RATIO
        report.add(Row(f"p99 latency, {n}", "ms", s.latency_ms(99), b.latency_ms(99)))
        report.add(Row(f"server CPU per event, {n}", "µs", s.server_cpu_us, b.server_cpu_us))
    per_event = report.add(
        Row("bytes on the wire per event", "B", bytes_per_event["subject"], bytes_per_event["baseline"], "≤ 1.3x")
    )
    per_event.passed = per_event.ratio is not None and per_event.ratio <= RATIO
    report.add(Row("full state on connect", "B", state_bytes["subject"], state_bytes["baseline"]))
    report.notes.append(
        f"Each subject event is {WIDE_HANDLER}(1): it changes one int var of one of {WIDE_SUBSTATES} substates "
        f"({WIDE_SUBSTATES * WIDE_VARS} vars in all); the update carries that var only, so its size matches "
        "the counter's. The full state on connect shows what sending every var would cost."
    )
    report.extra["cpu_steal_share"] = steal.share()
    report.extra["settings"] = {"rounds": rounds, "warmup_s": warmup, "duration_s": duration}
    report.notes.append(f"CPU steal during the run: {steal.share():.0%} of this VM's CPU time.")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_substates", description=__doc__)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS), help="concurrent clients per level")
    parser.add_argument("--rounds", type=int, default=4, help="runs per level and server, alternating")
    parser.add_argument("--warmup", type=float, default=0.2, help="seconds of unmeasured events per run")
    parser.add_argument("--duration", type=float, default=1.5, help="measured seconds per run")
    args = parser.parse_args(argv)
    report = asyncio.run(bench(tuple(args.levels), args.rounds, args.warmup, args.duration))
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
