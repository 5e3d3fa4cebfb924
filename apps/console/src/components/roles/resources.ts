import type { Action, Permission, Resource } from "../types";

/** RESOURCE_LABELS names every resource a role can grant; the Record type keeps it complete. */
export const RESOURCE_LABELS: Record<Resource, string> = {
  clusters: "Clusters",
  schedulers: "Schedulers",
  "seed-peers": "Seed peers",
  peers: "Peers",
  jobs: "Jobs",
  tasks: "Tasks",
  users: "Users",
  roles: "Roles",
  "personal-access-tokens": "Personal access tokens",
  audits: "Audit log",
  config: "Config",
};

/** RESOURCES lists the resources in display order. */
export const RESOURCES = Object.keys(RESOURCE_LABELS) as Resource[];

/** Grants maps each resource to the action granted on it, or nothing. */
export type Grants = Partial<Record<Resource, Action>>;

/** grantsOf turns a permission list into a per-resource map. */
export function grantsOf(perms: Permission[]): Grants {
  const out: Grants = {};
  for (const p of perms) if (out[p.resource] !== "write") out[p.resource] = p.action;
  return out;
}

/** permissionsOf turns a per-resource map back into a permission list. */
export const permissionsOf = (grants: Grants): Permission[] =>
  RESOURCES.flatMap((resource) => {
    const action = grants[resource];
    return action ? [{ resource, action }] : [];
  });

/** summaryOf renders permissions as `Clusters: write, Users: read`. */
export const summaryOf = (perms: Permission[]): string =>
  perms.map((p) => `${RESOURCE_LABELS[p.resource]}: ${p.action}`).join(", ") || "none";
