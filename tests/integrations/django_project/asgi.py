"""The project's asgi.py, as docs/django.md shows it; prefix and rule come from the test's environment."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integrations.django_project.settings")

import pyreact_django
from tests.integrations.django_project.rules import RULES
from tests.integrations.django_project.ui import ui

application = pyreact_django.asgi(
    ui,
    prefix=os.environ.get("PYREACT_TEST_PREFIX", "/admin-ui"),
    access=RULES[os.environ.get("PYREACT_TEST_ACCESS", "none")],
)
