from __future__ import annotations

# The real-browser fixtures of the core's end-to-end tests, so Litestar hosts are checked by the same user.
from tests.e2e.browsing import browser, new_tab  # noqa: F401
