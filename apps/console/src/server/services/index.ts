import type { Database } from "@df/db";
import type { Logger } from "@df/logger";

import type { ManagerConfig } from "../config";
import { ConfigBus } from "./config-bus";
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
}

/** createServices builds the shared service bag. */
export function createServices(db: Database, config: ManagerConfig, log: Logger): ManagerServices {
  return {
    db,
    config,
    log,
    signinThrottle: new SigninThrottle(),
    configBus: new ConfigBus(),
    liveness: new Liveness(db, config.keepAlive.intervalSeconds),
  };
}
