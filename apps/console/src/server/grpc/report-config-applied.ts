import { ComponentKind, type ReportConfigAppliedRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { recordApplied, type AppliedReport } from "../services/config-applied";
import { EMPTY } from "./messages";

/** COMPONENTS maps the wire enum to the service's component names. */
const COMPONENTS: Partial<Record<ComponentKind, AppliedReport["component"]>> = {
  [ComponentKind.COMPONENT_KIND_SCHEDULER]: "scheduler",
  [ComponentKind.COMPONENT_KIND_SEED_PEER]: "seed-peer",
  [ComponentKind.COMPONENT_KIND_DFDAEMON]: "dfdaemon",
};

/** reportConfigApplied records the configuration revision a component now runs. */
export async function reportConfigApplied(
  services: ManagerServices,
  req: ReportConfigAppliedRequest,
): Promise<Record<string, never>> {
  await recordApplied(services, {
    component: COMPONENTS[req.component] ?? "dfdaemon",
    hostname: req.hostname,
    ip: req.ip,
    schedulerClusterId: req.schedulerClusterId,
    revision: req.revision,
    error: req.error,
  });
  return EMPTY;
}
