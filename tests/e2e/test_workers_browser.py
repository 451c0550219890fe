"""A real chromium against `uvicorn --workers 2` with Valkey: reloading onto the other worker keeps the count.

Valkey here, Redis in test_gunicorn.py's browser test: each store gets one browser test across workers, and
tests/e2e/test_workers.py runs the rest over sockets."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import NewTab
from tests.servers import uvicorn_workers, valkey_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

APP = "tests.e2e.workers_app:host"
TRIES = 40


def test_workers_browser_reload_onto_the_other_worker_keeps_the_count_with_valkey(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "valkey").mkdir()
    with valkey_server(tmp_path / "valkey") as valkey:
        env = {"PYREACT_REDIS_URL": valkey.url, "PYREACT_TEST_BUILD_DIR": str(shared_build_dir)}
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
