// Default look of the built-in components: plain CSS classes, no CSS-in-JS library.
export const CSS = `
:root{--pr-accent:#4f46e5;--pr-accent-fg:#fff;--pr-fg:#111827;--pr-muted:#6b7280;--pr-border:#d1d5db;--pr-bg:#fff;--pr-radius:8px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--pr-fg);background:var(--pr-bg);line-height:1.5}
body{margin:0}
#pyreact-root{padding:1.5rem}
.pr-vstack{display:flex;flex-direction:column;gap:.75rem;align-items:flex-start}
.pr-hstack{display:flex;flex-direction:row;gap:.75rem;align-items:center}
.pr-heading{margin:0;font-weight:650;line-height:1.2}
.pr-text{margin:0}
.pr-button{font:inherit;padding:.45rem 1rem;border:1px solid transparent;border-radius:var(--pr-radius);background:var(--pr-accent);color:var(--pr-accent-fg);cursor:pointer}
.pr-button:hover{filter:brightness(1.1)}
.pr-button:focus-visible,.pr-input:focus-visible{outline:2px solid var(--pr-accent);outline-offset:2px}
.pr-input{font:inherit;padding:.4rem .6rem;border:1px solid var(--pr-border);border-radius:var(--pr-radius);min-width:12rem}
.pr-upload{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.pr-upload-progress{display:inline-flex;gap:.4rem;align-items:center;color:var(--pr-muted);font-size:.9rem}
.pr-upload-error{color:#b91c1c;font-size:.9rem}
.pr-progress{width:16rem;height:.6rem;accent-color:var(--pr-accent)}
.pr-link{color:var(--pr-accent);text-decoration:none}.pr-link:hover{text-decoration:underline}
.pr-toasts{position:fixed;top:1rem;right:1rem;display:flex;flex-direction:column;gap:.5rem;z-index:1000;max-width:min(24rem,calc(100vw - 2rem))}
.pr-toast{display:flex;gap:.75rem;align-items:flex-start;padding:.6rem .8rem;border-radius:var(--pr-radius);background:#111827;color:#fff;box-shadow:0 4px 12px rgba(0,0,0,.15);font-size:.95rem}
.pr-toast button{margin-left:auto;background:none;border:0;color:inherit;font-size:1.1rem;line-height:1;cursor:pointer}
.pr-toast-success{background:#166534}.pr-toast-warning{background:#92400e}.pr-toast-error{background:#b91c1c}
.pr-banner{position:fixed;bottom:1rem;left:50%;transform:translateX(-50%);padding:.5rem 1rem;border-radius:var(--pr-radius);background:#111827;color:#fff;font-size:.9rem}
`;
