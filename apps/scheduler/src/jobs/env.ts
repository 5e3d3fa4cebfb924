import type { Logger } from "@df/logger";

import type { Host } from "../resource/host";
import type { UploadClients } from "./download";

/** JobEnv is what job handlers need from the scheduler. */
export interface JobEnv {
  /** hostname and advertiseIp name this scheduler in results and to dfdaemons. */
  hostname: string;
  advertiseIp: string;
  clusterId: number;
  /** hosts lists the hosts that announced themselves to this scheduler, now. */
  hosts(): Host[];
  clients: UploadClients;
  log: Logger;
}

/** JobOutcome is how a job ended on this scheduler: its result, and why it failed if it did. */
export type JobOutcome =
  { ok: true; result: unknown } | { ok: false; error: string; result: unknown };
