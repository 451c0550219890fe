from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.components.display import icon
from pyreact_asgi.components.overlays import dialog
from pyreact_asgi.components.typography import link
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["alert_dialog", "card", "drawer", "nav_link", "page_shell", "skeleton", "stat"]

# The rules of these components travel with them (Component.base_css): a page that uses none of them adds
# nothing to its style sheet, and the runtime every page loads stays small. The compiler writes them before the
# static classes of style keywords, so pr.card(padding=24) overrides the card's own padding.
_CARD_CSS = (
    ".pr-card{background:var(--pr-surface);border:1px solid var(--pr-border);border-radius:calc(var(--pr-radius) * 1.5);"
    "padding:1rem 1.25rem;display:flex;flex-direction:column;gap:.75rem;min-width:0;box-sizing:border-box}"
    ".pr-card-header{display:flex;align-items:center;justify-content:space-between;gap:.5rem}"
    ".pr-card-title{margin:0;font-size:1rem;font-weight:600}"
    ".pr-card-footer{border-top:1px solid var(--pr-border);padding-top:.75rem;color:var(--pr-muted);font-size:.875rem}"
)
_STAT_CSS = (
    ".pr-stat{display:flex;flex-direction:column;gap:.25rem}"
    ".pr-stat-label{color:var(--pr-muted);font-size:.875rem;margin:0}"
    ".pr-stat-value{font-size:1.75rem;font-weight:650;line-height:1.2;margin:0;font-variant-numeric:tabular-nums}"
    ".pr-stat-delta{font-size:.85rem;margin:0;display:inline-flex;align-items:center;gap:.2rem}"
    ".pr-stat-delta[data-trend=up]{color:var(--pr-success)}.pr-stat-delta[data-trend=down]{color:var(--pr-danger)}"
    ".pr-stat-delta[data-trend=flat]{color:var(--pr-muted)}"
)
_SHELL_CSS = (
    ".pr-shell{display:grid;grid-template-columns:15rem 1fr;grid-template-rows:auto 1fr;min-height:100vh}"
    ".pr-shell-header{grid-column:1/-1;display:flex;align-items:center;gap:1rem;padding:.75rem 1.25rem;"
    "border-bottom:1px solid var(--pr-border);background:var(--pr-surface);position:sticky;top:0;z-index:10}"
    ".pr-shell-brand{font-weight:700;font-size:1.05rem}"
    ".pr-shell-nav{display:flex;flex-direction:column;gap:.125rem;padding:1rem .75rem;border-right:1px solid var(--pr-border);"
    "background:var(--pr-surface)}"
    ".pr-shell-main{padding:1.5rem;min-width:0;display:flex;flex-direction:column;gap:1.25rem}"
    ".pr-nav-link{display:flex;align-items:center;gap:.6rem;padding:.45rem .75rem;border-radius:var(--pr-radius);"
    "color:var(--pr-fg);text-decoration:none}"
    ".pr-nav-link:hover{background:var(--pr-subtle);text-decoration:none}"
    ".pr-nav-link[aria-current=page]{background:var(--pr-subtle);font-weight:600}"
    "@media (max-width:48em){.pr-shell{grid-template-columns:1fr}.pr-shell-nav{flex-direction:row;overflow-x:auto;"
    "border-right:0;border-bottom:1px solid var(--pr-border);padding:.5rem}}"
)
_DRAWER_CSS = (
    ".pr-backdrop:has(>.pr-drawer){padding:0;justify-content:flex-end;align-items:stretch}"
    ".pr-backdrop:has(>.pr-drawer-left){justify-content:flex-start}"
    ".pr-dialog.pr-drawer{width:min(24rem,100%);max-height:none;height:100%;border-radius:0}"
)
_ALERT_CSS = ".pr-alert-actions{display:flex;justify-content:flex-end;gap:.5rem;margin-top:.5rem}"
Trend = Literal["up", "down", "flat"]


def _with_css(component: Component, css: str) -> Component:
    return Component(component.tag, component.props, component.children, component.css, component.base_css + css)


