"""The state model: what each client has on the server, and how its changes are found.

Modules, each importing only those above it:

- ``vars``: `Var`, a value that lives in the browser as a JavaScript expression, and `StateVar`.
- ``storage``: vars the browser keeps (cookie, localStorage, sessionStorage).
- ``computed``: `ComputedVar`, a var derived from other vars.
- ``base``: `State` with its var descriptors and handlers.
- ``tree``: `StateTree`, the states of one client that one event works on.
"""

from __future__ import annotations

from pyreact_asgi.state.base import EventHandler, EventSpec, State, event
from pyreact_asgi.state.computed import ComputedVar, computed
from pyreact_asgi.state.storage import ClientStorage, cookie, local_storage, session_storage
from pyreact_asgi.state.tree import Changes, StateTree, initial_state
from pyreact_asgi.state.vars import StateVar, Var

__all__ = [
    "Changes",
    "ClientStorage",
    "ComputedVar",
    "EventHandler",
    "EventSpec",
    "State",
    "StateTree",
    "StateVar",
    "Var",
    "computed",
    "cookie",
    "event",
    "initial_state",
    "local_storage",
    "session_storage",
]
