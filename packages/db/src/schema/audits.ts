import { index, integer, jsonb, pgTable, serial, timestamp, varchar } from "drizzle-orm/pg-core";

/** audits record every change: who did what to which target, when, and whether it worked. */
export const audits = pgTable(
  "audits",
  {
    id: serial().primaryKey(),
    /** actorType is `USER`, `PAT` or `SYSTEM`. */
    actorType: varchar({ length: 16 }).notNull(),
    actorName: varchar({ length: 256 }).notNull(),
    action: varchar({ length: 128 }).notNull(),
    targetType: varchar({ length: 64 }).notNull(),
    targetId: varchar({ length: 256 }).notNull().default(""),
    /** state is `SUCCESS` or `FAILURE`. */
    state: varchar({ length: 16 }).notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    userId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audits_created_idx").on(t.createdAt)],
);
