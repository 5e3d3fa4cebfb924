import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadDfdaemonConfig } from "../config/load";
import { startManagerLink } from "../manager-link";
import { createDfdaemonServer } from "../server";

// tsx turns source maps on for stack traces; every gRPC call that ends early (a SyncPieces stream
// cancelled once its download is done, many per swarm) builds an error whose stack then parses
// source maps: 3 % of a 32-peer swarm's daemon CPU. Stacks keep their file names; line numbers
// are those of the transpiled code, which esbuild's type stripping mostly keeps.
process.setSourceMapsEnabled(false);

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