def card(
    *children: Child, title: Child = None, action: Component | None = None, footer: Child = None, **kwargs: Any
) -> Component:
    """A bordered panel grouping related content, with an optional title, an action beside it and a footer.

    Args:
        children: The content.
        title: The card's heading (text, a Var or a component); it names the card for screen readers.
        action: A component shown at the right of the title, such as a button or a menu.
        footer: Content below a rule at the bottom.
        kwargs: Props and CSS properties of the card (``grid_column="span 2"``, ``padding=24``).
    """
    head: list[Child] = []
    if title is not None or action is not None:
        heading = element("h3", (title,), {}, base_class="pr-card-title") if title is not None else None
        head.append(element("div", (heading, action), {}, base_class="pr-card-header"))
    tail = [element("div", (footer,), {}, base_class="pr-card-footer")] if footer is not None else []
    return _with_css(element("section", (*head, *children, *tail), kwargs, base_class="pr-card"), _CARD_CSS)


def stat(label: Child, value: Child, *, delta: Child = None, trend: Trend | Var | None = None, help: Child = None,
         **kwargs: Any) -> Component:  # fmt: skip
    """A number to take in at a glance: a label, a big value and, optionally, how it changed.

    Example: ``pr.stat("Revenue", Sales.revenue_text, delta="+12% this week", trend="up")``

    Args:
        label: What the number is.
        value: The number, usually a Var (formatted text reads best: ``"€12,340"``).
        delta: The change, as text ("+4.2%").
        trend: "up" (green), "down" (red) or "flat", or a Var holding one; colours the change and adds an arrow.
        help: A smaller line under the value.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: ``trend`` is not "up", "down", "flat" or a Var.
    """
    if trend is not None and not isinstance(trend, Var) and trend not in ("up", "down", "flat"):
        raise ConfigError(f'Expected trend of pr.stat to be "up", "down", "flat" or a Var, but got {trend!r}.')
    parts: list[Child] = [
        element("p", (label,), {}, base_class="pr-stat-label"),
        element("p", (value,), {}, base_class="pr-stat-value"),
    ]
    if delta is not None:
        arrow: Child = None
        if isinstance(trend, str):
            arrow = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25b6"}[trend]
        parts.append(element("p", (arrow, delta), {"data_trend": trend}, base_class="pr-stat-delta"))
    if help is not None:
        parts.append(element("p", (help,), {}, base_class="pr-stat-label"))
    return _with_css(element("div", parts, kwargs, base_class="pr-stat"), _STAT_CSS)


def nav_link(
    label: Child, *, href: str, icon_name: str | None = None, active: bool | Var = False, **kwargs: Any
) -> Component:
    """A link of a `page_shell`'s navigation: a page of this app (``href="/orders"``) or a URL.

    Args:
        label: The text.
        href: The page or URL.
        icon_name: One of `pr.icon`'s names, drawn before the label.
        active: Marks the current page (``aria-current="page"``); a bool or a bool Var.
        kwargs: Props and CSS properties.
    """
    children: list[Child] = [icon(icon_name, size=16) if icon_name else None, label]
    if active is not False:
        kwargs["aria_current"] = (
            Var(f'({active.js}) ? "page" : undefined', active.states) if isinstance(active, Var) else "page"
        )
    return _with_css(link(*children, href=href, class_name="pr-nav-link", **kwargs), _SHELL_CSS)


def page_shell(
    *content: Child, nav: Sequence[Component] = (), brand: Child = None, header: Sequence[Child] = (), **kwargs: Any
) -> Component:
    """The frame of an admin page: a top bar with the brand and your controls, a side navigation (a row of
    links on narrow screens) and the main area.

    Example::

        pr.page_shell(
            pr.heading("Overview"), ...,
            brand="Acme admin",
            nav=[pr.nav_link("Overview", href="/", icon_name="menu", active=True), pr.nav_link("Orders", href="/orders")],
            header=[pr.spacer(), pr.color_mode_toggle()],
        )

    Args:
        content: The main area's content.
        nav: The navigation links (`nav_link`), top to bottom.
        brand: The product's name or logo, at the left of the top bar.
        header: More of the top bar, after the brand.
        kwargs: Props and CSS properties of the main area.
    """
    top = element(
        "header", (element("div", (brand,), {}, base_class="pr-shell-brand") if brand is not None else None, *header),
        {}, base_class="pr-shell-header",
    )  # fmt: skip
    side = element("nav", tuple(nav), {"aria_label": "Main"}, base_class="pr-shell-nav")
    main = element("main", content, kwargs, base_class="pr-shell-main")
    return _with_css(element("div", (top, side, main), {}, base_class="pr-shell"), _SHELL_CSS)


