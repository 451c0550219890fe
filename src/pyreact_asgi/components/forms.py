from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from pyreact_asgi._codec import js_literal
from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = [
    "button",
    "checkbox",
    "date_input",
    "form",
    "input",
    "number_input",
    "radio_group",
    "select",
    "slider",
    "switch",
    "textarea",
    "upload",
]

# Milliseconds a text field waits after the last keystroke before it sends on_change.
TEXT_DEBOUNCE = 300
_BUTTON_VARIANTS = ("solid", "outline", "ghost", "danger")
_INPUT_PROPS = frozenset(
    {
        "value",
        "placeholder",
        "type",
        "name",
        "disabled",
        "read_only",
        "auto_focus",
        "max_length",
        "min_length",
        "auto_complete",
        "required",
        "pattern",
        "debounce",
        "min",
        "max",
        "step",
    }
)


def form(*children: Child, on_submit: Any = None, reset_on_submit: bool = False, **kwargs: Any) -> Component:
    """A form whose ``on_submit`` handler receives its named fields as a dict.

    Every field with a ``name`` is sent as a string; an unchecked checkbox or switch as "". Submit it with a
    ``pr.button(..., type="submit")`` or Enter in a field.

    Example: ``pr.form(pr.input(name="email"), pr.button("Save", type="submit"), on_submit=Profile.save)``
    with ``def save(self, form: dict[str, str])``.

    Args:
        children: The fields and buttons.
        on_submit: The handler.
        reset_on_submit: Clear the fields after sending them.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: ``reset_on_submit`` is not a bool.
    """
    if not isinstance(reset_on_submit, bool):
        raise ConfigError(f"Expected reset_on_submit of pr.form to be a bool, but got {reset_on_submit!r}.")
    if on_submit is not None:
        kwargs["on_submit"] = on_submit
    if reset_on_submit:
        kwargs["reset_on_submit"] = True
    return element("Form", children, kwargs, props=frozenset({"reset_on_submit", "name"}), base_class="pr-form")


def button(*children: Child, variant: str = "solid", **kwargs: Any) -> Component:
    """A button; attach a handler with ``on_click=State.handler``.

    Args:
        children: The label.
        variant: "solid" (accent background), "outline", "ghost" or "danger".
        kwargs: Props (``type="submit"`` inside a form, ``disabled``) and CSS properties.

    Raises:
        ConfigError: Unknown ``variant``.
    """
    if variant not in _BUTTON_VARIANTS:
        raise ConfigError(
            f"Expected variant of pr.button to be one of {', '.join(_BUTTON_VARIANTS)}, but got {variant!r}."
        )
    return element(
        "button",
        children,
        kwargs,
        props=frozenset({"disabled", "type", "name", "value"}),
        base_class="pr-button" if variant == "solid" else f"pr-button pr-button-{variant}",
        defaults={"type": "button"},
    )


def _debounce(kwargs: dict[str, Any], default: int, fn: str) -> None:
    value = kwargs.setdefault("debounce", default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"Expected debounce of pr.{fn} to be milliseconds as an int >= 0, but got {value!r}.")


def input(**kwargs: Any) -> Component:
    """A text input (or any ``type`` of ``<input>``).

    Bind it to a var with ``value=State.var`` and ``on_change=State.set_var`` (a setter the var opts in to
    with ``pr.field("", setter=True)``, or a handler of your own): the handler receives the
    text once typing pauses for ``debounce`` milliseconds (300 by default; 0 sends every keystroke), and at
    the latest when the field loses focus or another event is sent. What the user types is never
    overwritten by a late server update.
    """
    _debounce(kwargs, TEXT_DEBOUNCE, "input")
    return element("Input", (), kwargs, props=_INPUT_PROPS, base_class="pr-input")


def textarea(**kwargs: Any) -> Component:
    """A multi-line text input; see `input` for ``value``, ``on_change`` and ``debounce``.

    ``rows`` sets its height in lines.
    """
    _debounce(kwargs, TEXT_DEBOUNCE, "textarea")
    return element(
        "Textarea", (), kwargs, props=_INPUT_PROPS | {"rows", "cols", "wrap"}, base_class="pr-input pr-textarea"
    )


def number_input(**kwargs: Any) -> Component:
    """A number field (``min``, ``max``, ``step``); ``on_change`` receives a number (None when empty)."""
    _debounce(kwargs, TEXT_DEBOUNCE, "number_input")
    return element("Input", (), {**kwargs, "type": "number"}, props=_INPUT_PROPS, base_class="pr-input")


def date_input(**kwargs: Any) -> Component:
    """A date picker; ``value`` and what ``on_change`` receives are "YYYY-MM-DD" strings ("" when empty)."""
    _debounce(kwargs, 0, "date_input")
    return element("Input", (), {**kwargs, "type": "date"}, props=_INPUT_PROPS, base_class="pr-input")


def slider(*, min: float = 0, max: float = 100, step: float = 1, **kwargs: Any) -> Component:
    """A range slider from ``min`` to ``max``; ``on_change`` receives a number.

    While dragging it sends at most one event per ``debounce`` ms (100 by default).

    Raises:
        ConfigError: ``min``, ``max`` or ``step`` is not a number, or ``min >= max``.
    """
    for name, value in (("min", min), ("max", max), ("step", step)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"Expected {name} of pr.slider to be a number, but got {value!r}.")
    if min >= max:
        raise ConfigError(f"Expected min < max for pr.slider, but got min={min!r}, max={max!r}.")
    _debounce(kwargs, 100, "slider")
    return element(
        "Input",
        (),
        {**kwargs, "type": "range", "min": min, "max": max, "step": step},
        props=_INPUT_PROPS,
        base_class="pr-slider",
    )


