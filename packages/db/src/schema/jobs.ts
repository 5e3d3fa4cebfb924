import {
  integer,
  jsonb,
  pgTable,
  primaryKey,
  timestamp,
  varchar,
  index,
} from "drizzle-orm/pg-core";

import { baseColumns } from "./columns";
import { schedulerClusters } from "./clusters";
import { users } from "./users";

/** jobs are durable operator requests (preheat, delete task, ...) dispatched to schedulers. */
export const jobs = pgTable(
  "jobs",
  {
    ...baseColumns(),
    type: varchar({ length: 64 }).notNull(),
    bio: varchar({ length: 1024 }).notNull().default(""),
    /** args are the request after defaults; secrets are removed or encrypted before storing. */
    args: jsonb().$type<Record<string, unknown>>().notNull(),
    /** state is `PENDING`, `SUCCESS` or `FAILURE`. */
    state: varchar({ length: 16 }).notNull().default("PENDING"),
    result: jsonb().$type<Record<string, unknown>>(),
    userId: integer().references(() => users.id, { onDelete: "set null" }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("jobs_state_idx").on(t.state), index("jobs_type_idx").on(t.type)],
);

/** jobSchedulerClusters records which scheduler clusters a job targets. */
export const jobSchedulerClusters = pgTable(
  "job_scheduler_clusters",
  {
    jobId: integer()
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    schedulerClusterId: integer()
      .notNull()
      .references(() => schedulerClusters.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.schedulerClusterId] })],
);
