// Python semantics for Var expressions compiled from pages (pyreact_asgi.vars): where JavaScript's
// operators differ from Python's (floor division, modulo, list equality, len, truthiness), these follow
// Python. Pure functions, no DOM: the test suite runs them in Node.

function deepEqual(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function len(x) {
  if (x == null) return 0;
  if (typeof x === "string" || Array.isArray(x)) return x.length;
  return typeof x === "object" ? Object.keys(x).length : 0;
}

function repeat(seq, n) {
  const times = Math.max(0, Math.trunc(n));
  return typeof seq === "string" ? seq.repeat(times) : Array.from({ length: times }).flatMap(() => seq);
}

export const ops = {
  eq: deepEqual,
  ne: (a, b) => !deepEqual(a, b),
  add: (a, b) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : a + b),
  mul: (a, b) =>
    typeof b === "number" && (typeof a === "string" || Array.isArray(a))
      ? repeat(a, b)
      : typeof a === "number" && (typeof b === "string" || Array.isArray(b))
        ? repeat(b, a)
        : a * b,
  floordiv: (a, b) => Math.floor(a / b),
  // The sign of the divisor, as in Python: -7 % 3 == 2.
  mod: (a, b) => ((a % b) + b) % b,
  len,
  // Python's truth: empty lists, dicts and strings, 0 and None are false.
  truthy: (x) => (Array.isArray(x) ? x.length > 0 : x && typeof x === "object" ? len(x) > 0 : Boolean(x)),
  at: (x, i) => (x == null ? undefined : typeof i === "number" && i < 0 ? x[len(x) + i] : x[i]),
  contains: (x, item) =>
    typeof x === "string"
      ? x.includes(item)
      : Array.isArray(x)
        ? x.some((v) => deepEqual(v, item))
        : x != null && typeof x === "object" && Object.hasOwn(x, item),
  str: (x) =>
    x == null ? "None" : x === true ? "True" : x === false ? "False" : typeof x === "object" ? JSON.stringify(x) : String(x),
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
