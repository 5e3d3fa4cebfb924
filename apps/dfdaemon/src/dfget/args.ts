import { resolve } from "node:path";

// The args module alone: the package index would bundle zod and yaml into every dfget start.
import { parseArgs } from "@df/config/args";
import { invalidArgument } from "@df/errors";

import { parseDigest } from "../task/digest";

/** DEFAULT_ENDPOINT is the daemon socket dfget uses unless told otherwise. */
export const DEFAULT_ENDPOINT = "/var/run/dragonfly/dfdaemon.sock";

/** DfgetOptions are dfget's validated flags. */
export interface DfgetOptions {
  url: string;
  output: string;
  digest?: string | undefined;
  headers: Record<string, string>;
  tag: string;
  application: string;
  priority: number;
  filteredQueryParams: string[];
  timeoutMs: number;
  disableBackToSource: boolean;
  pieceLength?: number | undefined;
  range?: { start: number; length: number } | undefined;
  overwrite: boolean;
  progress: boolean;
  endpoint: string;
}

/** USAGE is printed by --help. */
export const USAGE = `usage: dfget <url> -O <file> [flags]
  -O, --output FILE              where to write the content (required)
  -e, --endpoint SOCKET          dfdaemon socket (default ${DEFAULT_ENDPOINT}, env DFGET_ENDPOINT)
      --digest ALG:VALUE         verify the file: sha256:<hex>, sha512:<hex> or crc32:<decimal>
  -H, --header 'Key: Value'      header sent to the source (repeatable)
      --tag TAG                  task tag (part of the task id)
      --application NAME         calling application (part of the task id)
  -p, --priority 0-6             download priority (default 6)
      --filtered-query-param K   query parameter left out of the task id (repeatable)
      --timeout DURATION         give up after this long, e.g. 90s, 10m, 2h (default 2h)
      --disable-back-to-source   never download from the source, only from peers
      --piece-length SIZE        piece length, a power of two, e.g. 4MiB (default automatic)
      --range START-END          download only bytes START..END (inclusive)
      --overwrite                replace an existing output file
      --no-progress              do not show the progress bar
  -h, --help                     show this help`;

const ALIASES: Record<string, string> = {
  O: "output",
  e: "endpoint",
  H: "header",
  p: "priority",
  h: "help",
};
const BOOLEAN = new Set(["disable-back-to-source", "no-progress", "overwrite", "help", "h"]);
const KNOWN = new Set([
  "output",
  "endpoint",
  "digest",
  "header",
  "tag",
  "application",
  "priority",
  "filtered-query-param",
  "timeout",
  "disable-back-to-source",
  "piece-length",
  "range",
  "overwrite",
  "no-progress",
  "help",
]);

/** parseDuration accepts `500ms`, `90s`, `10m`, `2h` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw invalidArgument("--timeout", `"${text}" is not a duration such as 90s, 10m or 2h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  const ms = Number(m[1]) * unit;
  if (ms <= 0) throw invalidArgument("--timeout", "must be positive");
  return ms;
}

/** parseSize accepts bytes or a size with a binary unit: `4MiB`, `4mib`, `16M`. */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*(k|ki|kib|m|mi|mib|g|gi|gib)?b?$/i.exec(text.trim());
  if (!m) throw invalidArgument("--piece-length", `"${text}" is not a size such as 4MiB`);
  const unit = (m[2] ?? "").toLowerCase()[0];
  return (
    Number(m[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1)
  );
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(":");
  const key = text.slice(0, colon).trim();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
    throw invalidArgument("--header", `"${text}" must look like 'Key: Value'`);
  }
  return [key, text.slice(colon + 1).trim()];
}

function parseRange(text: string): { start: number; length: number } {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  const start = Number(m?.[1]);
  const end = Number(m?.[2]);
  if (!m || end < start)
    throw invalidArgument("--range", `"${text}" must be START-END with END >= START`);
  return { start, length: end - start + 1 };
}

/** parseDfgetArgs validates argv; `null` means help was asked for. */
export function parseDfgetArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
): DfgetOptions | null {
  const { flags: raw, positionals } = parseArgs(argv, BOOLEAN);
  const flags = new Map<string, string[]>();
  for (const [k, v] of raw) {
    const name = ALIASES[k] ?? k;
    if (!KNOWN.has(name)) throw invalidArgument(`--${k}`, "unknown flag (see --help)");
    flags.set(name, [...(flags.get(name) ?? []), ...v]);
  }
  if (flags.has("help")) return null;
  const last = (k: string) => flags.get(k)?.at(-1);
  const url = positionals[0];
  if (!url || positionals.length > 1) throw invalidArgument("url", "give exactly one URL");
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw invalidArgument("url", `"${url}" is not an http or https URL`);
  }
  const output = last("output");
  if (!output) throw invalidArgument("--output", "is required (-O FILE)");
  const digest = last("digest");
  if (digest) parseDigest(digest);
  const priority = Number(last("priority") ?? 6);
  if (!Number.isInteger(priority) || priority < 0 || priority > 6)
    throw invalidArgument("--priority", "must be 0 to 6");
  const pieceLength = last("piece-length");
  return {
    url,
    output: resolve(cwd, output),
    digest,
    headers: Object.fromEntries((flags.get("header") ?? []).map(parseHeader)),
    tag: last("tag") ?? "",
    application: last("application") ?? "",
    priority,
    filteredQueryParams: flags.get("filtered-query-param") ?? [],
    timeoutMs: parseDuration(last("timeout") ?? "2h"),
    disableBackToSource: flags.has("disable-back-to-source"),
    pieceLength: pieceLength ? parseSize(pieceLength) : undefined,
    range: last("range") ? parseRange(last("range") ?? "") : undefined,
    overwrite: flags.has("overwrite"),
    progress: !flags.has("no-progress"),
    endpoint: resolve(cwd, last("endpoint") ?? env.DFGET_ENDPOINT ?? DEFAULT_ENDPOINT),
  };
}
