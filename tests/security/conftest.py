from __future__ import annotations

# The real-browser fixtures of the core's end-to-end tests.
from tests.e2e.browsing import browser, new_tab

__all__ = ["browser", "new_tab"]
