import { z } from "zod";

import { PageInput } from "./common";

/** JOB_STATES are the states a job shows. */
export const JOB_STATES = ["PENDING", "SUCCESS", "FAILURE"] as const;

/**
 * CreateJobInput is a job request as Dragonfly's API takes it: `args` are checked by the job
 * type's schema; `schedulerClusterIds` null or empty means every cluster. Unknown keys are dropped.
 */
export const CreateJobInput = z.object({
  type: z.string().max(64),
  bio: z
    .string()
    .max(1024)
    .nullish()
    .transform((s) => s ?? ""),
  args: z.unknown(),
  schedulerClusterIds: z.array(z.number().int().positive()).max(100).nullish(),
});

/** CreateJobRequest is CreateJobInput before parsing (what clients send). */
export type CreateJobRequest = z.input<typeof CreateJobInput>;

/** ListJobsInput filters the job list; every filter is optional. */
export const ListJobsInput = PageInput.extend({
  type: z.string().max(64).optional(),
  state: z.enum(JOB_STATES).optional(),
  userId: z.coerce.number().int().positive().optional(),
});

/** TaskIdentityInput names a task by id, or by the URL and the fields that make its id. */
export const TaskIdentityInput = z.object({
  taskId: z.string().max(64).optional(),
  url: z.string().max(4096).optional(),
  tag: z.string().max(400).optional(),
  application: z.string().max(400).optional(),
  filteredQueryParams: z.string().max(4096).optional(),
  schedulerClusterIds: z.array(z.number().int().positive()).max(100).optional(),
});

/** DeleteTaskInput deletes a task's cache, named by its id, from every peer of the clusters. */
export const DeleteTaskInput = z.object({
  taskId: z.string().regex(/^[a-f0-9]{64}$/, "must be 64 lowercase hex characters"),
  schedulerClusterIds: z.array(z.number().int().positive()).max(100).optional(),
});
