// Runtime components with client-side behaviour: fields that debounce and keep what the user typed,
// forms that gather their fields, colour mode. Overlays, tabs and accordion are in overlays.js.
import * as React from "react";

const h = React.createElement;

// ---- debounced changes not sent yet: sent before any other event, so the server sees them first
const pendingChanges = new Set();

export function flushPending() {
  const flushes = [...pendingChanges];
  pendingChanges.clear();
  for (const flush of flushes) flush();
}

// Elements whose on_mount event has been sent (a ref callback runs again on every render).
const mounted = new WeakSet();

export function mountRef(send) {
  return (el) => {
    if (el && !mounted.has(el)) {
      mounted.add(el);
      send();
    }
  };
}

// A field bound to a server var. It keeps what the user typed locally and adopts the server's value only
// when none of its own changes is waiting or in flight, so a late echo never overwrites newer keystrokes.
function useField(value, onChange, debounce, empty) {
  const [local, setLocal] = React.useState(value ?? empty);
  const inflight = React.useRef(0);
  const waiting = React.useRef(null);
  const [settled, settle] = React.useReducer((n) => n + 1, 0);
  React.useEffect(() => {
    if (inflight.current === 0 && !waiting.current && value !== undefined) setLocal(value ?? empty);
  }, [value, settled]);
  const send = (e) => {
    inflight.current += 1;
    Promise.resolve(onChange(e)).finally(() => {
      inflight.current -= 1;
      settle();
    });
  };
  const flush = () => waiting.current?.();
  // Leaving the page (or a closing dialog) must not lose the last keystrokes.
  React.useEffect(() => flush, []);
  const handle = (e, next) => {
    setLocal(next);
    if (!onChange) return;
    if (!debounce) return send(e);
    if (waiting.current) waiting.current.cancel();
    const timer = setTimeout(() => fire(), debounce);
    const fire = () => {
      clearTimeout(timer);
      pendingChanges.delete(fire);
      if (waiting.current === fire) waiting.current = null;
      send(e);
    };
    fire.cancel = () => {
      clearTimeout(timer);
      pendingChanges.delete(fire);
    };
    waiting.current = fire;
    pendingChanges.add(fire);
  };
  return [local, handle, flush, setLocal];
}

function joinRefs(inner, outer) {
  return (el) => {
    inner.current = el;
    if (typeof outer === "function") outer(el);
  };
}

function makeField(tag) {
  return function Field({ value, onChange, onBlur, debounce = 0, ref: outer, type, ...rest }) {
    const checkbox = type === "checkbox";
    const empty = checkbox ? false : "";
    const [local, handle, flush, setLocal] = useField(value, onChange, debounce, empty);
    const ref = React.useRef(null);
    React.useEffect(() => {
      // form.reset() changes the DOM only: follow it, so React does not put the old text back.
      const form = ref.current?.form;
      if (!form) return undefined;
      const reset = () => setLocal(empty);
      form.addEventListener("reset", reset);
      return () => form.removeEventListener("reset", reset);
    }, []);
    return h(tag, {
      ...rest,
      type,
      ref: joinRefs(ref, outer),
      ...(checkbox ? { checked: !!local } : { value: local ?? "" }),
      onChange: (e) => handle(e, checkbox ? e.target.checked : e.target.value),
      onBlur: (e) => {
        flush();
        onBlur?.(e);
      },
    });
  };
}

export const Input = makeField("input");
export const Textarea = makeField("textarea");

// A form that sends its named fields to on_submit as {name: value}; an unchecked checkbox as "".
export function Form({ onSubmit, resetOnSubmit, children, ...rest }) {
  const submit = (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const fields = {};
    for (const el of form.elements) {
      if (el.name && el.type === "checkbox" && !el.checked) fields[el.name] = "";
    }
    for (const [name, value] of new FormData(form)) if (typeof value === "string") fields[name] = value;
    onSubmit?.(fields);
    if (resetOnSubmit) form.reset();
  };
  return h("form", { ...rest, onSubmit: submit }, children);
}

// ---- colour mode: <html data-theme="light|dark"> overrides the system's preference; none follows it
const MODE_KEY = "pyreact-color-mode";
const modeListeners = new Set();

export function initColorMode(initial) {
  let mode = null;
  try {
    mode = localStorage.getItem(MODE_KEY);
  } catch {
    // Storage disabled: the theme's mode stands.
  }
  mode = mode === "light" || mode === "dark" ? mode : initial;
  if (mode === "light" || mode === "dark") document.documentElement.dataset.theme = mode;
}

export function colorMode() {
  const set = document.documentElement.dataset.theme;
  if (set === "light" || set === "dark") return set;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function setColorMode(mode) {
  document.documentElement.dataset.theme = mode;
  try {
    localStorage.setItem(MODE_KEY, mode);
  } catch {
    // Storage disabled: the mode holds until the page is reloaded.
  }
  for (const listener of modeListeners) listener();
}

const SUN = "M12 7a5 5 0 1 0 0 10 5 5 0 1 0 0-10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4";
const MOON = "M21 12.8A9 9 0 1 1 11.2 3 7 7 0 0 0 21 12.8z";

export function ColorModeToggle({ onClick, ...rest }) {
  const mode = React.useSyncExternalStore(
    (l) => (modeListeners.add(l), () => modeListeners.delete(l)),
    colorMode,
  );
  const next = mode === "dark" ? "light" : "dark";
  return h(
    "button",
    {
      type: "button",
      "aria-label": `Switch to ${next} mode`,
      title: `Switch to ${next} mode`,
      ...rest,
      onClick: (e) => {
        setColorMode(next);
        onClick?.(e);
      },
    },
    h(
      "svg",
      { viewBox: "0 0 24 24", width: 18, height: 18, fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round", strokeLinejoin: "round", "aria-hidden": "true" },
      h("path", { d: mode === "dark" ? SUN : MOON }),
    ),
  );
}
