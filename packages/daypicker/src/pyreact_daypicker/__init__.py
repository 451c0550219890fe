"""A date picker for pyreact_asgi: react-day-picker from npm, prebuilt into this package's one ES module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyreact_asgi as pr

__all__ = ["PACKAGE", "__version__", "date_picker"]

__version__ = "0.1.0"

PACKAGE = pr.component_package("daypicker", module=Path(__file__).parent / "_static" / "daypicker.js")
_DatePicker = PACKAGE.component(
    "DatePicker",
    props={"selected": str, "month": str, "min": str, "max": str, "week_starts_on": int},
    events=["on_select"],
)


def date_picker(
    *,
    selected: str | pr.Var | None = None,
    on_select: pr.EventSpec | None = None,
    month: str | pr.Var | None = None,
    min: str | pr.Var | None = None,
    max: str | pr.Var | None = None,
    week_starts_on: int | None = None,
    **kwargs: Any,
) -> pr.Component:
    """A month calendar to pick one day; dates are ``"YYYY-MM-DD"`` strings on the Python side.

    Args:
        selected: The picked day, or a Var holding it ("" or None for none).
        on_select: Handler receiving the picked day as ``"YYYY-MM-DD"``, or None when the user clears it.
        month: A day of the month shown first when no day is picked (``"2026-03-01"``); this month when None.
        min: The first day that can be picked.
        max: The last day that can be picked.
        week_starts_on: 0 for Sunday (the default), 1 for Monday.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props.

    Raises:
        pr.ConfigError: A bad argument, named in the message.
    """
    if week_starts_on is not None and (isinstance(week_starts_on, bool) or week_starts_on not in range(7)):
        raise pr.ConfigError(f"Expected week_starts_on from 0 (Sunday) to 6, but got {week_starts_on!r}.")
    props: dict[str, Any] = {
        "selected": selected,
        "month": month,
        "min": min,
        "max": max,
        "week_starts_on": week_starts_on,
    }
    if on_select is not None:
        props["on_select"] = on_select
    return _DatePicker(**props, **kwargs)
