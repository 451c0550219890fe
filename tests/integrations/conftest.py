from __future__ import annotations

from tests.integrations.django_project.harness import django_project

# Here, not imported by each test module: a session fixture imported into two modules would run twice.
__all__ = ["django_project"]
