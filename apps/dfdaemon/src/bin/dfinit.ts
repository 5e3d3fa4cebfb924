/**
 * dfinit prints (or, with --write, writes) the configuration that makes container runtimes pull
 * through this host's dfdaemon proxy: containerd hosts.toml, Docker daemon.json, registries.conf.
 */
import { parseArgs } from "@df/config";

import { loadDfdaemonConfig } from "../config/load";
import { runtimeFiles, RUNTIMES, writeRuntimeFiles, type Runtime } from "../proxy/runtime/files";
import { registryRef } from "../proxy/runtime/registry-name";

/** USAGE is dfinit's help text. */
const USAGE = `usage: dfinit [--runtime containerd|docker|crio|all] [--registry REGISTRY]... [--proxy URL]
              [--write] [--root DIR] [--docker-https-proxy] [--containerd-certs-dir DIR]
              [--docker-config FILE] [--registries-conf FILE] [dfdaemon flags, e.g. --config FILE]

Prints the files to stdout; --write writes them (under --root, default /). The proxy address and
the default registry come from the dfdaemon config (proxy.port, proxy.registryMirror.addr).`;

const BOOLEAN_FLAGS = new Set(["write", "docker-https-proxy", "help"]);

function main(argv: string[]): number {
  const { flags } = parseArgs(argv, BOOLEAN_FLAGS);
  const last = (name: string) => flags.get(name)?.at(-1);
  if (flags.has("help")) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Dotted flags and --config are dfdaemon's own; the rest are dfinit's.
  const daemonArgs = [...flags].flatMap(([k, vs]) =>
    k.includes(".") || k === "config" ? vs.map((v) => `--${k}=${v}`) : [],
  );
  const config = loadDfdaemonConfig(daemonArgs, process.env);
  const { listenIp, port } = config.proxy;
  const host = listenIp === "0.0.0.0" || listenIp === "::" ? "127.0.0.1" : listenIp;
  const proxy = last("proxy") ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const runtime = last("runtime") ?? "all";
  if (runtime !== "all" && !(RUNTIMES as readonly string[]).includes(runtime))
    throw new Error(`--runtime must be one of ${RUNTIMES.join(", ")} or all, got ${runtime}`);
  const files = runtimeFiles({
    proxy,
    registries: (flags.get("registry") ?? [config.proxy.registryMirror.addr]).map(registryRef),
    runtimes: runtime === "all" ? [...RUNTIMES] : [runtime as Runtime],
    root: last("root") ?? "/",
    containerdCertsDir: last("containerd-certs-dir"),
    dockerDaemonJson: last("docker-config"),
    registriesConf: last("registries-conf"),
    dockerHttpsProxy: flags.has("docker-https-proxy"),
  });
  if (flags.has("write")) {
    for (const path of writeRuntimeFiles(files, last("root") ?? "/"))
      process.stderr.write(`dfinit: wrote ${path}\n`);
  } else {
    for (const f of files) process.stdout.write(`# ==> ${f.path} <==\n${f.content}\n`);
  }
  if (files.some((f) => f.path.endsWith("hosts.toml"))) {
    process.stderr.write(
      'dfinit: containerd reads hosts.toml only when its CRI registry config_path points at the folder (config_path = "/etc/containerd/certs.d")\n',
    );
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`dfinit: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
}
