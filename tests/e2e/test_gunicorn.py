"""docs/deploy.md's gunicorn command, as written there, with 2 uvicorn workers, Redis and a real chromium: a tab
keeps its count when it reconnects to the other worker, and a push made on the other worker reaches it."""

from __future__ import annotations

import shlex
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import NewTab, Tab
from tests.servers import free_port, gunicorn_workers, redis_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

DEPLOY = Path(__file__).parents[2] / "docs" / "deploy.md"
APP = "tests.e2e.workers_app:host"
TRIES = 40


def deploy_command(app: str, workers: int, port: int) -> list[str]:
    """The arguments of docs/deploy.md's gunicorn line, with the test's app, worker count and port."""
    lines = [line for line in DEPLOY.read_text().splitlines() if line.startswith("gunicorn myapp:app ")]
    assert len(lines) == 1, f"expected one gunicorn command for myapp:app in {DEPLOY}, but found {lines!r}"
    argv = shlex.split(lines[0], comments=True)[1:]
    assert argv[0] == "myapp:app"
    argv[0] = app
    argv[argv.index("-w") + 1] = str(workers)
    argv[argv.index("-b") + 1] = f"127.0.0.1:{port}"
    return argv


def test_deploy_command_is_gunicorn_with_uvicorns_worker_class() -> None:
    argv = deploy_command(APP, 2, 8000)
    assert argv[argv.index("-k") + 1] == "uvicorn_worker.UvicornWorker"  # not the deprecated uvicorn.workers


def _pid(tab: Tab) -> str:
    tab.click("whoami")
    expect(tab.page.locator("#pid")).not_to_have_text("0")
    return tab.page.locator("#pid").inner_text()


def _push(url: str, key: str, count: int) -> str:
    # A new connection each time, so either worker may take it; returns the pid of the one that did.
    with urllib.request.urlopen(urllib.request.Request(f"{url}/push/{key}?count={count}", method="POST")) as r:
        assert r.status == 200
        return str(r.read().decode())


def test_gunicorn_workers_keep_the_count_across_a_reconnect_and_deliver_pushes_from_the_other_worker(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "redis").mkdir()
    with redis_server(tmp_path / "redis") as redis:
        env = {"PYREACT_REDIS_URL": redis.url, "PYREACT_TEST_BUILD_DIR": str(shared_build_dir)}
        argv = deploy_command(APP, 2, free_port())
        with gunicorn_workers(argv, env, tmp_path / "gunicorn.log") as (server, _):
            tab = new_tab()
            tab.open(f"{server.url}/ui/")
            for count in (1, 2, 3):
                tab.click("increment")
                tab.expect_count(count)
            first = _pid(tab)
            for _ in range(TRIES):
                # A reload keeps the tab's token and key cookie: the same client, on a new websocket that
                # either worker may accept.
                tab.page.reload()
                tab.expect_count(3)
                if _pid(tab) != first:
                    break
            else:
                pytest.fail(f"no reload landed on the other worker in {TRIES} tries")
            tab.click("increment")
            tab.expect_count(4)

            # A host route's modify_state on the worker the tab is not connected to reaches it through Redis.
            here = tab.page.locator("#pid").inner_text()
            key = tab.page.locator("#key").inner_text()
            assert len(key) == 44
            for count in range(10, 10 + TRIES):
                pusher = _push(server.url, key, count)
                tab.expect_count(count)
                expect(tab.page.locator("#note")).to_have_text(f"pushed {count} by {pusher}")
                if pusher != here:
                    break
            else:
                pytest.fail(f"no push landed on the other worker in {TRIES} tries")
