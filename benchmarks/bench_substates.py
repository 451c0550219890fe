"""Events that change a small part of a large state, vs. the counter's event, in the same run.

Two subjects: an app of 20 substates x 50 vars, whose event changes one var of one substate, and an app
with a list of 1,000 strings, whose event changes one item in place. Each runs under the same uvicorn as the
counter, each server in its own process pinned to one core; the clients are light hand-framed engine.io
clients (`benchmarks._eio`) in this process, pinned to another, in a closed loop (the next event after the
reply to the previous one). Runs alternate subject and counter (ABBA). The figures are ratios to the counter
in the same run: what a large state costs an event that touches little of it. Bytes are those of the update
the server put on the websocket.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from benchmarks._apps import LIST_HANDLER, LIST_ITEMS, WIDE_HANDLER, WIDE_SUBSTATES, WIDE_VARS
from benchmarks._common import Report, Row, StealMeter, cores, finish, pinned, uvicorn_process
from benchmarks.bench_roundtrip import HANDLER, Totals, abba

COUNTER = "benchmarks._apps:counter_app"
SUBJECTS = {
    "wide": ("benchmarks._apps:wide_app", WIDE_HANDLER, f"{WIDE_SUBSTATES} substates x {WIDE_VARS} vars"),
    "list": ("benchmarks._apps:list_app", LIST_HANDLER, f"one item of a {LIST_ITEMS:,}-item list"),
}
LEVELS = (1, 10)
RATIO = 1.1  # server CPU per event, against the counter's


async def bench(levels: tuple[int, ...], rounds: int, warmup: float, duration: float) -> Report:
    report = Report(
        name="bench_substates",
        subject="large state",
        baseline="the counter app (one state, 2 vars), same run",
    )
    results = {(name, n): {"subject": Totals(), "baseline": Totals()} for name in SUBJECTS for n in levels}
    update_bytes: dict[str, dict[str, float]] = {}
    state_bytes: dict[str, dict[str, int]] = {}
    steal = StealMeter()
    pair = cores()
    cpu = pair and pair[0]
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with (
            uvicorn_process(COUNTER, build_dir=Path(tmp) / "counter", cpu=cpu) as counter,
            uvicorn_process(SUBJECTS["wide"][0], build_dir=Path(tmp) / "wide", cpu=cpu) as wide,
            uvicorn_process(SUBJECTS["list"][0], build_dir=Path(tmp) / "list", cpu=cpu) as big_list,
            pinned(pair and pair[1]),
        ):
            servers = {"wide": wide, "list": big_list}
            for clients in levels:
                for name, server in servers.items():
                    print(f"-- {SUBJECTS[name][2]} vs the counter", flush=True)
                    pools = await abba(
                        {"subject": (server, SUBJECTS[name][1]), "baseline": (counter, HANDLER)},
                        clients,
                        results[name, clients],
                        rounds=rounds,
                        warmup=warmup,
                        duration=duration,
                    )
                    for kind, pool in pools.items():
                        light = pool.clients[0].light
                        assert light is not None
                        update_bytes.setdefault(name, {})[kind] = light.update_bytes / max(1, light.events)
                        state_bytes.setdefault(name, {})[kind] = light.state_bytes
    for name, (_, handler, label) in SUBJECTS.items():
        for clients in levels:
            s, b = results[name, clients]["subject"], results[name, clients]["baseline"]
            n = f"{label}, " + ("1 client" if clients == 1 else f"{clients} clients")
            report.add(Row(f"events/s, {n}", "", s.throughput, b.throughput))
            report.add(Row(f"p50 latency, {n}", "ms", s.latency_ms(50), b.latency_ms(50)))
            cost = report.add(Row(f"server CPU per event, {n}", "µs", s.server_cpu_us, b.server_cpu_us, f"≤ {RATIO}x"))
            cost.passed = cost.ratio is not None and cost.ratio <= RATIO
        report.add(
            Row(
                f"bytes on the wire per event, {label}",
                "B",
                update_bytes[name]["subject"],
                update_bytes[name]["baseline"],
            )
        )
        report.add(
            Row(f"full state on connect, {label}", "B", state_bytes[name]["subject"], state_bytes[name]["baseline"])
        )
        report.notes.append(f"{label}: each event is {handler}(1).")
    report.notes.append(
        "A list changed in place at a few items goes as a patch (docs/protocol.md, Patches): the list's event "
        "sends the one item it set, the wide app's the one int."
    )
    report.extra["cpu_steal_share"] = steal.share()
    report.extra["pinned"] = pair
    report.extra["settings"] = {"rounds": rounds, "warmup_s": warmup, "duration_s": duration}
    report.notes.append(f"CPU steal during the run: {steal.share():.0%} of this VM's CPU time.")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_substates", description=__doc__)
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS), help="concurrent clients per level")
    parser.add_argument("--rounds", type=int, default=6, help="runs per level and server, alternating")
    parser.add_argument("--warmup", type=float, default=0.2, help="seconds of unmeasured events per run")
    parser.add_argument("--duration", type=float, default=1.5, help="measured seconds per run")
    args = parser.parse_args(argv)
    report = asyncio.run(bench(tuple(args.levels), args.rounds, args.warmup, args.duration))
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
