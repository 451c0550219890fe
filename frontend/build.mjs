// Bundles the browser runtime once, when the Python package is built (see hatch_build.py).
// The output is an ES module that the app module compiled at startup imports by a relative URL.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const outfile = process.argv[2] ?? path.join(here, "..", "src", "pyreact_asgi", "_static", "runtime.js");

await build({
  entryPoints: [path.join(here, "src", "runtime.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: ["es2020"],
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  outfile,
  logLevel: "warning",
});
