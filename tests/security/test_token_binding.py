"""A client token is bound to the HttpOnly key cookie the page issued: a copied token alone reaches nothing.

Over a real uvicorn: a browser-like client loads the page (and so holds the key cookie) and changes its state;
attackers that know its token but not its cookie (none, a forged one, a hostile one) see none of that state and
cannot change it, over the socket and the upload endpoint, while the real client carries on.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import anyio
import pytest
import socketio
from starlette.applications import Starlette
from starlette.routing import Mount

import pyreact_asgi as pr
from pyreact_asgi.runtime.binding import client_key, cookie_headers, cookie_name
from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.client import connect, new_token
from tests.security.bound import handshake, key_cookie, load_page, upload
from tests.servers import LiveServer, nginx_proxy, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

MOUNT = "/ui"


@pytest.fixture(scope="module")
def server(shared_build_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    ui = make_ui(shared_build_dir, upload_dir=tmp_path_factory.mktemp("uploads"))
    with serve(starlette_host(ui, MOUNT)) as live:
        yield live


def forged_cookie() -> str:
    # Well-formed, as any client can make one: it is accepted, and addresses a namespace of its own.
    return f"{cookie_name(MOUNT)}={secrets.token_urlsafe(32)}"


HOSTILE = {
    "oversized": "k" * 6000,
    "one-short": "k" * 42,
    "punctuation": "not/a+key=!",
    "quoted": '"' + "k" * 43 + '"x',
    "non-ascii": "ключ" * 11,
}


async def test_page_issues_an_httponly_key_cookie_scoped_to_the_mount(server: LiveServer) -> None:
    first = await load_page(server, MOUNT)
    morsel = key_cookie(first.set_cookie, MOUNT)[cookie_name(MOUNT)]
    assert len(morsel.value) == 43
    assert (morsel["path"], morsel["httponly"], morsel["samesite"], morsel["secure"]) == ("/ui", True, "Lax", "")
    # A page load that brings the key back is not given another: every tab of the browser shares it.
    assert (await load_page(server, MOUNT, cookie=first.cookie)).set_cookie is None
    # Each load without one gets a different key.
    assert key_cookie((await load_page(server, MOUNT)).set_cookie, MOUNT)[cookie_name(MOUNT)].value != morsel.value


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
async def test_page_replaces_a_hostile_key_cookie(server: LiveServer, value: str) -> None:
    visit = await load_page(server, MOUNT, cookie=f"{cookie_name(MOUNT)}={value}")
    assert len(key_cookie(visit.set_cookie, MOUNT)[cookie_name(MOUNT)].value) == 43


async def test_copied_token_without_the_cookie_reaches_nothing(server: LiveServer) -> None:
    browser = await load_page(server, MOUNT)
    token = new_token()
    async with connect(server, token, {"Cookie": browser.cookie}) as victim:
        with anyio.fail_after(5):
            assert (await victim.call("counter.increment", 5))["delta"] == {"counter": {"count": 5}}
            assert (await victim.call("counter.set_name", "Ada"))["delta"] == {"counter": {"name": "Ada"}}
            # Same token; no cookie, then a forged key: each is a state of its own, empty, which it may change.
            for headers in ({}, {"Cookie": forged_cookie()}):
                async with connect(server, token, headers) as attacker:
                    assert (await attacker.first_state())["counter"] == {"count": 0, "name": ""}
                    assert (await attacker.call("counter.increment", 100))["delta"] == {"counter": {"count": 100}}
                    assert (await attacker.call("counter.set_name", "Eve"))["delta"] == {"counter": {"name": "Eve"}}
            # The real client carries on from where it was, and was sent nothing the attackers did.
            assert (await victim.call("counter.increment"))["delta"] == {"counter": {"count": 6}}
            assert all("Eve" not in repr(update) for update in victim.received)
    # A reload: same cookie, same token, same state.
    async with connect(server, token, {"Cookie": browser.cookie}) as reloaded:
        assert (await reloaded.first_state())["counter"] == {"count": 6, "name": "Ada"}
    # And the client without a cookie kept its own state, bound to "no cookie" (as non-browser clients are).
    async with connect(server, token) as again:
        assert (await again.first_state())["counter"] == {"count": 100, "name": "Eve"}


async def test_two_browsers_with_the_same_token_have_separate_states(server: LiveServer) -> None:
    # A token leaked from one browser and typed into another one's sessionStorage: the other's own key applies.
    token = new_token()
    first, second = await load_page(server, MOUNT), await load_page(server, MOUNT)
    async with connect(server, token, {"Cookie": first.cookie}) as one:
        await one.call("counter.increment", 3)
        async with connect(server, token, {"Cookie": second.cookie}) as other:
            assert (await other.first_state())["counter"]["count"] == 0
            assert (await other.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
        assert (await one.call("counter.increment"))["delta"] == {"counter": {"count": 4}}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
async def test_hostile_key_cookie_is_refused_and_others_carry_on(server: LiveServer, value: str) -> None:
    browser = await load_page(server, MOUNT)
    token = new_token()
    async with connect(server, token, {"Cookie": browser.cookie}) as victim:
        await victim.call("counter.increment", 2)
        kind, reply = await handshake(server, MOUNT, f"{cookie_name(MOUNT)}={value}", token)
        assert kind == "refused"
        assert reply["message"].startswith(f'Expected the "{cookie_name(MOUNT)}" cookie to be the key this app issued')
        assert reply["message"].endswith("reload the page to get a new one.")
        status, body = await upload(server, MOUNT, token, f"{cookie_name(MOUNT)}={value}", b"hostile")
        assert (status, body["error"]["code"]) == (400, "malformed")
        assert (await victim.call("counter.increment"))["delta"] == {"counter": {"count": 3}}


async def test_other_cookies_do_not_count_as_the_key(server: LiveServer) -> None:
    # The app's own cookies (pr.cookie vars), the host's, and another mount's key: none binds, none is refused.
    token = new_token()
    async with connect(server, token) as bare:
        await bare.call("counter.increment", 7)
    other = f"{cookie_name('/other')}={secrets.token_urlsafe(32)}; prefs.lang=%22fr%22; sessionid=abc"
    kind, _ = await handshake(server, MOUNT, other, token)
    assert kind == "connected"
    async with connect(server, token, {"Cookie": other}) as same:
        assert (await same.first_state())["counter"]["count"] == 7


async def test_upload_is_bound_the_same_way(server: LiveServer) -> None:
    browser = await load_page(server, MOUNT)
    token = new_token()
    assert (await upload(server, MOUNT, token, browser.cookie, b"mine"))[0] == 200
    # The attacker's uploads with the victim's token land in states of their own.
    for cookie in ("", forged_cookie()):
        status, reply = await upload(server, MOUNT, token, cookie, b"the attacker's file")
        assert (status, reply["delta"]["files"]["summary"]) == (200, "note.txt (19 bytes)")
    async with connect(server, token, {"Cookie": browser.cookie}) as victim:
        assert (await victim.first_state())["files"]["summary"] == "note.txt (4 bytes)"
    async with connect(server, token) as bare:
        assert (await bare.first_state())["files"]["summary"] == "note.txt (19 bytes)"


async def test_key_stays_good_across_a_restart(shared_build_dir: Path) -> None:
    # No secret on the server: the key a browser holds is still good after a restart, or on another worker.
    ui = make_ui(shared_build_dir)
    with serve(starlette_host(ui, MOUNT)) as first:
        browser = await load_page(first, MOUNT)
        token = new_token()
        async with connect(first, token, {"Cookie": browser.cookie}) as client:
            await client.call("counter.increment", 4)
    # The same app under a new server: the state still exists, so the browser finds it.
    with serve(starlette_host(ui, MOUNT)) as second:
        assert (await load_page(second, MOUNT, cookie=browser.cookie)).set_cookie is None
        async with connect(second, token, {"Cookie": browser.cookie}) as client:
            assert (await client.first_state())["counter"]["count"] == 4
    # Another instance of the app (another worker, a new deploy) accepts the key and derives the same state key.
    with serve(starlette_host(make_ui(shared_build_dir), MOUNT)) as other:
        assert (await load_page(other, MOUNT, cookie=browser.cookie)).set_cookie is None
        assert (await handshake(other, MOUNT, browser.cookie, token))[0] == "connected"


async def test_two_apps_nested_on_one_host_keep_their_own_keys(shared_build_dir: Path) -> None:
    # The root app's cookie (Path=/) is sent to /admin too: distinct names keep the two from clobbering.
    root, admin = make_ui(shared_build_dir), make_ui(shared_build_dir)
    host = Starlette(routes=[Mount("/admin", admin), Mount("/", root)], lifespan=pr.combine_lifespans(root, admin))
    with serve(host) as live:
        at_root = await load_page(live, "")
        at_admin = await load_page(live, "/admin", cookie=at_root.cookie)
        assert key_cookie(at_root.set_cookie, "")[cookie_name("")]["path"] == "/"
        assert key_cookie(at_admin.set_cookie, "/admin")[cookie_name("/admin")]["path"] == "/admin"
        both = f"{at_root.cookie}; {at_admin.cookie}"
        # Each app finds its own key among both, and issues no other.
        assert (await load_page(live, "", cookie=both)).set_cookie is None
        assert (await load_page(live, "/admin", cookie=both)).set_cookie is None
        token = new_token()
        async with connect(live, token, {"Cookie": both}, mount="/admin") as client:
            await client.call("counter.increment", 9)
        # Bound to admin's key: the root app's key alone does not reach it.
        async with connect(live, token, {"Cookie": at_root.cookie}, mount="/admin") as stranger:
            assert (await stranger.first_state())["counter"]["count"] == 0
        async with connect(live, token, {"Cookie": at_admin.cookie}, mount="/admin") as again:
            assert (await again.first_state())["counter"]["count"] == 9


@pytest.mark.parametrize("mode", ["forwarded-prefix", "root-path"])
async def test_behind_a_proxy_that_strips_the_prefix(shared_build_dir: Path, tmp_path: Path, mode: str) -> None:
    # nginx strips /proxy, and says so in X-Forwarded-Prefix or the server runs with --root-path /proxy: the
    # cookie is scoped to the path the browser sees.
    ui = make_ui(shared_build_dir, trusted_proxies=("127.0.0.1",))
    send_prefix = mode == "forwarded-prefix"
    with (
        serve(starlette_host(ui, ""), root_path="" if send_prefix else "/proxy") as upstream,
        nginx_proxy("/proxy", upstream, tmp_path, send_prefix=send_prefix) as proxy,
    ):
        browser = await load_page(proxy, "/proxy")
        assert key_cookie(browser.set_cookie, "/proxy")[cookie_name("/proxy")]["path"] == "/proxy"
        assert browser.cookie.startswith(cookie_name("/proxy") + "=")
        token = new_token()
        async with connect(proxy, token, {"Cookie": browser.cookie}, mount="/proxy") as client:
            await client.call("counter.increment", 2)
        async with connect(proxy, token, mount="/proxy") as attacker:
            assert (await attacker.first_state())["counter"]["count"] == 0
        async with connect(proxy, token, {"Cookie": browser.cookie}, mount="/proxy") as again:
            assert (await again.first_state())["counter"]["count"] == 2


async def test_malformed_token_is_still_refused_before_the_cookie_is_read(server: LiveServer) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with connect(server, "short", {"Cookie": forged_cookie()}):
            pass


async def test_state_keys_are_separate_namespaces_and_never_the_token() -> None:
    token = new_token()
    scope = {"type": "websocket", "headers": []}
    key = secrets.token_urlsafe(32)
    with_cookie = {"type": "websocket", "headers": [(b"cookie", f"{cookie_name('/ui')}={key}".encode())]}
    bare, bound = client_key(scope, "/ui", token), client_key(with_cookie, "/ui", token)
    assert (bare[0], bound[0]) == ("a", "c")
    assert token not in (bare, bound)
    # Deterministic (no per-process secret), and specific to the cookie, the token and the mount path.
    assert client_key(with_cookie, "/ui", token) == bound
    assert client_key(with_cookie, "/ui", new_token()) != bound
    assert client_key(with_cookie, "/other", token) == bare  # another mount's cookie name: this key is not sent


async def test_key_cookie_is_secure_when_the_page_came_over_https(server: LiveServer) -> None:
    # A TLS-terminating proxy on 127.0.0.1 says so in X-Forwarded-Proto, which uvicorn trusts from there.
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{server.url}{MOUNT}/", headers={"X-Forwarded-Proto": "https"}) as response,
    ):
        set_cookie = response.headers.get("Set-Cookie")
    assert key_cookie(set_cookie, MOUNT)[cookie_name(MOUNT)]["secure"] is True


async def test_cookie_path_is_percent_encoded_so_no_attribute_can_be_injected() -> None:
    mount = "/my app;Domain=evil.example;x\u00e9"
    headers = cookie_headers({"type": "http", "headers": [], "scheme": "http"}, mount)
    attributes = [part.strip() for part in headers["Set-Cookie"].split(";")]
    assert attributes[1:] == ["Path=/my%20app%3BDomain=evil.example%3Bx%C3%A9", "HttpOnly", "SameSite=Lax"]
