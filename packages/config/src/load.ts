import { readFileSync } from "node:fs";

import { parse as parseYaml } from "yaml";
import type { z } from "zod";

import { DfError, ErrorCode } from "@df/errors";

/** ConfigError is raised when a configuration value is invalid; its message names the key. */
export class ConfigError extends DfError {
  constructor(message: string, key: string) {
    super(ErrorCode.InvalidConfig, message, { key });
  }
}

/** ConfigSources are the raw inputs, lowest precedence first: file, then env, then flags. */
export interface ConfigSources {
  file?: string | undefined;
  env?: Record<string, string | undefined>;
  flags?: Map<string, string[]>;
}

/** LoadConfigOptions names the schema and the environment prefix (e.g. `DF_SCHEDULER_`). */
export interface LoadConfigOptions<S extends z.ZodType> extends ConfigSources {
  schema: S;
  envPrefix: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** leafPaths lists every dotted path to a non-object value of the defaulted config. */
function leafPaths(value: unknown, prefix = ""): Array<[string, unknown]> {
  if (!isObject(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** envName turns `server.advertiseIp` into `ADVERTISE`-style `SERVER_ADVERTISE_IP`. */
function envName(path: string): string {
  return path
    .split(".")
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase())
    .join("_");
}

/** coerce converts a string from env or flags to the type of the default at that path. */
function coerce(raw: string, like: unknown): unknown {
  if (typeof like === "number")
    return raw.trim() !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  if (typeof like === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  if (Array.isArray(like)) return raw === "" ? [] : raw.split(",").map((s) => s.trim());
  return raw;
}

function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Json;
  }
  node[parts[parts.length - 1] ?? ""] = value;
}

function readFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`config file ${file}: ${(err as Error).message}`, "config");
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      `config file ${file}: not valid YAML or JSON: ${(err as Error).message}`,
      "config",
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObject(parsed))
    throw new ConfigError(`config file ${file}: top level must be a mapping`, "config");
  return parsed;
}

/** describeIssue renders one zod issue as `key "a.b": problem (got X)`. */
function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  origin: Map<string, string>,
): ConfigError {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => [...issue.path, k].join("."));
    return new ConfigError(
      `unknown config key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`,
      keys[0] ?? "",
    );
  }
  const key = issue.path.join(".");
  let got: unknown = input;
  for (const p of issue.path)
    got = isObject(got) || Array.isArray(got) ? (got as Json)[String(p)] : undefined;
  const from = origin.get(key);
  const shown = got === undefined ? "nothing" : JSON.stringify(got);
  return new ConfigError(
    `invalid config key "${key || "(root)"}": ${issue.message} (got ${shown}${from ? ` from ${from}` : ""})`,
    key,
  );
}

/**
 * loadConfig merges file, environment and flags over the schema's defaults, validates once and
 * returns a frozen, typed object. Env names are the prefix plus the upper-snake dotted path
 * (`server.port` → `DF_SCHEDULER_SERVER_PORT`); flags are `--server.port=8002`.
 */
export function loadConfig<S extends z.ZodType>(opts: LoadConfigOptions<S>): z.output<S> {
  const merged: Json = opts.file ? readFile(opts.file) : {};
  const origin = new Map<string, string>();
  for (const key of Object.keys(merged)) origin.set(key, `file ${opts.file}`);
  const defaults = opts.schema.safeParse({});
  const leaves = leafPaths(defaults.success ? defaults.data : {});
  for (const [path, like] of leaves) {
    const name = opts.envPrefix + envName(path);
    const raw = opts.env?.[name];
    if (raw !== undefined) {
      setPath(merged, path, coerce(raw, like));
      origin.set(path, `env ${name}`);
    }
  }
  const known = new Map(leaves);
  for (const [flag, values] of opts.flags ?? []) {
    if (flag === "config") continue;
    if (!known.has(flag)) {
      throw new ConfigError(
        `unknown flag --${flag} (flags are config keys such as --${leaves[0]?.[0] ?? "key"}=value)`,
        flag,
      );
    }
    const raw = values[values.length - 1] ?? "";
    setPath(merged, flag, coerce(raw, known.get(flag)));
    origin.set(flag, `flag --${flag}`);
  }
  const result = opts.schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue) throw describeIssue(issue, merged, origin);
  }
  return deepFreeze(result.data) as z.output<S>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
