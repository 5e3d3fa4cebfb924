import type { ReportJobResultRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { reportJobResult as record } from "../services/jobs/report";
import { EMPTY } from "./messages";

/** reportJobResult records a scheduler's progress or final result for a dispatched job part. */
export async function reportJobResult(
  services: ManagerServices,
  req: ReportJobResultRequest,
): Promise<Record<string, never>> {
  await record(services, req);
  return EMPTY;
}
