"""PyApp(auth=...): the host's own session and headers decide who may load pages and open the websocket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import pyreact_asgi as pr
from examples.counter import index
from pyreact_asgi.exceptions import ConfigError

SOCKET = "/ui/_event/?EIO=4&transport=websocket"


def _build_dir(root: Path) -> Path:
    return root / "test_auth"


def logged_in(conn: HTTPConnection) -> bool | Response:
    # The host's own session cookie (Starlette's SessionMiddleware), read through the request.
    if conn.session.get("user"):
        return True
    return RedirectResponse(f"/login?next={conn.url.path}", status_code=303)


async def _login(request: Request) -> PlainTextResponse:
    request.session["user"] = "ada"
    return PlainTextResponse("logged in")


def _host(ui: pr.PyApp) -> Starlette:
    return Starlette(
        routes=[Route("/login", _login), Mount("/ui", ui)],
        middleware=[Middleware(SessionMiddleware, secret_key="test-secret")],
        lifespan=ui.lifespan,
    )


@pytest.fixture
def client(shared_build_dir: Path) -> Iterator[TestClient]:
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=_build_dir(shared_build_dir)), auth=logged_in)
    with TestClient(_host(ui), follow_redirects=False) as client:
        yield client


def test_auth_denied_page_gets_the_rules_redirect(client: TestClient) -> None:
    response = client.get("/ui/")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/ui/"


def test_auth_denied_asset_gets_the_rules_answer(client: TestClient) -> None:
    assert client.get("/ui/_static/anything.js").status_code == 303


def test_auth_denied_websocket_is_refused(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(SOCKET):
        pass  # pragma: no cover - the connection is refused before it opens
    assert refused.value.code == 1008


def test_auth_allows_page_and_websocket_after_host_login(client: TestClient) -> None:
    assert client.get("/login").text == "logged in"
    page = client.get("/ui/")
    assert page.status_code == 200
    assert '<meta name="pyreact-mount" content="/ui">' in page.text
    with client.websocket_connect(SOCKET, headers={"Upgrade": "websocket"}) as ws:
        assert ws.receive_text().startswith("0{")  # engine.io open packet


@pytest.mark.parametrize(
    ("verdict", "status"), [(False, 403), (PlainTextResponse("Log in first", 401), 401)], ids=["false", "401"]
)
def test_auth_denial_status(shared_build_dir: Path, verdict: bool | Response, status: int) -> None:
    async def rule(conn: HTTPConnection) -> bool | Response:  # async rules are awaited
        return verdict

    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=_build_dir(shared_build_dir)), auth=rule)
    with TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as client:
        assert client.get("/ui/").status_code == status


def test_auth_rule_returning_nonsense_is_an_error(shared_build_dir: Path) -> None:
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=_build_dir(shared_build_dir)), auth=lambda conn: "yes")  # type: ignore[arg-type,return-value]
    with (
        TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as client,
        pytest.raises(TypeError, match=r"Expected the auth rule to return True, False or a Response, but got 'yes'"),
    ):
        client.get("/ui/")


def test_auth_that_is_not_callable_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"Expected auth to be a function of the request, but got 'admin'"):
        pr.PyApp({"/": index}, auth="admin")  # type: ignore[arg-type]


def test_auth_rule_returning_nonsense_raises_from_the_error_tree(shared_build_dir: Path) -> None:
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=_build_dir(shared_build_dir)), auth=lambda conn: None)  # type: ignore[arg-type,return-value]
    with (
        TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as client,
        pytest.raises(pr.AuthRuleError, match=r"but got None; return True to allow the request"),
    ):
        client.get("/ui/")
