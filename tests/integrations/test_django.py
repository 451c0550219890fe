"""The Django integration: the UI beside Django's views under uvicorn, hypercorn and daphne, with Django's users."""

from __future__ import annotations

import copy
import logging
import re
import subprocess
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest

pytest.importorskip("django")

import socketio
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.test.utils import override_settings
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import pyreact_asgi as pr
import pyreact_django
from tests.e2e.client import connect
from tests.e2e.test_hosts import drive_counter
from tests.integrations.django_project.harness import ROOT, Project, daphne
from tests.integrations.django_project.rules import RULES
from tests.integrations.django_project.ui import make_ui
from tests.servers import LiveServer, serve

pytestmark = pytest.mark.e2e

MOUNTS = {"root": "/", "admin": "/admin-ui", "nested": "/a/b/c"}
SERVERS = ("uvicorn", "hypercorn", "daphne")


@contextmanager
def run(project: Project, server: str, prefix: str, access: str = "none") -> Iterator[LiveServer]:
    """The project's application with the UI at ``prefix`` under a real server: in a thread, or daphne."""
    if server == "daphne":
        with daphne(project, prefix, access) as live:
            yield live
    else:
        host = pyreact_django.asgi(make_ui(), prefix=prefix, access=RULES[access])
        with serve(host, server=server) as live:  # type: ignore[arg-type]
            yield live


