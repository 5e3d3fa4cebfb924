import { Metadata } from "@grpc/grpc-js";

import { JobState, type Job, type ManagerClient } from "@df/proto/manager/v2";
import { fromGrpcError } from "@df/proto/status";
import { waitFor } from "@df/testkit";

import { keepAlive, managerClient, updateScheduler } from "./grpc";

/** FakeScheduler is a registered, live scheduler holding SubscribeJobs, driven by the test. */
export interface FakeScheduler {
  hostname: string;
  ip: string;
  /** jobs are every job message received, in order. */
  jobs: Job[];
  /** nextJob waits for the job message number `index` (0-based). */
  nextJob(index: number, timeoutMs?: number): Promise<Job>;
  /** report sends ReportJobResult for a received job. */
  report(job: Job, state: JobState, result: unknown, error?: string): Promise<void>;
  /** die drops every stream like a crashed scheduler. */
  die(): void;
}

/** startFakeScheduler registers `hostname` in `clusterId`, keeps it alive and subscribes to jobs. */
export async function startFakeScheduler(
  grpcAddr: string,
  hostname: string,
  clusterId = 1,
  ip = "127.0.0.1",
): Promise<FakeScheduler> {
  const client: ManagerClient = managerClient(grpcAddr);
  await updateScheduler(client, { hostname, ip, schedulerClusterId: clusterId });
  const alive = keepAlive(client, { hostname, ip, clusterId });
  alive.beat();
  const jobs: Job[] = [];
  const stream = client.subscribeJobs({ schedulerClusterId: clusterId, hostname, ip });
  stream.on("data", (job: Job) => jobs.push(job));
  stream.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    stream.once("metadata", () => resolve());
    stream.once("error", (err: Error) => reject(fromGrpcError(err)));
  });
  return {
    hostname,
    ip,
    jobs,
    async nextJob(index, timeoutMs = 10_000) {
      await waitFor(`${hostname} job #${index}`, async () => jobs.length > index, timeoutMs, 20);
      const job = jobs[index];
      if (!job) throw new Error("no job");
      return job;
    },
    report: (job, state, result, error = "") =>
      new Promise((resolve, reject) =>
        client.reportJobResult(
          {
            jobId: job.id,
            hostname,
            ip,
            state,
            resultJson: JSON.stringify(result),
            error,
          },
          new Metadata(),
          (err) => (err ? reject(fromGrpcError(err)) : resolve()),
        ),
      ),
    die() {
      stream.cancel();
      alive.cancel();
      client.close();
    },
  };
}

export { JobState };
