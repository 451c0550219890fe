// Built-in component package "charts": Chart.js drawn on a canvas, updated in place when its data var changes.
// Loaded only by pages that use a chart (pyreact_asgi.components.charts).
import * as React from "react";
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  ScatterController,
  Tooltip,
} from "chart.js";

ChartJS.register(
  ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, Legend, LinearScale,
  LineController, LineElement, PieController, PointElement, ScatterController, Tooltip,
);

const PALETTE = ["#0ea5e9", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#84cc16"];
const TYPES = { line: "line", area: "line", bar: "bar", pie: "pie", donut: "doughnut", scatter: "scatter" };
let created = 0;

function themeColors() {
  const css = getComputedStyle(document.documentElement);
  const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return { fg: get("--pr-fg", "#111827"), muted: get("--pr-muted", "#6b7280"), border: get("--pr-border", "#d1d5db"), accent: get("--pr-accent", "#4f46e5"), surface: get("--pr-surface", "#fff") };
}

// Follows the colour mode: <html data-theme> set by the toggle, or the system's preference.
function useTheme() {
  const [theme, setTheme] = React.useState(themeColors);
  React.useEffect(() => {
    const update = () => setTheme(themeColors());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "style"] });
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    media.addEventListener("change", update);
    return () => { observer.disconnect(); media.removeEventListener("change", update); };
  }, []);
  return theme;
}

export function formatter(format) {
  if (!format) return (v) => (typeof v === "number" ? v.toLocaleString() : v);
  const [kind, arg] = format.split(":");
  if (kind === "percent") return (v) => new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: Number(arg ?? 0) }).format(v);
  if (kind === "currency") return (v) => new Intl.NumberFormat(undefined, { style: "currency", currency: arg || "USD", maximumFractionDigits: 0 }).format(v);
  if (kind === "compact") return (v) => new Intl.NumberFormat(undefined, { notation: "compact" }).format(v);
  if (kind === "fixed") return (v) => Number(v).toFixed(Number(arg ?? 2));
  return (v) => `${v}${arg ?? ""}`;
}

// The theme's accent first, so a one-series chart matches the app.
function palette(theme) {
  return [theme.accent, ...PALETTE];
}

function toData(kind, rows, x, series, theme) {
  const colors = palette(theme);
  const seriesColor = (s, i) => s.color || colors[i % colors.length];
  rows = Array.isArray(rows) ? rows : [];
  if (kind === "pie" || kind === "donut") {
    const key = series[0]?.key;
    return {
      labels: rows.map((r) => r[x]),
      datasets: [{ label: series[0]?.label ?? key, data: rows.map((r) => r[key]), backgroundColor: rows.map((_, i) => colors[i % colors.length]), borderColor: theme.surface, borderWidth: 2 }],
    };
  }
  if (kind === "scatter") {
    return {
      datasets: series.map((s, i) => ({ label: s.label ?? s.key, data: rows.map((r) => ({ x: r[x], y: r[s.key] })), backgroundColor: seriesColor(s, i), borderColor: seriesColor(s, i) })),
    };
  }
  return {
    labels: rows.map((r) => r[x]),
    datasets: series.map((s, i) => {
      const color = seriesColor(s, i);
      return {
        label: s.label ?? s.key,
        data: rows.map((r) => r[s.key]),
        borderColor: color,
        backgroundColor: kind === "area" && /^#[0-9a-f]{6}$/i.test(color) ? `${color}33` : color,
        fill: kind === "area" ? (s.stack ? "stack" : "origin") : false,
        tension: kind === "bar" ? 0 : 0.3,
        pointRadius: kind === "bar" ? undefined : 2,
        stack: s.stack,
        borderRadius: kind === "bar" ? 4 : undefined,
      };
    }),
  };
}

function toOptions(kind, { theme, format, legend, stacked, xLabel, yLabel }) {
  const fmt = formatter(format);
  const round = kind === "pie" || kind === "donut";
  const axis = (title) => ({
    stacked: Boolean(stacked),
    grid: { color: theme.border },
    ticks: { color: theme.muted },
    title: { display: Boolean(title), text: title, color: theme.muted },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: { duration: 400 },
    interaction: round ? undefined : { mode: kind === "scatter" ? "nearest" : "index", intersect: false },
    plugins: {
      legend: { display: legend ?? (round || true), labels: { color: theme.fg } },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${fmt(round ? ctx.parsed : kind === "scatter" ? ctx.parsed.y : ctx.parsed.y)}` } },
    },
    scales: round ? {} : { x: { ...axis(xLabel), type: kind === "scatter" ? "linear" : "category" }, y: { ...axis(yLabel), beginAtZero: kind === "bar", ticks: { color: theme.muted, callback: (v) => fmt(v) } } },
  };
}

// Copies new data into the live chart, so Chart.js animates from the old values instead of drawing anew.
function assign(chart, data) {
  chart.data.labels = data.labels;
  data.datasets.forEach((next, i) => {
    const current = chart.data.datasets[i];
    if (current) Object.assign(current, next);
    else chart.data.datasets.push(next);
  });
  chart.data.datasets.length = data.datasets.length;
}

export function Chart({ kind = "line", data, x = "x", series = [], height = 300, format, legend, stacked, xLabel, yLabel, title, id, className }) {
  const canvas = React.useRef(null);
  const chart = React.useRef(null);
  const [chartId, setChartId] = React.useState(0);
  const theme = useTheme();
  const built = toData(kind, data, x, series, theme);
  const options = toOptions(kind, { theme, format, legend, stacked, xLabel, yLabel });

  React.useEffect(() => {
    chart.current = new ChartJS(canvas.current, { type: TYPES[kind] ?? "line", data: built, options });
    setChartId(++created);
    return () => { chart.current.destroy(); chart.current = null; };
  }, [kind]);

  React.useEffect(() => {
    if (!chart.current) return;
    assign(chart.current, built);
    chart.current.options = options;
    chart.current.update();
  });

  const points = built.datasets.reduce((n, d) => n + d.data.length, 0);
  return React.createElement(
    "figure",
    { id, className: `pr-chart${className ? ` ${className}` : ""}`, style: { height, margin: 0, position: "relative" }, "data-kind": kind, "data-points": points, "data-chart": chartId, "data-fg": theme.fg },
    React.createElement("canvas", { ref: canvas, role: "img", "aria-label": title ?? `${kind} chart` }),
  );
}
