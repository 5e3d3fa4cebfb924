import { taskId } from "@df/proto/task-id";

import { filteredParamsOf, type TaskArgs } from "./args";
import { resolveImage } from "./image";
import { openArgs, type StoredArgs } from "./sealing";
import type { SecretBox } from "./secret-box";

/** Payload is what a scheduler receives for a job: JSON args and a timeout. */
export interface Payload {
  argsJson: string;
  timeoutMs: number;
}

/** PAYLOAD_TTL_MS is how long a resolved payload is reused; registry tokens expire after minutes. */
const PAYLOAD_TTL_MS = 4 * 60_000;

/** taskIdOf is the task id get_task / delete_task args name, derived from the URL when not given. */
export function taskIdOf(a: TaskArgs): string {
  if (a.task_id) return a.task_id;
  return taskId({
    url: a.url,
    tag: a.tag,
    application: a.application,
    pieceLength: a.piece_length,
    filteredQueryParams: filteredParamsOf(a.filtered_query_params),
  });
}

/**
 * buildPayload renders a stored job for schedulers. Preheat secrets are opened here, in memory
 * only; an image is resolved to its blob URLs (this talks to the registry and may fail).
 */
export async function buildPayload(
  type: string,
  stored: StoredArgs,
  box: SecretBox,
): Promise<Payload> {
  const timeoutMs = Math.ceil(Number(stored.timeout) / 1e6);
  if (type !== "preheat") {
    const task = stored as unknown as TaskArgs;
    return { argsJson: JSON.stringify({ task_id: taskIdOf(task) }), timeoutMs };
  }
  const a = openArgs(stored, box);
  const { urls, headers } =
    a.type === "image"
      ? await resolveImage(a.url, a.platform, a)
      : { urls: a.urls, headers: a.headers };
  const wire = {
    urls,
    headers,
    tag: a.tag,
    application: a.application,
    filtered_query_params: filteredParamsOf(a.filtered_query_params),
    piece_length: a.piece_length,
    scope: a.scope,
    ips: a.ips,
    count: a.count,
    percentage: a.percentage,
    concurrent_task_count: a.concurrent_task_count,
    concurrent_peer_count: a.concurrent_peer_count,
  };
  return { argsJson: JSON.stringify(wire), timeoutMs };
}

/** PayloadCache builds each job's payload once and shares it between its parts for a while. */
export class PayloadCache {
  private readonly entries = new Map<number, { at: number; payload: Promise<Payload> }>();

  constructor(private readonly box: SecretBox) {}

  /** get returns the job's payload, building it when absent or stale. */
  get(jobId: number, type: string, stored: StoredArgs, now = Date.now()): Promise<Payload> {
    for (const [id, e] of this.entries) if (now - e.at > PAYLOAD_TTL_MS) this.entries.delete(id);
    let entry = this.entries.get(jobId);
    if (!entry) {
      entry = { at: now, payload: buildPayload(type, stored, this.box) };
      this.entries.set(jobId, entry);
      // A failure is reported to the job once; the next attempt tries afresh.
      entry.payload.catch(() => this.entries.delete(jobId));
    }
    return entry.payload;
  }

  /** forget drops a finished job's payload. */
  forget(jobId: number): void {
    this.entries.delete(jobId);
  }
}
