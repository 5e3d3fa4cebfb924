/** RESOURCES are the units that roles grant permissions on; every route names one. */
export const RESOURCES = [
  "clusters",
  "schedulers",
  "seed-peers",
  "peers",
  "jobs",
  "tasks",
  "users",
  "roles",
  "personal-access-tokens",
  "audits",
  "config",
] as const;

/** Resource is one of RESOURCES. */
export type Resource = (typeof RESOURCES)[number];

/** ACTIONS are the permission levels; `write` implies `read`. */
export const ACTIONS = ["read", "write"] as const;

/** Action is one of ACTIONS. */
export type Action = (typeof ACTIONS)[number];

/** TOKEN_SCOPES are personal access token scopes and the resources each unlocks. */
export const TOKEN_SCOPES = {
  job: ["jobs", "tasks"],
  cluster: ["clusters", "schedulers", "seed-peers", "peers", "config"],
} as const satisfies Record<string, readonly Resource[]>;

/** TokenScope is one of the keys of TOKEN_SCOPES. */
export type TokenScope = keyof typeof TOKEN_SCOPES;

/** BUILT_IN_ROLES are created by the seed: root writes everything, guest reads everything. */
export const BUILT_IN_ROLES = {
  root: { description: "Full access to every resource", action: "write" },
  guest: { description: "Read-only access to every resource", action: "read" },
} as const satisfies Record<string, { description: string; action: Action }>;
