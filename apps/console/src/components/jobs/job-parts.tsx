import { formatNumber, formatTime } from "../ui/format";
import { JobStateBadge, type Job } from "./job-state";

/** Part is one scheduler cluster's share of a job. */
type Part = NonNullable<Job["result"]>["job_states"][number];

/** HostRow is one line of a part's per-host table. */
interface HostRow {
  url: string;
  hostname: string;
  ip: string;
  hostType: string;
  state: string;
  finished: number | null;
  total: number | null;
  description: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const list = (v: unknown): Array<Record<string, unknown>> =>
  Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [];

/** rowsOf reads a part's result: preheat progress per URL and host, found peers, or outcomes. */
function rowsOf(part: Part): HostRow[] {
  const r = (part.results[0] ?? {}) as Record<string, unknown>;
  const row = (t: Record<string, unknown>, state: string): HostRow => ({
    url: str(t.url),
    hostname: str(t.hostname),
    ip: str(t.ip),
    hostType: str(t.host_type),
    state: str(t.state) || state,
    finished: num(t.finished_bytes),
    total: num(t.content_length),
    description: str(t.description),
  });
  if (Array.isArray(r.tasks)) return list(r.tasks).map((t) => row(t, ""));
  if (Array.isArray(r.peers)) return list(r.peers).map((t) => row(t, ""));
  return [
    ...list(r.success_tasks).map((t) => row(t, "SUCCESS")),
    ...list(r.failure_tasks).map((t) => row(t, "FAILURE")),
  ];
}

/** progressText renders downloaded bytes of the total. */
function progressText(row: HostRow): string {
  if (row.total === null) return row.finished ? `${formatNumber(row.finished)} B` : "—";
  const pct = row.total ? Math.floor(((row.finished ?? row.total) / row.total) * 100) : 100;
  return `${pct}% of ${formatNumber(row.total)} B`;
}

/** JobPart shows one cluster's part: who runs it, its error, and per-host progress. */
export function JobPart({ part }: { part: Part }) {
  const rows = rowsOf(part);
  const name = `scheduler cluster ${part.scheduler_cluster_id}`;
  return (
    <section className="card stack-sm" aria-label={`Part of ${name}`}>
      <h2>
        Scheduler cluster {part.scheduler_cluster_id} <JobStateBadge state={part.state} />
      </h2>
      <dl className="facts">
        <dt>Scheduler</dt>
        <dd>
          {part.scheduler ? `${part.scheduler.hostname} (${part.scheduler.ip})` : "not dispatched"}
        </dd>
        <dt>Attempt</dt>
        <dd>{part.attempt}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(part.updated_at)}</dd>
      </dl>
      {part.error ? (
        <p role="alert" className="error">
          {part.error}
        </p>
      ) : null}
      {rows.length ? (
        <table aria-label={`Hosts in ${name}`}>
          <thead>
            <tr>
              <th>URL</th>
              <th>Host</th>
              <th>IP</th>
              <th>Type</th>
              <th>State</th>
              <th>Progress</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={`${row.url}-${row.ip}-${i}`}>
                <td className="detail">
                  <code>{row.url || "—"}</code>
                </td>
                <td>{row.hostname}</td>
                <td>{row.ip}</td>
                <td>{row.hostType || "—"}</td>
                <td>{row.state ? <JobStateBadge state={row.state} /> : "—"}</td>
                <td>{progressText(row)}</td>
                <td>{row.description || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">
          {part.state === "PENDING" ? "No progress reported yet." : "No host results."}
        </p>
      )}
    </section>
  );
}
