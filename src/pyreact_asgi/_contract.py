"""Every name and path the server and the browser runtime must agree on, defined once.

The browser runtime (``frontend/src/*.js``) spells none of the strings below: the compiled app module hands
them to the runtime's ``start()`` as its ``contract`` (`ClientContract`, built by `client_contract`), and
tests/test_contract.py fails if a JavaScript source spells one. The names the compiled module imports from
the runtime are JavaScript identifiers, which cannot be handed over at run time; that test checks them
against the runtime's exports instead.

Map (server side ↔ browser side):

    socket.io events     EVENT, PAGE (client → server); STATE, UPDATE, RELOAD, RELOAD_ERROR (server → client)
    paths                Config.event_path (default DEFAULT_EVENT_PATH), STATIC_PATH, UPLOAD_PATH,
                         ASSETS_PATH, under the mount path; NOT_FOUND_ROUTE among the compiled routes
    HTML shell           MOUNT_META (the mount path), BACKEND_META (an export's backend), ROOT_ID (where React renders)
    upload request       TOKEN_HEADER, PAGE_HEADER, UPLOAD_HANDLER_PARAM, UPLOAD_FIELD
    stored vars          StorageKind, stored_var_key / split_stored_var_key (STORED_KEY_SEPARATOR)
    patches in a delta   PATCH_PREFIX, PATCH_SET, PATCH_DEL, PATCH_APPEND, PATCH_TRUNCATE
    runtime exports      RUNTIME_COMPONENTS, RUNTIME_HELPERS, VAR_SCOPE, reserved_name()
"""

from __future__ import annotations

import re
from typing import Literal, get_args

import msgspec

__all__ = [
    "ASSETS_PATH",
    "BACKEND_META",
    "DEFAULT_EVENT_PATH",
    "EVENT",
    "MOUNT_META",
    "MOUNT_PATH",
    "NOT_FOUND_ROUTE",
    "OPS",
    "ORIGIN_REFUSED",
    "OVERLAY_COMPONENTS",
    "PAGE",
    "PAGE_HEADER",
    "PATCH_APPEND",
    "PATCH_DEL",
    "PATCH_PREFIX",
    "PATCH_SET",
    "PATCH_TRUNCATE",
    "RELOAD",
    "RELOAD_ERROR",
    "ROOT_ID",
    "ROUTE_PARAMS",
    "RUNTIME_COMPONENTS",
    "RUNTIME_HELPERS",
    "STATE",
    "STATIC_PATH",
    "STORAGE_KINDS",
    "STORED_KEY_SEPARATOR",
    "TOKEN_HEADER",
    "UPDATE",
    "UPLOAD_FIELD",
    "UPLOAD_HANDLER_PARAM",
    "UPLOAD_PATH",
    "VAR_SCOPE",
    "ClientContract",
    "StorageKind",
    "client_contract",
    "reserved_name",
    "split_stored_var_key",
    "stored_var_key",
]

# --- socket.io events (docs/protocol.md) ----------------------------------------------------------------
EVENT = "event"  # client → server: call one handler
PAGE = "page"  # client → server: the tab navigated to another page of the app
STATE = "state"  # server → client: the full state of the page's states (on connect, navigation, conflict)
UPDATE = "update"  # server → client: a delta, actions, an error, the end of an event
# The code in a refused connection's connect_error data when the page's Origin is not allowed: the tab
# shows it was refused instead of reconnecting in silence.
ORIGIN_REFUSED = "origin_refused"
# Development mode only (`pyreact run --dev`), server → client; a client sending either is refused like any
# unknown event: nothing a client sends can start a rebuild.
RELOAD = "reload"  # the app was rebuilt: import its new module (its path under the mount) and re-render
RELOAD_ERROR = "reload_error"  # the rebuild failed: show the error (file, line, message) until the next reload

# --- paths under the mount path ---------------------------------------------------------------------------
DEFAULT_EVENT_PATH = "/_event"  # the default of Config.event_path, the websocket endpoint
STATIC_PATH = "/_static"  # the bundle's files
UPLOAD_PATH = "/_upload"  # POST target of uploads
ASSETS_PATH = "/assets"  # the files of Config.assets_dir
# The key of the app's 404 page among the compiled routes: reserved ("/_"), so no page route can take it.
NOT_FOUND_ROUTE = "/_404"

# --- the served HTML shell --------------------------------------------------------------------------------
MOUNT_META = "pyreact-mount"  # <meta name=...> whose content is the mount path
# <meta name=...> of an exported frontend (`pyreact export`): the backend's URL, mount path included, which the
# socket and uploads use instead of the page's own origin and mount path.
BACKEND_META = "pyreact-backend"
ROOT_ID = "pyreact-root"  # the element React renders into

# --- an upload request ------------------------------------------------------------------------------------
TOKEN_HEADER = "X-Pyreact-Token"
PAGE_HEADER = "X-Pyreact-Page"
UPLOAD_HANDLER_PARAM = "handler"  # query parameter naming the upload handler
UPLOAD_FIELD = "files"  # form field of each file

# --- vars the browser keeps -------------------------------------------------------------------------------
StorageKind = Literal["cookie", "local", "session"]
STORAGE_KINDS: tuple[StorageKind, ...] = get_args(StorageKind)
# A stored var's key is "<state name>.<var name>". A substate's name is itself dotted ("app.prefs"), and a
# var name has no dot, so the key splits at its LAST separator, on both sides.
STORED_KEY_SEPARATOR = "."

