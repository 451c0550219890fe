// Development mode (`pyreact run --dev`): the server's reload messages. A reload imports the rebuilt app
// module, whose start() call swaps the new pages in (runtime.js keeps the store); a failed rebuild shows
// an overlay naming the file and line, until the next reload removes it.

let overlay = null;

export function hideOverlay() {
  overlay?.remove();
  overlay = null;
}

export function showOverlay({ file = "", line = 0, message = "" }) {
  hideOverlay();
  overlay = document.createElement("div");
  overlay.setAttribute("role", "alertdialog");
  overlay.setAttribute("aria-label", "Reload failed");
  overlay.style.cssText =
    "position:fixed;inset:0;z-index:2147483647;background:rgba(17,24,39,.92);color:#fecaca;" +
    "font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto;white-space:pre-wrap";
  const title = document.createElement("strong");
  title.textContent = file ? `${file}:${line}` : "Reload failed";
  const text = document.createElement("div");
  text.textContent = message;
  overlay.append(title, text);
  document.body.appendChild(overlay);
}

// `entry` is the new module's path under the mount path, as the server sent it.
export function reloadApp(mount, entry) {
  return import(`${mount}${entry}`).catch((error) => showOverlay({ message: String(error) }));
}
