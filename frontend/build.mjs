// Bundles the browser runtime once, when the Python package is built (see hatch_build.py).
//
// One esbuild run with code splitting, so every entry shares one copy of React:
//   runtime             what every page loads: React, ReactDOM, socket.io-client and the state client
//   react, react-dom, react-dom-client, jsx-runtime
//                       ES modules re-exporting that same React, for component packages built elsewhere
//                       (their bare "react" imports resolve to these through the page's import map)
//   charts, markdown, table
//                       our own component packages, imported dynamically only by pages that use them
// File names carry a content hash; bundle.json tells the Python side which file is which entry.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2] ?? path.join(here, "..", "src", "pyreact_asgi", "_static");
const require = createRequire(import.meta.url);

// ESM facades over React's CommonJS: the names are read from the installed packages, not listed by hand.
const facades = {
  react: "react",
  "react-dom": "react-dom",
  "react-dom-client": "react-dom/client",
  "jsx-runtime": "react/jsx-runtime",
};
function facade(specifier) {
  const names = Object.keys(require(specifier)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
  return `import * as M from ${JSON.stringify(specifier)};\nexport default M;\nexport const { ${names.join(", ")} } = M;\n`;
}
const facadePlugin = {
  name: "facades",
  setup(b) {
    b.onResolve({ filter: /^facade:/ }, (args) => ({ path: args.path.slice(7), namespace: "facade" }));
    b.onLoad({ filter: /.*/, namespace: "facade" }, (args) => ({ contents: facade(args.path), resolveDir: here, loader: "js" }));
  },
};

const entryPoints = {
  runtime: path.join(here, "src", "runtime.js"),
  charts: path.join(here, "src", "lazy", "charts.js"),
  markdown: path.join(here, "src", "lazy", "markdown.js"),
  table: path.join(here, "src", "lazy", "table.js"),
};
for (const [name, specifier] of Object.entries(facades)) entryPoints[name] = `facade:${specifier}`;

fs.mkdirSync(outdir, { recursive: true });
for (const file of fs.readdirSync(outdir)) if (file.endsWith(".js") || file === "bundle.json") fs.rmSync(path.join(outdir, file));

const result = await build({
  entryPoints,
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  outdir,
  entryNames: "[name].[hash]",
  chunkNames: "chunk.[hash]",
  metafile: true,
  plugins: [facadePlugin],
  logLevel: "warning",
});

const entries = {};
const imports = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  const name = path.basename(file);
  imports[name] = output.imports.filter((i) => i.kind === "import-statement").map((i) => path.basename(i.path));
  if (output.entryPoint) entries[name.slice(0, name.indexOf("."))] = name;
}
if (Object.keys(entries).length !== Object.keys(entryPoints).length) throw new Error(`entries not found: ${JSON.stringify(entries)}`);
fs.writeFileSync(path.join(outdir, "bundle.json"), JSON.stringify({ entries, imports }, null, 1) + "\n");
