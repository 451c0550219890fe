// Python semantics for Var expressions compiled from pages (pyreact_asgi.vars): where JavaScript's
// operators differ from Python's (floor division, modulo, list equality and ordering, len and indexing of
// strings by code point, truthiness, str()), these follow Python. Pure functions, no DOM: the test suite
// runs them in Node (tests/test_var_ops.py).

const SURROGATE = /[\uD800-\uDFFF]/;

// Python indexes strings by code point, JavaScript by UTF-16 unit: they differ only for characters
// outside the BMP (emoji), so only strings holding one pay for Array.from.
const seq = (x) => (typeof x === "string" && SURROGATE.test(x) ? Array.from(x) : x);

const isNum = (x) => typeof x === "number" || typeof x === "boolean";
const isDict = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

function deepEqual(a, b) {
  if (a === b) return true;
  // True == 1 and 1 == 1.0 in Python.
  if (isNum(a) && isNum(b)) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// Python's ordering: lists lexicographically by item, strings by code point.
function compare(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!deepEqual(a[i], b[i])) return compare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  if (typeof a === "string" && typeof b === "string" && (SURROGATE.test(a) || SURROGATE.test(b))) {
    return compare(Array.from(a, (c) => c.codePointAt(0)), Array.from(b, (c) => c.codePointAt(0)));
  }
  return a < b ? -1 : a > b ? 1 : a === b || deepEqual(a, b) ? 0 : NaN;
}

function len(x) {
  if (x == null) return 0;
  if (typeof x === "string" || Array.isArray(x)) return seq(x).length;
  return typeof x === "object" ? Object.keys(x).length : 0;
}

const truthy = (x) => (Array.isArray(x) ? x.length > 0 : isDict(x) ? len(x) > 0 : Boolean(x));

function repeat(s, n) {
  const times = Math.max(0, Math.trunc(n));
  return typeof s === "string" ? s.repeat(times) : Array.from({ length: times }).flatMap(() => s);
}

// CPython's PySlice_AdjustIndices, then the items it picks.
function slice(x, start, stop, step) {
  if (x == null) return undefined;
  const items = seq(x);
  if ((step ?? 1) === 1) {
    const out = items.slice(start ?? 0, stop ?? undefined);
    return typeof x === "string" && items !== x ? out.join("") : out;
  }
  const n = items.length;
  const back = step < 0;
  const adjust = (i, fallback) => {
    if (i == null) return fallback;
    if (i < 0) return Math.max(i + n, back ? -1 : 0);
    return Math.min(i, back ? n - 1 : n);
  };
  const first = adjust(start, back ? n - 1 : 0);
  const last = adjust(stop, back ? -1 : n);
  const out = [];
  for (let i = first; back ? i > last : i < last; i += step) out.push(items[i]);
  return typeof x === "string" ? out.join("") : out;
}

function at(x, i) {
  if (x == null) return undefined;
  if (typeof i !== "number") return x[i];
  const items = seq(x);
  return items[i < 0 ? items.length + i : i];
}

function quote(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s.replace(/[\\\n\r\t\x00-\x1f\x7f]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return q + (q === "'" ? escaped.replaceAll("'", "\\'") : escaped) + q;
}

// A number as Python prints it. JSON loses the difference between 1 and 1.0, so a whole number prints as
// an int; a fraction switches to an exponent below 1e-4, where Python does (1e-05) and JavaScript does not.
function number(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x)) return Math.abs(x) < 1e21 ? String(x) : BigInt(x).toString();
  if (Math.abs(x) < 1e-4) return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(x);
}

function repr(x) {
  if (typeof x === "string") return quote(x);
  if (Array.isArray(x)) return `[${x.map(repr).join(", ")}]`;
  if (isDict(x)) return `{${Object.entries(x).map(([k, v]) => `${quote(k)}: ${repr(v)}`).join(", ")}}`;
  return str(x);
}

function str(x) {
  if (x == null) return "None";
  if (typeof x === "boolean") return x ? "True" : "False";
  if (typeof x === "number") return number(x);
  return typeof x === "string" ? x : repr(x);
}

