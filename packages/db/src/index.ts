export * as schema from "./schema";
export * from "./schema";
export {
  createDb,
  redactUrl,
  MIGRATIONS_FOLDER,
  type Database,
  type DbHandle,
  type DbOptions,
} from "./client";
export {
  seed,
  DEFAULT_CLUSTER_NAME,
  ROOT_PASSWORD_RULE,
  type SeedOptions,
  type SeedResult,
} from "./seed";
export * from "@df/cluster-config";
export * from "./rbac";
export * from "./secrets";
export {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNull,
  lt,
  lte,
  ne,
  or,
  sql,
} from "drizzle-orm";
