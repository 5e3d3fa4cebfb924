import type { SeedPeer, UpdateSeedPeerRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { registerSeedPeer } from "../services/seed-peers";
import { seedPeerMessage } from "./messages";

/** updateSeedPeer registers a seed peer (upsert by hostname, ip and cluster) and returns its record. */
export async function updateSeedPeer(
  services: ManagerServices,
  req: UpdateSeedPeerRequest,
): Promise<SeedPeer> {
  const row = await registerSeedPeer(services.db, {
    hostname: req.hostname,
    ip: req.ip,
    port: req.port,
    downloadPort: req.downloadPort,
    proxyPort: req.proxyPort,
    idc: req.idc,
    location: req.location,
    seedPeerClusterId: req.seedPeerClusterId,
  });
  services.log.info("seed peer registered", {
    id: row.id,
    hostname: row.hostname,
    ip: row.ip,
    cluster: row.seedPeerClusterId,
  });
  return seedPeerMessage(row);
}
