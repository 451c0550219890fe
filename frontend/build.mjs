// Bundles the browser runtime once, when the Python package is built (see hatch_build.py).
//
//   runtime             what every page loads: React, ReactDOM, socket.io-client and the state client, in one
//                       module (one request, one gzip dictionary)
//   overlays, ops       imported by the compiled app module only when one of its pages uses them (a dialog,
//                       tabs...; a Var operation with Python semantics)
//   charts, markdown, table
//                       our own component packages, imported dynamically only by pages that use them
//   react, react-dom, react-dom-client, jsx-runtime
//                       ES modules for component packages built elsewhere (their bare "react" imports resolve to
//                       these through the page's import map)
// Everything but the runtime takes React from the runtime module itself, so a page has one React whatever it
// loads. File names carry a content hash; bundle.json tells the Python side which file is which entry.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import fs from "node:fs";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2] ?? path.join(here, "..", "src", "pyreact_asgi", "_static");
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  metafile: true,
  logLevel: "warning",
};

// The runtime connects over websocket only (runtime.js), so engine.io-client's polling and WebTransport
// transports are dead weight: its transport table is swapped for one that holds only the websocket.
const websocketOnly = {
  name: "websocket-only",
  setup(b) {
    b.onResolve({ filter: /^\.\/transports\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}engine.io-client${path.sep}`) ? { path: path.join(args.resolveDir, "transports", "index.js"), namespace: "ws-only" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "ws-only" }, (args) => ({
      contents: 'import { WS } from "./websocket.js";\nexport const transports = { websocket: WS };\n',
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

fs.mkdirSync(outdir, { recursive: true });
for (const file of fs.readdirSync(outdir)) if (file.endsWith(".js") || file === "bundle.json") fs.rmSync(path.join(outdir, file));

const runtime = await build({
  ...common,
  entryPoints: { runtime: path.join(here, "src", "runtime.js") },
  outdir,
  entryNames: "[name].[hash]",
  plugins: [websocketOnly],
});
const runtimeFile = path.basename(Object.keys(runtime.metafile.outputs)[0]);

// "react", "react-dom", "react-dom/client": the runtime's own copies, re-exported under every name they export.
const shared = { react: "React", "react-dom": "ReactDOM", "react-dom/client": "ReactDOMClient" };
function facade(specifier) {
  const names = Object.keys(require(specifier)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default");
  return `import { ${shared[specifier]} as M } from "./${runtimeFile}";\nexport default M;\nexport const { ${names.join(", ")} } = M;\n`;
}
const fromRuntime = {
  name: "from-runtime",
  setup(b) {
    b.onResolve({ filter: /^(react|react-dom|react-dom\/client)$/ }, (args) => ({ path: args.path, namespace: "runtime-facade" }));
    b.onResolve({ filter: /^\.\/runtime\./ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "runtime-facade" }, (args) => ({ contents: facade(args.path), resolveDir: here, loader: "js" }));
    // React's JSX runtime is CommonJS: an ES facade gives it named exports (jsx, jsxs, Fragment).
    b.onResolve({ filter: /^jsx-facade$/ }, () => ({ path: "jsx-facade", namespace: "jsx-facade" }));
    b.onLoad({ filter: /.*/, namespace: "jsx-facade" }, () => {
      const names = Object.keys(require("react/jsx-runtime")).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
      const file = JSON.stringify(require.resolve("react/jsx-runtime"));
      return { contents: `import * as M from ${file};\nexport default M;\nexport const { ${names.join(", ")} } = M;\n`, resolveDir: here, loader: "js" };
    });
  },
};
const lazy = await build({
  ...common,
  entryPoints: {
    overlays: path.join(here, "src", "overlays.js"),
    ops: path.join(here, "src", "ops.js"),
    charts: path.join(here, "src", "lazy", "charts.js"),
    markdown: path.join(here, "src", "lazy", "markdown.js"),
    table: path.join(here, "src", "lazy", "table.js"),
    react: "react",
    "react-dom": "react-dom",
    "react-dom-client": "react-dom/client",
    // React's own JSX runtime, bundled here (it needs nothing of React's state).
    "jsx-runtime": "jsx-facade",
  },
  splitting: true,
  outdir,
  entryNames: "[name].[hash]",
  chunkNames: "chunk.[hash]",
  plugins: [fromRuntime],
});

const entries = { runtime: runtimeFile };
const imports = { [runtimeFile]: [] };
for (const [file, output] of Object.entries(lazy.metafile.outputs)) {
  const name = path.basename(file);
  imports[name] = output.imports.filter((i) => i.kind === "import-statement").map((i) => path.basename(i.path));
  if (output.entryPoint) entries[name.slice(0, name.indexOf("."))] = name;
}
fs.writeFileSync(path.join(outdir, "bundle.json"), JSON.stringify({ entries, imports }, null, 1) + "\n");
