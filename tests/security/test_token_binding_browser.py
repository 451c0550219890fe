"""The key cookie in a real chromium: HttpOnly, scoped to a deep mount path, and what makes a copied token useless."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from pyreact_asgi.runtime.binding import cookie_name
from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.browsing import Tab
from tests.servers import serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MOUNT = "/a/b/c"


def test_key_cookie_is_httponly_and_a_copied_token_reaches_nothing(browser: Browser, shared_build_dir: Path) -> None:
    url = f"{MOUNT}/"
    victim_context, attacker_context = browser.new_context(), browser.new_context()
    try:
        with serve(starlette_host(make_ui(shared_build_dir), MOUNT)) as server:
            victim = Tab(victim_context.new_page())
            victim.open(server.url + url)
            victim.click("increment-10")
            victim.expect_count(10)
            # Page scripts (and so an XSS) cannot read the key; the browser holds it for the mount path only.
            assert cookie_name(MOUNT) not in victim.page.evaluate("document.cookie")
            [key] = [c for c in victim_context.cookies() if c["name"] == cookie_name(MOUNT)]
            assert (key["httpOnly"], key["path"], key["sameSite"], key["secure"]) == (True, MOUNT, "Lax", False)
            # A reload sends the same key and the same token: the same state.
            victim.page.reload()
            victim.expect_count(10)
            token = victim.page.evaluate(f"sessionStorage.getItem('pyreact-token:{MOUNT}')")
            assert isinstance(token, str)

            # An attacker puts the copied token into its own browser, which holds a key of its own.
            attacker = Tab(attacker_context.new_page())
            attacker.page.add_init_script(f"sessionStorage.setItem('pyreact-token:{MOUNT}', {token!r})")
            attacker.open(server.url + url)
            assert attacker.page.evaluate(f"sessionStorage.getItem('pyreact-token:{MOUNT}')") == token
            attacker.expect_count(0)
            attacker.click("increment")
            attacker.expect_count(1)

            victim.click("increment")
            victim.expect_count(11)
            victim.page.reload()
            victim.expect_count(11)
            assert victim.problems == attacker.problems == []
    finally:
        victim_context.close()
        attacker_context.close()
