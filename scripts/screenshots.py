"""Takes the dashboard screenshots in docs/screenshots/ (light and dark), with the test suite's chromium.

Usage: python scripts/screenshots.py   (from the repository, in the environment scripts/test makes)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import serve  # noqa: E402


def main() -> None:
    out = ROOT / "docs" / "screenshots"
    os.chdir(tempfile.mkdtemp())  # the example builds into ./.pyreact
    os.environ.setdefault("PYREACT_DASHBOARD_TICK", "0.5")  # read when the example is imported
    import examples.dashboard as dashboard

    with serve(dashboard.app) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for mode in ("light", "dark"):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=mode)
            page = context.new_page()
            page.goto(f"{server.url}/tools/ui/")
            expect(page.locator("#orders tbody tr")).to_have_count(25)
            # Enough live points for a line, and every chart drawn.
            expect(page.locator("#live-chart")).to_have_attribute("data-points", "8", timeout=20_000)
            expect(page.locator("#revenue-chart canvas")).to_be_visible()
            page.mouse.move(0, 0)
            page.screenshot(path=str(out / f"dashboard-{mode}.png"), full_page=True)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
