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

/** DEFAULT_PROXY_RULE_REGEX sends registry blob GETs (layers and configs) through P2P. */
export const DEFAULT_PROXY_RULE_REGEX = "blobs/sha256.*";
/** DEFAULT_REGISTRY_MIRROR is the upstream of mirror-mode requests that name none (Docker Hub). */
export const DEFAULT_REGISTRY_MIRROR = "https://index.docker.io";

/** validRegex tells whether a string compiles as a JavaScript regular expression. */
const validRegex = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

/** ProxyRuleSchema is one P2P rule; a bare string is shorthand for `{ regex }` (handy in flags). */
const ProxyRuleSchema = z.union([
  z
    .string()
    .min(1)
    .refine(validRegex, "must be a valid regular expression")
    .transform((regex) => ({ regex, filteredQueryParams: [] as string[] })),
  z
    .object({
      /** regex is searched (unanchored) in the request URL without its query and fragment. */
      regex: z.string().min(1).refine(validRegex, "must be a valid regular expression"),
      /** filteredQueryParams replace the default signing parameters dropped from the task id. */
      filteredQueryParams: z.array(z.string()).default([]),
    })
    .strict(),
]);

/** ProxyConfigSchema is the proxy's slice: listener, P2P rules, mirror, TLS and access control. */
export const ProxyConfigSchema = z
  .object({
    /** listenIp is loopback by default; bound elsewhere, only allowedDestinations are reachable. */
    listenIp: hostSchema("127.0.0.1"),
    port: portSchema(DEFAULT_PORTS.proxy),
    /** rules pick the GET requests served through P2P; everything else passes straight through. */
    rules: z
      .array(ProxyRuleSchema)
      .default([{ regex: DEFAULT_PROXY_RULE_REGEX, filteredQueryParams: [] }]),
    registryMirror: z
      .object({
        /** addr is the default upstream of origin-form (mirror) requests: `GET /v2/...`. */
        addr: z.string().url().default(DEFAULT_REGISTRY_MIRROR),
      })
      .strict()
      .default({ addr: DEFAULT_REGISTRY_MIRROR }),
    /** insecureSkipVerifyHosts turns off upstream TLS verification for these hosts (pass-through). */
    insecureSkipVerifyHosts: z.array(z.string()).default([]),
    /**
     * allowedDestinations (`host`, `host:port` or `*.suffix`) are the only upstreams reachable when
     * the proxy listens beyond loopback or the list is not empty; the mirror's addr is always allowed.
     */
    allowedDestinations: z.array(z.string()).default([]),
    intercept: z
      .object({
        /** hosts are regexes of CONNECT hosts whose TLS is terminated (needs the CA trusted). */
        hosts: z
          .array(z.string().refine(validRegex, "must be a valid regular expression"))
          .default([]),
        /** caCert and caKey are PEM files; empty generates a CA under `<storage.dataDir>/proxy-ca`. */
        caCert: z.string().default(""),
        caKey: z.string().default(""),
      })
      .strict()
      .default({ hosts: [], caCert: "", caKey: "" }),
  })
  .strict();

/** ProxyConfig is the validated proxy slice. */
export type ProxyConfig = z.output<typeof ProxyConfigSchema>;

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
    /** proxy is the HTTP proxy and registry mirror container runtimes pull through. */
    proxy: ProxyConfigSchema.default(ProxyConfigSchema.parse({})),
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
