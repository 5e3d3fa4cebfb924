import { z } from "zod";

/**
 * Cluster configuration contracts. Keys are snake_case as in Dragonfly's manager API, so existing
 * automation keeps working. Every field has a range and a default; `parse({})` yields the defaults.
 */

const int = (min: number, max: number, dflt: number) =>
  z.number().int().min(min).max(max).default(dflt);

/** GIB is one gibibyte in bytes. */
const GIB = 1024 ** 3;

/** SchedulerConfigSchema holds the knobs schedulers of a cluster apply at once when changed. */
export const SchedulerConfigSchema = z
  .object({
    /** candidate_parent_limit is how many parents a peer receives per scheduling round. */
    candidate_parent_limit: int(1, 20, 3),
    /** filter_parent_limit is how many random peers of a task are sampled before filtering. */
    filter_parent_limit: int(10, 1000, 40),
    /** back_to_source_limit caps peers of one task downloading from the origin at once. */
    back_to_source_limit: int(0, 10_000, 200),
    /** retry_limit is scheduling rounds without a parent before the peer goes back to source. */
    retry_limit: int(1, 100, 4),
    /** retry_back_to_source_limit is rounds after which the peer fails with a reason. */
    retry_back_to_source_limit: int(1, 100, 8),
    /** retry_interval_ms is the pause between scheduling rounds (jittered ±25 %). */
    retry_interval_ms: int(10, 60_000, 500),
    /** seed_peer_load_limit is concurrent uploads a seed host may serve. */
    seed_peer_load_limit: int(1, 50_000, 2000),
    /** peer_load_limit is concurrent uploads a normal host may serve. */
    peer_load_limit: int(1, 2000, 200),
    /** bad_parent_cost_multiple marks a parent bad when a piece costs this many times its mean. */
    bad_parent_cost_multiple: int(2, 1000, 20),
    /** bad_parent_min_samples is how many piece costs are needed before the sigma rule applies. */
    bad_parent_min_samples: int(3, 10_000, 30),
    /** host_isolation_failures is piece failures after which a host is isolated. */
    host_isolation_failures: int(1, 1000, 10),
    /** host_isolation_seconds is how long an isolated host is excluded. */
    host_isolation_seconds: int(1, 86_400, 300),
    /** job_rate_limit is open-API job creations per second for this cluster. */
    job_rate_limit: int(1, 1_000_000, 10),
  })
  .strict();

/** ClientConfigSchema holds the knobs dfdaemons of a cluster apply at once when changed. */
export const ClientConfigSchema = z
  .object({
    /** download_rate_limit is the host's total download rate in bytes/s; 0 means unlimited. */
    download_rate_limit: z
      .number()
      .int()
      .min(0)
      .max(1000 * GIB)
      .default(0),
    /** upload_rate_limit is the host's total upload rate in bytes/s; 0 means unlimited. */
    upload_rate_limit: z
      .number()
      .int()
      .min(0)
      .max(1000 * GIB)
      .default(0),
    /** back_to_source_rate_limit is the host's origin download rate in bytes/s; 0 means unlimited. */
    back_to_source_rate_limit: z
      .number()
      .int()
      .min(0)
      .max(1000 * GIB)
      .default(0),
    /** piece_concurrency is pieces downloaded at once per task. */
    piece_concurrency: int(1, 64, 8),
    /** piece_length forces a piece length in bytes (power of two, 1 MiB–1 GiB); 0 means automatic. */
    piece_length: z
      .number()
      .int()
      .refine((n) => n === 0 || (n >= 2 ** 20 && n <= GIB && (n & (n - 1)) === 0), {
        message: "must be 0 (automatic) or a power of two between 1 MiB and 1 GiB",
      })
      .default(0),
    /** load_limit is concurrent piece uploads this host serves. */
    load_limit: int(1, 50_000, 200),
    /** gc_task_ttl_seconds evicts tasks not accessed for this long. */
    gc_task_ttl_seconds: int(60, 365 * 86_400, 6 * 3600),
    /** gc_disk_high_watermark_percent starts eviction when disk use passes it. */
    gc_disk_high_watermark_percent: int(1, 100, 90),
    /** gc_disk_low_watermark_percent is where eviction stops. */
    gc_disk_low_watermark_percent: int(1, 100, 70),
  })
  .strict()
  .refine((c) => c.gc_disk_low_watermark_percent < c.gc_disk_high_watermark_percent, {
    message: "gc_disk_low_watermark_percent must be below gc_disk_high_watermark_percent",
    path: ["gc_disk_low_watermark_percent"],
  });

/** SeedPeerClusterConfigSchema holds seed peer cluster knobs. */
export const SeedPeerClusterConfigSchema = z.object({ load_limit: int(1, 50_000, 2000) }).strict();

/** ScopesSchema decides which hosts a scheduler cluster serves. */
export const ScopesSchema = z
  .object({
    /** idc lists data centres separated by `|`. */
    idc: z.string().max(1024).default(""),
    /** location is a `|`-separated hierarchy such as `country|province|city`. */
    location: z.string().max(1024).default(""),
    /** cidrs are networks whose hosts this cluster serves. */
    cidrs: z
      .array(
        z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/, {
          message: "must be a CIDR such as 10.0.0.0/8",
        }),
      )
      .default([]),
    /** hostnames are regular expressions matched against host names. */
    hostnames: z
      .array(
        z.string().refine(
          (s) => {
            try {
              new RegExp(s);
              return true;
            } catch {
              return false;
            }
          },
          { message: "must be a valid regular expression" },
        ),
      )
      .default([]),
  })
  .strict();

/** SchedulerConfig is a validated scheduler cluster config. */
export type SchedulerConfig = z.output<typeof SchedulerConfigSchema>;
/** ClientConfig is a validated dfdaemon config for a cluster. */
export type ClientConfig = z.output<typeof ClientConfigSchema>;
/** SeedPeerClusterConfig is a validated seed peer cluster config. */
export type SeedPeerClusterConfig = z.output<typeof SeedPeerClusterConfigSchema>;
/** Scopes is a validated scope set. */
export type Scopes = z.output<typeof ScopesSchema>;

/** defaultSchedulerConfig returns a fresh copy of the scheduler config defaults. */
export const defaultSchedulerConfig = (): SchedulerConfig => SchedulerConfigSchema.parse({});
/** defaultClientConfig returns a fresh copy of the client config defaults. */
export const defaultClientConfig = (): ClientConfig => ClientConfigSchema.parse({});
