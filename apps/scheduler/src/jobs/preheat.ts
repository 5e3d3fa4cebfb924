import { z } from "zod";

import { Priority, TaskType } from "@df/proto/common/v2";
import { fromGrpcError } from "@df/proto/status";
import { taskId } from "@df/proto/task-id";

import type { Host } from "../resource/host";
import { pickSeed } from "../service/seed-peer";
import type { JobEnv, JobOutcome } from "./env";
import { downloadOn } from "./download";
import { mapLimit } from "./limit";
import { candidatesOf, narrow } from "./targets";

/** PreheatArgsSchema is the preheat the manager sends: resolved URLs and headers in clear. */
export const PreheatArgsSchema = z.object({
  urls: z.array(z.string().url()).min(1),
  headers: z.record(z.string(), z.string()).default({}),
  tag: z.string().default(""),
  application: z.string().default(""),
  filtered_query_params: z.array(z.string()).default([]),
  piece_length: z.number().int().positive().optional(),
  scope: z.enum(["single_seed_peer", "all_seed_peers", "all_peers"]).catch("single_seed_peer"),
  ips: z.array(z.string()).default([]),
  count: z.number().int().positive().optional(),
  percentage: z.number().int().positive().optional(),
  concurrent_task_count: z.number().int().min(1).max(100).default(8),
  concurrent_peer_count: z.number().int().min(1).max(1000).default(500),
});

/** PreheatArgs are parsed preheat args. */
export type PreheatArgs = z.output<typeof PreheatArgsSchema>;

/** HostTask is one URL on one host: its progress, then its outcome. */
export interface HostTask {
  url: string;
  task_id: string;
  hostname: string;
  ip: string;
  host_type: string;
  state: "PENDING" | "RUNNING" | "SUCCESS" | "FAILURE";
  finished_bytes: number;
  content_length: number | null;
  description: string;
}

/** preheatResult is the result the manager stores and Harbor reads (success_tasks, failure_tasks). */
export function preheatResult(tasks: readonly HostTask[], clusterId: number) {
  const pick = ({ url, hostname, ip }: HostTask) => ({ url, hostname, ip });
  return {
    success_tasks: tasks.filter((t) => t.state === "SUCCESS").map(pick),
    failure_tasks: tasks
      .filter((t) => t.state === "FAILURE")
      .map((t) => ({ ...pick(t), description: t.description })),
    scheduler_cluster_id: clusterId,
    tasks,
  };
}

/**
 * runPreheat puts every URL on its target hosts with DfdaemonUpload.DownloadTask: seed hosts
 * fetch from the origin (need_back_to_source), normal hosts through the swarm. single_seed_peer
 * sends each URL to the seed its task id hashes to; the other scopes send every URL to every
 * narrowed target. The job fails when any download failed, naming each.
 */
export async function runPreheat(
  args: PreheatArgs,
  env: JobEnv,
  signal: AbortSignal,
  progress: (result: unknown) => void,
): Promise<JobOutcome> {
  const hosts = env.hosts();
  const pool = candidatesOf(args.scope, hosts, env.hostname);
  if (pool instanceof Error)
    return { ok: false, error: pool.message, result: preheatResult([], env.clusterId) };
  const targets = args.scope === "single_seed_peer" ? pool : narrow(pool, args);
  if (!targets.length)
    return {
      ok: false,
      error: `none of the hosts ${args.ips.join(", ")} has announced itself to scheduler ${env.hostname}`,
      result: preheatResult([], env.clusterId),
    };
  const idOf = (url: string) =>
    taskId({
      url,
      tag: args.tag,
      application: args.application,
      pieceLength: args.piece_length,
      filteredQueryParams: args.filtered_query_params,
    });
  const tasks: Array<HostTask & { host: Host }> = args.urls.flatMap((url) => {
    const id = idOf(url);
    const on = args.scope === "single_seed_peer" ? [pickSeed(targets, id) ?? targets[0]] : targets;
    return on.flatMap((h) =>
      h
        ? [
            {
              url,
              task_id: id,
              hostname: h.info.hostname,
              ip: h.info.ip,
              host_type: h.type,
              state: "PENDING" as HostTask["state"],
              finished_bytes: 0,
              content_length: null as number | null,
              description: "",
              host: h,
            },
          ]
        : [],
    );
  });
  const emit = () =>
    progress(
      preheatResult(
        tasks.map(({ host: _h, ...t }) => t),
        env.clusterId,
      ),
    );
  const byUrl = args.urls.map((url) => tasks.filter((t) => t.url === url));
  await mapLimit(byUrl, args.concurrent_task_count, (group) =>
    mapLimit(group, args.concurrent_peer_count, async (t) => {
      t.state = "RUNNING";
      emit();
      try {
        const done = await downloadOn(
          env.clients.get(t.host.info.ip, t.host.info.port),
          {
            url: t.url,
            type: TaskType.STANDARD,
            tag: args.tag,
            application: args.application,
            priority: Priority.LEVEL0,
            filteredQueryParams: args.filtered_query_params,
            requestHeader: args.headers,
            pieceLength: args.piece_length,
            range: undefined,
            needBackToSource: t.host.type === "seed",
            disableBackToSource: false,
            isPrefetch: false,
            prefetch: false,
            forceHardLink: false,
            overwrite: false,
            remoteIp: env.advertiseIp,
          },
          signal,
          (p) => {
            t.finished_bytes = p.finishedBytes;
            t.content_length = p.contentLength ?? t.content_length;
            emit();
          },
        );
        t.state = "SUCCESS";
        t.content_length = done.contentLength ?? t.content_length;
      } catch (err) {
        t.state = "FAILURE";
        t.description = fromGrpcError(err).message;
      }
      emit();
    }),
  );
  const result = preheatResult(
    tasks.map(({ host: _h, ...t }) => t),
    env.clusterId,
  );
  const failed = result.failure_tasks;
  if (!failed.length) return { ok: true, result };
  const lines = failed
    .slice(0, 5)
    .map((f) => `${f.url} on ${f.hostname} (${f.ip}): ${f.description}`);
  const more = failed.length > 5 ? `; and ${failed.length - 5} more` : "";
  return {
    ok: false,
    error: `${failed.length} of ${tasks.length} downloads failed: ${lines.join("; ")}${more}`,
    result,
  };
}
