// Overlays and disclosure widgets (dialog, popover, tooltip, menu, tabs, accordion): a module of its own, which
// the compiled app module imports only when a page uses one, so pages without them never download it.
import * as React from "react";
import { createPortal } from "react-dom";

const h = React.createElement;

const FOCUSABLE = 'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

function withClick(trigger, onClick, extra) {
  if (!React.isValidElement(trigger)) return trigger;
  return React.cloneElement(trigger, {
    ...extra,
    onClick: (e) => {
      trigger.props.onClick?.(e);
      onClick(e);
    },
  });
}

// Closes an overlay on Escape and on a press outside `refs`.
function useDismiss(open, close, refs) {
  React.useEffect(() => {
    if (!open) return undefined;
    const onKey = (e) => {
      if (e.key === "Escape") close(true);
    };
    const onDown = (e) => {
      if (!refs.some((r) => r.current?.contains(e.target))) close(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onDown);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onDown);
    };
  }, [open]);
}

export function Dialog({ children, hasTrigger, title, open, onClose, closeOnSubmit, className, ...rest }) {
  const items = React.Children.toArray(children);
  const trigger = hasTrigger ? items.shift() : null;
  const [isOpen, setOpen] = React.useState(!!open);
  React.useEffect(() => {
    if (open !== undefined) setOpen(!!open);
  }, [open]);
  const panel = React.useRef(null);
  const returnTo = React.useRef(null);
  const titleId = React.useId();
  const close = () => {
    setOpen(false);
    onClose?.();
  };
  React.useEffect(() => {
    if (!isOpen) return undefined;
    returnTo.current = document.activeElement;
    const first = panel.current?.querySelector(FOCUSABLE);
    (first ?? panel.current)?.focus();
    return () => returnTo.current?.focus?.();
  }, [isOpen]);
  const onKeyDown = (e) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      close();
    } else if (e.key === "Tab") {
      // Focus trap: Tab from the last focusable element wraps to the first, Shift+Tab the other way.
      const focusable = [...panel.current.querySelectorAll(FOCUSABLE)];
      if (focusable.length === 0) return e.preventDefault();
      const [first, last] = [focusable[0], focusable[focusable.length - 1]];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  return h(
    React.Fragment,
    null,
    trigger && withClick(trigger, () => setOpen(true), { "aria-haspopup": "dialog", "aria-expanded": isOpen }),
    isOpen &&
      createPortal(
        h(
          "div",
          { className: "pr-backdrop", onMouseDown: (e) => e.target === e.currentTarget && close() },
          h(
            "div",
            {
              ...rest,
              ref: panel,
              role: rest.role ?? "dialog",
              "aria-modal": "true",
              "aria-labelledby": title ? titleId : undefined,
              tabIndex: -1,
              className,
              onKeyDown,
              // A click on anything marked data-pr-close (an alert dialog's buttons) closes the panel.
              onClick: (e) => e.target.closest?.("[data-pr-close]") && close(),
              onSubmit: closeOnSubmit ? () => setTimeout(close, 0) : undefined,
            },
            title ? h("h2", { id: titleId, className: "pr-dialog-title" }, title) : null,
            items,
            // Last in the DOM (shown top right): opening focuses the content's first field, not "Close".
            h("button", { type: "button", className: "pr-dialog-close", "aria-label": "Close", onClick: close }, "\u00d7"),
          ),
        ),
        document.body,
      ),
  );
}

export function Popover({ children, className, ...rest }) {
  const [trigger, ...content] = React.Children.toArray(children);
  const [open, setOpen] = React.useState(false);
  const root = React.useRef(null);
  const id = React.useId();
  useDismiss(open, () => setOpen(false), [root]);
  return h(
    "span",
    { className: "pr-anchor", ref: root },
    withClick(trigger, () => setOpen(!open), { "aria-expanded": open, "aria-controls": id, "aria-haspopup": "dialog" }),
    open && h("div", { ...rest, id, role: "dialog", className }, content),
  );
}

export function Tooltip({ children, content, className, ...rest }) {
  const [open, setOpen] = React.useState(false);
  const id = React.useId();
  const child = React.Children.only(children);
  return h(
    "span",
    {
      className: "pr-anchor",
      onMouseEnter: () => setOpen(true),
      onMouseLeave: () => setOpen(false),
      onFocus: () => setOpen(true),
      onBlur: () => setOpen(false),
      onKeyDown: (e) => e.key === "Escape" && setOpen(false),
    },
    React.cloneElement(child, { "aria-describedby": id }),
    h("span", { ...rest, id, role: "tooltip", className, hidden: !open }, content),
  );
}

