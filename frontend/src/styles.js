// Default look of the built-in components: plain CSS classes and CSS variables, no CSS-in-JS library.
// Light colours by default; dark ones when the system prefers them, unless <html data-theme> says otherwise.
const DARK =
  "--pr-fg:#e5e7eb;--pr-muted:#9ca3af;--pr-border:#374151;--pr-bg:#0b1120;--pr-surface:#111827;--pr-subtle:#1f2937;" +
  "--pr-shadow:0 10px 30px rgba(0,0,0,.5);--pr-danger:#f87171;--pr-success:#4ade80;--pr-warning:#fbbf24;--pr-info:#60a5fa;color-scheme:dark";

export const CSS = `
:root{--pr-accent:#4f46e5;--pr-accent-fg:#fff;--pr-fg:#111827;--pr-muted:#6b7280;--pr-border:#d1d5db;--pr-bg:#fff;--pr-surface:#fff;--pr-subtle:#f3f4f6;
--pr-radius:8px;--pr-shadow:0 10px 30px rgba(15,23,42,.15);--pr-danger:#b91c1c;--pr-success:#15803d;--pr-warning:#b45309;--pr-info:#1d4ed8;
--pr-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--pr-mono:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color-scheme:light;
font-family:var(--pr-font);color:var(--pr-fg);background:var(--pr-bg);line-height:1.5}
:root[data-theme=dark]{${DARK}}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){${DARK}}}
body{margin:0}
.pr-skeleton{border-radius:var(--pr-radius);background:linear-gradient(90deg,var(--pr-subtle) 25%,var(--pr-border) 50%,var(--pr-subtle) 75%);background-size:200% 100%;animation:pr-shimmer 1.4s linear infinite}
@keyframes pr-shimmer{to{background-position:-200% 0}}
@media (prefers-reduced-motion:reduce){.pr-skeleton{animation:none}}
:where(.pr-button,.pr-input,.pr-tab,.pr-accordion-trigger,.pr-menu-item,.pr-link,.pr-dialog-close,.pr-checkbox input,.pr-switch input,.pr-radio input,.pr-slider):focus-visible{outline:2px solid var(--pr-accent);outline-offset:2px}
.pr-vstack{display:flex;flex-direction:column;gap:.75rem;align-items:flex-start}
.pr-hstack{display:flex;flex-direction:row;gap:.75rem;align-items:center}
.pr-flex{display:flex;gap:.75rem}
.pr-grid{display:grid;gap:1rem}
.pr-container{width:100%;margin-inline:auto;padding-inline:1rem;box-sizing:border-box}
.pr-center{display:flex;align-items:center;justify-content:center}
.pr-spacer{flex:1 1 auto;align-self:stretch}
.pr-divider{border:0;border-top:1px solid var(--pr-border);margin:.5rem 0;width:100%;align-self:stretch}
.pr-divider-vertical{border-top:0;border-left:1px solid var(--pr-border);width:auto;margin:0 .5rem}
.pr-heading{margin:0;font-weight:650;line-height:1.2}
.pr-h1{font-size:2rem}.pr-h2{font-size:1.5rem}.pr-h3{font-size:1.25rem}.pr-h4{font-size:1.1rem}.pr-h5{font-size:1rem}.pr-h6{font-size:.9rem}
.pr-text{margin:0}
.pr-link{color:var(--pr-accent);text-decoration:none}.pr-link:hover{text-decoration:underline;text-underline-offset:2px}
.pr-code{font-family:var(--pr-mono);font-size:.9em;background:var(--pr-subtle);padding:.1em .35em;border-radius:4px}
.pr-code-block{font-family:var(--pr-mono);font-size:.9rem;background:var(--pr-subtle);padding:.75rem 1rem;border-radius:var(--pr-radius);overflow:auto;margin:0}
.pr-markdown>*{margin:0 0 .75rem}.pr-markdown>:last-child{margin-bottom:0}
.pr-markdown blockquote{border-left:3px solid var(--pr-border);padding-left:1rem;color:var(--pr-muted)}
.pr-button{font:inherit;display:inline-flex;align-items:center;gap:.4rem;padding:.45rem 1rem;border:1px solid transparent;border-radius:var(--pr-radius);background:var(--pr-accent);color:var(--pr-accent-fg);cursor:pointer;line-height:1.4}
.pr-button:hover{filter:brightness(1.1)}
.pr-button:disabled{opacity:.55;cursor:not-allowed;filter:none}
.pr-button-outline{background:transparent;color:var(--pr-accent);border-color:var(--pr-accent)}
.pr-button-ghost{background:transparent;color:var(--pr-fg)}
.pr-button-ghost:hover,.pr-button-outline:hover{background:var(--pr-subtle);filter:none}
.pr-button-danger{background:var(--pr-danger);color:#fff}
.pr-color-mode{padding:.45rem}
.pr-form{display:flex;flex-direction:column;gap:.75rem;align-items:flex-start}
.pr-input{font:inherit;color:inherit;background:var(--pr-surface);padding:.4rem .6rem;border:1px solid var(--pr-border);border-radius:var(--pr-radius);min-width:12rem;box-sizing:border-box}
.pr-input:disabled{opacity:.6}
.pr-textarea{min-height:5rem;resize:vertical}
.pr-select{padding-right:2rem}
.pr-checkbox,.pr-switch,.pr-radio{display:inline-flex;align-items:center;gap:.5rem;cursor:pointer}
.pr-checkbox input,.pr-radio input{accent-color:var(--pr-accent);width:1rem;height:1rem;margin:0}
.pr-radio-group{display:flex;flex-direction:column;gap:.4rem}
.pr-switch input{appearance:none;width:2.25rem;height:1.25rem;border-radius:999px;background:var(--pr-border);position:relative;margin:0;cursor:pointer;transition:background .15s}
.pr-switch input::after{content:"";position:absolute;top:2px;left:2px;width:calc(1.25rem - 4px);height:calc(1.25rem - 4px);border-radius:50%;background:#fff;transition:transform .15s}
.pr-switch input:checked{background:var(--pr-accent)}
.pr-switch input:checked::after{transform:translateX(1rem)}
.pr-slider{accent-color:var(--pr-accent);width:16rem}
.pr-upload{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.pr-upload-progress{display:inline-flex;gap:.4rem;align-items:center;color:var(--pr-muted);font-size:.9rem}
.pr-upload-error{color:var(--pr-danger);font-size:.9rem}
.pr-progress{width:16rem;height:.6rem;accent-color:var(--pr-accent)}
.pr-table{border-collapse:collapse;font-size:.95rem;min-width:20rem}
.pr-table th{text-align:left;font-weight:600;color:var(--pr-muted);border-bottom:2px solid var(--pr-border);padding:.5rem .75rem}
.pr-table td{border-bottom:1px solid var(--pr-border);padding:.5rem .75rem}
.pr-table tbody tr:hover{background:var(--pr-subtle)}
.pr-badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;line-height:1.5;background:var(--pr-subtle);color:var(--pr-fg)}
.pr-badge-accent{background:color-mix(in srgb,var(--pr-accent) 15%,transparent);color:var(--pr-accent)}
.pr-badge-green{background:color-mix(in srgb,var(--pr-success) 15%,transparent);color:var(--pr-success)}
.pr-badge-red{background:color-mix(in srgb,var(--pr-danger) 15%,transparent);color:var(--pr-danger)}
.pr-badge-amber{background:color-mix(in srgb,var(--pr-warning) 15%,transparent);color:var(--pr-warning)}
.pr-badge-blue{background:color-mix(in srgb,var(--pr-info) 15%,transparent);color:var(--pr-info)}
.pr-avatar{display:inline-flex;align-items:center;justify-content:center;border-radius:50%;overflow:hidden;background:var(--pr-accent);color:var(--pr-accent-fg);font-weight:600;font-size:.9rem;flex:none}
.pr-avatar img{width:100%;height:100%;object-fit:cover}
.pr-image{max-width:100%;height:auto;border-radius:var(--pr-radius)}
.pr-icon{display:inline-block;vertical-align:middle;flex:none}
.pr-spinner{display:inline-block;width:1.25rem;height:1.25rem;border:2px solid var(--pr-border);border-top-color:var(--pr-accent);border-radius:50%;animation:pr-spin .7s linear infinite}
@keyframes pr-spin{to{transform:rotate(360deg)}}
.pr-callout{display:flex;gap:.75rem;align-items:flex-start;padding:.75rem 1rem;border-radius:var(--pr-radius);border:1px solid;max-width:40rem}
.pr-callout .pr-icon{margin-top:.15rem}
.pr-callout-body{display:flex;flex-direction:column;gap:.15rem}
.pr-callout-info{color:var(--pr-info);border-color:color-mix(in srgb,var(--pr-info) 35%,transparent);background:color-mix(in srgb,var(--pr-info) 8%,transparent)}
.pr-callout-success{color:var(--pr-success);border-color:color-mix(in srgb,var(--pr-success) 35%,transparent);background:color-mix(in srgb,var(--pr-success) 8%,transparent)}
.pr-callout-warning{color:var(--pr-warning);border-color:color-mix(in srgb,var(--pr-warning) 35%,transparent);background:color-mix(in srgb,var(--pr-warning) 8%,transparent)}
.pr-callout-error{color:var(--pr-danger);border-color:color-mix(in srgb,var(--pr-danger) 35%,transparent);background:color-mix(in srgb,var(--pr-danger) 8%,transparent)}
.pr-callout-body>div{color:var(--pr-fg)}
.pr-backdrop{position:fixed;inset:0;background:rgba(15,23,42,.45);display:flex;align-items:center;justify-content:center;z-index:900;padding:1rem}
.pr-dialog{background:var(--pr-surface);color:var(--pr-fg);border-radius:calc(var(--pr-radius) * 1.5);box-shadow:var(--pr-shadow);padding:1.25rem 1.5rem 1.5rem;width:min(32rem,100%);max-height:calc(100vh - 2rem);overflow:auto;display:flex;flex-direction:column;gap:.75rem;outline:none}
.pr-dialog{position:relative}
.pr-dialog-title{margin:0 2rem 0 0;font-size:1.2rem;font-weight:650}
.pr-dialog-close{position:absolute;top:1rem;right:1rem;background:none;border:0;color:var(--pr-muted);font-size:1.4rem;line-height:1;cursor:pointer;border-radius:4px;padding:0 .3rem}
.pr-anchor{position:relative;display:inline-block}
.pr-popover,.pr-menu{position:absolute;top:calc(100% + .35rem);left:0;z-index:800;background:var(--pr-surface);color:var(--pr-fg);border:1px solid var(--pr-border);border-radius:var(--pr-radius);box-shadow:var(--pr-shadow)}
.pr-popover{padding:.75rem 1rem;min-width:14rem}
.pr-menu{display:flex;flex-direction:column;padding:.3rem;min-width:11rem}
.pr-menu-item{font:inherit;text-align:left;background:none;border:0;color:inherit;padding:.4rem .7rem;border-radius:calc(var(--pr-radius) - 2px);cursor:pointer}
.pr-menu-item:hover,.pr-menu-item:focus{background:var(--pr-subtle);outline:none}
.pr-tooltip{position:absolute;bottom:calc(100% + .4rem);left:50%;transform:translateX(-50%);z-index:850;background:#111827;color:#fff;font-size:.8rem;padding:.25rem .5rem;border-radius:6px;white-space:nowrap;pointer-events:none}
.pr-tooltip[hidden]{display:none}
.pr-tabs{display:flex;flex-direction:column;gap:.75rem;align-self:stretch}
.pr-tablist{display:flex;gap:.25rem;border-bottom:1px solid var(--pr-border)}
.pr-tab{font:inherit;background:none;border:0;border-bottom:2px solid transparent;margin-bottom:-1px;padding:.45rem .85rem;color:var(--pr-muted);cursor:pointer}
.pr-tab[aria-selected=true]{color:var(--pr-fg);border-bottom-color:var(--pr-accent);font-weight:600}
.pr-tab:hover{color:var(--pr-fg)}
.pr-accordion{border:1px solid var(--pr-border);border-radius:var(--pr-radius);align-self:stretch;overflow:hidden}
.pr-accordion-item+.pr-accordion-item{border-top:1px solid var(--pr-border)}
.pr-accordion-heading{margin:0;font-size:1rem}
.pr-accordion-trigger{font:inherit;font-weight:600;width:100%;display:flex;justify-content:space-between;align-items:center;background:none;border:0;color:inherit;padding:.7rem 1rem;cursor:pointer;text-align:left}
.pr-accordion-trigger:hover{background:var(--pr-subtle)}
.pr-accordion-chevron{transition:transform .15s;font-size:1.2rem;line-height:1}
.pr-accordion-trigger[aria-expanded=true] .pr-accordion-chevron{transform:rotate(90deg)}
.pr-accordion-panel{padding:0 1rem .85rem}
.pr-toasts{position:fixed;top:1rem;right:1rem;display:flex;flex-direction:column;gap:.5rem;z-index:1000;max-width:min(24rem,calc(100vw - 2rem))}
.pr-toast{display:flex;gap:.75rem;align-items:flex-start;padding:.6rem .8rem;border-radius:var(--pr-radius);background:#111827;color:#fff;box-shadow:0 4px 12px rgba(0,0,0,.15);font-size:.95rem}
.pr-toast button{margin-left:auto;background:none;border:0;color:inherit;font-size:1.1rem;line-height:1;cursor:pointer}
.pr-toast-success{background:#166534}.pr-toast-warning{background:#92400e}.pr-toast-error{background:#b91c1c}
.pr-banner{position:fixed;bottom:1rem;left:50%;transform:translateX(-50%);padding:.5rem 1rem;border-radius:var(--pr-radius);background:#111827;color:#fff;font-size:.9rem}
`;

// The element React renders into, whose id the server chooses (start()'s contract.rootId).
export const rootCss = (id) => `#${id}{padding:1.5rem}`;
