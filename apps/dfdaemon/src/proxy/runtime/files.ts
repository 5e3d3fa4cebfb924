import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { containerdHostsToml, CONTAINERD_CERTS_DIR } from "./containerd";
import { DOCKER_DAEMON_JSON, dockerDaemonJson } from "./docker";
import { registriesConf, REGISTRIES_CONF } from "./registries-conf";
import type { RegistryRef } from "./registry-name";

/** RuntimeFile is one configuration file to print or write. */
export interface RuntimeFile {
  path: string;
  content: string;
}

/** RUNTIMES are the container runtimes dfinit configures. */
export const RUNTIMES = ["containerd", "docker", "crio"] as const;

/** Runtime is one of RUNTIMES. */
export type Runtime = (typeof RUNTIMES)[number];

/** RuntimeOptions say what to configure and where the files live. */
export interface RuntimeOptions {
  proxy: string;
  registries: RegistryRef[];
  runtimes: Runtime[];
  /** root prefixes every path (an image build or a test folder); "" is the real root. */
  root: string;
  containerdCertsDir?: string;
  dockerDaemonJson?: string;
  registriesConf?: string;
  dockerHttpsProxy?: boolean;
}

/** runtimeFiles renders the files for the chosen runtimes; daemon.json is merged with the existing one. */
export function runtimeFiles(o: RuntimeOptions): RuntimeFile[] {
  const out: RuntimeFile[] = [];
  if (o.runtimes.includes("containerd"))
    out.push(
      ...containerdHostsToml(o.proxy, o.registries, o.containerdCertsDir ?? CONTAINERD_CERTS_DIR),
    );
  if (o.runtimes.includes("docker")) {
    const path = o.dockerDaemonJson ?? DOCKER_DAEMON_JSON;
    const full = join(o.root, path);
    const existing = existsSync(full)
      ? (JSON.parse(readFileSync(full, "utf8")) as Record<string, unknown>)
      : {};
    out.push(dockerDaemonJson(existing, o.proxy, o.dockerHttpsProxy, path));
  }
  if (o.runtimes.includes("crio"))
    out.push(registriesConf(o.proxy, o.registries, undefined, o.registriesConf ?? REGISTRIES_CONF));
  return out;
}

/** writeRuntimeFiles writes each file under `root`, creating folders, and returns the paths. */
export function writeRuntimeFiles(files: RuntimeFile[], root: string): string[] {
  return files.map((f) => {
    const full = join(root, f.path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, f.content);
    return full;
  });
}
