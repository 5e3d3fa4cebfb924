import type { Database } from "@df/db";
import type { Logger } from "@df/logger";

import type { ManagerConfig } from "../config";
import { ConfigBus } from "./config-bus";
import { JobDispatcher } from "./jobs/dispatcher";
import { PayloadCache } from "./jobs/payload";
import { JobRateLimiter } from "./jobs/rate-limit";
import { loadSecretBox, type SecretBox } from "./jobs/secret-box";
import { Liveness } from "./liveness";
import { SigninThrottle } from "./signin-throttle";

/** ManagerServices is what every edge (tRPC, REST, gRPC) shares: one db, throttle, bus and config. */
export interface ManagerServices {
  db: Database;
  config: ManagerConfig;
  log: Logger;
  signinThrottle: SigninThrottle;
  /** configBus pushes saved cluster configs to WatchConfig streams. */
  configBus: ConfigBus;
  /** liveness tracks KeepAlive streams and expires silent components. */
  liveness: Liveness;
  /** jobs dispatches job parts to subscribed schedulers and tracks their durable state. */
  jobs: JobDispatcher;
  /** secretBox seals job credentials before they are stored. */
  secretBox: SecretBox;
  /** jobRateLimiter limits job creation per scheduler cluster (`job_rate_limit`). */
  jobRateLimiter: JobRateLimiter;
}

/** createServices builds the shared service bag. */
export function createServices(db: Database, config: ManagerConfig, log: Logger): ManagerServices {
  const secretBox = loadSecretBox(config.secretKey, config.jobs.keyFile);
  return {
    db,
    config,
    log,
    signinThrottle: new SigninThrottle(),
    configBus: new ConfigBus(),
    liveness: new Liveness(db, config.keepAlive.intervalSeconds),
    jobs: new JobDispatcher(db, log, config.jobs, new PayloadCache(secretBox)),
    secretBox,
    jobRateLimiter: new JobRateLimiter(),
  };
}
