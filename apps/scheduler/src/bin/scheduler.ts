import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadSchedulerConfig } from "../config/load";
import { createSchedulerServer } from "../server";

runMain("scheduler", async () => {
  const config = loadSchedulerConfig(process.argv.slice(2), process.env);
  const server = createSchedulerServer(
    config,
    createLogger("scheduler", { level: config.log.level }),
  );
  await server.serve();
  return server;
});
