"""Fixtures for the Django integration tests: the project's database and users, logins, and daphne.

Django's settings are process-global, so the project is set up once per test session, from
``DJANGO_SETTINGS_MODULE`` and two paths in the environment; servers in subprocesses get the same environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest

from tests._waiting import port_open, wait_until
from tests.servers import LiveServer, free_port, serve

ROOT = Path(__file__).parents[3]
SETTINGS = "tests.integrations.django_project.settings"
ASGI = "tests.integrations.django_project.asgi:application"
PASSWORD = "correct horse battery"
USERS = ("ada", "grace", "linus", "root")


@dataclass(frozen=True)
class Project:
    """The set-up project: the environment its servers need, and a session cookie per logged-in user."""

    env: dict[str, str]
    build_dir: Path
    cookies: dict[str, str]


def _create_users() -> None:
    from django.contrib.auth.models import Group, Permission, User

    editors = Group.objects.create(name="editors")
    reviewers = Group.objects.create(name="reviewers")
    User.objects.create_user("ada", "ada@example.org", PASSWORD).groups.add(editors)
    User.objects.create_user("grace", "grace@example.org", PASSWORD, is_staff=True)
    linus = User.objects.create_user("linus", "linus@example.org", PASSWORD)
    linus.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename="view_user"))
    linus.groups.add(reviewers)
    User.objects.create_superuser("root", "root@example.org", PASSWORD)


def login(client: httpx2.Client, username: str) -> str:
    """Logs in through Django's own LoginView, as a browser would; returns the ``Cookie`` header to send."""
    form = client.get("/accounts/login/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert match, form.text
    answer = client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": match[1], "username": username, "password": PASSWORD},
    )
    assert answer.status_code == 302, answer.text
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


@pytest.fixture(scope="session")
def django_project(tmp_path_factory: pytest.TempPathFactory, shared_build_dir: Path) -> Iterator[Project]:
    """Migrates a fresh sqlite database, creates the users, and logs each of them in over HTTP."""
    django = pytest.importorskip("django")
    from django.core.management import call_command

    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYREACT_TEST_DJANGO_DB": str(tmp_path_factory.mktemp("django") / "db.sqlite3"),
        "PYREACT_TEST_BUILD_DIR": str(shared_build_dir / "django"),
    }
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        django.setup()
        call_command("migrate", verbosity=0)
        _create_users()
        import pyreact_django
        from tests.integrations.django_project.ui import make_ui

        cookies = {}
        with serve(pyreact_django.asgi(make_ui(), prefix="/admin-ui")) as server:
            for username in USERS:
                with httpx2.Client(base_url=server.url) as client:
                    cookies[username] = login(client, username)
        yield Project({**os.environ, **env}, Path(env["PYREACT_TEST_BUILD_DIR"]), cookies)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def daphne(
    project: Project, prefix: str, access: str = "none", *, env: dict[str, str] | None = None, timeout: float = 20.0
) -> Iterator[LiveServer]:
    """Runs the project's asgi.py under daphne in a subprocess, as ``daphne -b 127.0.0.1 -p PORT module:application``.

    Fails the test if daphne logged a traceback.
    """
    port = free_port()
    log = Path(project.env["PYREACT_TEST_DJANGO_DB"]).parent / f"daphne-{port}.log"
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), ASGI]
    extra = {"PYREACT_TEST_PREFIX": prefix, "PYREACT_TEST_ACCESS": access, **(env or {})}
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env={**project.env, **extra}, stdout=output, stderr=output)
    try:
        wait_until(
            lambda: port_open(port),
            alive=lambda: process.poll() is None,
            what="daphne",
            timeout=timeout,
            detail=log.read_text,
            interval=0.05,
        )
        yield LiveServer("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(timeout)
    assert "Traceback" not in log.read_text(), log.read_text()
