"""A real chromium logs in through Django's login page and sees its Django username in the UI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

pytest.importorskip("django")

from playwright.sync_api import expect

import pyreact_django
from tests.e2e.browsing import NewTab, browser, new_tab
from tests.integrations.django_project.harness import PASSWORD, Project, daphne
from tests.integrations.django_project.ui import make_ui
from tests.servers import LiveServer, serve

__all__ = ["browser", "new_tab"]  # fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@contextmanager
def run(project: Project, server: str) -> Iterator[LiveServer]:
    if server == "daphne":
        with daphne(project, "/admin-ui", access="login") as live:
            yield live
    else:
        with serve(pyreact_django.asgi(make_ui(), prefix="/admin-ui", access=pyreact_django.login_required)) as live:
            yield live


@pytest.mark.parametrize("server", ["uvicorn", "daphne"])
def test_logged_in_user_sees_their_name(new_tab: NewTab, django_project: Project, server: str) -> None:
    with run(django_project, server) as live:
        tab = new_tab()
        page = tab.page
        # Anonymous: the UI sends the browser to Django's login page, which comes back after logging in.
        page.goto(f"{live.url}/admin-ui/who")
        expect(page).to_have_url(f"{live.url}/accounts/login/?next=/admin-ui/who")
        page.locator("#id_username").fill("grace")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#log-in").click()
        expect(page).to_have_url(f"{live.url}/admin-ui/who")
        # The page's on_load handler read the Django user of the session the login started.
        expect(page.locator("#username")).to_have_text("grace")
        expect(page.locator("#flavour")).to_have_text("none")

        # A Django view puts a value in the same session; the UI reads it on the next load.
        page.goto(f"{live.url}/django/")
        expect(page.locator("body")).to_have_text("django home: grace")
        page.goto(f"{live.url}/admin-ui/who")
        expect(page.locator("#flavour")).to_have_text("vanilla")
        expect(page.locator("#username")).to_have_text("grace")
