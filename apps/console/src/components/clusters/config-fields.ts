import {
  ClientConfigSchema,
  defaultClientConfig,
  defaultSchedulerConfig,
  SchedulerConfigSchema,
  type ClientConfig,
  type SchedulerConfig,
} from "@df/cluster-config";

/** FieldSpec describes one numeric config field: its label, help, unit, range and default. */
export interface FieldSpec {
  key: string;
  label: string;
  help: string;
  unit: string;
  min: number;
  max: number;
  default: number;
  /** range overrides the min–max text when the rule is not a plain interval. */
  range?: string;
}

type Meta = Pick<FieldSpec, "label" | "help"> & { unit?: string; range?: string };

/** NumberSchema is the part of a zod number schema the specs read: its bounds. */
interface NumberSchema {
  unwrap(): { minValue: number | null; maxValue: number | null };
}

/** specsOf joins labels with the ranges and defaults of the shared zod schemas, in schema order. */
function specsOf<K extends string>(
  shape: Record<K, NumberSchema>,
  defaults: Record<K, number>,
  meta: Record<K, Meta>,
): FieldSpec[] {
  return (Object.keys(meta) as K[]).map((key) => {
    const bounds = shape[key].unwrap();
    return {
      key,
      unit: "",
      ...meta[key],
      min: bounds.minValue ?? 0,
      max: bounds.maxValue ?? Number.MAX_SAFE_INTEGER,
      default: defaults[key],
    };
  });
}

/** SCHEDULER_FIELDS are the scheduler config knobs, applied at once by the cluster's schedulers. */
export const SCHEDULER_FIELDS = specsOf<keyof SchedulerConfig>(
  SchedulerConfigSchema.shape,
  defaultSchedulerConfig(),
  {
    candidate_parent_limit: {
      label: "Candidate parent limit",
      help: "Parents a peer receives per scheduling round.",
    },
    filter_parent_limit: {
      label: "Filter parent limit",
      help: "Random peers of a task sampled before filtering.",
    },
    back_to_source_limit: {
      label: "Back-to-source limit",
      help: "Peers of one task downloading from the origin at once.",
    },
    retry_limit: {
      label: "Retry limit",
      help: "Scheduling rounds without a parent before the peer goes back to source.",
    },
    retry_back_to_source_limit: {
      label: "Retry back-to-source limit",
      help: "Rounds after which the peer fails with a reason.",
    },
    retry_interval_ms: {
      label: "Retry interval",
      unit: "ms",
      help: "Pause between scheduling rounds (jittered ±25 %).",
    },
    seed_peer_load_limit: {
      label: "Seed peer load limit",
      help: "Concurrent uploads a seed host may serve.",
    },
    peer_load_limit: {
      label: "Peer load limit",
      help: "Concurrent uploads a normal host may serve.",
    },
    bad_parent_cost_multiple: {
      label: "Bad parent cost multiple",
      help: "A parent is bad when a piece costs this many times its mean.",
    },
    bad_parent_min_samples: {
      label: "Bad parent minimum samples",
      help: "Piece costs needed before the bad-parent rule applies.",
    },
    host_isolation_failures: {
      label: "Host isolation failures",
      help: "Piece failures after which a host is isolated.",
    },
    host_isolation_seconds: {
      label: "Host isolation time",
      unit: "s",
      help: "How long an isolated host is excluded.",
    },
    job_rate_limit: {
      label: "Job rate limit",
      unit: "req/s",
      help: "Open-API job creations per second for this cluster.",
    },
  },
);

/** CLIENT_FIELDS are the dfdaemon knobs, applied at once by the cluster's peers. */
export const CLIENT_FIELDS = specsOf<keyof ClientConfig>(
  ClientConfigSchema.shape,
  defaultClientConfig(),
  {
    download_rate_limit: {
      label: "Download rate limit",
      unit: "bytes/s",
      help: "The host's total download rate; 0 means unlimited.",
    },
    upload_rate_limit: {
      label: "Upload rate limit",
      unit: "bytes/s",
      help: "The host's total upload rate; 0 means unlimited.",
    },
    back_to_source_rate_limit: {
      label: "Back-to-source rate limit",
      unit: "bytes/s",
      help: "The host's origin download rate; 0 means unlimited.",
    },
    piece_concurrency: {
      label: "Piece concurrency",
      help: "Pieces downloaded at once per task.",
    },
    piece_length: {
      label: "Piece length",
      unit: "bytes",
      help: "Forces a piece length; 0 picks one automatically.",
      range: "0 (automatic) or a power of two from 1,048,576 (1 MiB) to 1,073,741,824 (1 GiB)",
    },
    load_limit: {
      label: "Host upload load limit",
      help: "Concurrent piece uploads this host serves.",
    },
    gc_task_ttl_seconds: {
      label: "Task cache TTL",
      unit: "s",
      help: "Tasks not accessed for this long are evicted.",
    },
    gc_disk_high_watermark_percent: {
      label: "Disk high watermark",
      unit: "%",
      help: "Eviction starts when disk use passes it.",
    },
    gc_disk_low_watermark_percent: {
      label: "Disk low watermark",
      unit: "%",
      help: "Eviction stops here; must be below the high watermark.",
    },
  },
);
