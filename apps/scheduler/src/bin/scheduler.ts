import { runMain } from "@df/config";
import { createLogger } from "@df/logger";

import { loadSchedulerConfig } from "../config/load";
import { startJobWorker } from "../jobs";
import { startManagerLink } from "../manager-link";
import { createSchedulerServer } from "../server";

runMain("scheduler", async () => {
  const config = loadSchedulerConfig(process.argv.slice(2), process.env);
  const log = createLogger("scheduler", { level: config.log.level });
  const server = createSchedulerServer(config, log);
  await server.serve();
  const link = startManagerLink({ config, log, apply: (cfg) => server.applyConfig(cfg) });
  const jobs = startJobWorker({ config, log, hosts: () => server.hosts() });
  return {
    async stop() {
      await jobs.stop();
      await link.stop();
      await server.stop();
    },
  };
});
