import type { JobView } from "../services/jobs";

/**
 * dragonflyJob renders a job as Dragonfly's manager does on `/api/v1/jobs` and `/oapi/v1/jobs`
 * (snake_case keys, RFC 3339 times), which is what Harbor and existing scripts parse.
 */
export function dragonflyJob(v: JobView): Record<string, unknown> {
  return {
    id: v.id,
    created_at: v.createdAt.toISOString(),
    updated_at: v.updatedAt.toISOString(),
    is_del: 0,
    task_id: `job_${v.id}`,
    bio: v.bio,
    type: v.type,
    state: v.state,
    args: v.args,
    result: v.result,
    user_id: v.userId,
    finished_at: v.finishedAt?.toISOString() ?? null,
    scheduler_cluster_ids: v.schedulerClusterIds,
    scheduler_clusters: v.schedulerClusterIds.map((id) => ({ id })),
  };
}

/** JOB_SCHEMA documents the job body of `/api/v1/jobs` and `/oapi/v1/jobs` in the OpenAPI document. */
export const JOB_SCHEMA = {
  type: "object",
  description:
    "A job as Dragonfly's manager renders it. args are the request's args after defaults; headers show names only and credentials are never returned. result.job_states has one entry per scheduler cluster.",
  required: ["id", "type", "state", "args", "created_at", "updated_at"],
  properties: {
    id: { type: "integer" },
    type: { enum: ["preheat", "get_task", "delete_task"] },
    bio: { type: "string" },
    state: { enum: ["PENDING", "SUCCESS", "FAILURE"] },
    args: { type: "object" },
    created_at: { type: "string", format: "date-time" },
    updated_at: { type: "string", format: "date-time" },
    finished_at: { type: ["string", "null"], format: "date-time" },
    user_id: { type: ["integer", "null"] },
    scheduler_cluster_ids: { type: "array", items: { type: "integer" } },
    result: {
      type: ["object", "null"],
      properties: {
        state: { enum: ["PENDING", "SUCCESS", "FAILURE"] },
        job_states: {
          type: "array",
          items: {
            type: "object",
            properties: {
              task_uuid: { type: "string" },
              task_name: { type: "string" },
              scheduler_cluster_id: { type: "integer" },
              state: { enum: ["PENDING", "SUCCESS", "FAILURE"] },
              error: { type: "string", description: "why the cluster's part failed" },
              results: {
                type: "array",
                description:
                  "preheat: {success_tasks: [{url, hostname, ip}], failure_tasks: [{url, hostname, ip, description}], tasks: per URL and host progress}; get_task: {task_id, peers}; delete_task: {success_tasks, failure_tasks}",
                items: { type: "object" },
              },
            },
          },
        },
      },
    },
  },
} as const;
