/**
 * Job arguments as Dragonfly's API takes them (snake_case keys, Go zero values meaning "unset"),
 * validated and normalised once at creation. Unknown keys (Harbor's `concurrent_count`) are dropped.
 */
import { isIP } from "node:net";

import { z } from "zod";

import { DEFAULT_FILTERED_QUERY_PARAMS } from "@df/proto/task-id";

/** JOB_TYPES are the job kinds the manager accepts. */
export const JOB_TYPES = ["preheat", "get_task", "delete_task"] as const;

/** JobType is one of JOB_TYPES. */
export type JobType = (typeof JOB_TYPES)[number];

/** PREHEAT_SCOPES are where a preheat puts the content; anything else means single_seed_peer. */
export const PREHEAT_SCOPES = ["single_seed_peer", "all_seed_peers", "all_peers"] as const;

/** PreheatScope is one of PREHEAT_SCOPES. */
export type PreheatScope = (typeof PREHEAT_SCOPES)[number];

/** DEFAULT_PLATFORM is the image platform preheated when none is named. */
export const DEFAULT_PLATFORM = "linux/amd64";

/** DEFAULT_TIMEOUT_NS is a preheat's timeout when none is given (60 min, as upstream). */
export const DEFAULT_TIMEOUT_NS = 60 * 60 * 1e9;

/** DEFAULT_TASK_TIMEOUT_NS is a get_task or delete_task job's timeout when none is given. */
export const DEFAULT_TASK_TIMEOUT_NS = 60 * 1e9;

/** MANIFEST_URL parses `<scheme>://<registry>/v2/<repository>/manifests/<reference>`. */
export const MANIFEST_URL = /^(https?):\/\/([^/]+)\/v2\/(.+)\/manifests\/([^/]+)$/;

const MIB = 1024 * 1024;

/** optionalCount accepts a Go zero value (0, meaning unset) or an integer in [min, max]. */
const optionalCount = (min: number, max: number) =>
  z
    .number()
    .int()
    .refine((n) => n === 0 || (n >= min && n <= max), `must be 0 (unset) or ${min}-${max}`)
    .nullish()
    .transform((n) => n || undefined);

/** optionalText is an optional string; null and "" both mean unset. */
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((s) => s ?? "");

/** httpUrl checks an absolute http(s) URL. */
const httpUrl = z
  .string()
  .max(4096)
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), {
    message: "must be an absolute http:// or https:// URL",
  });

/** HeadersSchema is a map of HTTP request headers (null means none). */
const HeadersSchema = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/, "is not a header name"),
    z.string().max(8192),
  )
  .nullish()
  .transform((h) => h ?? {});

/** TaskIdentity are the fields that, with the URL, make a task id. */
const TaskIdentity = {
  tag: optionalText(400),
  application: optionalText(400),
  /** filtered_query_params are `&`-joined names; "" means the default signing parameters. */
  filtered_query_params: optionalText(4096),
  piece_length: optionalCount(4 * MIB, 64 * MIB),
};

/** timeoutNs reads a Go duration in nanoseconds; 0 or unset means `dflt`. */
const timeoutNs = (dflt: number) =>
  z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1e9, "must be at most 24 h (in nanoseconds)")
    .nullish()
    .transform((n) => n || dflt);

/** PreheatArgsSchema validates preheat args and applies their defaults. */
export const PreheatArgsSchema = z
  .object({
    type: z.enum(["image", "file"], { message: 'must be "image" or "file"' }),
    url: optionalText(4096),
    urls: z.array(httpUrl).max(100).nullish(),
    ...TaskIdentity,
    headers: HeadersSchema,
    username: optionalText(256),
    password: optionalText(1024),
    platform: z
      .string()
      .regex(/^$|^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, "must be os/arch[/variant]")
      .nullish()
      .transform((p) => p || DEFAULT_PLATFORM),
    scope: z
      .string()
      .max(64)
      .nullish()
      .transform((s): PreheatScope => PREHEAT_SCOPES.find((x) => x === s) ?? "single_seed_peer"),
    ips: z
      .array(z.string().refine((ip) => isIP(ip) !== 0, "must be an IP address"))
      .max(100)
      .nullish()
      .transform((a) => a ?? []),
    count: optionalCount(1, 200),
    percentage: optionalCount(1, 100),
    concurrent_task_count: optionalCount(1, 100).transform((n) => n ?? 8),
    concurrent_peer_count: optionalCount(1, 1000).transform((n) => n ?? 500),
    timeout: timeoutNs(DEFAULT_TIMEOUT_NS),
  })
  .superRefine((a, ctx) => {
    if (a.type === "image") {
      if (!MANIFEST_URL.test(a.url) || !URL.canParse(a.url))
        ctx.addIssue({
          code: "custom",
          path: ["url"],
          message:
            "must be a manifest URL <scheme>://<registry>/v2/<repository>/manifests/<tag or digest>",
        });
      if (a.urls?.length)
        ctx.addIssue({ code: "custom", path: ["urls"], message: "is only for type file" });
      return;
    }
    if (a.url && !httpUrl.safeParse(a.url).success)
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: "must be an absolute http:// or https:// URL",
      });
    if (!a.url && !a.urls?.length)
      ctx.addIssue({ code: "custom", path: ["urls"], message: "name at least one URL to preheat" });
  })
  .transform(({ urls, ...a }) => ({
    ...a,
    urls: a.type === "file" ? [...new Set([...(a.url ? [a.url] : []), ...(urls ?? [])])] : [],
  }));

/** PreheatArgs are validated preheat args with defaults applied (secrets still in clear). */
export type PreheatArgs = z.output<typeof PreheatArgsSchema>;

/** TaskArgsSchema validates get_task and delete_task args: a task id, or a URL to derive it from. */
export const TaskArgsSchema = z
  .object({
    task_id: z
      .string()
      .regex(/^$|^[a-f0-9]{64}$/, "must be 64 lowercase hex characters")
      .nullish()
      .transform((s) => s ?? ""),
    url: z
      .union([httpUrl, z.literal("")])
      .nullish()
      .transform((s) => s ?? ""),
    ...TaskIdentity,
    timeout: timeoutNs(DEFAULT_TASK_TIMEOUT_NS),
  })
  .refine((a) => a.task_id || a.url, {
    path: ["task_id"],
    message: "name a task id or a URL",
  });

/** TaskArgs are validated get_task / delete_task args. */
export type TaskArgs = z.output<typeof TaskArgsSchema>;

/** filteredParamsOf splits `&`-joined names; "" means the default signing parameters. */
export function filteredParamsOf(joined: string): string[] {
  const names = joined.split("&").filter(Boolean);
  return names.length ? names : [...DEFAULT_FILTERED_QUERY_PARAMS];
}
