/** LogLevel orders messages; anything below the logger's level is dropped. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** LOG_LEVELS lists the accepted level names, for config validation. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** Fields are key/value context bound to a logger (host, task and peer ids, ...). */
export type Fields = Record<string, string | number | boolean | undefined | null>;

/** Logger writes one line per message to stderr: time, level, component, message, fields. */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** with returns a child logger with extra bound fields. */
  with(fields: Fields): Logger;
}

/** LoggerOptions set the component name, level and an optional sink (tests capture lines). */
export interface LoggerOptions {
  level?: LogLevel;
  sink?: (line: string) => void;
}

function render(fields: Fields): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(
      ([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : String(v)}`,
    )
    .join(" ");
}

/** createLogger returns a logger for one component; messages are lowercase by convention. */
export function createLogger(
  component: string,
  opts: LoggerOptions = {},
  bound: Fields = {},
): Logger {
  const min = ORDER[opts.level ?? "info"];
  const sink = opts.sink ?? ((line: string) => process.stderr.write(line + "\n"));
  const log =
    (level: LogLevel) =>
    (msg: string, fields: Fields = {}) => {
      if (ORDER[level] < min) return;
      const extra = render({ ...bound, ...fields });
      sink(
        `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${component}: ${msg}${extra ? " " + extra : ""}`,
      );
    };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    with: (fields) => createLogger(component, opts, { ...bound, ...fields }),
  };
}

/** noopLogger discards everything; tests pass it where output does not matter. */
export const noopLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  with: () => noopLogger,
};
