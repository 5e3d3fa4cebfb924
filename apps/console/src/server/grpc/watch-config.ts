import type { ServerWritableStream } from "@grpc/grpc-js";

import { invalidArgument } from "@df/errors";
import type { ConfigUpdate, WatchConfigRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";
import { currentClusterConfig } from "../services/cluster-config";
import type { ConfigSnapshot } from "../services/config-bus";
import { configUpdateOf } from "./messages";

/**
 * watchConfig streams a cluster's configuration: the current revision first, then every saved
 * change as it is published. It subscribes before reading the current revision and never sends
 * a revision lower than or equal to one already sent, so a change saved meanwhile is neither
 * lost nor delivered out of order.
 */
export async function watchConfig(
  services: ManagerServices,
  call: ServerWritableStream<WatchConfigRequest, ConfigUpdate>,
): Promise<void> {
  const clusterId = call.request.schedulerClusterId;
  if (!clusterId) throw invalidArgument("scheduler_cluster_id", "is required");
  let open = true;
  let last = 0;
  const send = (s: ConfigSnapshot) => {
    if (!open || s.revision <= last) return;
    last = s.revision;
    call.write(configUpdateOf(s));
  };
  const unsubscribe = services.configBus.subscribe(clusterId, {
    update: send,
    close: () => {
      if (!open) return;
      open = false;
      call.end();
    },
  });
  const stop = () => {
    open = false;
    unsubscribe();
  };
  call.on("cancelled", stop);
  call.on("close", stop);
  try {
    send(await currentClusterConfig(services.db, clusterId));
  } catch (err) {
    stop();
    throw err;
  }
}