// Python's round(): the exact binary value rounded in decimal, a tie to the even neighbour (round(2.5) == 2,
// round(0.125, 2) == 0.12, round(2.675, 2) == 2.67 as 2.675 is a little less). Scaling by 10 ** digits
// first would round 2.675 * 100 to 267.5, so this works on toFixed(100), which is exact.
function round(x, digits) {
  const n = digits ?? 0;
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || n > 99) return x;
  const [whole, frac] = Math.abs(x).toFixed(100).split(".");
  const all = whole + frac;
  const cut = whole.length + n;
  if (cut < 0) return 0;
  const kept = all.slice(0, cut) || "0";
  const rest = all.slice(cut);
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || Number(kept.at(-1)) % 2 === 1));
  const r = Number(`${BigInt(kept) + (up ? 1n : 0n)}e${-n}`);
  return x < 0 ? -r : r;
}

export const ops = {
  eq: deepEqual,
  ne: (a, b) => !deepEqual(a, b),
  lt: (a, b) => compare(a, b) < 0,
  le: (a, b) => compare(a, b) <= 0,
  gt: (a, b) => compare(a, b) > 0,
  ge: (a, b) => compare(a, b) >= 0,
  add: (a, b) =>
    Array.isArray(a) && Array.isArray(b)
      ? [...a, ...b]
      : // Python refuses "n = " + 1; the browser shows what an f-string would.
        typeof a === "string" && typeof b !== "string"
        ? a + str(b)
        : typeof b === "string" && typeof a !== "string"
          ? str(a) + b
          : a + b,
  mul: (a, b) =>
    typeof b === "number" && (typeof a === "string" || Array.isArray(a))
      ? repeat(a, b)
      : typeof a === "number" && (typeof b === "string" || Array.isArray(b))
        ? repeat(b, a)
        : a * b,
  floordiv: (a, b) => Math.floor(a / b),
  // The sign of the divisor, as in Python: -7 % 3 == 2.
  mod: (a, b) => ((a % b) + b) % b,
  round,
  len,
  truthy,
  // Python's `and` and `or` give one of their operands: State.name | "anonymous".
  and: (a, b) => (truthy(a) ? b : a),
  or: (a, b) => (truthy(a) ? a : b),
  at,
  slice,
  contains: (x, item) =>
    typeof x === "string"
      ? x.includes(item)
      : Array.isArray(x)
        ? x.some((v) => deepEqual(v, item))
        : isDict(x) && Object.hasOwn(x, item),
  keys: (x) => (isDict(x) ? Object.keys(x) : []),
  values: (x) => (isDict(x) ? Object.values(x) : []),
  items: (x) => (isDict(x) ? Object.entries(x) : []),
  // sep.join(items) as in Python, and items.join(sep) for a list var.
  join: (a, b) =>
    Array.isArray(a) && !Array.isArray(b) ? a.join(b ?? "") : (Array.isArray(b) ? b : Array.from(b ?? "")).join(a ?? ""),
  // No separator: split at runs of whitespace and drop empty ends, as Python's str.split() does.
  split: (s, sep) => (sep == null ? String(s ?? "").split(/\s+/).filter(Boolean) : String(s ?? "").split(sep)),
  // A function, so that "$&" in the replacement is not a JavaScript replacement pattern.
  replace: (s, old, by) => String(s ?? "").replaceAll(old, () => by),
  str,
  repr,
  formatNumber: (x, decimals, grouping) =>
    typeof x !== "number"
      ? ""
      : new Intl.NumberFormat(undefined, {
          minimumFractionDigits: decimals ?? 0,
          maximumFractionDigits: decimals ?? 20,
          useGrouping: grouping,
        }).format(x),
  formatDate: (x, style) => {
    const date = typeof x === "string" || typeof x === "number" ? new Date(x) : null;
    if (!date || Number.isNaN(date.getTime())) return "";
    const timed = typeof x === "number" || /T|\d:\d/.test(x);
    // A date without a time is a calendar day, not an instant: JavaScript reads "2026-11-22" as UTC
    // midnight, so it is shown in UTC, or west of Greenwich it would be the day before.
    const options = timed ? { dateStyle: style, timeStyle: "short" } : { dateStyle: style, timeZone: "UTC" };
    return new Intl.DateTimeFormat(undefined, options).format(date);
  },
};
