import { hostname } from "node:os";

import { z } from "zod";

import { ClientConfigSchema } from "@df/cluster-config";
import { hostSchema, portSchema } from "@df/config";
import { LOG_LEVELS } from "@df/logger";

/** DEFAULT_PORTS are Dragonfly's dfdaemon ports: upload gRPC, proxy, metrics, health, piece data. */
export const DEFAULT_PORTS = {
  upload: 4000,
  proxy: 4001,
  metrics: 4002,
  health: 4003,
  data: 4005,
} as const;

/** DfdaemonConfigSchema is the dfdaemon's static configuration (file, env, flags). */
export const DfdaemonConfigSchema = z
  .object({
    host: z
      .object({
        hostname: z.string().min(1).default(hostname()),
        /** ip is the address other peers reach this host on; empty means detected. */
        ip: hostSchema(""),
        idc: z.string().default(""),
        location: z.string().default(""),
      })
      .strict()
      .default({ hostname: hostname(), ip: "", idc: "", location: "" }),
    /** seedPeer turns this daemon into a seed peer that fetches from the source first. */
    seedPeer: z
      .object({
        enable: z.boolean().default(false),
        seedPeerClusterId: z.number().int().min(1).default(1),
      })
      .strict()
      .default({ enable: false, seedPeerClusterId: 1 }),
    server: z
      .object({
        /** socketPath is the local socket dfget talks to. */
        socketPath: z.string().min(1).default(".data/dfdaemon/dfdaemon.sock"),
      })
      .strict()
      .default({ socketPath: ".data/dfdaemon/dfdaemon.sock" }),
    upload: z
      .object({
        listenIp: hostSchema("0.0.0.0"),
        /** port serves the DfdaemonUpload gRPC service to peers and schedulers. */
        port: portSchema(DEFAULT_PORTS.upload),
        /** dataPort serves piece bytes over HTTP range requests. */
        dataPort: portSchema(DEFAULT_PORTS.data),
      })
      .strict()
      .default({ listenIp: "0.0.0.0", port: DEFAULT_PORTS.upload, dataPort: DEFAULT_PORTS.data }),
    health: z
      .object({ listenIp: hostSchema("127.0.0.1"), port: portSchema(DEFAULT_PORTS.health) })
      .strict()
      .default({ listenIp: "127.0.0.1", port: DEFAULT_PORTS.health }),
    proxy: z
      .object({ listenIp: hostSchema("127.0.0.1"), port: portSchema(DEFAULT_PORTS.proxy) })
      .strict()
      .default({ listenIp: "127.0.0.1", port: DEFAULT_PORTS.proxy }),
    manager: z
      .object({
        /** addr is the manager gRPC address; empty uses `scheduler.addrs` and `download` alone. */
        addr: z.string().default(""),
      })
      .strict()
      .default({ addr: "" }),
    scheduler: z
      .object({ addrs: z.array(z.string()).default([]) })
      .strict()
      .default({ addrs: [] }),
    storage: z
      .object({
        dataDir: z.string().min(1).default(".data/dfdaemon"),
        /** capacityBytes caps the storage for GC watermarks; 0 uses the filesystem's size. */
        capacityBytes: z.number().int().min(0).default(0),
      })
      .strict()
      .default({ dataDir: ".data/dfdaemon", capacityBytes: 0 }),
    gc: z
      .object({ intervalSeconds: z.number().int().min(1).max(86_400).default(60) })
      .strict()
      .default({ intervalSeconds: 60 }),
    /** download is the local fallback for the cluster's client config pushed by the manager. */
    download: ClientConfigSchema.default(ClientConfigSchema.parse({})),
    log: z
      .object({ level: z.enum(LOG_LEVELS).default("info") })
      .strict()
      .default({ level: "info" }),
  })
  .strict();

/** DfdaemonConfig is the validated, frozen dfdaemon configuration. */
export type DfdaemonConfig = z.output<typeof DfdaemonConfigSchema>;
