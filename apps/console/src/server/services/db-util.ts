import type { Database } from "@df/db";
import { DfError, ErrorCode } from "@df/errors";

/** Tx is a transaction handle of Database. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Queryable is a database or a transaction: anything that can run queries. */
export type Queryable = Database | Tx;

/** isUniqueViolation tells whether a driver error, or any error it wraps, is SQLSTATE 23505. */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** uniquely runs `fn`, turning a unique-key violation into AlreadyExists naming the entity. */
export async function uniquely<T>(kind: string, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new DfError(ErrorCode.AlreadyExists, `${kind} ${name} already exists`, { kind, name });
    throw err;
  }
}

/** preconditionFailed reports a change the current state does not allow (e.g. deleting the default). */
export function preconditionFailed(
  message: string,
  details: Record<string, unknown> = {},
): DfError {
  return new DfError(ErrorCode.InvalidStateTransition, message, details);
}

/** containsPattern is an ILIKE pattern matching `text` anywhere, with wildcards in it escaped. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, "\\$&")}%`;
