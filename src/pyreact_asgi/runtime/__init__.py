from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.messages import ErrorInfo, EventMessage, Update

__all__ = ["Engine", "ErrorInfo", "EventMessage", "MemoryStateManager", "Update"]
