import { z } from "zod";

import { hostSchema, loadConfig, parseArgs, portSchema } from "@df/config";
import { LOG_LEVELS } from "@df/logger";

import { JobsConfigSchema } from "./services/jobs/config";

/** ManagerConfigSchema is the manager's static configuration (file, env, flags). */
export const ManagerConfigSchema = z
  .object({
    http: z
      .object({ listenIp: hostSchema("127.0.0.1"), port: portSchema(8080) })
      .strict()
      .default({ listenIp: "127.0.0.1", port: 8080 }),
    grpc: z
      .object({ listenIp: hostSchema("127.0.0.1"), port: portSchema(65003) })
      .strict()
      .default({ listenIp: "127.0.0.1", port: 65003 }),
    database: z
      .object({
        /** url selects PostgreSQL (postgres://...); empty means embedded PGlite in `dataDir`. */
        url: z
          .string()
          .refine((u) => u === "" || /^postgres(ql)?:\/\//.test(u), {
            message: "must start with postgres:// or postgresql://",
          })
          .default(""),
        dataDir: z.string().min(1).default(".data/manager/pglite"),
      })
      .strict()
      .default({ url: "", dataDir: ".data/manager/pglite" }),
    session: z
      .object({
        ttlHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
      })
      .strict()
      .default({ ttlHours: 24 }),
    keepAlive: z
      .object({
        /** intervalSeconds is assumed for components that do not report their heartbeat interval. */
        intervalSeconds: z.number().int().min(1).max(3600).default(5),
        /** sweepSeconds is how often components without heartbeats are marked inactive. */
        sweepSeconds: z.number().int().min(1).max(3600).default(5),
      })
      .strict()
      .default({ intervalSeconds: 5, sweepSeconds: 5 }),
    jobs: JobsConfigSchema.default(JobsConfigSchema.parse({})),
    log: z
      .object({ level: z.enum(LOG_LEVELS).default("info") })
      .strict()
      .default({ level: "info" }),
  })
  .strict();

/** ManagerConfig is the validated, frozen manager configuration. */
export type ManagerConfig = z.output<typeof ManagerConfigSchema> & {
  /** initialRootPassword is DRAGONFLY_INITIAL_ROOT_PASSWORD, used once at first start. */
  initialRootPassword: string | undefined;
  /** personalAccessToken is DRAGONFLY_PAT, created for root at first start. */
  personalAccessToken: string | undefined;
  /** secretKey is DF_MANAGER_SECRET_KEY, the key sealing job credentials (else a key file in the data dir). */
  secretKey?: string | undefined;
};

/** ENV_PREFIX prefixes manager environment variables, e.g. DF_MANAGER_HTTP_PORT. */
export const ENV_PREFIX = "DF_MANAGER_";

/** loadManagerConfig reads `--config FILE`, the environment (DATABASE_URL too) and flags. */
export function loadManagerConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ManagerConfig {
  const { flags } = parseArgs(argv);
  const file = flags.get("config")?.at(-1) ?? env.DF_MANAGER_CONFIG;
  const merged = { ...env };
  if (merged.DATABASE_URL && !merged.DF_MANAGER_DATABASE_URL)
    merged.DF_MANAGER_DATABASE_URL = merged.DATABASE_URL;
  const config = loadConfig({
    schema: ManagerConfigSchema,
    envPrefix: ENV_PREFIX,
    file,
    env: merged,
    flags,
  });
  return Object.freeze({
    ...config,
    initialRootPassword: env.DRAGONFLY_INITIAL_ROOT_PASSWORD || undefined,
    personalAccessToken: env.DRAGONFLY_PAT || undefined,
    secretKey: env.DF_MANAGER_SECRET_KEY || undefined,
  });
}
