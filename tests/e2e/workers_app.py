"""An app for `uvicorn tests.e2e.workers_app:host --workers 2` (and gunicorn): every handler says which worker ran it.

Settings come from the environment, as in a deployment: PYREACT_REDIS_URL (unset: the memory manager),
PYREACT_TEST_PREFIX (the test's Redis key prefix) and PYREACT_TEST_BUILD_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route

import pyreact_asgi as pr

release_path = os.environ.get("PYREACT_TEST_RELEASE", "")


class Tally(pr.State):
    count: int = 0
    pid: int = 0
    key: str = ""
    note: str = ""
    uploaded: str = ""
    upload_pid: int = 0

    @pr.event
    async def increment(self) -> None:
        self.count += 1
        self.pid = os.getpid()

    @pr.event
    async def whoami(self) -> None:
        self.pid = os.getpid()
        self.key = self.router.client_key or ""

    @pr.event
    async def stuck(self) -> None:
        # Holds the client's lock until the test kills this worker.
        self.count = -1
        self.pid = os.getpid()
        await anyio.sleep_forever()

    @pr.event(background=True)
    async def later(self, note: str) -> None:
        async with self:
            self.note = f"{note} from {os.getpid()}"

    @pr.event
    async def receive(self, files: list[pr.UploadedFile]) -> None:
        self.uploaded = ",".join(f.filename for f in files)
        self.upload_pid = os.getpid()


def index() -> pr.Component:
    return pr.vstack(
        pr.heading(Tally.count, id="count"),
        pr.button("+1", on_click=Tally.increment, id="increment"),
        pr.text(Tally.note, id="note"),
        pr.button("Which worker?", on_click=Tally.whoami, id="whoami"),
        pr.text(Tally.pid, id="pid"),
        pr.text(Tally.key, id="key"),  # for a host route's modify_state, as a handler would store it
    )


ui = pr.PyApp(
    pages={"/": index},
    config=pr.Config(
        title="Workers",
        build_dir=Path(os.environ["PYREACT_TEST_BUILD_DIR"]) if os.environ.get("PYREACT_TEST_BUILD_DIR") else None,
        redis_prefix=os.environ.get("PYREACT_TEST_PREFIX", "pyreact"),
        lock_expiry=float(os.environ.get("PYREACT_TEST_LOCK_EXPIRY", "10")),
        handler_timeout=60,
    ),
)


async def pid(request: Request) -> Response:
    return PlainTextResponse(str(os.getpid()))


async def push(request: Request) -> Response:
    # A webhook of the host: changes a client's state from outside any event, on whichever worker it lands.
    async with ui.modify_state(request.path_params["key"]) as tree:
        tally = await tree.get(Tally)
        tally.count = int(request.query_params["count"])
        tally.note = f"pushed {tally.count} by {os.getpid()}"
    return PlainTextResponse(str(os.getpid()))


host = Starlette(
    routes=[Route("/pid", pid), Route("/push/{key}", push, methods=["POST"]), Mount("/ui", ui)],
    lifespan=ui.lifespan,
)
