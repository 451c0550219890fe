"""A real chromium against `uvicorn --workers 2` with Redis: reloading onto the other worker keeps the count."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import NewTab
from tests.servers import redis_server, uvicorn_workers

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

APP = "tests.e2e.workers_app:host"
TRIES = 40


def test_workers_browser_reload_onto_the_other_worker_keeps_the_count(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "redis").mkdir()
    with redis_server(tmp_path / "redis") as redis:
        env = {"PYREACT_REDIS_URL": redis.url, "PYREACT_TEST_BUILD_DIR": str(shared_build_dir)}
        with uvicorn_workers(APP, env, tmp_path / "uvicorn.log") as (server, _):
            tab = new_tab()
            tab.open(f"{server.url}/ui/")
            for count in (1, 2, 3):
                tab.click("increment")
                tab.expect_count(count)
            first = tab.page.locator("#pid").inner_text()
            for _ in range(TRIES):
                # A reload keeps the tab's token (sessionStorage) and key cookie: the same client, on a new
                # websocket that either worker may accept.
                tab.page.reload()
                tab.expect_count(3)
                tab.click("whoami")
                expect(tab.page.locator("#pid")).not_to_have_text("0")
                if tab.page.locator("#pid").inner_text() != first:
                    break
            else:
                pytest.fail(f"no reload landed on the other worker in {TRIES} tries")
            tab.click("increment")
            tab.expect_count(4)
