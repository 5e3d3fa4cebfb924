import { serial, timestamp } from "drizzle-orm/pg-core";

/** baseColumns are shared by every table: a serial id and creation/update stamps. */
export const baseColumns = () => ({
  id: serial().primaryKey(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