def _check_label(label: Any, fn: str) -> None:
    if label is not None and not isinstance(label, (str, Var, Component)):
        raise ConfigError(f"Expected label of pr.{fn} to be text, a Var or a component, but got {label!r}.")


def checkbox(label: Child = None, *, checked: Any = None, **kwargs: Any) -> Component:
    """A checkbox with a label; ``on_change`` receives True or False.

    Args:
        label: Text beside the box.
        checked: Whether it is checked (a bool, or a Var to bind).
        kwargs: Props (``name``, ``disabled``, ``on_change``) and CSS properties of the box.
    """
    return _toggle(label, checked, kwargs, "checkbox", "pr-checkbox")


def switch(label: Child = None, *, checked: Any = None, **kwargs: Any) -> Component:
    """An on/off switch with a label (a checkbox with ``role="switch"``); ``on_change`` receives a bool."""
    kwargs.setdefault("role", "switch")
    return _toggle(label, checked, kwargs, "switch", "pr-switch")


def _toggle(label: Child, checked: Any, kwargs: dict[str, Any], fn: str, cls: str) -> Component:
    _check_label(label, fn)
    if checked is not None and not isinstance(checked, (bool, Var)):
        raise ConfigError(f"Expected checked of pr.{fn} to be a bool or Var, but got {checked!r}.")
    _debounce(kwargs, 0, fn)
    box = element("Input", (), {**kwargs, "type": "checkbox", "value": checked}, props=_INPUT_PROPS)
    return Component("label", {"class_name": cls}, (box, Component("span", {}, (label,))))


def _options(options: Any, fn: str) -> list[tuple[str, Child]]:
    if isinstance(options, (str, Var)) or not isinstance(options, Sequence) or not options:
        raise ConfigError(
            f"Expected options of pr.{fn} to be a non-empty list of strings or (value, label) pairs, but got {options!r}."
        )
    pairs: list[tuple[str, Child]] = []
    for option in options:
        if isinstance(option, str):
            pairs.append((option, option))
        elif isinstance(option, tuple) and len(option) == 2 and isinstance(option[0], str):
            pairs.append((option[0], option[1]))
        else:
            raise ConfigError(
                f"Expected each option of pr.{fn} to be a string or a (value, label) pair, but got {option!r}."
            )
    return pairs


def select(
    options: Sequence[str | tuple[str, Child]], *, value: Any = None, placeholder: str | None = None, **kwargs: Any
) -> Component:
    """A drop-down choice of options; ``on_change`` receives the chosen value.

    Args:
        options: Strings, or (value, label) pairs.
        value: The chosen value: a string for the initial choice, or a Var to bind.
        placeholder: Shown while nothing is chosen.
        kwargs: Props (``name``, ``disabled``, ``on_change``) and CSS properties.

    Raises:
        ConfigError: ``options`` is empty or holds something else than strings or pairs.
    """
    pairs = _options(options, "select")
    children: list[Child] = []
    if placeholder is not None:
        children.append(Component("option", {"value": "", "disabled": True}, (placeholder,)))
    children += [Component("option", {"value": v}, (label,)) for v, label in pairs]
    if isinstance(value, Var):
        kwargs["value"] = value
    else:
        kwargs["default_value"] = "" if value is None else value
    return element(
        "select",
        children,
        kwargs,
        props=frozenset({"value", "default_value", "name", "disabled", "required"}),
        base_class="pr-input pr-select",
    )


def radio_group(
    options: Sequence[str | tuple[str, Child]], *, value: Any = None, name: str | None = None, **kwargs: Any
) -> Component:
    """Radio buttons, one per option; ``on_change`` receives the chosen value.

    Args:
        options: Strings, or (value, label) pairs.
        value: The chosen value: a string, or a Var to bind.
        name: The field name in a form; derived from the options when not given.
        kwargs: Props (``on_change``, ``disabled``) and CSS properties of the group.
    """
    pairs = _options(options, "radio_group")
    if name is None:
        name = "pr-radio-" + hashlib.sha256(repr(pairs).encode()).hexdigest()[:8]
    handlers = {k: kwargs.pop(k) for k in list(kwargs) if k.startswith("on_") or k == "disabled"}
    radios = []
    for option, label in pairs:
        checked: dict[str, Any]
        if isinstance(value, Var):
            checked = {"checked": Var(f"(({value.js}) === {js_literal(option)})", value.states)}
        else:
            checked = {"default_checked": option == value}
        radio = element(
            "input",
            (),
            {**handlers, "type": "radio", "name": name, "value": option, **checked},
            props=frozenset({"type", "name", "value", "checked", "default_checked", "disabled"}),
        )
        radios.append(Component("label", {"class_name": "pr-radio"}, (radio, Component("span", {}, (label,)))))
    return element("div", radios, kwargs, base_class="pr-radio-group", defaults={"role": "radiogroup"})


def upload(**kwargs: Any) -> Component:
    """A file picker that uploads the chosen files to an upload handler, showing progress and errors.

    The handler takes one parameter annotated ``list[pr.UploadedFile]``; the files are on the server's disk
    while it runs and deleted after it returns. Size and count limits are ``Config.max_upload_bytes`` and
    ``Config.max_upload_files``.

    Example: ``pr.upload(on_upload=Files.receive, multiple=True, accept=".csv,text/csv")``
    """
    if "on_upload" not in kwargs:
        raise ConfigError("Expected pr.upload(on_upload=State.handler) with an upload handler.")
    return element(
        "Upload", (), kwargs, props=frozenset({"multiple", "accept", "disabled", "name"}), base_class="pr-upload"
    )
