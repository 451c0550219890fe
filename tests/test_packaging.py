"""A wheel built from a clean clone carries the browser runtime, and the app runs from it without Node.js."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import msgspec
import pytest

from tests.servers import free_port

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).parent.parent

APP = """\
import pyreact_asgi as pr


class Counter(pr.State):
    count: int = 0

    @pr.event
    def increment(self) -> None:
        self.count += 1


def index() -> pr.Component:
    return pr.vstack(pr.heading(Counter.count), pr.button("+1", on_click=Counter.increment))


ui = pr.PyApp(pages={"/": index})
"""


def run(*args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, timeout=600, **kwargs)  # type: ignore[call-overload,no-any-return]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout of the project")
    tmp = tmp_path_factory.mktemp("packaging")
    clone = tmp / "clone"
    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, clone)
    built_files = [*(clone / "src/pyreact_asgi/_static").glob("*.js"), *(clone / "packages").glob("*/src/*/_static")]
    assert not built_files, "the bundle and the component packages' modules must not be committed"
    run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp / "dist", clone)
    (built,) = (tmp / "dist").glob("pyreact_asgi-*.whl")
    return built


def test_wheel_from_clean_clone_contains_the_runtime(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entries = msgspec.json.decode(archive.read("pyreact_asgi/_static/bundle.json"))["entries"]
        runtime = archive.read(f"pyreact_asgi/_static/{entries['runtime']}")
        # The lazily loaded modules ship too: a page with a chart needs no Node either.
        for entry in ("charts", "markdown", "table", "overlays", "ops", "react", "jsx-runtime"):
            assert f"pyreact_asgi/_static/{entries[entry]}" in names
    assert "pyreact_asgi/py.typed" in names
    assert b"createRoot" in runtime, "React DOM is bundled"
    # A name only our runtime reads (the mount meta name itself now arrives at start, in its contract).
    assert b"storedKeySeparator" in runtime, "our client runtime is bundled"
    assert not [name for name in names if "node_modules" in name or name.startswith("frontend/")]


def test_app_runs_from_wheel_without_node(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    (tmp_path / "app.py").write_text(APP)
    env = {"PATH": str(venv / "bin"), "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    probe = run(python, "-c", "import shutil; print(shutil.which('node'), shutil.which('npm'))", env=env)
    assert probe.stdout.split() == ["None", "None"], "node must be off the PATH"

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "uvicorn", "app:ui", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        deadline = time.monotonic() + 60
        for line in server.stderr:
            if "Uvicorn running on" in line:  # logged once the socket is bound, after lifespan startup
                break
            assert time.monotonic() < deadline, "uvicorn did not start within 60s"
        else:
            pytest.fail(f"uvicorn exited with {server.wait()}")
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert b'<meta name="pyreact-mount" content="">' in page
        assets = [part.split(b'"')[0].decode() for part in page.split(b"/_static/")[1:]]
        # The runtime (preloaded) and the app module: no import map, as the app uses no component package.
        assert [name.split(".")[0] for name in assets] == ["runtime", "app"]
        for asset in assets:
            status, body = get(f"http://127.0.0.1:{port}/_static/{asset}")
            assert status == 200
            assert body
        assert (tmp_path / ".pyreact").is_dir(), "the bundle is built in the working directory"
    finally:
        server.terminate()
        server.wait(10)
        assert server.stderr is not None
        server.stderr.close()
