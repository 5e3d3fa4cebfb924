import { z } from "zod";

import { JsonObject, PageInput } from "./common";

/** ClusterName is a scheduler cluster name. */
const ClusterName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,256}$/, "must be letters, digits, '.', '_' or '-'");

/**
 * CreateClusterInput creates a scheduler cluster. `scopes`, `config` and `clientConfig` are
 * validated by the cluster-config schemas in the service, so errors name the exact key.
 */
export const CreateClusterInput = z.object({
  name: ClusterName,
  bio: z.string().max(1024).default(""),
  scopes: JsonObject.optional(),
  config: JsonObject.optional(),
  clientConfig: JsonObject.optional(),
  isDefault: z.boolean().default(false),
});

/** UpdateClusterInput changes a cluster; config keys given are merged onto the current config. */
export const UpdateClusterInput = z.object({
  name: ClusterName.optional(),
  bio: z.string().max(1024).optional(),
  scopes: JsonObject.optional(),
  config: JsonObject.optional(),
  clientConfig: JsonObject.optional(),
  isDefault: z.boolean().optional(),
});

/** ListRevisionsInput pages a cluster's saved config revisions. */
export const ListRevisionsInput = PageInput.extend({ id: z.coerce.number().int().positive() });
