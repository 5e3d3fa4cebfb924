export { Backoff, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from "./backoff";
export { CALL_DEADLINE_MS, createManagerClient, unary } from "./client";
export { raceAbort, runReconnecting, type LinkSession, type Reconnecting } from "./reconnect";
export { openKeepAlive, openWatch, type LinkStream } from "./streams";
