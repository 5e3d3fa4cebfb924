import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadManagerConfig } from "./config";
import { createManager } from "./manager";

runMain("manager", async () => {
  const config = loadManagerConfig(process.argv.slice(2), process.env);
  const manager = createManager(config, createLogger("manager", { level: config.log.level }));
  await manager.serve();
  return manager;
});
