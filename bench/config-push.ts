/**
 * `pnpm bench config-push [--subscribers N] [--changes N]`: how fast a saved scheduler cluster
 * config reaches WatchConfig subscribers. Uses PGlite, or PostgreSQL when DATABASE_URL is set.
 * Prints one JSON line: {"bench":"config-push","subscribers":..,"changes":..,"p50_s":..,"p99_s":..}.
 */
import { runConfigPushBench } from "../apps/console/test/support/config-push-bench";

/** flag reads `--name N` or `--name=N` as a positive integer, else `dflt`. */
function flag(args: string[], name: string, dflt: number): number {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return dflt;
  const arg = args[i] ?? "";
  const raw = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

/** run executes the config-push benchmark and prints its result as one JSON line. */
export async function run(args: string[]): Promise<void> {
  const result = await runConfigPushBench({
    subscribers: flag(args, "subscribers", 100),
    changes: flag(args, "changes", 20),
    databaseUrl: process.env.DATABASE_URL ?? "",
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
