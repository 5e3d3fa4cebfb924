import { detectIp, loadConfig, parseArgs } from "@df/config";

import { SchedulerAppConfigSchema, type SchedulerAppConfig } from "./schema";

/** ENV_PREFIX prefixes scheduler environment variables, e.g. DF_SCHEDULER_SERVER_PORT. */
export const ENV_PREFIX = "DF_SCHEDULER_";

/** loadSchedulerConfig reads `--config FILE`, the environment and `--a.b=value` flags. */
export function loadSchedulerConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): SchedulerAppConfig {
  const { flags } = parseArgs(argv);
  const file = flags.get("config")?.at(-1) ?? env.DF_SCHEDULER_CONFIG;
  const config = loadConfig({
    schema: SchedulerAppConfigSchema,
    envPrefix: ENV_PREFIX,
    file,
    env,
    flags,
  });
  if (config.server.advertiseIp) return config;
  const advertiseIp = config.server.listenIp === "0.0.0.0" ? detectIp() : config.server.listenIp;
  return Object.freeze({ ...config, server: Object.freeze({ ...config.server, advertiseIp }) });
}
