// Built-in component package "markdown": markdown-it renders text from a var in the browser, on every delta,
// so a reply streamed into a var renders as it grows; highlight.js colours fenced code.
// Safety: markdown-it's `html: false` turns raw HTML in the text into text, and validateLink below refuses every
// URL scheme but http(s) and mailto (relative URLs and #anchors stay), so nothing in the text can run script.
import * as React from "react";
import MarkdownIt from "markdown-it";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { styleOnce } from "./style.js";

for (const [name, language] of Object.entries({ bash, css, javascript, json, python, sql, typescript, xml, yaml })) hljs.registerLanguage(name, language);
hljs.registerAliases(["sh", "shell"], { languageName: "bash" });
hljs.registerAliases(["js", "jsx"], { languageName: "javascript" });
hljs.registerAliases(["ts", "tsx"], { languageName: "typescript" });
hljs.registerAliases(["html"], { languageName: "xml" });
hljs.registerAliases(["py"], { languageName: "python" });

const SAFE_URL = /^(https?:|mailto:|[#/?.]|[^:]*$)/i;

function highlight(code, lang) {
  const language = hljs.getLanguage(lang) ? lang : null;
  const html = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
  return `<pre class="pr-code-block hljs"><code${language ? ` class="language-${md.utils.escapeHtml(language)}"` : ""}>${html}</code></pre>`;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, highlight });
md.validateLink = (url) => SAFE_URL.test(url.trim());
// Links leave the page without handing it to the opened one.
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = tokens[idx].attrGet("href") ?? "";
  if (/^(https?:)?\/\//i.test(href)) {
    tokens[idx].attrSet("rel", "noopener noreferrer nofollow");
    tokens[idx].attrSet("target", "_blank");
  }
  return defaultLink(tokens, idx, options, env, self);
};

const STYLE = `
.pr-markdown{line-height:1.6;overflow-wrap:anywhere}.pr-markdown>:first-child{margin-top:0}.pr-markdown>:last-child{margin-bottom:0}
.pr-markdown a{color:var(--pr-accent)}.pr-markdown code{font-family:var(--pr-mono);font-size:.9em;background:var(--pr-subtle);padding:.1em .35em;border-radius:4px}
.pr-markdown pre code{background:none;padding:0}.pr-markdown blockquote{margin:0;padding-left:1rem;border-left:3px solid var(--pr-border);color:var(--pr-muted)}
.pr-markdown table{border-collapse:collapse}.pr-markdown th,.pr-markdown td{border:1px solid var(--pr-border);padding:.25rem .5rem}
.hljs-keyword,.hljs-selector-tag,.hljs-built_in{color:#7c3aed}.hljs-string,.hljs-attr{color:#047857}.hljs-number,.hljs-literal{color:#b45309}
.hljs-comment{color:var(--pr-muted);font-style:italic}.hljs-title,.hljs-section{color:#1d4ed8}.hljs-meta,.hljs-tag{color:#be185d}
:root[data-theme=dark] .hljs-keyword,:root[data-theme=dark] .hljs-built_in{color:#c4b5fd}:root[data-theme=dark] .hljs-string,:root[data-theme=dark] .hljs-attr{color:#6ee7b7}
:root[data-theme=dark] .hljs-number,:root[data-theme=dark] .hljs-literal{color:#fcd34d}:root[data-theme=dark] .hljs-title{color:#93c5fd}
`;
const injectStyle = styleOnce(STYLE);

export function Markdown({ source, id, className, style }) {
  injectStyle();
  const html = React.useMemo(() => md.render(typeof source === "string" ? source : String(source ?? "")), [source]);
  return React.createElement("div", { id, style, className: `pr-markdown${className ? ` ${className}` : ""}`, dangerouslySetInnerHTML: { __html: html } });
}

export function CodeBlock({ code, language, id, className, style }) {
  injectStyle();
  const html = React.useMemo(() => highlight(typeof code === "string" ? code : String(code ?? ""), language ?? ""), [code, language]);
  return React.createElement("div", { id, style, className: `pr-code${className ? ` ${className}` : ""}`, dangerouslySetInnerHTML: { __html: html } });
}
