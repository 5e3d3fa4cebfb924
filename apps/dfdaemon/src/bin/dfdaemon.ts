import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadDfdaemonConfig } from "../config/load";
import { createDfdaemonServer } from "../server";

runMain("dfdaemon", async () => {
  const config = loadDfdaemonConfig(process.argv.slice(2), process.env);
  const server = createDfdaemonServer(
    config,
    createLogger("dfdaemon", { level: config.log.level }),
  );
  await server.serve();
  return server;
});
