// Bundles dfget into one ES module (dist/dfget.mjs) so it starts in a fraction of the time tsx
// needs to transpile its imports on every run. `bin/dfget.mjs` prefers the bundle when present.
import { build } from "esbuild";

await build({
  entryPoints: ["src/bin/dfget.ts"],
  outfile: "dist/dfget.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
