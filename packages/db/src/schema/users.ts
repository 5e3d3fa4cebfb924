import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

import { baseColumns } from "./columns";

/** users are console and API accounts; passwords are stored as scrypt hashes only. */
export const users = pgTable(
  "users",
  {
    ...baseColumns(),
    name: varchar({ length: 256 }).notNull(),
    email: varchar({ length: 256 }),
    encryptedPassword: text().notNull(),
    /** state is `enable` or `disable`; a disabled user is refused at once everywhere. */
    state: varchar({ length: 16 }).notNull().default("enable"),
    bio: varchar({ length: 1024 }).notNull().default(""),
    avatar: varchar({ length: 1024 }).notNull().default(""),
    phone: varchar({ length: 64 }).notNull().default(""),
    location: varchar({ length: 256 }).notNull().default(""),
  },
  (t) => [uniqueIndex("users_name_uk").on(t.name), uniqueIndex("users_email_uk").on(t.email)],
);

/** roles group permissions; `root` and `guest` are built in and cannot be deleted. */
export const roles = pgTable(
  "roles",
  {
    ...baseColumns(),
    name: varchar({ length: 128 }).notNull(),
    description: varchar({ length: 1024 }).notNull().default(""),
    builtIn: boolean().notNull().default(false),
  },
  (t) => [uniqueIndex("roles_name_uk").on(t.name)],
);

/** rolePermissions grant `read` or `write` (which implies read) on one resource to a role. */
export const rolePermissions = pgTable(
  "role_permissions",
  {
    roleId: integer()
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    resource: varchar({ length: 64 }).notNull(),
    action: varchar({ length: 16 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.resource] })],
);

/** userRoles assigns roles to users. */
export const userRoles = pgTable(
  "user_roles",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: integer()
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] })],
);

/** sessions back the console's HTTP-only cookie; only the token's hash is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: varchar({ length: 128 }).primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** personalAccessTokens authenticate automation; the token is shown once and stored hashed. */
export const personalAccessTokens = pgTable(
  "personal_access_tokens",
  {
    ...baseColumns(),
    name: varchar({ length: 256 }).notNull(),
    bio: varchar({ length: 1024 }).notNull().default(""),
    tokenHash: varchar({ length: 128 }).notNull(),
    /** tokenPrefix is the first characters of the token, shown in lists to tell tokens apart. */
    tokenPrefix: varchar({ length: 16 }).notNull(),
    scopes: jsonb().$type<string[]>().notNull().default([]),
    /** state is `active` or `inactive` (revoked). */
    state: varchar({ length: 16 }).notNull().default("active"),
    expiredAt: timestamp({ withTimezone: true }).notNull(),
    lastUsedAt: timestamp({ withTimezone: true }),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("pat_name_uk").on(t.name), uniqueIndex("pat_token_hash_uk").on(t.tokenHash)],
);
