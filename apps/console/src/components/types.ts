import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "~/server/api/root";

/** Outputs are the result types of every tRPC procedure the console calls. */
export type Outputs = inferRouterOutputs<AppRouter>;

/** Inputs are the input types of every tRPC procedure the console calls. */
export type Inputs = inferRouterInputs<AppRouter>;

/** Cluster is one scheduler cluster as the server returns it. */
export type Cluster = Outputs["schedulerClusters"]["get"];

/** Me is the signed-in principal with its permissions. */
export type Me = Outputs["auth"]["me"];

/** Permission grants an Action (`read`, or `write` which implies read) on a Resource. */
export type Permission = Outputs["roles"]["list"]["items"][number]["permissions"][number];
export type Resource = Permission["resource"];
export type Action = Permission["action"];
