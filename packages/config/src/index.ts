export { loadConfig, ConfigError, type LoadConfigOptions, type ConfigSources } from "./load";
export { parseArgs, type ParsedArgs } from "./args";
export { runMain } from "./main";
export { detectIp } from "./net";
export { portSchema, hostSchema } from "./fields";
