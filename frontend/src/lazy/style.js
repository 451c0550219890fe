// The CSS of a lazy component module goes into the page once, when the first of its components renders,
// so a page that does not use the module gets none of it.
export function styleOnce(css) {
  let added = false;
  return () => {
    if (added) return;
    added = true;
    const style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
  };
}
