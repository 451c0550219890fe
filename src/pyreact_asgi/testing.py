"""Test a PyApp without a server or a browser: `AppClient` opens tabs that speak to the app as a browser does.

::

    async with AppClient(ui) as client:
        tab = await client.open("/")
        await tab.call(Counter.increment)
        assert tab.vars(Counter)["count"] == 1

Each tab loads its page over HTTP (getting the key cookie, as a browser does) and connects to the app's own
websocket endpoint in process, through the app's ASGI callable: the handshake, the engine.io and socket.io
framing, the validation of every event, the dispatcher, the state manager and the filtering of updates are the
ones a real tab goes through. Nothing is mocked and nothing listens on a port.

With pytest, the ``pyreact_client`` fixture (this package's pytest plugin) yields an `AppClient` of the app
the ``pyreact_app`` fixture returns, by default the ``[tool.pyreact] app`` of the project's pyproject.toml.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import anyio

from pyreact_asgi._codec import decode, encode
from pyreact_asgi._contract import (
    EVENT,
    PAGE,
    PAGE_HEADER,
    STATE,
    TOKEN_HEADER,
    UPDATE,
    UPLOAD_FIELD,
    UPLOAD_HANDLER_PARAM as _HANDLER_PARAM,
    UPLOAD_PATH,
)
from pyreact_asgi._types import Message, Scope
from pyreact_asgi.app import PyApp
from pyreact_asgi.exceptions import ConfigError, StateError
from pyreact_asgi.runtime.binding import cookie_name
from pyreact_asgi.state.base import State
from pyreact_asgi.state.events import EventSpec
from pyreact_asgi.state.patches import PatchError, apply_delta

__all__ = ["AppClient", "EventError", "Reply", "Response", "Tab"]

# How long a tab waits for the app before a test fails instead of hanging.
DEFAULT_TIMEOUT = 10.0


class EventError(AssertionError):
    """The app answered an event with an error (a bad argument, a handler that raised, a timeout).

    Attributes:
        handler: The handler called.
        code: The error's code (``"invalid_args"``, ``"handler_error"``...).
        reason: The error's message.
    """

    def __init__(self, handler: str, code: str, reason: str) -> None:
        super().__init__(f'Event "{handler}" failed with {code!r}: {reason}')
        self.handler = handler
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Response:
    """An HTTP response of the app.

    Attributes:
        status: The status code.
        headers: The headers, names lower-cased (a repeated header keeps its last value).
        body: The body.
    """

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", errors="replace")


@dataclass(slots=True)
class Reply:
    """What the app sent for one event, once it is done.

    Attributes:
        id: The event's id.
        updates: Every update of the event, in order (a streaming handler sends one per ``yield``).
        delta: The changes of all its updates merged, by state name then var name.
        actions: The actions it returned, in order, each a dict with its ``"kind"``.
        error: The error the event ended with, as ``{"code": ..., "message": ...}``, or None.
    """

    id: int
    updates: list[dict[str, Any]] = field(default_factory=list)
    delta: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, str] | None = None


async def _http(app: PyApp, scope: Scope, body: bytes) -> Response:
    """Runs one HTTP request through the app's ASGI callable and collects its response."""
    sent = False
    status, headers, chunks = 0, {}, []

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.sleep_forever()  # the response is under way: no disconnect to report
        raise AssertionError("unreachable")  # pragma: no cover

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for name, value in message.get("headers", ()):
                headers[name.decode("latin-1").lower()] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return Response(status, headers, b"".join(chunks))


