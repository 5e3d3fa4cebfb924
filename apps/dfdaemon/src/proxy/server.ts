import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { Socket } from "node:net";

import { ErrorCode } from "@df/errors";
import type { Logger } from "@df/logger";

import { redactUrl } from "../backend/http-source";
import type { ProxyConfig } from "../config/schema";
import type { TaskDownloader } from "../download/task-download";
import type { Storage } from "../storage/storage";
import { createAccessPolicy, targetPort } from "./access";
import { loadOrCreateCa } from "./ca";
import { handleConnect } from "./connect";
import { proxyError, sendError } from "./errors";
import { parseDragonflyHeaders, taskHeaders, type DragonflyHeaders } from "./headers";
import { Interceptor } from "./intercept";
import { mirrorTarget } from "./mirror";
import { serveP2P } from "./p2p-response";
import { passThrough } from "./pass-through";
import { blobDigest, compileRules, p2pRule } from "./rules";

/** ProxyDeps are the proxy's configuration and the daemon resources it serves P2P with. */
export interface ProxyDeps {
  config: ProxyConfig;
  downloader: TaskDownloader;
  storage: Storage;
  log: Logger;
  /** dataDir holds the generated interception CA (`proxy-ca/ca.crt`, `proxy-ca/ca.key`). */
  dataDir: string;
}

/** ProxyServer is the HTTP proxy and registry mirror listener. */
export interface ProxyServer {
  listen(): Promise<void>;
  close(): Promise<void>;
  /** caCertPath is the CA file clients must trust for interception, when interception is on. */
  readonly caCertPath: string | undefined;
}

/** createInterceptor loads or generates the CA when interception is configured. */
function createInterceptor(deps: ProxyDeps): { interceptor?: Interceptor; caCertPath?: string } {
  const { hosts, caCert, caKey } = deps.config.intercept;
  if (hosts.length === 0) return {};
  const certPath = caCert || join(deps.dataDir, "proxy-ca", "ca.crt");
  const keyPath = caKey || join(deps.dataDir, "proxy-ca", "ca.key");
  const ca = loadOrCreateCa(certPath, keyPath);
  return {
    interceptor: new Interceptor(
      ca,
      hosts.map((h) => new RegExp(h)),
    ),
    caCertPath: certPath,
  };
}

/** createProxyServer builds the proxy: P2P for rule matches, pass-through for the rest. */
export function createProxyServer(deps: ProxyDeps): ProxyServer {
  const { config, log } = deps;
  const rules = compileRules(config.rules);
  const access = createAccessPolicy(config);
  const insecure = new Set(config.insecureSkipVerifyHosts.map((h) => h.toLowerCase()));
  const { interceptor, caCertPath } = createInterceptor(deps);
  const tunnels = new Set<Socket>();

  /** targetOf resolves the absolute URL a request is for: intercepted, absolute-form or mirror. */
  const targetOf = (req: IncomingMessage, df: DragonflyHeaders): URL => {
    const raw = req.url ?? "";
    const authority = interceptor?.authorityOf(req.socket);
    if (authority) return new URL(raw, `https://${authority}`);
    if (/^https?:\/\//i.test(raw)) return new URL(raw);
    if (raw.startsWith("/")) return mirrorTarget(raw, df.registry, config.registryMirror.addr);
    throw proxyError(
      ErrorCode.InvalidArgument,
      `cannot proxy request target ${JSON.stringify(raw)}`,
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const df = parseDragonflyHeaders(req.headers);
    const target = targetOf(req, df);
    access.check(target.hostname, targetPort(target));
    const skipVerify = target.protocol === "https:" && insecure.has(target.hostname.toLowerCase());
    // The P2P download verifies upstream TLS; hosts an operator marked insecure pass through.
    const rule = skipVerify ? undefined : p2pRule(req.method, target, rules, df);
    log.debug("proxy request", { method: req.method, url: redactUrl(target.href), p2p: !!rule });
    if (!rule) return passThrough(req, res, target, skipVerify);
    req.resume();
    await serveP2P(
      deps,
      {
        url: target.href,
        headers: taskHeaders(req.headers),
        tag: df.tag,
        application: df.application,
        filteredQueryParams: df.filteredQueryParams ?? rule.filteredQueryParams,
        digest: blobDigest(target),
        rangeHeader: req.headers.range,
      },
      res,
    );
  };

  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err, log));
  });
  server.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) =>
    handleConnect({ access, interceptor, server, tunnels, log }, req, socket, head),
  );

  return {
    caCertPath,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once("error", (err) =>
          reject(
            new Error(
              `dfdaemon: cannot listen proxy on ${config.listenIp}:${config.port}: ${err.message}`,
            ),
          ),
        );
        server.listen(config.port, config.listenIp, () => {
          log.info("proxy listening", {
            proxy: `http://${config.listenIp}:${config.port}`,
            open: access.open,
            intercept: caCertPath ?? "off",
          });
          resolve();
        });
      }),
    async close() {
      for (const s of tunnels) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