def http(server: LiveServer, user: str | None = None, project: Project | None = None) -> httpx2.Client:
    headers = {"Cookie": project.cookies[user]} if user and project else {}
    return httpx2.Client(base_url=server.url, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("server_name", SERVERS)
@pytest.mark.parametrize("prefix", MOUNTS.values(), ids=MOUNTS.keys())
@pytest.mark.asyncio
async def test_counter_beside_django_views(django_project: Project, prefix: str, server_name: str) -> None:
    mount = prefix.rstrip("/")
    with run(django_project, server_name, prefix) as server:
        await drive_counter(server, mount)
        with http(server) as client:
            page = client.get(f"{mount}/")
            assert page.status_code == 200
            assert f'<meta name="pyreact-mount" content="{mount}">' in page.text
            # Django's own views answer every path that is not the UI's.
            assert client.get("/django/").text == "django home: anonymous"
            assert client.get(f"{mount}/nowhere").status_code == 404


@pytest.mark.asyncio
async def test_uvicorn_lifespan_builds_before_the_first_request(django_project: Project) -> None:
    ui = make_ui()
    with serve(pyreact_django.asgi(ui, prefix="/admin-ui"), lifespan="on"):
        assert ui.started
    assert not ui.started  # and the lifespan's shutdown stopped it


@pytest.mark.parametrize("server_name", ["uvicorn", "daphne"])
@pytest.mark.asyncio
async def test_handler_reads_the_django_user_and_session(django_project: Project, server_name: str) -> None:
    with run(django_project, server_name, "/admin-ui") as server:
        with http(server, "ada", django_project) as client:
            # A Django view puts a value in ada's session; the UI's handler reads it through Django's session engine.
            assert client.get("/django/").text == "django home: ada"
        async with connect(server, headers={"Cookie": django_project.cookies["ada"]}, mount="/admin-ui") as ada:
            assert (await ada.call("who.load"))["delta"] == {"who": {"username": "ada", "flavour": "vanilla"}}
        async with connect(server, mount="/admin-ui") as anonymous:
            assert (await anonymous.call("who.load"))["delta"] == {"who": {"username": "anonymous", "flavour": "none"}}


@pytest.mark.parametrize("server_name", ["uvicorn", "daphne"])
@pytest.mark.asyncio
async def test_anonymous_visitor_is_sent_to_login_and_refused_a_socket(
    django_project: Project, server_name: str
) -> None:
    with run(django_project, server_name, "/a/b/c", access="login") as server:
        with http(server) as client:
            page = client.get("/a/b/c/who?tab=2")
            assert page.status_code == 302
            assert page.headers["location"] == "/accounts/login/?next=/a/b/c/who%3Ftab%3D2"
            assert client.get("/a/b/c/_static/anything.js").status_code == 302
            assert client.get("/django/").status_code == 200  # Django's views are not behind the rule
        with pytest.raises(socketio.exceptions.ConnectionError):
            async with connect(server, mount="/a/b/c"):
                pass  # pragma: no cover - refused


RULE_CASES = {
    # rule: (a user it lets in, a logged-in user it refuses)
    "login": ("ada", None),
    "staff": ("grace", "ada"),
    "permission": ("linus", "ada"),
    "sync-callable": ("ada", "linus"),
    "async-callable": ("linus", "ada"),
    "user-test": ("root", "grace"),
}


@pytest.mark.parametrize(
    ("rule", "allowed", "refused"), [(r, *users) for r, users in RULE_CASES.items()], ids=RULE_CASES.keys()
)
@pytest.mark.asyncio
async def test_access_rule(django_project: Project, rule: str, allowed: str, refused: str | None) -> None:
    with run(django_project, "uvicorn", "/admin-ui", access=rule) as server:
        with http(server, allowed, django_project) as client:
            assert client.get("/admin-ui/who").status_code == 200
        async with connect(server, headers={"Cookie": django_project.cookies[allowed]}, mount="/admin-ui") as client:
            assert (await client.call("who.load"))["delta"]["who"]["username"] == allowed
        if refused is not None:
            with http(server, refused, django_project) as client:
                page = client.get("/admin-ui/who")
                assert (page.status_code, page.text) == (403, "Forbidden")
            with pytest.raises(socketio.exceptions.ConnectionError):
                async with connect(server, headers={"Cookie": django_project.cookies[refused]}, mount="/admin-ui"):
                    pass  # pragma: no cover - refused
        with http(server) as client:
            assert client.get("/admin-ui/who").headers["location"] == "/accounts/login/?next=/admin-ui/who"


def test_prefix_typed_without_or_with_trailing_slash(django_project: Project) -> None:
    for prefix in ("/admin-ui", "/admin-ui/"):
        with TestClient(pyreact_django.asgi(make_ui(), prefix=prefix), follow_redirects=False) as client:
            redirect = client.get("/admin-ui?year=2026")
            assert (redirect.status_code, redirect.headers["location"]) == (307, "/admin-ui/?year=2026")
            assert '<meta name="pyreact-mount" content="/admin-ui">' in client.get("/admin-ui/").text
            assert client.get("/admin-uix").status_code == 404  # Django's 404: not a path under the prefix


def test_server_root_path_is_kept_below_the_prefix(django_project: Project) -> None:
    # A proxy strips /proxy and the server says so in root_path; the prefix sits below it.
    host = pyreact_django.asgi(make_ui(), prefix="/admin-ui")
    # uvicorn --root-path puts it into path too; Starlette's TestClient leaves path below it.
    with serve(host, root_path="/proxy") as server, http(server) as uvicorn_client:
        assert '<meta name="pyreact-mount" content="/proxy/admin-ui">' in uvicorn_client.get("/admin-ui/").text
        assert uvicorn_client.get("/admin-ui").headers["location"] == "/proxy/admin-ui/"
        assert uvicorn_client.get("/django/").text == "django home: anonymous"
    with TestClient(host, root_path="/proxy", follow_redirects=False) as test_client:
        assert '<meta name="pyreact-mount" content="/proxy/admin-ui">' in test_client.get("/admin-ui/").text
        assert test_client.get("/admin-ui").headers["location"] == "/proxy/admin-ui/"


@pytest.mark.asyncio
async def test_host_never_changes_the_servers_scope(django_project: Project) -> None:
    ui = make_ui()
    host = pyreact_django.asgi(ui, prefix="/admin-ui")
    await ui.startup()
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/admin-ui/",
        "raw_path": b"/admin-ui/",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    before = copy.deepcopy(scope)
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    try:
        await host(scope, receive, send)
    finally:
        await ui.shutdown()
    assert sent[0]["status"] == 200
    assert b'content="/admin-ui"' in sent[1]["body"]
    assert scope == before


def test_websocket_outside_the_prefix_is_refused(django_project: Project) -> None:
    with TestClient(pyreact_django.asgi(make_ui(), prefix="/admin-ui")) as client:
        with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect("/django/socket"):
            pass  # pragma: no cover - refused before it opens
        assert refused.value.code == 1000


@pytest.mark.parametrize("prefix", ["admin", "/a//b", "/../x", "/a b", "/a?b", ""])
def test_asgi_rejects_an_unusable_prefix(django_project: Project, prefix: str) -> None:
    with pytest.raises(pr.MountPathError, match=r'Expected prefix to (start with "/"|be a path like)'):
        pyreact_django.asgi(make_ui(), prefix=prefix)


def test_rule_returning_a_non_bool_is_an_error(django_project: Project) -> None:
    host = pyreact_django.asgi(make_ui(), prefix="/admin-ui", access=lambda request: "yes")  # type: ignore[arg-type,return-value]
    with (
        TestClient(host) as client,
        pytest.raises(TypeError, match=r"Expected the access rule .* to return True or False, but got 'yes'"),
    ):
        client.get("/admin-ui/")


@pytest.mark.parametrize("perms", [(), ("view_user",), ("auth.",), (42,)], ids=["none", "no-app", "no-codename", "int"])
def test_permission_required_rejects_malformed_permissions(perms: tuple[Any, ...]) -> None:
    with pytest.raises(
        pr.ConfigError, match=r"Expected (at least one permission|permissions) like \"polls.change_poll\""
    ):
        pyreact_django.permission_required(*perms)


@pytest.mark.asyncio
async def test_user_outside_the_django_host_is_an_error(
    django_project: Project, logged_errors: list[logging.LogRecord]
) -> None:
    ui = make_ui()
    with serve(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as server:
        async with connect(server, mount="/ui") as client:
            assert (await client.call("who.load"))["error"]["code"] == "handler_error"
    assert len(logged_errors) == 1
    assert (
        "Expected the Django user in the connection's scope, but there is none; serve the app with \"pyreact_django.asgi"
        in str(logged_errors[0].exc_info and logged_errors[0].exc_info[1])
    )
    logged_errors.clear()


# --- settings, checks and the management command ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "check_id", "message"),
    [
        (None, "pyreact_asgi.E001", "The PYREACT_APP setting is missing."),
        (42, "pyreact_asgi.E002", 'Expected PYREACT_APP to be "module:attribute", but got 42.'),
        ("tests.integrations.django_project.ui", "pyreact_asgi.E002", "Expected PYREACT_APP"),
        (
            "tests.integrations.no_such_module:ui",
            "pyreact_asgi.E003",
            "Cannot import module 'tests.integrations.no_such_module'",
        ),
        (
            "tests.integrations.django_project.ui:make_ui",
            "pyreact_asgi.E004",
            "to name a pyreact_asgi.PyApp, but it is <function make_ui",
        ),
        ("tests.integrations.django_project.ui:nothing", "pyreact_asgi.E004", "but it is None"),
    ],
    ids=["missing", "not-a-string", "no-attribute", "no-module", "not-a-pyapp", "no-such-attribute"],
)
def test_system_check_reports_a_bad_setting(
    django_project: Project, value: object, check_id: str, message: str
) -> None:
    with override_settings(PYREACT_APP=value):
        problems = [p for p in run_checks() if p.id and p.id.startswith("pyreact_asgi.")]
        assert [p.id for p in problems] == [check_id]
        assert message in problems[0].msg
        assert 'PYREACT_APP = "myproject.ui:ui"' in problems[0].hint or check_id == "pyreact_asgi.E003"
        # The command fails with the same message and hint.
        with pytest.raises(CommandError, match=re.escape(f"{problems[0].msg} {problems[0].hint}")):
            call_command("pyreact_build")


def test_missing_auth_app_is_reported_by_a_check_and_refused_by_asgi(django_project: Project) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from django.test.utils import modify_settings

    from pyreact_django.checks import check_auth_installed

    django_app = object()  # never called
    with modify_settings(INSTALLED_APPS={"remove": ["django.contrib.auth"]}):
        assert [(e.id, e.hint) for e in check_auth_installed()] == [
            ("pyreact_asgi.E005", 'Add "django.contrib.auth" and "django.contrib.contenttypes" to INSTALLED_APPS.')
        ]
        with pytest.raises(ImproperlyConfigured, match=r'add "django.contrib.auth" and "django.contrib.contenttypes"'):
            pyreact_django.asgi(make_ui(), prefix="/admin-ui", django=django_app)  # type: ignore[arg-type]
    assert check_auth_installed() == []


def test_system_checks_pass_for_the_project(django_project: Project) -> None:
    assert [p for p in run_checks() if p.id and p.id.startswith("pyreact_asgi.")] == []


def _manage(project: Project, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env={**project.env, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.asyncio
async def test_management_command_builds_a_bundle_that_a_never_start_serves(
    django_project: Project, tmp_path: Path
) -> None:
    env = {"PYREACT_TEST_BUILD_DIR": str(tmp_path / "bundle"), "PYREACT_TEST_BUILD": "never"}
    built = _manage(django_project, "pyreact_build", **env)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built PyApp(pages=['/', '/who']) in " + str(tmp_path / "bundle"))
    again = _manage(django_project, "pyreact_build", **env)
    assert again.stdout.startswith("Already current: PyApp"), again.stderr
    with daphne(django_project, "/admin-ui", env=env) as server:
        await drive_counter(server, "/admin-ui")
