// Builds the package's one ES module (run by ../hatch_build.py when the Python package is built or installed).
// React stays a bare import: the page's import map hands it the app's own React, so there is one copy.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = process.argv[2] ?? path.join(here, "..", "src", "pyreact_daypicker", "_static", "daypicker.js");

await build({
  entryPoints: [path.join(here, "src", "index.jsx")],
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  jsx: "automatic",
  loader: { ".css": "text" },
  external: ["react", "react-dom", "react-dom/client", "react/jsx-runtime"],
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  outfile,
  logLevel: "warning",
});
