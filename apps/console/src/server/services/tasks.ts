import type { z } from "zod";

import type { ManagerServices } from ".";
import type { DeleteTaskInput, TaskIdentityInput } from "../schemas/jobs";
import { createJob, waitForJob, type JobView } from "./jobs";

/** SEARCH_WAIT_MS is how long a search waits for the schedulers before answering PENDING. */
const SEARCH_WAIT_MS = 20_000;

/** TaskPeer is one host holding (part of) a task, as a scheduler found it. */
export interface TaskPeer {
  schedulerClusterId: number;
  hostId: string;
  hostname: string;
  ip: string;
  hostType: string;
  state: string;
  contentLength: number | null;
  pieceCount: number;
  createdAt: string | null;
  updatedAt: string | null;
}

/** TaskSearch is the outcome of a search: the job that ran it and the peers found. */
export interface TaskSearch {
  job: JobView;
  taskId: string;
  peers: TaskPeer[];
}

/** GetTaskResult is a scheduler's get_task result. */
interface GetTaskResult {
  peers?: Array<Record<string, unknown>>;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/** peersOf collects the peers every cluster's scheduler reported. */
export function peersOf(job: JobView): TaskPeer[] {
  return (job.result?.job_states ?? []).flatMap((part) =>
    part.results.flatMap((r) =>
      ((r as GetTaskResult | null)?.peers ?? []).map((p) => ({
        schedulerClusterId: part.scheduler_cluster_id,
        hostId: str(p.host_id),
        hostname: str(p.hostname),
        ip: str(p.ip),
        hostType: str(p.host_type),
        state: str(p.state),
        contentLength: num(p.content_length),
        pieceCount: num(p.piece_count) ?? 0,
        createdAt: str(p.created_at) || null,
        updatedAt: str(p.updated_at) || null,
      })),
    ),
  );
}

/**
 * searchTask finds which peers hold a task, named by id or by URL (+ tag, application, filtered
 * query params): a get_task job asks the schedulers of the clusters to stat the task on every
 * host they know. It waits up to SEARCH_WAIT_MS; a still PENDING job can be followed by its id.
 */
export async function searchTask(
  services: ManagerServices,
  input: z.output<typeof TaskIdentityInput>,
  userId: number,
): Promise<TaskSearch> {
  const created = await createJob(
    services,
    {
      type: "get_task",
      bio: "task search",
      args: {
        task_id: input.taskId ?? "",
        url: input.url ?? "",
        tag: input.tag ?? "",
        application: input.application ?? "",
        filtered_query_params: input.filteredQueryParams ?? "",
      },
      schedulerClusterIds: input.schedulerClusterIds ?? null,
    },
    userId,
  );
  const job = await waitForJob(services.db, created.id, SEARCH_WAIT_MS);
  return { job, taskId: String(job.args.task_id), peers: peersOf(job) };
}

/** deleteTask removes a task's cache from every peer of the clusters with a delete_task job. */
export function deleteTask(
  services: ManagerServices,
  input: z.output<typeof DeleteTaskInput>,
  userId: number,
): Promise<JobView> {
  return createJob(
    services,
    {
      type: "delete_task",
      bio: `delete task ${input.taskId}`,
      args: { task_id: input.taskId },
      schedulerClusterIds: input.schedulerClusterIds ?? null,
    },
    userId,
  );
}
