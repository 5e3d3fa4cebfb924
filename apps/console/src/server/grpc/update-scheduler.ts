import type { Scheduler, UpdateSchedulerRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { registerScheduler } from "../services/schedulers";
import { schedulerMessage } from "./messages";

/** updateScheduler registers a scheduler (upsert by hostname, ip and cluster) and returns its record. */
export async function updateScheduler(
  services: ManagerServices,
  req: UpdateSchedulerRequest,
): Promise<Scheduler> {
  const row = await registerScheduler(services.db, {
    hostname: req.hostname,
    ip: req.ip,
    port: req.port,
    idc: req.idc,
    location: req.location,
    schedulerClusterId: req.schedulerClusterId,
    features: req.features,
  });
  services.log.info("scheduler registered", {
    id: row.id,
    hostname: row.hostname,
    ip: row.ip,
    cluster: row.schedulerClusterId,
    version: req.version,
  });
  return schedulerMessage(row);
}
