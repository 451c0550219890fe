"""The state model: what each client has on the server, and how its changes are found.

Modules, each importing only those above it (tests/test_architecture.py checks there is no cycle):

- ``containers``: the lists, dicts and sets a handler gets from a var, which record their changes (a patch to
  send, how to undo them) in the var's tracker.
- ``patches``: applying the patch ops of a delta in Python, as the browser runtime does (`apply_delta`).
- ``tracking``: `Tracker`, the values of one state instance and what changed in them; the one interface
  to change tracking, for the tree, the engine and background tasks (`tracker(instance)`).
- ``vars``: `Var`, a value that lives in the browser as a JavaScript expression, and `StateVar`.
- ``storage``: vars the browser keeps (cookie, localStorage, sessionStorage).
- ``tree``: `StateTree`, the states of one client that one event works on.
- ``computed``: `ComputedVar`, a var derived from other vars.
- ``events``: `EventHandler`, `EventSpec` and ``@pr.event``: handler signatures checked against what a client
  can send.
- ``base``: `State` with its var descriptors and opt-in setters (`field`); `detached` for background tasks.
- ``router_var``: ``State.router`` in a page, as Vars of what the browser knows of its page.
- ``component``: `ComponentState`, a component with a state of its own per use on a page.
- ``registry``: which states an app takes events for (`registered_states`).
- ``testing``: helpers for tests of states used on their own.
"""

from __future__ import annotations

from pyreact_asgi.state.base import BackgroundLink, State, detached, field
from pyreact_asgi.state.component import ComponentInstances, ComponentState
from pyreact_asgi.state.computed import ComputedVar, computed
from pyreact_asgi.state.events import EventHandler, EventSpec, event
from pyreact_asgi.state.registry import registered_states
from pyreact_asgi.state.router_var import PageVar, RouterVar
from pyreact_asgi.state.storage import ClientStorage, cookie, local_storage, session_storage
from pyreact_asgi.state.tracking import Tracker, tracker
from pyreact_asgi.state.tree import Changes, StateTree, initial_state, tree_of
from pyreact_asgi.state.vars import StateVar, Var

__all__ = [
    "BackgroundLink",
    "Changes",
    "ClientStorage",
    "ComponentInstances",
    "ComponentState",
    "ComputedVar",
    "EventHandler",
    "EventSpec",
    "PageVar",
    "RouterVar",
    "State",
    "StateTree",
    "StateVar",
    "Tracker",
    "Var",
    "computed",
    "cookie",
    "detached",
    "event",
    "field",
    "initial_state",
    "local_storage",
    "registered_states",
    "session_storage",
    "tracker",
    "tree_of",
]
