/** ParsedArgs holds `--key value` / `--key=value` flags and the remaining positionals. */
export interface ParsedArgs {
  flags: Map<string, string[]>;
  positionals: string[];
}

/**
 * parseArgs splits argv into flags and positionals. A flag followed by another flag (or nothing)
 * is the boolean "true"; repeated flags accumulate, so `-H a -H b` keeps both.
 */
export function parseArgs(
  argv: readonly string[],
  booleanFlags: ReadonlySet<string> = new Set(),
): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const push = (key: string, value: string) => flags.set(key, [...(flags.get(key) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    if (eq >= 0) {
      push(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (booleanFlags.has(body) || next === undefined || next.startsWith("--")) {
      push(body, "true");
    } else {
      push(body, next);
      i++;
    }
  }
  return { flags, positionals };
}
