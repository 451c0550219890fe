"""examples/counter.py, tested with pyreact_asgi.testing as its users would test it."""

from __future__ import annotations

from types import ModuleType

import pytest

from pyreact_asgi.testing import AppClient, EventError

pytestmark = pytest.mark.asyncio


async def test_counter_increments_and_resets(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(example.Counter) == {"count": 0, "name": ""}
    await tab.call(example.Counter.increment)
    reply = await tab.call(example.Counter.increment(10))
    assert reply.delta == {"counter": {"count": 11}}
    assert tab.vars(example.Counter)["count"] == 11
    await tab.call(example.Counter.reset)
    assert tab.vars(example.Counter)["count"] == 0


async def test_counter_setter_and_backend_var_stays_on_server(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    await tab.call(example.Counter.set_name, "Ada")
    assert tab.vars(example.Counter)["name"] == "Ada"
    assert "_clicks_ever" not in tab.vars(example.Counter)
    with pytest.raises(EventError, match="invalid_args"):
        await tab.call(example.Counter.increment, "ten")
    with pytest.raises(EventError, match="unknown_handler"):
        await tab.call("counter._clicks_ever")
    assert tab.vars(example.Counter) == {"count": 0, "name": "Ada"}, "refused events change nothing"


async def test_counter_tabs_have_their_own_state_and_a_reload_keeps_it(
    example: ModuleType, pyreact_client: AppClient
) -> None:
    first = await pyreact_client.open("/")
    other = await pyreact_client.open("/")
    await first.call(example.Counter.increment, 2)
    assert other.vars(example.Counter)["count"] == 0
    await first.close()
    # The same browser (its key cookie) and the same token, as a reloaded tab: the count is still there.
    again = await pyreact_client.open("/", token=first.token, cookie=first.cookie)
    assert again.vars(example.Counter)["count"] == 2
    # The token alone, from another browser, does not reach it.
    stranger = await pyreact_client.open("/", token=first.token)
    assert stranger.vars(example.Counter)["count"] == 0


async def test_counter_page_is_served(example: ModuleType, pyreact_client: AppClient) -> None:
    response = await pyreact_client.get("/")
    assert response.status == 200
    assert '<meta name="pyreact-mount" content="">' in response.text
    assert (await pyreact_client.get("/nowhere")).status == 404
