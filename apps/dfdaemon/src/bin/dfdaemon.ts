import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadDfdaemonConfig } from "../config/load";
import { startManagerLink } from "../manager-link";
import { createDfdaemonServer } from "../server";

runMain("dfdaemon", async () => {
  const config = loadDfdaemonConfig(process.argv.slice(2), process.env);
  const log = createLogger("dfdaemon", { level: config.log.level });
  const server = createDfdaemonServer(config, log);
  await server.serve();
  const link = startManagerLink({
    config,
    log,
    hostId: server.hostId,
    apply: (cfg) => server.applyClientConfig(cfg),
    setSchedulers: (a) => server.setSchedulers(a),
  });
  return {
    async stop() {
      await link.stop();
      await server.stop();
    },
  };
});
