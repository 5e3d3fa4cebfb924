import { hostname } from "node:os";

import { z } from "zod";

import { hostSchema, portSchema } from "@df/config";
import { SchedulerConfigSchema } from "@df/cluster-config";
import { LOG_LEVELS } from "@df/logger";

/** DEFAULT_SCHEDULER_PORT is Dragonfly's scheduler gRPC port. */
export const DEFAULT_SCHEDULER_PORT = 8002;

/** SchedulerAppConfigSchema is the scheduler's static configuration (file, env, flags). */
export const SchedulerAppConfigSchema = z
  .object({
    server: z
      .object({
        /** listenIp is where the gRPC server binds. */
        listenIp: hostSchema("0.0.0.0"),
        /** port is the gRPC port. */
        port: portSchema(DEFAULT_SCHEDULER_PORT),
        /** advertiseIp is the address peers and the manager use; empty means detected. */
        advertiseIp: hostSchema(""),
      })
      .strict()
      .default({ listenIp: "0.0.0.0", port: DEFAULT_SCHEDULER_PORT, advertiseIp: "" }),
    host: z
      .object({
        hostname: z.string().min(1).default(hostname()),
        idc: z.string().default(""),
        location: z.string().default(""),
      })
      .strict()
      .default({ hostname: hostname(), idc: "", location: "" }),
    manager: z
      .object({
        /** addr is the manager gRPC address; empty runs on `scheduling` from this file alone. */
        addr: z.string().default(""),
        /** schedulerClusterId is the cluster this scheduler joins. */
        schedulerClusterId: z.number().int().min(1).default(1),
        /** keepAliveIntervalSeconds is the keep-alive period towards the manager. */
        keepAliveIntervalSeconds: z.number().int().min(1).max(300).default(5),
      })
      .strict()
      .default({ addr: "", schedulerClusterId: 1, keepAliveIntervalSeconds: 5 }),
    /** dataDir keeps the last config received from the manager. */
    dataDir: z.string().min(1).default(".data/scheduler"),
    /** scheduling is the local fallback for the cluster's dynamic config. */
    scheduling: SchedulerConfigSchema.default(SchedulerConfigSchema.parse({})),
    gc: z
      .object({
        intervalSeconds: z.number().int().min(1).default(60),
        peerTtlSeconds: z
          .number()
          .int()
          .min(1)
          .default(24 * 3600),
        taskTtlSeconds: z
          .number()
          .int()
          .min(1)
          .default(24 * 3600),
        hostTtlSeconds: z.number().int().min(1).default(3600),
      })
      .strict()
      .default({
        intervalSeconds: 60,
        peerTtlSeconds: 86400,
        taskTtlSeconds: 86400,
        hostTtlSeconds: 3600,
      }),
    log: z
      .object({ level: z.enum(LOG_LEVELS).default("info") })
      .strict()
      .default({ level: "info" }),
  })
  .strict();

/** SchedulerAppConfig is the validated, frozen scheduler configuration. */
export type SchedulerAppConfig = z.output<typeof SchedulerAppConfigSchema>;
