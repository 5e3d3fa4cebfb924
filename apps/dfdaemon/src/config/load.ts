import { detectIp, loadConfig, parseArgs } from "@df/config";

import { DfdaemonConfigSchema, type DfdaemonConfig } from "./schema";

/** ENV_PREFIX prefixes dfdaemon environment variables, e.g. DF_DFDAEMON_UPLOAD_PORT. */
export const ENV_PREFIX = "DF_DFDAEMON_";

/** loadDfdaemonConfig reads `--config FILE`, the environment and `--a.b=value` flags. */
export function loadDfdaemonConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): DfdaemonConfig {
  const { flags } = parseArgs(argv);
  const file = flags.get("config")?.at(-1) ?? env.DF_DFDAEMON_CONFIG;
  const config = loadConfig({
    schema: DfdaemonConfigSchema,
    envPrefix: ENV_PREFIX,
    file,
    env,
    flags,
  });
  if (config.host.ip) return config;
  const ip = config.upload.listenIp === "0.0.0.0" ? detectIp() : config.upload.listenIp;
  return Object.freeze({ ...config, host: Object.freeze({ ...config.host, ip }) });
}
