// Built-in component package "table": the view of a server-side pr.DataTable. Sorting, filtering, paging and
// selection are events to the server; this only draws the page of rows it was sent.
import * as React from "react";
import { styleOnce } from "./style.js";

const h = React.createElement;
const SAFE_URL = /^(https?:|mailto:|[#/?.]|[^:]*$)/i;

const STYLE = `
.pr-dt{display:flex;flex-direction:column;gap:.5rem;width:100%}
.pr-dt-bar{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.pr-dt-bar input{flex:1 1 12rem;max-width:24rem}
.pr-dt-info{color:var(--pr-muted);font-size:.875rem}
.pr-dt-scroll{overflow:auto;border:1px solid var(--pr-border);border-radius:var(--pr-radius);background:var(--pr-surface)}
.pr-dt table{border-collapse:separate;border-spacing:0;width:100%;font-size:.9rem}
.pr-dt th{position:sticky;top:0;z-index:1;background:var(--pr-subtle);text-align:left;font-weight:600;border-bottom:1px solid var(--pr-border);white-space:nowrap}
.pr-dt th,.pr-dt td{padding:.45rem .75rem}
.pr-dt td{border-bottom:1px solid var(--pr-border)}
.pr-dt tr:last-child td{border-bottom:0}
.pr-dt tbody tr:hover{background:var(--pr-subtle)}
.pr-dt tr[aria-selected=true]{background:color-mix(in srgb,var(--pr-accent) 12%,transparent)}
.pr-dt .pr-dt-num{text-align:right;font-variant-numeric:tabular-nums}
.pr-dt-sort{all:unset;cursor:pointer;display:inline-flex;gap:.25rem;align-items:center}
.pr-dt-sort:focus-visible{outline:2px solid var(--pr-accent);outline-offset:2px}
.pr-dt-badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;background:var(--pr-subtle);border:1px solid var(--pr-border);font-size:.8rem}
.pr-dt-empty{text-align:center;color:var(--pr-muted);padding:2rem!important}
.pr-dt-busy tbody{opacity:.55;transition:opacity .15s}
.pr-dt-pager{display:flex;gap:.35rem;align-items:center;justify-content:flex-end;flex-wrap:wrap}
.pr-dt-pager select{padding:.25rem}
.pr-dt a{color:var(--pr-accent)}
`;
const injectStyle = styleOnce(STYLE);

function numberFormat(format) {
  const [kind, arg] = (format ?? "number").split(":");
  if (kind === "percent") return new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: Number(arg ?? 1) });
  if (kind === "currency") return new Intl.NumberFormat(undefined, { style: "currency", currency: arg || "USD" });
  if (kind === "compact") return new Intl.NumberFormat(undefined, { notation: "compact" });
  if (kind === "fixed") return new Intl.NumberFormat(undefined, { minimumFractionDigits: Number(arg ?? 2), maximumFractionDigits: Number(arg ?? 2) });
  return new Intl.NumberFormat();
}

function cell(column, row, formats) {
  const value = row[column.key];
  if (value === null || value === undefined) return "";
  switch (column.type) {
    case "number":
      return typeof value === "number" ? formats[column.key].format(value) : String(value);
    case "date": {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return String(value);
      return /T/.test(String(value)) ? date.toLocaleString() : date.toLocaleDateString(undefined, { timeZone: "UTC" });
    }
    case "badge":
      return h("span", { className: "pr-dt-badge", "data-value": String(value) }, String(value));
    case "link": {
      const href = String(column.href_key ? row[column.href_key] ?? "" : value);
      // Row data may come from anyone: only http(s), mailto and relative URLs become links.
      if (!SAFE_URL.test(href.trim())) return String(value);
      const external = /^https?:/i.test(href);
      return h("a", { href, ...(external ? { target: "_blank", rel: "noopener noreferrer nofollow" } : {}) }, String(value));
    }
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

function useDebounced(value, onChange, delay) {
  const [text, setText] = React.useState(value ?? "");
  const timer = React.useRef(null);
  const last = React.useRef(value ?? "");
  React.useEffect(() => {
    // A server echo of what this box sent (or another tab's filter) replaces the text only when idle.
    if (timer.current === null && value !== last.current) setText(value ?? "");
    last.current = value ?? "";
  }, [value]);
  React.useEffect(() => () => clearTimeout(timer.current), []);
  const change = (next) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = next;
      onChange(next);
    }, delay);
  };
  return [text, change];
}

