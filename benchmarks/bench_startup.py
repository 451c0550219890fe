"""Startup cost: the staleness check when the bundle is fresh, and a cold build of a 100-page app.

(a) Fresh start: in a new process (as at every server start), ``compile_app`` of the pages plus
    ``build_bundle`` finding the manifest fresh. Baseline: in the same process, reading the manifest and the
    four files it names without any check, the disk I/O any warm start pays.
(c) Restart with unchanged code: in a new process, what `PyApp.startup` does before serving when the build is
    current: ``load_current`` checks the code the build came from (build/fingerprint.py) and loads the bundle,
    without compiling. The app is the 100-page one written as a module (module-level pages and states, as an
    app's are); its import is not timed. Baseline: the same raw read as (a).
(b) Cold build: ``compile_app`` plus ``build_bundle`` into an empty directory. Baseline: esbuild's transform
    of the same JSX module alone, the one step no pipeline can skip.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

from benchmarks._apps import counter_pages, dashboard_pages, generated_pages, kit_pages, write_module_app
from benchmarks._common import REPO, Report, Row, StealMeter, finish, median
from pyreact_asgi.build import esbuild
from pyreact_asgi.build.compiler import PageFn, compile_app
from pyreact_asgi.build.manifest import MANIFEST_NAME
from pyreact_asgi.build.pipeline import STATIC_DIR, build_bundle, load_current, runtime_files

APPS: dict[str, Callable[[], dict[str, PageFn]]] = {
    "counter": counter_pages,
    "generated": generated_pages,
    "kit": kit_pages,
    "dashboard": dashboard_pages,
}
LABELS = {
    "counter": "1-page counter app",
    "generated": "100-page app",
    "kit": "100-page app using the whole component set",
    "dashboard": "dashboard example (charts, table, markdown, a component package)",
}


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def read_raw(build_dir: Path) -> int:
    """Reads the manifest and every file it names, checking nothing; returns the bytes read."""
    manifest = msgspec.json.decode((build_dir / MANIFEST_NAME).read_bytes())
    total = 0
    for name in (manifest["entry"], manifest["runtime"], *manifest.get("modules", ())):
        total += len((build_dir / name).read_bytes()) + len((build_dir / f"{name}.gz").read_bytes())
    return total


def _against_raw_read(check: Callable[[], None], build_dir: Path, raw_first: bool, times: dict[str, float]) -> None:
    """Runs ``check`` and the baseline raw read of the build, in the order given, and prints the times."""

    def raw() -> None:
        started = time.perf_counter()
        read_raw(build_dir)
        times["raw_ms"] = _ms(started)

    for step in (raw, check) if raw_first else (check, raw):
        step()
    sys.stdout.write(msgspec.json.encode(times).decode())


def child(app: str, build_dir: Path, raw_first: bool) -> None:
    """Runs in a fresh process: times one fresh start and one raw read, prints them as JSON."""
    pages = APPS[app]()
    times: dict[str, float] = {}

    def check() -> None:
        started = time.perf_counter()
        compiled = compile_app(pages)
        times["compile_ms"] = _ms(started)
        bundle = build_bundle(compiled, build_dir, "auto")
        times["check_ms"] = _ms(started)
        if bundle.built:
            raise RuntimeError("expected a fresh bundle, but build_bundle rebuilt it")

    _against_raw_read(check, build_dir, raw_first, times)


def fresh_start(app: str, runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        build_dir = Path(tmp)
        if not build_bundle(compile_app(APPS[app]()), build_dir, "auto").built:
            raise RuntimeError("expected an empty build dir")
        samples: dict[str, list[float]] = {"check_ms": [], "compile_ms": [], "raw_ms": []}
        for run in range(runs):
            command = [sys.executable, "-m", "benchmarks.bench_startup", "--child", app, str(build_dir)]
            if run % 2:
                command.append("--raw-first")
            output = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout
            for key, value in msgspec.json.decode(output).items():
                samples[key].append(value)
    return samples


def restart_child(module_dir: Path, build_dir: Path, raw_first: bool) -> None:
    """Runs in a fresh process: imports the module app, times the restart check and a raw read."""
    import importlib

    import pyreact_asgi as pr

    sys.path.insert(0, str(module_dir))
    pages = importlib.import_module("pages100").PAGES
    times: dict[str, float] = {}

    def check() -> None:
        started = time.perf_counter()
        app = pr.PyApp(pages, config=pr.Config(build_dir=build_dir))
        current = load_current(
            build_dir, app._ordered_pages(), theme=app.config.theme, event_path=app.config.event_path
        )
        times["check_ms"] = _ms(started)
        if current is None:
            raise RuntimeError("expected the build to be current")

    _against_raw_read(check, build_dir, raw_first, times)


def restart(runs: int) -> dict[str, list[float]]:
    import pyreact_asgi as pr

    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        module_dir, build_dir = Path(tmp), Path(tmp) / "build"
        write_module_app(module_dir)
        # Built the way `pyreact build` or a first start builds it, in another process.
        script = (
            "import sys; sys.path.insert(0, sys.argv[1]); import pyreact_asgi as pr, pages100; "
            "from pathlib import Path; pr.PyApp(pages100.PAGES, config=pr.Config(build_dir=Path(sys.argv[2]))).build()"
        )
        subprocess.run([sys.executable, "-c", script, str(module_dir), str(build_dir)], cwd=REPO, check=True)
        del pr
        samples: dict[str, list[float]] = {"check_ms": [], "raw_ms": []}
        for run in range(runs):
            command = [
                sys.executable,
                "-m",
                "benchmarks.bench_startup",
                "--restart-child",
                str(module_dir),
                str(build_dir),
            ]
            if run % 2:
                command.append("--raw-first")
            output = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True).stdout
            for key, value in msgspec.json.decode(output).items():
                samples[key].append(value)
    return samples


def cold_build(app: str, runs: int) -> dict[str, list[float]]:
    """Builds into a new empty dir ``runs`` times, with new State classes each time; alternates with the baseline."""
    runtime = runtime_files()
    modules = {name: runtime.entries[name] for name in ("overlays", "ops")}
    packages = {name: f"{name}.js" for name in ("charts", "markdown", "table", "daypicker")}
    samples: dict[str, list[float]] = {"build_ms": [], "compile_ms": [], "transform_ms": [], "module_bytes": []}

    def subject(pages: dict[str, PageFn]) -> None:
        with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
            started = time.perf_counter()
            compiled = compile_app(pages)
            samples["compile_ms"].append(_ms(started))
            bundle = build_bundle(compiled, Path(tmp), "auto")
            samples["build_ms"].append(_ms(started))
        if not bundle.built:
            raise RuntimeError("expected a cold build")

    def baseline(pages: dict[str, PageFn]) -> None:
        module = compile_app(pages).module(
            runtime.entries["runtime"], packages, modules=modules
        )  # untimed: the baseline is esbuild alone
        samples["module_bytes"].append(len(module.encode()))
        started = time.perf_counter()
        esbuild.transform(module, name="app module")
        samples["transform_ms"].append(_ms(started))

    for run in range(runs):
        for step in (subject, baseline) if run % 2 == 0 else (baseline, subject):
            step(APPS[app]())
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="samples per figure; the median is reported")
    parser.add_argument("--child", nargs=2, metavar=("APP", "BUILD_DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--raw-first", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--restart-child", nargs=2, metavar=("MODULE_DIR", "BUILD_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.restart_child:
        restart_child(Path(args.restart_child[0]), Path(args.restart_child[1]), args.raw_first)
        return 0
    if args.child:
        child(args.child[0], Path(args.child[1]), args.raw_first)
        return 0

    steal = StealMeter()
    report = Report(
        name="bench_startup",
        subject="pyreact_asgi",
        baseline="(a) raw read of the manifest and the 4 files it names, same process; "
        "(b) esbuild transform of the same JSX module alone; (c) as (a)",
    )
    started = time.perf_counter()
    esbuild._load()  # loads esbuild-py's Go library, once per process
    esbuild_load_ms = _ms(started)

    fresh = {app: fresh_start(app, args.runs) for app in APPS}
    restarts = restart(args.runs)
    cold = {app: cold_build(app, args.runs) for app in APPS}
    for app, samples in fresh.items():
        row = Row(f"fresh start, {LABELS[app]}", "ms", median(samples["check_ms"]), median(samples["raw_ms"]))
        if app in ("counter", "generated"):  # the others' targets are their cold builds'
            row.target, row.passed = "< 50 ms", row.subject < 50
        report.add(row)
    row = Row("restart, unchanged code, 100-page app", "ms", median(restarts["check_ms"]), median(restarts["raw_ms"]))
    row.target, row.passed = "< 20 ms", row.subject < 20
    report.add(row)
    for app, samples in cold.items():
        row = Row(f"cold build, {LABELS[app]}", "ms", median(samples["build_ms"]), median(samples["transform_ms"]))
        if app == "generated":
            row.target, row.passed = "< 2 s", row.subject < 2000
        elif app == "kit":
            row.target, row.passed = "< 3 s", row.subject < 3000
        elif app == "dashboard":
            row.target, row.passed = "< 2 s", row.subject < 2000
        report.add(row)

    gen_fresh, gen_cold = fresh["generated"], cold["generated"]
    report.notes += [
        f"Medians of {args.runs} runs. Fresh starts run in a new process each (class-level caches are cold, as "
        "at a server start), alternating which of subject and baseline goes first.",
        f"100-page fresh start: compile_app {median(gen_fresh['compile_ms']):.1f} ms of "
        f"{median(gen_fresh['check_ms']):.1f} ms; the rest reads and hashes the runtime and loads the bundle.",
        f"100-page cold build: compile_app {median(gen_cold['compile_ms']):.0f} ms, JSX module "
        f"{median(gen_cold['module_bytes']) / 1024:.0f} KiB; the rest is esbuild, gzip -9 of the runtime and "
        "the app, and fsync'd writes.",
        f"Loading esbuild-py's Go library (once per process, only when a build runs): {esbuild_load_ms:.0f} ms, "
        "not counted above.",
        f"CPU steal during the run: {steal.share():.0%}.",
    ]
    report.extra["samples"] = {"fresh_start": fresh, "restart": restarts, "cold_build": cold}
    report.extra["esbuild_load_ms"] = esbuild_load_ms
    report.extra["cpu_steal_share"] = steal.share()
    runtime_file = STATIC_DIR / runtime_files().entries["runtime"]
    report.extra["runtime_gzip_bytes"] = len(gzip.compress(runtime_file.read_bytes(), 9, mtime=0))
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