export function DropdownMenu({ children, className, ...rest }) {
  const [trigger, ...items] = React.Children.toArray(children);
  const [open, setOpen] = React.useState(false);
  const root = React.useRef(null);
  const menu = React.useRef(null);
  const id = React.useId();
  const entries = () => [...(menu.current?.querySelectorAll('[role="menuitem"]:not([disabled])') ?? [])];
  const close = (refocus) => {
    setOpen(false);
    if (refocus) root.current?.querySelector("[aria-haspopup]")?.focus();
  };
  useDismiss(open, close, [root]);
  React.useEffect(() => {
    if (open) entries()[0]?.focus();
  }, [open]);
  const onKeyDown = (e) => {
    const all = entries();
    const at = all.indexOf(document.activeElement);
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[e.key];
    if (move === undefined || all.length === 0) return;
    e.preventDefault();
    all[(move + all.length) % all.length].focus();
  };
  return h(
    "span",
    { className: "pr-anchor", ref: root },
    withClick(trigger, () => setOpen(!open), { "aria-haspopup": "menu", "aria-expanded": open, "aria-controls": id }),
    open &&
      h(
        "div",
        { ...rest, id, ref: menu, role: "menu", className, onKeyDown, onClick: (e) => e.target.closest('[role="menuitem"]') && close(true) },
        items,
      ),
  );
}

export function Tabs({ children, labels, defaultIndex = 0, onChange, className, ...rest }) {
  const panels = React.Children.toArray(children);
  const [selected, select] = React.useState(defaultIndex);
  const id = React.useId();
  const list = React.useRef(null);
  const choose = (i, focus) => {
    select(i);
    if (focus) list.current?.querySelectorAll('[role="tab"]')[i]?.focus();
    if (i !== selected) onChange?.(labels[i]);
  };
  const onKeyDown = (e) => {
    const n = labels.length;
    const next = { ArrowRight: selected + 1, ArrowLeft: selected - 1, Home: 0, End: n - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    choose((next + n) % n, true);
  };
  return h(
    "div",
    { ...rest, className },
    h(
      "div",
      { role: "tablist", className: "pr-tablist", ref: list, onKeyDown },
      labels.map((label, i) =>
        h(
          "button",
          {
            key: i,
            type: "button",
            role: "tab",
            id: `${id}-tab-${i}`,
            "aria-selected": i === selected,
            "aria-controls": `${id}-panel-${i}`,
            tabIndex: i === selected ? 0 : -1,
            className: "pr-tab",
            onClick: () => choose(i, false),
          },
          label,
        ),
      ),
    ),
    // Every panel stays rendered (hidden), so what the user typed in one survives switching tabs.
    panels.map((panel, i) =>
      h(
        "div",
        { key: i, role: "tabpanel", id: `${id}-panel-${i}`, "aria-labelledby": `${id}-tab-${i}`, hidden: i !== selected, className: "pr-tabpanel", tabIndex: 0 },
        panel,
      ),
    ),
  );
}

export function Accordion({ children, labels, multiple, defaultOpen = [], onChange, className, ...rest }) {
  const panels = React.Children.toArray(children);
  const [open, setOpen] = React.useState(() => new Set(defaultOpen));
  const id = React.useId();
  const toggle = (i) => {
    const next = new Set(multiple ? open : open.has(i) ? [i] : []);
    next.has(i) ? next.delete(i) : next.add(i);
    setOpen(next);
    onChange?.(labels[i]);
  };
  return h(
    "div",
    { ...rest, className },
    labels.map((label, i) =>
      h(
        "div",
        { key: i, className: "pr-accordion-item" },
        h(
          "h3",
          { className: "pr-accordion-heading" },
          h(
            "button",
            { type: "button", id: `${id}-h-${i}`, "aria-expanded": open.has(i), "aria-controls": `${id}-p-${i}`, className: "pr-accordion-trigger", onClick: () => toggle(i) },
            h("span", null, label),
            h("span", { className: "pr-accordion-chevron", "aria-hidden": "true" }, "\u203a"),
          ),
        ),
        h("div", { id: `${id}-p-${i}`, role: "region", "aria-labelledby": `${id}-h-${i}`, hidden: !open.has(i), className: "pr-accordion-panel" }, panels[i]),
      ),
    ),
  );
}
