import { Metadata, type ServerWritableStream } from "@grpc/grpc-js";

import { eq, schedulerClusters } from "@df/db";
import { invalidArgument, notFound } from "@df/errors";
import type { Job, SubscribeJobsRequest } from "@df/proto/manager/v2";

import type { ManagerServices } from "../services";

/**
 * subscribeJobs holds a scheduler's job stream open: the scheduler receives every job part
 * dispatched to it (again after it reconnects, until the part is reported) until it hangs up or
 * the manager stops. Headers are sent at once, so the scheduler knows it is subscribed.
 */
export async function subscribeJobs(
  services: ManagerServices,
  call: ServerWritableStream<SubscribeJobsRequest, Job>,
): Promise<void> {
  const { schedulerClusterId: clusterId, hostname, ip } = call.request;
  if (!clusterId) throw invalidArgument("scheduler_cluster_id", "is required");
  if (!hostname || !ip) throw invalidArgument("hostname", "hostname and ip are required");
  const [cluster] = await services.db
    .select({ id: schedulerClusters.id })
    .from(schedulerClusters)
    .where(eq(schedulerClusters.id, clusterId));
  if (!cluster) throw notFound("scheduler cluster", clusterId);
  call.sendMetadata(new Metadata());
  await new Promise<void>((resolve) => {
    const unsubscribe = services.jobs.subscribe({
      clusterId,
      hostname,
      ip,
      send: (job) => void call.write(job),
      close: () => call.end(),
    });
    const stop = () => {
      unsubscribe();
      resolve();
    };
    call.on("cancelled", stop);
    call.on("close", stop);
    call.on("error", stop);
  });
}
