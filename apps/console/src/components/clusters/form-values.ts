import type { Cluster, Inputs } from "../types";
import { CLIENT_FIELDS, SCHEDULER_FIELDS, type FieldSpec } from "./config-fields";

/** ClusterFormValues is the cluster form's state: text as typed, converted on submit. */
export interface ClusterFormValues {
  name: string;
  bio: string;
  isDefault: boolean;
  location: string;
  idc: string;
  cidrs: string;
  hostnames: string;
  config: Record<string, string>;
  clientConfig: Record<string, string>;
}

/** CreatePayload is what `schedulerClusters.create` takes. */
export type CreatePayload = Inputs["schedulerClusters"]["create"];

/** textOf renders stored config values, falling back to the field's default. */
function textOf(fields: FieldSpec[], values: Record<string, unknown> | undefined) {
  return Object.fromEntries(
    fields.map((f) => {
      const v = values?.[f.key];
      return [f.key, String(typeof v === "number" ? v : f.default)];
    }),
  );
}

/** initialValues fills the form from a cluster, or with the defaults for a new one. */
export function initialValues(cluster?: Cluster): ClusterFormValues {
  return {
    name: cluster?.name ?? "",
    bio: cluster?.bio ?? "",
    isDefault: cluster?.isDefault ?? false,
    location: cluster?.scopes.location ?? "",
    idc: cluster?.scopes.idc ?? "",
    cidrs: (cluster?.scopes.cidrs ?? []).join("\n"),
    hostnames: (cluster?.scopes.hostnames ?? []).join("\n"),
    config: textOf(SCHEDULER_FIELDS, cluster?.config),
    clientConfig: textOf(CLIENT_FIELDS, cluster?.clientConfig),
  };
}

/** linesOf splits a one-per-line text box into its non-empty lines. */
const linesOf = (text: string): string[] =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** numbersOf converts the filled-in fields; empty ones are left out so the server keeps or defaults them. */
function numbersOf(text: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(text)) if (value.trim()) out[key] = Number(value);
  return out;
}

/** payloadOf converts form values into a create request; the server validates every field. */
export function payloadOf(v: ClusterFormValues): CreatePayload {
  return {
    name: v.name.trim(),
    bio: v.bio,
    isDefault: v.isDefault,
    scopes: {
      location: v.location.trim(),
      idc: v.idc.trim(),
      cidrs: linesOf(v.cidrs),
      hostnames: linesOf(v.hostnames),
    },
    config: numbersOf(v.config),
    clientConfig: numbersOf(v.clientConfig),
  };
}

/** fieldId is the DOM id of the input for a field path such as `config.retry_limit`. */
export const fieldId = (path: string): string => `field-${path.replace(/\./g, "-")}`;
