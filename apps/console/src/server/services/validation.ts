import type { z } from "zod";

import { invalidArgument } from "@df/errors";

/** fieldOf renders the path of a zod issue as a dotted field name under `prefix`. */
function fieldOf(prefix: string, issue: z.core.$ZodIssue): string {
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return path.join(".") || "body";
}

/**
 * parseOrThrow validates `value` with `schema` and returns the parsed output, or throws an
 * invalid-argument DfError naming the first offending field (prefixed with `prefix`).
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix = "",
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw invalidArgument(prefix || "body", "is invalid");
  throw invalidArgument(fieldOf(prefix, issue), issue.message);
}
