import type { Logger } from "@df/logger";
import type { Database } from "@df/db";

import type { ManagerConfig } from "../config";
import { SigninThrottle } from "./signin-throttle";

/** ManagerServices is what every edge (tRPC, REST, gRPC) shares: one db, one throttle, one config. */
export interface ManagerServices {
  db: Database;
  config: ManagerConfig;
  log: Logger;
  signinThrottle: SigninThrottle;
}

/** createServices builds the shared service bag. */
export function createServices(db: Database, config: ManagerConfig, log: Logger): ManagerServices {
  return { db, config, log, signinThrottle: new SigninThrottle() };
}
