import type { RuntimeFile } from "./files";
import { hostPort, tomlString, type RegistryRef } from "./registry-name";

/** REGISTRIES_CONF is the containers-registries.conf(5) file CRI-O, Podman, Buildah and skopeo read. */
export const REGISTRIES_CONF = "/etc/containers/registries.conf";

/**
 * registriesConf renders registries.conf (v2) with the proxy as an insecure (plain HTTP, loopback)
 * mirror of each registry. These tools send no headers to a mirror, so the daemon serves them from
 * `proxy.registryMirror.addr`: list only the registry that setting names.
 */
export function registriesConf(
  proxy: string,
  registries: RegistryRef[],
  search: string[] = ["docker.io"],
  path = REGISTRIES_CONF,
): RuntimeFile {
  const lines = [
    "# Written by dfinit: pulls go through the Dragonfly dfdaemon proxy first.",
    `unqualified-search-registries = [${search.map(tomlString).join(", ")}]`,
  ];
  for (const r of registries) {
    lines.push(
      "",
      "[[registry]]",
      `prefix = ${tomlString(r.name)}`,
      `location = ${tomlString(r.name)}`,
      "",
      "[[registry.mirror]]",
      `location = ${tomlString(hostPort(proxy))}`,
      "insecure = true",
    );
  }
  return { path, content: `${lines.join("\n")}\n` };
}
