import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { z } from "zod";

import type { Task } from "@df/proto/common/v2";
import type { DfdaemonUploadClient } from "@df/proto/dfdaemon/v2";
import { fromGrpcError } from "@df/proto/status";

import type { Host } from "../resource/host";
import type { JobEnv, JobOutcome } from "./env";
import { mapLimit } from "./limit";

/** TaskJobArgsSchema names the task of a get_task or delete_task job. */
export const TaskJobArgsSchema = z.object({
  task_id: z.string().regex(/^[a-f0-9]{64}$/),
});

/** HOST_CALL_MS bounds each StatTask or DeleteTask call to one host. */
const HOST_CALL_MS = 10_000;

/** HOST_PARALLELISM bounds the hosts asked at once. */
const HOST_PARALLELISM = 50;

type Unary<Req, Res> = (
  req: Req,
  md: Metadata,
  opts: { deadline: number },
  cb: (err: ServiceError | null, res: Res) => void,
) => unknown;

/** ask calls a unary DfdaemonUpload rpc with a deadline; NOT_FOUND resolves to undefined. */
function ask<Req, Res>(method: Unary<Req, Res>, req: Req): Promise<Res | undefined> {
  return new Promise((resolve, reject) =>
    method(req, new Metadata(), { deadline: Date.now() + HOST_CALL_MS }, (err, res) => {
      if (!err) resolve(res);
      else if (err.code === status.NOT_FOUND) resolve(undefined);
      else reject(fromGrpcError(err));
    }),
  );
}

/** hostOf renders a host for results. */
const hostOf = (h: Host) => ({ hostname: h.info.hostname, ip: h.info.ip, host_type: h.type });

/** client is a host's DfdaemonUpload client. */
const client = (env: JobEnv, h: Host): DfdaemonUploadClient =>
  env.clients.get(h.info.ip, h.info.port);

/**
 * runGetTask asks every host this scheduler knows whether it holds the task (StatTask) and lists
 * the holders with the task's state, size and times; unreachable hosts are listed as failures.
 */
export async function runGetTask(taskId: string, env: JobEnv): Promise<JobOutcome> {
  const peers: Array<Record<string, unknown>> = [];
  const failures: Array<Record<string, unknown>> = [];
  await mapLimit(env.hosts(), HOST_PARALLELISM, async (h) => {
    const c = client(env, h);
    try {
      const task: Task | undefined = await ask(c.statTask.bind(c), {
        taskId,
        remoteIp: env.advertiseIp,
      });
      if (!task) return;
      peers.push({
        host_id: h.id,
        ...hostOf(h),
        state: task.state,
        content_length: task.contentLength ?? null,
        piece_count: task.pieceCount,
        created_at: task.createdAt?.toISOString() ?? null,
        updated_at: task.updatedAt?.toISOString() ?? null,
      });
    } catch (err) {
      failures.push({ ...hostOf(h), description: fromGrpcError(err).message });
    }
  });
  return {
    ok: true,
    result: {
      task_id: taskId,
      peers,
      failure_tasks: failures,
      scheduler_cluster_id: env.clusterId,
    },
  };
}

/**
 * runDeleteTask deletes the task from every host this scheduler knows (DeleteTask); hosts without
 * it are skipped. The job fails when any host could not delete it, naming each.
 */
export async function runDeleteTask(taskId: string, env: JobEnv): Promise<JobOutcome> {
  const done: Array<Record<string, unknown>> = [];
  const failures: Array<Record<string, unknown> & { description: string }> = [];
  await mapLimit(env.hosts(), HOST_PARALLELISM, async (h) => {
    const c = client(env, h);
    try {
      const deleted = await ask(c.deleteTask.bind(c), { taskId, remoteIp: env.advertiseIp });
      if (deleted) done.push(hostOf(h));
    } catch (err) {
      failures.push({ ...hostOf(h), description: fromGrpcError(err).message });
    }
  });
  const result = {
    task_id: taskId,
    success_tasks: done,
    failure_tasks: failures,
    scheduler_cluster_id: env.clusterId,
  };
  if (!failures.length) return { ok: true, result };
  const lines = failures.map((f) => `${String(f.hostname)} (${String(f.ip)}): ${f.description}`);
  return { ok: false, error: `cannot delete the task on ${lines.join("; ")}`, result };
}
