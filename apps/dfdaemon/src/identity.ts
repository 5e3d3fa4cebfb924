import { createHash, randomUUID } from "node:crypto";

/** HostIdentity names this daemon to schedulers and peers. */
export interface HostIdentity {
  hostId: string;
  peerId: () => string;
}

/** hostIdentity derives a stable host id from ip and hostname, and fresh peer ids per download. */
export function hostIdentity(ip: string, hostname: string, seed: boolean): HostIdentity {
  const hostId = createHash("sha256")
    .update(`${ip}-${hostname}${seed ? "-seed" : ""}`)
    .digest("hex");
  return { hostId, peerId: () => `${ip}-${hostname}-${randomUUID()}` };
}
