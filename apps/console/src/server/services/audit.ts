import type { Database } from "@df/db";
import { and, audits, count, desc, eq, gte, lte } from "@df/db";
import { isDfError } from "@df/errors";
import type { Logger } from "@df/logger";

import { offsetOf, pageOf, type Page, type PageQuery } from "./pagination";
import type { Principal } from "./principal";

/** ActorType tells who acted: a signed-in user, a personal access token, or an anonymous caller. */
export type ActorType = "USER" | "PAT" | "UNKNOWN";

/** Actor is the audit log's view of a caller. */
export interface Actor {
  type: ActorType;
  name: string;
  userId: number | null;
}

/** AuditEvent names what was attempted: `action` like `users.create`, on which target. */
export interface AuditEvent {
  action: string;
  targetType: string;
  /** targetId is taken from the result's `id` when not given. */
  targetId?: string | number;
  /** input is stored in `detail` with secrets redacted. */
  input?: unknown;
}

/** AuditRow is one stored audit entry. */
export type AuditRow = typeof audits.$inferSelect;

/** SECRET_KEY matches keys whose values never reach the audit log (job headers carry registry tokens). */
const SECRET_KEY = /password|secret|token$|^(authorization|cookie|headers)$/i;

/** actorOf describes a principal; anonymous callers are UNKNOWN under the name they claimed. */
export function actorOf(p: Principal | null, claimedName?: string): Actor {
  if (!p) return { type: "UNKNOWN", name: claimedName ?? "anonymous", userId: null };
  if (p.kind === "token")
    return { type: "PAT", name: p.name.replace(/^token:/, ""), userId: p.userId };
  return { type: "USER", name: p.name, userId: p.userId };
}

/** auditEventOf derives the event of an action (`<resource>.<verb>`) from its input. */
export function auditEventOf(action: string, input: unknown): AuditEvent {
  const resource = action.split(".")[0] ?? action;
  const targetType = resource.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const fields =
    typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const id = fields.id ?? fields.userId;
  return {
    action,
    targetType,
    targetId: typeof id === "number" || typeof id === "string" ? id : undefined,
    input,
  };
}

/** redact copies a value, replacing secrets with "[redacted]". */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v)]),
  );
}

/** errorDetail keeps an error's stable code and message. */
function errorDetail(err: unknown): { code: string; message: string } {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const typed = isDfError(err) ? err : isDfError(cause) ? cause : undefined;
  const code = typed?.code ?? String((err as { code?: unknown } | null)?.code ?? "UNKNOWN");
  return { code, message: err instanceof Error ? err.message : String(err) };
}

/** resultId reads the `id` of a mutation result, if it has one. */
function resultId(result: unknown): string | number | undefined {
  const id = (result as { id?: unknown } | null)?.id;
  return typeof id === "number" || typeof id === "string" ? id : undefined;
}

/**
 * audited runs one mutation and records its outcome: SUCCESS with the target, or FAILURE with
 * the error code; the error is rethrown. It is the only writer of audit rows. A failing audit
 * insert is logged, never allowed to change the outcome the caller sees.
 */
export async function audited<T>(
  deps: { db: Database; log: Logger },
  actor: Actor,
  event: AuditEvent,
  run: () => Promise<T>,
): Promise<T> {
  const write = async (
    state: "SUCCESS" | "FAILURE",
    targetId: unknown,
    extra: object,
    actor: Actor,
  ) => {
    try {
      await deps.db.insert(audits).values({
        actorType: actor.type,
        actorName: actor.name.slice(0, 256),
        action: event.action,
        targetType: event.targetType,
        targetId: targetId === undefined ? "" : String(targetId),
        state,
        detail: { input: redact(event.input ?? {}), ...extra },
        userId: actor.userId,
      });
    } catch (err) {
      deps.log.error("cannot write audit row", { action: event.action, error: String(err) });
    }
  };
  try {
    const result = await run();
    await write("SUCCESS", event.targetId ?? resultId(result), {}, signedIn(actor, event, result));
    return result;
  } catch (err) {
    await write("FAILURE", event.targetId, { error: errorDetail(err) }, actor);
    throw err;
  }
}

/** SIGN_IN is the action of signing in, on every edge. */
const SIGN_IN = "auth.signIn";

/**
 * signedIn names a successful sign-in after the user it signed in (the caller was anonymous
 * when it asked, but the result says who it is); any other actor is returned as it is.
 */
function signedIn(actor: Actor, event: AuditEvent, result: unknown): Actor {
  if (actor.type !== "UNKNOWN" || event.action !== SIGN_IN) return actor;
  const user = result as { id?: unknown; name?: unknown } | null;
  if (typeof user?.id !== "number" || typeof user.name !== "string") return actor;
  return { type: "USER", name: user.name, userId: user.id };
}

/** AuditFilter narrows the audit list; times are ISO strings. */
export interface AuditFilter extends PageQuery {
  actorType?: string | undefined;
  actorName?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  state?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** listAudits returns audit rows, newest first. */
export async function listAudits(db: Database, q: AuditFilter): Promise<Page<AuditRow>> {
  const where = and(
    q.actorType ? eq(audits.actorType, q.actorType) : undefined,
    q.actorName ? eq(audits.actorName, q.actorName) : undefined,
    q.action ? eq(audits.action, q.action) : undefined,
    q.targetType ? eq(audits.targetType, q.targetType) : undefined,
    q.state ? eq(audits.state, q.state) : undefined,
    q.since ? gte(audits.createdAt, new Date(q.since)) : undefined,
    q.until ? lte(audits.createdAt, new Date(q.until)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(audits)
      .where(where)
      .orderBy(desc(audits.createdAt), desc(audits.id))
      .limit(q.perPage)
      .offset(offsetOf(q)),
    db.select({ n: count() }).from(audits).where(where),
  ]);
  return pageOf(rows, total?.n ?? 0, q);
}