# --- patches in an update's delta (docs/protocol.md, "Patches") ------------------------------------------
# A state's delta may hold "<PATCH_PREFIX><var>": ops that change the var's value the client has, in order,
# instead of the value. A var name is an identifier, so no var can be spelled so. Server → client only.
PATCH_PREFIX = "~"
PATCH_SET = 0  # [PATCH_SET, index or key, value]: a list's item (an index < its length) or a dict's key
PATCH_DEL = 1  # [PATCH_DEL, key]: a dict's key, which it has
PATCH_APPEND = 2  # [PATCH_APPEND, value, ...]: values added at the end of a list
PATCH_TRUNCATE = 3  # [PATCH_TRUNCATE, length]: a list keeps its first ``length`` items (at most its length)

# --- names the compiled app module takes from the runtime (JavaScript identifiers) ----------------------
# Components the runtime exports; every other tag of a page is a lowercase HTML element.
RUNTIME_COMPONENTS = frozenset(
    {
        "Accordion",
        "ColorModeToggle",
        "Dialog",
        "DropdownMenu",
        "Form",
        "Input",
        "Link",
        "Popover",
        "Tabs",
        "Textarea",
        "Tooltip",
        "Upload",
    }
)
# Those the compiled module imports from the overlays module rather than the runtime (frontend/src/overlays.js):
# a page without them never downloads their code.
OVERLAY_COMPONENTS = frozenset({"Accordion", "Dialog", "DropdownMenu", "Popover", "Tabs", "Tooltip"})
OPS = "ops"  # the object whose functions give compiled Var expressions Python's semantics (ops.js)
MOUNT_PATH = "mountPath"  # the function returning the mount path
ROUTE_PARAMS = "routeParams"  # the name compiled pages give the values of their route's dynamic segments
# Everything else the compiled module may import: its module-level names, with the components.
RUNTIME_HELPERS = frozenset(
    {"React", "emit", "start", "useVars", "upload", "mountRef", "useParams", "lazyComponent", OPS, MOUNT_PATH}
)
# Names a Var's JavaScript may refer to, besides the page's vars: in scope in every compiled page that uses them.
VAR_SCOPE = frozenset({OPS, MOUNT_PATH, ROUTE_PARAMS})
# The compiled module names its page functions Page0, Page1, ..., and the components of packages Pkg_<name>_<export>.
_PAGE_FUNCTION = re.compile(r"^(Page\d+|Pkg_\w+)$")


def reserved_name(name: str) -> bool:
    """Whether the compiled app module defines or imports ``name`` itself, so a user's component cannot take it."""
    return (
        name in RUNTIME_COMPONENTS or name in RUNTIME_HELPERS or name in VAR_SCOPE or bool(_PAGE_FUNCTION.match(name))
    )


def stored_var_key(state: str, var: str) -> str:
    """Returns the key of a stored var: ``"app.prefs.theme"`` for var "theme" of state "app.prefs"."""
    return f"{state}{STORED_KEY_SEPARATOR}{var}"


def split_stored_var_key(key: str) -> tuple[str, str]:
    """Returns the state name and var name of a stored var's key; ``("", key)`` if it has no separator."""
    state, _, var = key.rpartition(STORED_KEY_SEPARATOR)
    return state, var


# --- what the runtime receives ----------------------------------------------------------------------------


class SocketEvents(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    event: str = EVENT
    page: str = PAGE
    state: str = STATE
    update: str = UPDATE
    reload: str = RELOAD
    reload_error: str = RELOAD_ERROR


class UploadRequest(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    path: str = UPLOAD_PATH
    handler_param: str = UPLOAD_HANDLER_PARAM
    field: str = UPLOAD_FIELD
    token_header: str = TOKEN_HEADER
    page_header: str = PAGE_HEADER


class StorageKinds(msgspec.Struct, frozen=True, kw_only=True):
    cookie: StorageKind = "cookie"
    local: StorageKind = "local"
    session: StorageKind = "session"


class PatchCodes(msgspec.Struct, frozen=True, kw_only=True):
    prefix: str = PATCH_PREFIX
    set: int = PATCH_SET
    delete: int = PATCH_DEL
    append: int = PATCH_APPEND
    truncate: int = PATCH_TRUNCATE


class ClientContract(msgspec.Struct, frozen=True, kw_only=True, rename="camel"):
    """The names and paths the browser runtime uses, handed to its ``start()`` by the compiled app module.

    Attributes:
        event_path: The websocket endpoint under the mount path: ``Config.event_path``.
        events: The socket.io event names.
        upload: How an upload request is made.
        not_found_route: The key of the 404 page among the compiled routes.
        mount_meta: The name of the ``<meta>`` tag whose content is the mount path.
        backend_meta: The name of the ``<meta>`` tag of an exported frontend naming its backend's URL.
        root_id: The id of the element React renders into.
        storage: The kinds of stored vars.
        stored_key_separator: Splits a stored var's key at its last occurrence.
        origin_refused: The code of a connection refused for its Origin.
        patch: How a delta spells a patch, and its op codes.
    """

    event_path: str = DEFAULT_EVENT_PATH
    events: SocketEvents = SocketEvents()
    upload: UploadRequest = UploadRequest()
    not_found_route: str = NOT_FOUND_ROUTE
    mount_meta: str = MOUNT_META
    backend_meta: str = BACKEND_META
    root_id: str = ROOT_ID
    storage: StorageKinds = StorageKinds()
    stored_key_separator: str = STORED_KEY_SEPARATOR
    origin_refused: str = ORIGIN_REFUSED
    patch: PatchCodes = PatchCodes()


def client_contract(event_path: str = DEFAULT_EVENT_PATH) -> ClientContract:
    """Returns what the browser runtime is told, for an app whose websocket endpoint is ``event_path``."""
    return ClientContract(event_path=event_path)