class AppClient:
    """Opens tabs on a PyApp in this process, starting the app (as its lifespan would) if it is not running.

    Use it as an async context manager; leaving it closes the tabs and stops the app if it started it.

    Args:
        app: The app under test.
        headers: Headers every request carries (an ``authorization`` the app's ``auth`` reads, say).
        timeout: Seconds any wait of a tab lasts at most before raising ``TimeoutError`` (wrap a call in
            ``anyio.fail_after`` for a shorter one).
    """

    def __init__(
        self, app: PyApp, *, headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        if not isinstance(app, PyApp):
            raise ConfigError(f"Expected a pyreact_asgi.PyApp, but got {type(app).__name__}; pass the app itself.")
        self.app = app
        self.timeout = timeout
        self._headers = {name.lower(): value for name, value in (headers or {}).items()}
        self._stack = AsyncExitStack()
        self._tabs: list[Tab] = []

    async def __aenter__(self) -> AppClient:
        if not self.app.started:
            await self._stack.enter_async_context(self.app.lifespan())
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for tab in self._tabs:
            await tab.close()
        await self._stack.aclose()

    def _scope(self, kind: str, path: str, query: str = "", headers: Mapping[str, str] | None = None) -> Scope:
        merged = {**self._headers, **{k.lower(): v for k, v in (headers or {}).items()}}
        return {
            "type": kind,
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "scheme": "http" if kind == "http" else "ws",
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 50000),
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": [(b"host", b"testserver"), *((k.encode(), v.encode()) for k, v in merged.items())],
        }

    async def request(
        self, method: str, path: str, *, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> Response:
        """Sends one HTTP request to the app; ``path`` may carry a query string (``"/items?page=2"``)."""
        path, _, query = path.partition("?")
        scope = self._scope("http", path, query, headers)
        scope["method"] = method.upper()
        with anyio.fail_after(self.timeout):
            return await _http(self.app, scope, body)

    async def get(self, path: str, *, headers: Mapping[str, str] | None = None) -> Response:
        """Sends a GET request to the app, as a browser loading ``path`` would."""
        return await self.request("GET", path, headers=headers)

    async def open(
        self, page: str = "/", *, token: str | None = None, cookie: str | None = None, storage: Any = None
    ) -> Tab:
        """Opens a tab on ``page``: loads the page, connects its socket and waits for its state.

        Args:
            page: The page's path, with its query string if any (``"/post/hello?ref=x"``).
            token: The tab's token; a new random one by default. Two tabs given the same token and
                ``cookie`` share their state, as two tabs of one browser window do.
            cookie: The value of the app's key cookie (the browser's identity); taken from the page's
                response by default, as a browser would.
            storage: The values of stored vars the browser holds (``{"prefs.theme": "dark"}``).

        Returns:
            The tab, once it has the page's state and the page's on_load handlers are done.

        Raises:
            AssertionError: The page's response is not 200 or 404.
            ConnectionError: The app refused the connection.
            TimeoutError: The app did not answer in time.
        """
        response = await self.get(page)
        if response.status not in (200, 404):
            raise AssertionError(f"Expected page {page!r} to load, but it answered {response.status}.")
        name = cookie_name("")  # the tab's app is at the root of this client's requests
        if cookie is None:
            issued = response.headers.get("set-cookie", "")
            cookie = issued.split(";", 1)[0].split("=", 1)[1] if issued.startswith(name + "=") else None
        tab = Tab(self, page, token or secrets.token_urlsafe(18), cookie)
        self._tabs.append(tab)
        await tab._connect(storage)
        return tab


class Tab:
    """One browser tab connected to the app: sends events and keeps the page's state as the browser would.

    Made by `AppClient.open`.

    Attributes:
        page: The page the tab shows.
        token: Its token.
        cookie: The app's key cookie the tab's browser holds, or None; `AppClient.open` takes it to open
            another tab of the same browser.
        state: The page's states as the browser holds them: state name → var name → value, updated by
            every update the app sends.
        actions: Every action the app sent, in order, each a dict with its ``"kind"``.
        updates: Every update the app sent, in order, as sent (a list or dict changed in place may come as
            a patch, docs/protocol.md); `state` and `Reply.delta` hold the values with the patches applied.
        resyncs: How many times a patch did not fit this tab's copy of the state, so that it asked for the
            full state again, as the browser runtime does; 0 unless something diverged.
    """

    def __init__(self, client: AppClient, page: str, token: str, cookie: str | None) -> None:
        self.client = client
        self.page = page
        self.token = token
        self.cookie = cookie
        self._cookie = None if cookie is None else f"{cookie_name('')}={cookie}"
        self.state: dict[str, dict[str, Any]] = {}
        self.actions: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.resyncs = 0
        self.closed = False
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._replies: dict[int, Reply] = {}
        self._done: dict[int, asyncio.Event] = {}
        self._changed = asyncio.Event()
        self._next_id = 0
        self._refusal: str | None = None
        # Plain asyncio tasks rather than a task group: a pytest-asyncio fixture may open a tab in one task
        # and close it in another, which a cancel scope does not allow.
        self._server: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._greeted = False  # the page's full state has arrived
        self._frames: asyncio.Queue[str | None] = asyncio.Queue()

    def __repr__(self) -> str:
        return f"Tab(page={self.page!r}, closed={self.closed})"

    # --- the connection ------------------------------------------------------------------------------

    async def _connect(self, storage: Any) -> None:
        app = self.client.app
        # engine.io checks the upgrade headers a browser's handshake carries.
        headers = {"upgrade": "websocket", "connection": "Upgrade"}
        if self._cookie is not None:
            headers["cookie"] = self._cookie
        scope = self.client._scope("websocket", f"{app.config.event_path}/", "EIO=4&transport=websocket", headers)
        scope["subprotocols"] = []
        self._to_app.put_nowait({"type": "websocket.connect"})
        self._server = asyncio.create_task(self._serve(scope), name=f"pyreact test tab {self.token[:6]}")
        auth = {"token": self.token, "page": self.page, **({} if storage is None else {"storage": storage})}
        with anyio.fail_after(self.client.timeout):
            opened = await self._frame()
            if not opened.startswith("0{"):
                raise ConnectionError(f"Expected an engine.io OPEN packet, but got {opened[:80]!r}.")
            await self._send("40" + encode(auth).decode())
            self._reader = asyncio.create_task(self._read())
            await self._wait(lambda: bool(self._refusal) or self.closed or self._greeted)

        if self._refusal is not None or self.closed:
            await self.close()
            raise ConnectionError(f"The app refused the connection: {self._refusal or 'closed'}")
        await self._load()

    async def _load(self) -> None:
        # The browser sends the page's on_load events once it shows the page; so does the tab, and waits for them.
        app = self.client.app
        match = app.routes.match(urlsplit(self.page).path)
        page = app.pages[match[0]] if match is not None else app.not_found
        for spec in () if page is None else page.on_load:
            await self.call(spec)

    async def _serve(self, scope: Scope) -> None:
        async def receive() -> Message:
            return await self._to_app.get()

        async def send(message: Message) -> None:
            if message["type"] == "websocket.send":
                self._frames.put_nowait(message.get("text") or message.get("bytes", b"").decode("latin-1"))
            elif message["type"] == "websocket.close":
                self._frames.put_nowait(None)

        try:
            await self.client.app(scope, receive, send)
        finally:
            self._frames.put_nowait(None)

    async def _frame(self) -> str:
        frame = await self._frames.get()
        if frame is None:
            raise ConnectionError("The app closed the connection.")
        return frame

    async def _send(self, text: str) -> None:
        await self._to_app.put({"type": "websocket.receive", "text": text})

    async def _read(self) -> None:
        while True:
            frame = await self._frames.get()
            if frame is None:
                break
            if frame == "2":  # engine.io PING: a browser answers PONG
                await self._send("3")
            elif frame.startswith("44"):  # socket.io CONNECT_ERROR: refused
                self._refusal = str(decode(frame[2:]).get("message", frame[2:]))
            elif frame.startswith("41"):
                break
            elif frame.startswith("42"):
                name, data = decode(frame[2:])
                if name == STATE:
                    self.state = {state: dict(values) for state, values in data.items()}
                    self._greeted = True
                elif name == UPDATE:
                    resyncs = self.resyncs
                    self._on_update(data)
                    if self.resyncs != resyncs:
                        await self._send("42" + encode([PAGE, self.page]).decode())
            self._notify()
        self.closed = True
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _on_update(self, update: dict[str, Any]) -> None:
        self.updates.append(update)
        try:
            changed = apply_delta(self.state, update.get("delta", {}))
        except PatchError:
            # As the browser runtime does: a patch that does not fit means this tab's copy diverged, so it
            # asks for the full state (a "state" answers, like a navigation to the same page).
            changed = {}
            self.resyncs += 1
        self.actions.extend(update.get("actions", []))
        event_id = update.get("id")
        if event_id is None:
            return
        reply = self._replies.setdefault(event_id, Reply(event_id))
        reply.updates.append(update)
        for state, values in changed.items():
            reply.delta.setdefault(state, {}).update(values)
        reply.actions.extend(update.get("actions", []))
        if update.get("error") is not None:
            reply.error = update["error"]
        if update.get("done", True):
            self._done.setdefault(event_id, asyncio.Event()).set()

    async def _wait(self, ready: Callable[[], bool]) -> None:
        while not ready():
            await self._changed.wait()

    async def close(self) -> None:
        """Closes the tab's socket, as closing the browser tab does; its state stays on the server a while."""
        if self._server is None or self._server.done():
            self.closed = True
            return
        await self._to_app.put({"type": "websocket.disconnect", "code": 1001})
        with anyio.move_on_after(self.client.timeout):
            await asyncio.shield(self._server)
        for task in (self._server, self._reader):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self.closed = True

    # --- what a test does ----------------------------------------------------------------------------

    def vars(self, state: type[State] | str) -> dict[str, Any]:
        """The vars of one state as the tab holds them (``tab.vars(Counter)["count"]``)."""
        name = state if isinstance(state, str) else state.state_name()
        if name not in self.state:
            raise StateError(f"Page {self.page!r} does not use state {name!r}; it uses {sorted(self.state)}.")
        return self.state[name]

    async def send(self, handler: EventSpec | str, *args: Any) -> int:
        """Sends an event without waiting for its reply and returns its id (see `reply`).

        Args:
            handler: ``Counter.increment``, ``Counter.increment(10)`` (bound arguments come first) or the
                handler's path on the wire, ``"counter.increment"``.
            args: Further positional arguments, as the browser would send them (JSON-like values).
        """
        if self.closed:
            raise ConnectionError(f"{self!r} is closed; open another tab.")
        if isinstance(handler, EventSpec):
            path, bound = handler.path, list(handler.args or ())
        else:
            path, bound = handler, []
        self._next_id += 1
        payload = {"id": self._next_id, "handler": path, "args": [*bound, *args]}
        await self._send("42" + encode([EVENT, payload]).decode())
        return self._next_id

    async def reply(self, event_id: int) -> Reply:
        """Waits until event ``event_id`` is done and returns what the app sent for it."""
        done = self._done.setdefault(event_id, asyncio.Event())
        with anyio.fail_after(self.client.timeout):
            await self._wait(lambda: done.is_set() or self.closed)
        if not done.is_set():
            raise ConnectionError(f"The app closed the connection before event {event_id} was done.")
        return self._replies[event_id]

    async def call(self, handler: EventSpec | str, *args: Any) -> Reply:
        """Sends an event as a click would and waits until it is done.

        Raises:
            EventError: The app answered with an error (and, as for a browser, changed nothing).
            TimeoutError: It was not done within the timeout.
        """
        reply = await self.reply(await self.send(handler, *args))
        if reply.error is not None:
            path = handler.path if isinstance(handler, EventSpec) else handler
            raise EventError(path, reply.error.get("code", ""), reply.error.get("message", ""))
        return reply

    async def wait_for(self, ready: Callable[[Tab], bool]) -> None:
        """Waits until ``ready(tab)`` holds, re-checked after every message the app sends.

        For what no event of the test waits on: a background task's progress, another tab's change.
        """
        with anyio.fail_after(self.client.timeout):
            await self._wait(lambda: ready(self) or self.closed)
        if not ready(self):
            raise ConnectionError(f"The app closed the connection of {self!r} while waiting.")

    async def navigate(self, page: str) -> None:
        """Moves the tab to another page of the app without a reload, as a link does.

        Waits for the page's state and for its on_load handlers, as `AppClient.open` does.
        """
        self._greeted = False
        self.page = page
        await self._send("42" + encode([PAGE, page]).decode())
        with anyio.fail_after(self.client.timeout):
            await self._wait(lambda: self._greeted or self.closed)
        await self._load()

    async def upload(self, handler: EventSpec | str, files: Sequence[tuple[str, bytes]] | Mapping[str, bytes]) -> Reply:
        """Uploads files to an upload handler as ``pr.upload`` does, and applies the app's answer.

        Args:
            handler: The handler taking ``list[pr.UploadedFile]``.
            files: ``(filename, content)`` pairs, or a dict of them.

        Raises:
            EventError: The app refused the upload or the handler failed.
        """
        path = handler.path if isinstance(handler, EventSpec) else handler
        boundary = uuid.uuid4().hex
        parts = []
        for filename, content in files.items() if isinstance(files, Mapping) else files:
            disposition = f'form-data; name="{UPLOAD_FIELD}"; filename="{quote(filename)}"'
            parts.append(
                f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {
            "content-type": f"multipart/form-data; boundary={boundary}",
            "content-length": str(len(body)),
            TOKEN_HEADER.lower(): self.token,
            PAGE_HEADER.lower(): self.page,
            **({} if self._cookie is None else {"cookie": self._cookie}),
        }
        response = await self.client.request(
            "POST", f"{UPLOAD_PATH}?{_HANDLER_PARAM}={quote(path)}", body=body, headers=headers
        )
        try:
            update = decode(response.body)
        except Exception:
            raise EventError(path, str(response.status), response.text[:200]) from None
        if not isinstance(update, dict):
            raise EventError(path, str(response.status), response.text[:200])
        self._next_id += 1
        update = {**update, "id": self._next_id}
        resyncs = self.resyncs
        self._on_update(update)
        if self.resyncs != resyncs:
            await self._send("42" + encode([PAGE, self.page]).decode())
        self._notify()
        reply = self._replies[self._next_id]
        if response.status != 200 or reply.error is not None:
            error = reply.error or {}
            raise EventError(path, error.get("code", str(response.status)), error.get("message", response.text[:200]))
        return reply
