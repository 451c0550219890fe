// A date picker for pyreact_asgi: react-day-picker, with dates crossing to Python as "YYYY-MM-DD" strings.
import { useMemo } from "react";
import { DayPicker } from "react-day-picker";
import css from "react-day-picker/style.css";

let styled = false;
function injectStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  // The library's own look, tinted by the app's theme variables so it follows light and dark mode.
  style.textContent = `${css}\n.rdp-root{--rdp-accent-color:var(--pr-accent);--rdp-accent-background-color:var(--pr-subtle);color:var(--pr-fg)}`;
  document.head.appendChild(style);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(value) {
  const m = typeof value === "string" ? ISO.exec(value) : null;
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

function format(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function DatePicker({ selected, month, min, max, onSelect, id, className, style, weekStartsOn }) {
  injectStyle();
  const day = parse(selected);
  const disabled = useMemo(() => {
    const rules = [];
    if (parse(min)) rules.push({ before: parse(min) });
    if (parse(max)) rules.push({ after: parse(max) });
    return rules;
  }, [min, max]);
  return (
    <div id={id} className={className} style={style} data-selected={selected ?? ""}>
      <DayPicker
        mode="single"
        selected={day}
        defaultMonth={day ?? parse(month)}
        disabled={disabled}
        weekStartsOn={weekStartsOn}
        onSelect={(date) => onSelect?.(date ? format(date) : null)}
      />
    </div>
  );
}
