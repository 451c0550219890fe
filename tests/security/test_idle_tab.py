"""An open connection keeps its client's state: only events used to refresh it, so an idle tab lost its state
once state_ttl passed; abandoned tokens are still dropped, by a sweep on a timer."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest

from tests.e2e.client import connect
from tests.security.apps import serve_board, wait_until

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


async def test_idle_connected_tab_keeps_state(shared_build_dir: Path) -> None:
    with serve_board(shared_build_dir / "board", state_ttl=0.2, sweep_interval=0.05) as (ui, server):
        async with connect(server, mount="") as idle:
            with anyio.fail_after(10):
                await idle.call("board.store", "kept")
                async with connect(server, mount="") as gone:
                    await gone.call("board.store", "dropped")
                assert ui.stored_clients() == 2
                # The sweep drops the token that left; by then the idle tab was idle longer than state_ttl too.
                await wait_until(lambda: ui.stored_clients() == 1, "the abandoned token was dropped")
                async with connect(server, idle.token, mount="") as second_tab:
                    assert (await second_tab.first_state())["board"]["blob"] == "kept"
                assert (await idle.call("board.increment"))["delta"] == {"board": {"count": 1}}
