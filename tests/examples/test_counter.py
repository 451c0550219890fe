"""examples/counter.py, tested with pyreact_asgi.testing as its users would test it."""

from __future__ import annotations

import pytest

from examples.counter import Counter, ui
from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient, EventError

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app() -> PyApp:
    return ui


async def test_counter_increments_and_resets(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(Counter) == {"count": 0, "name": ""}
    await tab.call(Counter.increment)
    reply = await tab.call(Counter.increment(10))
    assert reply.delta == {"counter": {"count": 11}}
    assert tab.vars(Counter)["count"] == 11
    await tab.call(Counter.reset)
    assert tab.vars(Counter)["count"] == 0


async def test_counter_setter_and_backend_var_stays_on_server(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    await tab.call(Counter.set_name, "Ada")
    assert tab.vars(Counter)["name"] == "Ada"
    assert "_clicks_ever" not in tab.vars(Counter)
    with pytest.raises(EventError, match="invalid_args"):
        await tab.call(Counter.increment, "ten")
    with pytest.raises(EventError, match="unknown_handler"):
        await tab.call("counter._clicks_ever")
    assert tab.vars(Counter) == {"count": 0, "name": "Ada"}, "refused events change nothing"


async def test_counter_tabs_have_their_own_state_and_a_reload_keeps_it(pyreact_client: AppClient) -> None:
    first = await pyreact_client.open("/")
    other = await pyreact_client.open("/")
    await first.call(Counter.increment, 2)
    assert other.vars(Counter)["count"] == 0
    await first.close()
    # The same browser (its key cookie) and the same token, as a reloaded tab: the count is still there.
    again = await pyreact_client.open("/", token=first.token, cookie=first.cookie)
    assert again.vars(Counter)["count"] == 2
    # The token alone, from another browser, does not reach it.
    stranger = await pyreact_client.open("/", token=first.token)
    assert stranger.vars(Counter)["count"] == 0


async def test_counter_page_is_served(pyreact_client: AppClient) -> None:
    response = await pyreact_client.get("/")
    assert response.status == 200
    assert '<meta name="pyreact-mount" content="">' in response.text
    assert (await pyreact_client.get("/nowhere")).status == 404
