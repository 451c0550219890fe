// Browser runtime of pyreact_asgi. Compiled app modules import everything from here.
// Every URL is derived from the mount <meta> tag, so one build serves any mount path. Every name and path
// the server must agree on arrives in start()'s `contract` (pyreact_asgi/_contract.py): none is spelled here.
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as ReactDOMClient from "react-dom/client";
import { io } from "socket.io-client";
import { flushPending, initColorMode } from "./components.js";
import { hideOverlay, reloadApp, showOverlay } from "./devreload.js";
import { CSS, rootCss } from "./styles.js";

// React for component packages too (frontend/build.mjs): every module of a page shares this one copy.
export { React, ReactDOM, ReactDOMClient };
export { ColorModeToggle, Form, Input, mountRef, Textarea } from "./components.js";

// ---- what the server told start(): socket event names, paths, header names (pyreact_asgi._contract)
let contract = null;

// ---- state store: {stateName: {varName: value}}, replaced immutably on every delta
let store = {};
const listeners = new Set();

function publish(next) {
  store = next;
  for (const listener of listeners) listener();
}

function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// A key of an own property, even "__proto__" (a dict's key is the user's data).
function put(object, key, value) {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

// A list or dict changed in place may come as ops that change the value this tab has (docs/protocol.md,
// "Patches"): returns a new array or object, so React sees the change. Throws on anything not understood.
function patched(value, ops) {
  const codes = contract.patch;
  if (!Array.isArray(ops)) throw new TypeError("patch");
  if (Array.isArray(value)) {
    const next = value.slice();
    for (const op of ops) {
      const [code, at] = Array.isArray(op) ? op : [];
      const index = Number.isInteger(at) && at >= 0;
      if (code === codes.set && op.length === 3 && index && at < next.length) next[at] = op[2];
      else if (code === codes.append) for (let i = 1; i < op.length; i++) next.push(op[i]);
      else if (code === codes.truncate && op.length === 2 && index && at <= next.length) next.length = at;
      else throw new TypeError("patch");
    }
    return next;
  }
  if (value !== null && typeof value === "object") {
    const next = { ...value };
    for (const op of ops) {
      const [code, key] = Array.isArray(op) ? op : [];
      const named = typeof key === "string" || (typeof key === "number" && Number.isFinite(key));
      if (code === codes.set && op.length === 3 && named) put(next, key, op[2]);
      else if (code === codes.delete && op.length === 2 && named && Object.hasOwn(next, key)) delete next[key];
      else throw new TypeError("patch");
    }
    return next;
  }
  throw new TypeError("patch");
}

// Set while this tab waits for its full state after a patch did not fit: patches until then are skipped.
let resyncing = false;

function resync() {
  // The same page again: the server answers with the page's full state (or the reconnect sends it).
  resyncing = true;
  if (socket?.connected) socket.emit(contract.events.page, currentPage(mountPath()));
}

export function applyDelta(delta) {
  const next = { ...store };
  const prefix = contract.patch.prefix;
  const changed = {};
  let diverged = false;
  for (const [name, vars] of Object.entries(delta)) {
    const state = { ...next[name] };
    const values = (changed[name] = {});
    for (const [key, value] of Object.entries(vars)) {
      if (!key.startsWith(prefix)) {
        put(state, key, value);
        values[key] = value;
        continue;
      }
      const variable = key.slice(prefix.length);
      if (resyncing || diverged) continue;
      try {
        put(state, variable, patched(state[variable], value));
        values[variable] = state[variable];
      } catch {
        diverged = true;
      }
    }
    next[name] = state;
  }
  publish(next);
  writeStored(changed);
  if (diverged) resync();
}

// ---- vars the browser keeps (pr.Cookie, pr.LocalStorage, pr.SessionStorage), as JSON
let stored = {}; // "<state>.<var>" -> {kind, key, maxAge, path, sameSite}

// A stored var's key, split into its state's name and the var's: a substate's name is a dotted path
// ("app.prefs"), so the var is what follows the last separator.
function splitStoredKey(path) {
  const at = path.lastIndexOf(contract.storedKeySeparator);
  return [path.slice(0, at), path.slice(at + contract.storedKeySeparator.length)];
}

// localStorage or sessionStorage, for a stored var's kind that is not a cookie.
function storageOf(spec) {
  return spec.kind === contract.storage.local ? localStorage : sessionStorage;
}

function readCookie(key) {
  for (const part of document.cookie.split("; ")) {
    const eq = part.indexOf("=");
    if (eq > 0 && decodeURIComponent(part.slice(0, eq)) === key) return decodeURIComponent(part.slice(eq + 1));
  }
  return null;
}

function readStored() {
  const values = {};
  for (const [path, spec] of Object.entries(stored)) {
    let raw = null;
    try {
      if (spec.kind === contract.storage.cookie) raw = readCookie(spec.key);
      else raw = storageOf(spec).getItem(spec.key);
      if (raw !== null) values[path] = JSON.parse(raw);
    } catch {
      // Unreadable or not JSON: the server's value stands.
    }
  }
  return values;
}

function writeStored(delta) {
  for (const [path, spec] of Object.entries(stored)) {
    const [name, variable] = splitStoredKey(path);
    if (!delta[name] || !(variable in delta[name])) continue;
    const json = JSON.stringify(delta[name][variable]);
    try {
      if (spec.kind === contract.storage.cookie) {
        let cookie = `${encodeURIComponent(spec.key)}=${encodeURIComponent(json)}; path=${spec.path ?? (mountPath() || "/")}; samesite=${spec.sameSite}`;
        if (spec.maxAge != null) cookie += `; max-age=${spec.maxAge}`;
        if (window.location.protocol === "https:") cookie += "; secure";
        document.cookie = cookie;
      } else {
        storageOf(spec).setItem(spec.key, json);
      }
    } catch {
      // Storage full or disabled: the value still lives on the server for this tab.
    }
  }
}

function withStored(state) {
  // The browser's stored values show from the first paint; the server adopts them when the socket connects.
  const next = { ...state };
  for (const [path, value] of Object.entries(readStored())) {
    const [name, variable] = splitStoredKey(path);
    next[name] = { ...next[name], [variable]: value };
  }
  return next;
}

export function useVars() {
  return React.useSyncExternalStore(subscribe, () => store);
}

// ---- connection
export const mountPath = () => document.querySelector(`meta[name="${contract.mountMeta}"]`)?.content ?? "";

function clientToken(mount) {
  // sessionStorage: survives a reload of this tab, separate for every tab.
  const key = `pyreact-token:${mount}`;
  let token = sessionStorage.getItem(key);
  if (!token) {
    // getRandomValues works on plain http too, unlike crypto.randomUUID.
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    token = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
    sessionStorage.setItem(key, token);
  }
  return token;
}

// The page this tab shows, relative to the mount path, with its query string: "/reports?year=2026".
function currentPage(mount) {
  const path = window.location.pathname;
  const local = path.startsWith(mount) ? path.slice(mount.length) : path;
  return (local || "/") + window.location.search;
}

let socket = null;
let nextId = 1;
const inflight = new Map();
// Events in flight when the connection dropped: their answers will never come. The full state the server
// sends on reconnect shows whether they ran; they are settled then and never sent again.
const lost = new Set();
const statusListeners = new Set();
let status = "connecting";
let refusal = "";

function setStatus(value) {
  status = value;
  for (const listener of statusListeners) listener();
}

function useStatus() {
  return React.useSyncExternalStore(
    (l) => (statusListeners.add(l), () => statusListeners.delete(l)),
    () => status,
  );
}

// ---- toasts: short notifications in a corner, from pr.toast() and from failed events
let toasts = [];
let nextToast = 1;
const toastListeners = new Set();

function setToasts(next) {
  toasts = next;
  for (const listener of toastListeners) listener();
}

function dismissToast(id) {
  setToasts(toasts.filter((t) => t.id !== id));
}

export function showToast(message, level = "info", duration = 4) {
  const id = nextToast++;
  setToasts([...toasts, { id, message, level }]);
  if (duration > 0) setTimeout(() => dismissToast(id), duration * 1000);
}

function Toasts() {
  const current = React.useSyncExternalStore(
    (l) => (toastListeners.add(l), () => toastListeners.delete(l)),
    () => toasts,
  );
  const h = React.createElement;
  return h(
    "div",
    { className: "pr-toasts" },
    current.map((t) =>
      h(
        "div",
        { key: t.id, className: `pr-toast pr-toast-${t.level}`, role: t.level === "error" ? "alert" : "status" },
        h("span", null, t.message),
        h("button", { type: "button", "aria-label": "Close", onClick: () => dismissToast(t.id) }, "\u00d7"),
      ),
    ),
  );
}

function reportError(error) {
  // The page shows the message (the server never sends a traceback); details go to the console.
  console.warn(`pyreact: ${error.code}: ${error.message}`);
  showToast(error.message, "error", 8);
  window.dispatchEvent(new CustomEvent("pyreact:error", { detail: error }));
}

// ---- client actions a handler returned: run after the delta has been rendered
function appUrl(to) {
  return to.startsWith("/") ? mountPath() + to : to;
}

// ---- client-side navigation between the app's pages: no reload, the socket stays open
const locationListeners = new Set();

function useLocation() {
  return React.useSyncExternalStore(
    (l) => (locationListeners.add(l), () => locationListeners.delete(l)),
    () => window.location.pathname + window.location.search,
  );
}

function pageChanged() {
  // The server first: it sends the states the new page uses, and handlers read the new page in
  // self.router. Only then the page re-renders, since rendering may send the page's on_load events
  // at once (React runs the effects of a click's render before the click handler returns).
  if (socket?.connected) socket.emit(contract.events.page, currentPage(mountPath()));
  for (const listener of locationListeners) listener();
}

window.addEventListener("popstate", pageChanged);

// Goes to a page of the app ("/reports", relative to the mount path) without reloading; other URLs load.
export function navigate(to, replace = false) {
  if (!to.startsWith("/") || to.startsWith("//")) {
    if (replace) window.location.replace(to);
    else window.location.assign(to);
    return;
  }
  if (replace) window.history.replaceState(null, "", appUrl(to));
  else window.history.pushState(null, "", appUrl(to));
  window.scrollTo(0, 0);
  pageChanged();
}

// A link to a page of the app: the href is relative to the mount path, and a plain click navigates in place.
export function Link({ href, children, ...rest }) {
  const internal = typeof href === "string" && href.startsWith("/") && !href.startsWith("//");
  const onClick = (e) => {
    if (rest.onClick) rest.onClick(e);
    const modified = e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0;
    if (!internal || e.defaultPrevented || modified || rest.target) return;
    e.preventDefault();
    navigate(href);
  };
  return React.createElement("a", { ...rest, href: internal ? appUrl(href) : href, onClick }, children);
}

function setInputValue(el, value) {
  // Through the native setter and an input event, so React's onChange runs as if the user typed.
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

function saveFile(action) {
  let href = appUrl(action.url ?? "");
  let blobUrl = null;
  if (action.data != null) {
    const bytes = Uint8Array.from(atob(action.data), (c) => c.charCodeAt(0));
    blobUrl = href = URL.createObjectURL(new Blob([bytes], { type: action.media_type }));
  }
  const a = document.createElement("a");
  a.href = href;
  a.download = action.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (blobUrl) setTimeout(() => URL.revokeObjectURL(blobUrl), 60000);
}

async function runScript(action) {
  let result = null;
  try {
    result = await new Function(action.code)();
  } catch (err) {
    reportError({ code: "script_error", message: `A script from the server failed: ${err}` });
    return;
  }
  if (action.callback) emit(action.callback, [result === undefined ? null : result]);
}

const ACTIONS = {
  redirect: (a) => navigate(a.to, a.replace),
  toast: (a) => showToast(a.message, a.level, a.duration),
  focus: (a) => document.getElementById(a.target)?.focus(),
  set_value: (a) => {
    const el = document.getElementById(a.target);
    if (el) setInputValue(el, a.value);
  },
  scroll: (a) =>
    document.getElementById(a.target)?.scrollIntoView({ behavior: a.smooth ? "smooth" : "auto", block: "nearest" }),
  download: saveFile,
  script: runScript,
};

function runActions(actions) {
  // A macrotask later: React has committed the delta, so an element it adds can be focused.
  setTimeout(() => {
    for (const action of actions) ACTIONS[action.kind]?.(action);
  }, 0);
}

function onUpdate(update) {
  if (update.delta) applyDelta(update.delta);
  if (update.error) reportError(update.error);
  if (update.actions?.length) runActions(update.actions);
  // Fields at their default are left out on the wire: an update without "done" is done.
  if ((update.done ?? true) && update.id != null) {
    const resolve = inflight.get(update.id);
    inflight.delete(update.id);
    if (resolve) resolve(update);
  }
}

// Sends one event; resolves with the server's final update for it.
export function emit(handler, args = [], flush = true) {
  // A field's debounced change goes first: a click on "Add" must see the text typed just before.
  // Key events pass flush=false (but Enter), or a key handler on a field would send every keystroke.
  if (flush) flushPending();
  const id = nextId++;
  return new Promise((resolve) => {
    inflight.set(id, resolve);
    socket.emit(contract.events.event, { id, handler, args });
  });
}

// Uploads files to an upload handler over HTTP (fetch cannot report upload progress, XHR can).
// Resolves with the server's update, which is applied like any other.
export function upload(handler, files, onProgress) {
  const mount = mountPath();
  const request = contract.upload;
  const form = new FormData();
  for (const file of files) form.append(request.field, file, file.name);
  return new Promise((resolve) => {
    const fail = (message) => {
      const update = { error: { code: "upload_failed", message } };
      reportError(update.error);
      resolve(update);
    };
    const xhr = new XMLHttpRequest();
    const server = backend(mount);
    const url = `${server.origin ?? ""}${server.base}${request.path}?${request.handlerParam}=${encodeURIComponent(handler)}`;
    xhr.open("POST", url);
    xhr.setRequestHeader(request.tokenHeader, clientToken(mount));
    xhr.setRequestHeader(request.pageHeader, currentPage(mount));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let update;
      try {
        update = JSON.parse(xhr.responseText);
      } catch {
        fail(`The upload failed (HTTP ${xhr.status}).`);
        return;
      }
      onUpdate(update);
      resolve(update);
    };
    xhr.onerror = () => fail("The upload could not reach the server.");
    xhr.send(form);
  });
}

// Where the server is: the page's own origin and mount path, or, for a frontend exported to a static host
// (`pyreact export`), the backend's URL its <meta> tag names.
function backend(mount) {
  const url = document.querySelector(`meta[name="${contract.backendMeta}"]`)?.content;
  if (!url) return { origin: undefined, base: mount };
  const parsed = new URL(url);
  return { origin: parsed.origin, base: parsed.pathname.replace(/\/+$/, "") };
}

function connect(mount) {
  const server = backend(mount);
  const options = {
    path: `${server.base}${contract.eventPath}`,
    transports: ["websocket"],
    // A function, so every reconnect tells the server the page the tab shows then.
    auth: (cb) => cb({ token: clientToken(mount), page: currentPage(mount), storage: readStored() }),
  };
  socket = server.origin ? io(server.origin, options) : io(options);
  socket.on("connect", () => setStatus("connected"));
  socket.on("disconnect", () => {
    for (const id of inflight.keys()) lost.add(id);
    setStatus("reconnecting");
  });
  socket.on("connect_error", (err) => {
    // The server refused this page's origin: socket.io does not retry, so say so instead of "Reconnecting…".
    if (err && err.data && err.data.code === contract.originRefused) {
      refusal = err.message;
      setStatus("refused");
    } else {
      setStatus("reconnecting");
    }
  });
  socket.on(contract.events.state, (full) => {
    resyncing = false;
    publish({ ...store, ...full });
    writeStored(full);
    for (const id of lost) {
      const resolve = inflight.get(id);
      inflight.delete(id);
      if (resolve) resolve({ id, done: true });
    }
    lost.clear();
  });
  socket.on(contract.events.update, onUpdate);
  // Sent only by a server in development mode.
  socket.on(contract.events.reload, (message) => reloadApp(mount, message.entry));
  socket.on(contract.events.reloadError, showOverlay);
}

// ---- components that need client-side behaviour

// A file picker bound to an upload handler, with a progress bar while the files go up and the
// server's error, if any, shown beside it.
export function Upload({ onUpload, id, className, ...rest }) {
  const [progress, setProgress] = React.useState(null);
  const [error, setError] = React.useState(null);
  const handle = async (e) => {
    const input = e.target;
    const files = Array.from(input.files || []);
    if (files.length === 0 || !onUpload) return;
    setError(null);
    setProgress(0);
    const update = await onUpload(files, setProgress);
    input.value = "";
    if (update.error) {
      setProgress(null);
      setError(update.error.message);
    } else {
      setProgress(1);
    }
  };
  const h = React.createElement;
  return h(
    "div",
    { id, className },
    h("input", { ...rest, type: "file", onChange: handle }),
    progress !== null &&
      h(
        "span",
        { className: "pr-upload-progress" },
        h("progress", { value: progress, max: 1 }),
        ` ${Math.round(progress * 100)}%`,
      ),
    error && h("span", { role: "alert", className: "pr-upload-error" }, error),
  );
}

function Banner() {
  const current = useStatus();
  if (current === "refused") {
    return React.createElement("div", { className: "pr-banner pr-banner-refused", role: "alert" }, refusal);
  }
  if (current !== "reconnecting") return null;
  return React.createElement("div", { className: "pr-banner", role: "status" }, "Reconnecting…");
}

function normalise(path) {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path || "/";
}

// Finds the route of a path, and the values of its dynamic segments, as pyreact_asgi.routes does on the
// server: exact routes first, then dynamic ones in the order the compiled module lists them.
function matchRoute(routes, path) {
  if (routes[path] && !path.includes("[")) return [path, {}];
  const parts = path.slice(1).split("/");
  if (parts.includes("")) return null;
  for (const route of Object.keys(routes)) {
    if (!route.includes("[")) continue;
    const segments = route.slice(1).split("/");
    const last = segments[segments.length - 1];
    const catchAll = last.startsWith("[...");
    const fixed = catchAll ? segments.slice(0, -1) : segments;
    if (catchAll ? parts.length < fixed.length + 1 : parts.length !== fixed.length) continue;
    const params = {};
    if (!fixed.every((s, i) => (s.startsWith("[") ? ((params[s.slice(1, -1)] = parts[i]), true) : s === parts[i])))
      continue;
    if (catchAll) params[last.slice(4, -1)] = parts.slice(fixed.length).join("/");
    return [route, params];
  }
  return null;
}

const ParamsContext = React.createContext({});

// The values of the page route's dynamic segments, for pr.route_param().
export function useParams() {
  return React.useContext(ParamsContext);
}

function App({ routes, loads, titles }) {
  useLocation();
  const mount = mountPath();
  let path = decodeURI(window.location.pathname);
  path = path.startsWith(mount) ? path.slice(mount.length) : path;
  const notFound = contract.notFoundRoute;
  const matched = matchRoute(routes, normalise(path)) ?? (routes[notFound] ? [notFound, {}] : null);
  const key = matched ? matched[0] : null;
  const Page = key ? routes[key] : null;
  // The page's on_load handlers, once per page opened (emits wait in socket.io's buffer until connected).
  React.useEffect(() => {
    if (titles?.[key]) document.title = titles[key];
    for (const load of (key && loads?.[key]) ?? []) load();
  }, [key]);
  return React.createElement(
    React.Fragment,
    null,
    Page
      ? React.createElement(ParamsContext.Provider, { value: matched[1] }, React.createElement(Page))
      : React.createElement("p", null, "Page not found."),
    React.createElement(Banner),
    React.createElement(Toasts),
  );
}

// Entry point called by the compiled app module.
let root = null;
let style = null;

export function start({ routes, loads, titles, state, stored: storedVars, css = "", colorMode = "system", contract: names }) {
  contract = names;
  stored = storedVars ?? {};
  const mount = decodeURI(mountPath());
  if (root) {
    // A development reload: the rebuilt app module calls start again. The socket and the store stay (new
    // states get their defaults; the server sends the page's state next); the new pages render in place.
    publish({ ...withStored(state), ...store });
    style.textContent = CSS + rootCss(contract.rootId) + css;
    hideOverlay();
    root.render(React.createElement(App, { routes, loads, titles, mount }));
    return;
  }
  store = withStored(state);
  initColorMode(colorMode);
  // The runtime's defaults, then the theme and the app's static style classes, which win ties by coming later.
  style = document.createElement("style");
  style.textContent = CSS + rootCss(contract.rootId) + css;
  document.head.appendChild(style);
  connect(mountPath());
  root = ReactDOMClient.createRoot(document.getElementById(contract.rootId));
  root.render(React.createElement(App, { routes, loads, titles, mount }));
}

// A component of a component package: its module is imported the first time the component renders, so a
// page that does not use it never downloads it. Until it arrives, a placeholder keeps the layout.
export function lazyComponent(load, name) {
  const Lazy = React.lazy(() =>
    load().then((module) => {
      if (typeof module[name] !== "function" && typeof module[name] !== "object") throw new Error(`The component package exports no ${name}`);
      return { default: module[name] };
    }),
  );
  const fallback = React.createElement("div", { className: "pr-skeleton", "aria-busy": "true", style: { minHeight: "2rem" } });
  const Loaded = (props) => React.createElement(React.Suspense, { fallback }, React.createElement(Lazy, props));
  Loaded.displayName = name;
  return Loaded;
}
