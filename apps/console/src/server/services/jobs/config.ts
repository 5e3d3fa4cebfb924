import { z } from "zod";

/** JobsConfigSchema tunes job dispatch; every field has a default. */
export const JobsConfigSchema = z
  .object({
    /**
     * graceSeconds is how long a job part waits for a scheduler of its cluster to subscribe (after
     * a manager restart, or when its scheduler went away) before it fails with the reason.
     */
    graceSeconds: z.number().int().min(1).max(3600).default(30),
    /** reassignSeconds is how long a part waits for its lost scheduler before another one takes it. */
    reassignSeconds: z.number().int().min(1).max(3600).default(5),
    /** maxAttempts caps how many schedulers one part is sent to. */
    maxAttempts: z.number().int().min(1).max(10).default(3),
    /** tickMs is how often pending jobs are checked for dispatch, resends and deadlines. */
    tickMs: z.number().int().min(100).max(60_000).default(1000),
    /** legacyPreheatApi serves Dragonfly v1's `/preheats` and `/_ping` for Harbor ≤ 2.11. */
    legacyPreheatApi: z.boolean().default(false),
    /** keyFile keeps the generated credential-sealing key when DF_MANAGER_SECRET_KEY is unset. */
    keyFile: z.string().min(1).default(".data/manager/secret.key"),
  })
  .strict();

/** JobsConfig is the validated `jobs` section of the manager config. */
export type JobsConfig = z.output<typeof JobsConfigSchema>;
