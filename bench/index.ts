/**
 * `pnpm bench <name> [flags]` runs one benchmark. Each prints progress on stderr and ends with
 * one JSON line of figures on stdout, measured against a baseline run side by side in the same run.
 */
const BENCHES: Record<string, string> = {
  dfget: "./dfget",
  "config-push": "./config-push",
  swarm: "./swarm",
  proxy: "./proxy",
};

const [name, ...args] = process.argv.slice(2);
const path = name ? BENCHES[name] : undefined;
if (!path) {
  console.error(`usage: pnpm bench <${Object.keys(BENCHES).join("|")}> [flags]`);
  process.exit(2);
}
const mod = (await import(path)) as { run: (args: string[]) => Promise<void> };
try {
  await mod.run(args);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
process.exit(0);
