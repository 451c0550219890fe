"""Serve a pyreact_asgi app beside Django: one ASGI entry point, the Django user in handlers, access rules."""

__version__ = "0.1.0"

from pyreact_django.access import Access, login_required, permission_required, staff_required, user_passes_test
from pyreact_django.conf import load_app
from pyreact_django.host import DjangoHost, asgi
from pyreact_django.users import session, user

__all__ = [
    "Access",
    "DjangoHost",
    "__version__",
    "asgi",
    "load_app",
    "login_required",
    "permission_required",
    "session",
    "staff_required",
    "user",
    "user_passes_test",
]
