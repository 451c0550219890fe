"""Helpers shared by the benchmarks: result rows, the Markdown table, JSON output, and server processes."""

from __future__ import annotations

import datetime
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from tests._waiting import port_open, wait_until

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Where a server process started by `uvicorn_process` builds the app (read by the factories in `_apps`).
BUILD_DIR_ENV = "PYREACT_BENCH_BUILD_DIR"


@dataclass
class Row:
    """One figure of a benchmark, beside its baseline.

    ``ratio`` is subject / baseline; ``passed`` is None for figures without a target.
    """

    figure: str
    unit: str
    subject: float
    baseline: float | None = None
    target: str = "—"
    passed: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.subject / self.baseline


@dataclass
class Report:
    name: str
    subject: str
    baseline: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    @property
    def passed(self) -> bool:
        return all(row.passed is not False for row in self.rows)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(report: Report) -> str:
    """Returns the report as a Markdown table."""
    lines = [
        f"| figure | {report.subject} | baseline | ratio | target | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in report.rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}x"
        result = {True: "pass", False: "**FAIL**", None: ""}[row.passed]
        lines.append(
            f"| {row.figure} | {_fmt(row.subject, row.unit)} | {_fmt(row.baseline, row.unit)} | {ratio} | {row.target} | {result} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def finish(report: Report) -> int:
    """Prints the report, writes ``results/<name>.json`` and returns the exit status (1 if a target is missed)."""
    print(f"\n## {report.name}\n")
    print(f"Baseline: {report.baseline}\n")
    print(table(report))
    if report.notes:
        print()
    for note in report.notes:
        print(f"- {note}")
    RESULTS_DIR.mkdir(exist_ok=True)
    data = {
        "benchmark": report.name,
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "subject": report.subject,
        "baseline": report.baseline,
        "rows": [{**asdict(row), "ratio": row.ratio} for row in report.rows],
        "notes": report.notes,
        "passed": report.passed,
        **report.extra,
    }
    path = RESULTS_DIR / f"{report.name}.json"
    path.write_bytes(msgspec.json.format(msgspec.json.encode(data)) + b"\n")
    print(f"\nResults written to {path.relative_to(REPO)}")
    return 0 if report.passed else 1


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = math.ceil(q / 100 * len(sorted_values))
    return sorted_values[max(0, min(len(sorted_values), rank) - 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """Returns the user + system CPU time a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); the split above starts at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ServerProcess:
    url: str
    pid: int


def cores() -> tuple[int, int] | None:
    """Returns a (server, client) pair of distinct CPUs this process may run on, or None with only one."""
    allowed = sorted(os.sched_getaffinity(0))
    return (allowed[0], allowed[1]) if len(allowed) >= 2 else None


@contextmanager
def pinned(cpu: int | None) -> Iterator[None]:
    """Keeps this process (the load generator) on ``cpu`` until the block ends; does nothing for None."""
    if cpu is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def uvicorn_process(
    factory: str, *, build_dir: Path | None = None, timeout: float = 60.0, cpu: int | None = None
) -> Iterator[ServerProcess]:
    """Runs ``uvicorn --factory <factory>`` in its own process on 127.0.0.1 until the block ends.

    A separate process gives the server its own GIL, so client and server do not slow each other down
    beyond sharing the machine's cores; ``cpu`` pins it to one core, away from the load generator's. uvicorn
    binds only after the app's lifespan startup, so an accepted TCP connection means the app is built and
    serving.
    """
    port = free_port()
    env = dict(os.environ)
    if build_dir is not None:
        env[BUILD_DIR_ENV] = str(build_dir)
    command = [
        sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--lifespan", "on",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    try:
        if cpu is not None:
            # At once, before the interpreter starts threads: each new thread inherits its creator's affinity.
            os.sched_setaffinity(process.pid, {cpu})
        wait_until(
            lambda: port_open(port), alive=lambda: process.poll() is None, what=factory, timeout=timeout, interval=0.05
        )
        yield ServerProcess(f"http://127.0.0.1:{port}", process.pid)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cpu_ticks() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[7], sum(fields[:8])  # steal, and user..steal


class StealMeter:
    """Measures the share of CPU time the hypervisor gave to other machines (``steal`` in /proc/stat).

    On a shared VM this is the noise no interleaving can hide; reported so readers can judge a run.
    """

    def __init__(self) -> None:
        self._start = _cpu_ticks()

    def share(self) -> float:
        steal, total = _cpu_ticks()
        return (steal - self._start[0]) / max(1, total - self._start[1])
