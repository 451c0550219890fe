from __future__ import annotations

# The real-browser fixtures of the core's end-to-end tests, so every host is checked by the same user.
from tests.e2e.browsing import browser, new_tab
from tests.integrations.django_project.harness import django_project

# Here, not imported by each test module: a session fixture imported into two modules would run twice.
__all__ = ["browser", "django_project", "new_tab"]