def skeleton(*, height: str | int = "1rem", width: str | int = "100%", lines: int = 1, **kwargs: Any) -> Component:
    """A shimmering placeholder where content is still on its way (``pr.cond(State.loaded, table, skeleton)``).

    Args:
        height: Of each line (pixels or a CSS length).
        width: Of each line.
        lines: How many lines to draw.
        kwargs: Props and CSS properties of the wrapper.

    Raises:
        ConfigError: ``lines`` is not an int from 1 to 50.
    """
    if isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= 50:
        raise ConfigError(f"Expected lines of pr.skeleton to be an int from 1 to 50, but got {lines!r}.")
    bars = [element("div", (), {"height": height, "width": width}, base_class="pr-skeleton") for _ in range(lines)]
    return element("div", bars, {"aria_busy": "true", "aria_label": "Loading", "role": "status", **kwargs},
                   base_class="pr-vstack")  # fmt: skip


def drawer(*children: Child, trigger: Component | None = None, title: Child = None, side: Literal["left", "right"] = "right",
           open: Any = None, **kwargs: Any) -> Component:  # fmt: skip
    """A modal panel that slides in from the side: filters, details of a row, settings. Behaves as `pr.dialog`
    (focus kept inside, Escape and the backdrop close it).

    Args:
        children: The content.
        trigger: A component that opens it when clicked.
        title: The heading that names it.
        side: "right" or "left".
        open: A bool Var to open and close it from the server (``on_close`` tells the server).
        kwargs: Props (``on_close``) and CSS properties of the panel.

    Raises:
        ConfigError: ``side`` is not "left" or "right", or see `pr.dialog`.
    """
    if side not in ("left", "right"):
        raise ConfigError(f'Expected side of pr.drawer to be "left" or "right", but got {side!r}.')
    classes = f"pr-drawer pr-drawer-{side}"
    user = kwargs.pop("class_name", None)
    kwargs["class_name"] = classes if user is None else f"{classes} {user}"
    return _with_css(dialog(*children, trigger=trigger, title=title, open=open, **kwargs), _DRAWER_CSS)


def alert_dialog(
    *children: Child,
    title: Child,
    confirm: Component,
    cancel: Child = "Cancel",
    trigger: Component | None = None,
    open: Any = None,
    **kwargs: Any,
) -> Component:
    """A dialog that asks before something that cannot be undone (``role="alertdialog"``).

    Example::

        pr.alert_dialog(
            "The order and its invoices are deleted for good.",
            title="Delete order?",
            trigger=pr.button("Delete", variant="danger"),
            confirm=pr.button("Delete", variant="danger", on_click=Orders.delete),
        )

    Args:
        children: What will happen.
        title: The question.
        confirm: The button that goes ahead; clicking it also closes the dialog.
        cancel: The label of the button that closes it and does nothing.
        trigger: A component that opens it when clicked.
        open: A bool Var to open and close it from the server.
        kwargs: Props (``on_close``) and CSS properties of the panel.

    Raises:
        ConfigError: ``confirm`` is not a component, or see `pr.dialog`.
    """
    if not isinstance(confirm, Component):
        raise ConfigError(
            f"Expected confirm of pr.alert_dialog to be a component such as pr.button(...), but got {confirm!r}."
        )
    cancel_button = element("button", (cancel,), {"type": "button", "data_pr_close": "true"}, props=frozenset({"type"}),
                            base_class="pr-button pr-button-outline")  # fmt: skip
    # Both buttons close the panel: the runtime's Dialog closes on a click inside [data-pr-close].
    wrapped = element("div", (confirm,), {"data_pr_close": "true", "style": {"display": "contents"}})
    actions = element("div", (cancel_button, wrapped), {}, base_class="pr-alert-actions")
    kwargs.setdefault("role", "alertdialog")
    return _with_css(dialog(*children, actions, trigger=trigger, title=title, open=open, **kwargs), _ALERT_CSS)
