import type { ListSchedulersRequest, ListSchedulersResponse } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { discoverSchedulers } from "../services/schedulers";
import { schedulerMessage } from "./messages";

/** listSchedulers picks the caller's scheduler cluster by scopes (or the pinned one) and lists its active schedulers. */
export async function listSchedulers(
  services: ManagerServices,
  req: ListSchedulersRequest,
): Promise<ListSchedulersResponse> {
  const found = await discoverSchedulers(services.db, {
    ip: req.ip,
    hostname: req.hostname,
    idc: req.idc,
    location: req.location,
    schedulerClusterId: req.schedulerClusterId,
  });
  return {
    schedulerClusterId: found.schedulerClusterId,
    schedulers: found.schedulers.map(schedulerMessage),
  };
}
