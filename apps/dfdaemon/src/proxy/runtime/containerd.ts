import { join } from "node:path";

import type { RuntimeFile } from "./files";
import { tomlString, type RegistryRef } from "./registry-name";

/** CONTAINERD_CERTS_DIR is containerd's conventional registry `config_path`. */
export const CONTAINERD_CERTS_DIR = "/etc/containerd/certs.d";

/** hostBlock is the proxy as a pull/resolve mirror, optionally naming the upstream in a header. */
function hostBlock(proxy: string, upstream?: string): string {
  const key = `host.${tomlString(proxy)}`;
  const lines = [`[${key}]`, `  capabilities = ["pull", "resolve"]`];
  if (upstream)
    lines.push(`  [${key}.header]`, `    X-Dragonfly-Registry = [${tomlString(upstream)}]`);
  return lines.join("\n");
}

/**
 * containerdHostsToml renders `<certsDir>/<registry>/hosts.toml` for each registry: containerd
 * tries the proxy first (sending the upstream in `X-Dragonfly-Registry`) and falls back to the
 * registry itself. With `all`, `_default/hosts.toml` routes every other registry through the
 * proxy, which then takes the upstream from containerd's `ns` query parameter.
 */
export function containerdHostsToml(
  proxy: string,
  registries: RegistryRef[],
  certsDir = CONTAINERD_CERTS_DIR,
  all = true,
): RuntimeFile[] {
  const files = registries.map((r) => ({
    path: join(certsDir, r.name, "hosts.toml"),
    content: `server = ${tomlString(r.url)}\n\n${hostBlock(proxy, r.url)}\n`,
  }));
  if (all)
    files.push({
      path: join(certsDir, "_default", "hosts.toml"),
      content: `${hostBlock(proxy)}\n`,
    });
  return files;
}