export function DataTable(props) {
  const {
    columns = [], rows = [], total = 0, page = 1, pageSize = 25, pageSizes = [25], sort = "", descending = false, filter = "",
    selected = [], loaded = false, rowKey = "id", selectable = false, exportable = true, height = "32rem", empty = "No rows match.",
    caption, id, className, style,
  } = props;
  const { onReady, onSort, onFilter, onPage, onPageSize, onToggle, onSelectPage, onClear, onExport } = props;
  injectStyle();
  const [busy, setBusy] = React.useState(false);
  React.useEffect(() => { onReady?.(); }, []);
  React.useEffect(() => setBusy(false), [rows, total, page, sort, descending, filter, pageSize]);
  const send = (fn) => (value) => { setBusy(true); fn?.(value); };
  const [text, setText] = useDebounced(filter, send(onFilter), 300);
  const formats = React.useMemo(() => Object.fromEntries(columns.map((c) => [c.key, numberFormat(c.format)])), [columns]);
  const chosen = React.useMemo(() => new Set(selected), [selected]);
  const size = pageSize || pageSizes[0];
  const pages = Math.max(1, Math.ceil(total / size));
  const first = total ? (page - 1) * size + 1 : 0;
  const lastRow = Math.min(total, page * size);
  const pageKeys = rows.map((r) => String(r[rowKey]));
  const allOnPage = pageKeys.length > 0 && pageKeys.every((k) => chosen.has(k));
  const number = new Intl.NumberFormat();

  const header = h(
    "tr",
    null,
    selectable && h("th", { style: { width: "2.5rem" } }, h("input", { type: "checkbox", "aria-label": "Select all rows on this page", checked: allOnPage, onChange: (e) => onSelectPage?.(e.target.checked) })),
    ...columns.map((c) => {
      const active = sort === c.key;
      const label = c.label ?? c.key;
      return h(
        "th",
        { key: c.key, scope: "col", className: c.type === "number" ? "pr-dt-num" : undefined, style: c.width ? { width: c.width } : undefined, "aria-sort": active ? (descending ? "descending" : "ascending") : c.sortable === false ? undefined : "none" },
        c.sortable === false ? label : h("button", { type: "button", className: "pr-dt-sort", onClick: () => send(onSort)(c.key) }, label, h("span", { "aria-hidden": "true" }, active ? (descending ? "▼" : "▲") : "↕")),
      );
    }),
  );
  const span = columns.length + (selectable ? 1 : 0);
  let body;
  if (!loaded) {
    body = Array.from({ length: 5 }, (_, i) => h("tr", { key: i }, h("td", { colSpan: span }, h("div", { className: "pr-skeleton", style: { height: "1rem" } }))));
  } else if (rows.length === 0) {
    body = h("tr", null, h("td", { colSpan: span, className: "pr-dt-empty" }, empty));
  } else {
    body = rows.map((row, i) => {
      const key = pageKeys[i];
      const on = chosen.has(key);
      return h(
        "tr",
        { key, "aria-selected": selectable ? on : undefined, "data-key": key },
        selectable && h("td", null, h("input", { type: "checkbox", "aria-label": `Select row ${key}`, checked: on, onChange: () => onToggle?.(key) })),
        ...columns.map((c) => h("td", { key: c.key, className: c.type === "number" ? "pr-dt-num" : undefined }, cell(c, row, formats))),
      );
    });
  }
  const button = (label, target, disabled) => h("button", { type: "button", className: "pr-button pr-button-outline", disabled: disabled || busy, onClick: () => send(onPage)(target), "aria-label": label }, label === "First page" ? "«" : label === "Previous page" ? "‹" : label === "Next page" ? "›" : "»");

  return h(
    "div",
    { id, style, className: `pr-dt${busy ? " pr-dt-busy" : ""}${className ? ` ${className}` : ""}`, "aria-busy": busy || !loaded ? "true" : "false" },
    h(
      "div",
      { className: "pr-dt-bar" },
      h("input", { type: "search", className: "pr-input", placeholder: "Filter…", "aria-label": "Filter rows", value: text, maxLength: 1000, onChange: (e) => setText(e.target.value) }),
      h("span", { className: "pr-dt-info", role: "status" }, loaded ? `${number.format(first)}–${number.format(lastRow)} of ${number.format(total)}` : "Loading…"),
      selectable && selected.length > 0 && h("span", { className: "pr-dt-info" }, `${number.format(selected.length)} selected `, h("button", { type: "button", className: "pr-button pr-button-ghost", onClick: () => onClear?.() }, "Clear")),
      exportable && h("button", { type: "button", className: "pr-button pr-button-outline", onClick: () => onExport?.() }, "Export CSV"),
    ),
    h("div", { className: "pr-dt-scroll", style: { maxHeight: height } }, h("table", { "aria-label": caption }, h("thead", null, header), h("tbody", null, body))),
    h(
      "div",
      { className: "pr-dt-pager" },
      h("label", { className: "pr-dt-info" }, "Rows per page ", h("select", { value: size, onChange: (e) => send(onPageSize)(Number(e.target.value)) }, pageSizes.map((n) => h("option", { key: n, value: n }, n)))),
      button("First page", 1, page <= 1),
      button("Previous page", page - 1, page <= 1),
      h("span", { className: "pr-dt-info", "aria-live": "polite" }, `Page ${number.format(page)} of ${number.format(pages)}`),
      button("Next page", page + 1, page >= pages),
      button("Last page", pages, page >= pages),
    ),
  );
}
