import type { Outputs } from "../types";
import { formatNumber, formatTime } from "../ui/format";

/** TaskSearch is the outcome of tasks.search. */
export type TaskSearch = Outputs["tasks"]["search"];

/** failureText joins why a search could not ask some cluster. */
const failureText = (s: TaskSearch): string =>
  (s.job.result?.job_states ?? [])
    .filter((p) => p.error)
    .map((p) => `scheduler cluster ${p.scheduler_cluster_id}: ${p.error}`)
    .join("; ");

/** TaskPeers lists the peers holding a task, or says that none does and why the search fell short. */
export function TaskPeers({ search }: { search: TaskSearch }) {
  const failed = failureText(search);
  return (
    <section className="card stack-sm" aria-label="Search result">
      <h2>
        Task <code>{search.taskId}</code>
      </h2>
      {search.job.state === "PENDING" ? (
        <p className="muted">The schedulers are still searching; see job {search.job.id}.</p>
      ) : null}
      {failed ? (
        <p role="alert" className="error">
          The search could not ask every cluster: {failed}
        </p>
      ) : null}
      {search.peers.length === 0 ? (
        <p className="muted">No peer holds task {search.taskId}.</p>
      ) : (
        <table aria-label="Peers holding the task">
          <thead>
            <tr>
              <th>Cluster</th>
              <th>Hostname</th>
              <th>IP</th>
              <th>Host type</th>
              <th>State</th>
              <th>Size</th>
              <th>Pieces</th>
              <th>Created</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {search.peers.map((p) => (
              <tr key={`${p.schedulerClusterId}-${p.hostId}`}>
                <td>{p.schedulerClusterId}</td>
                <td>{p.hostname}</td>
                <td>{p.ip}</td>
                <td>{p.hostType}</td>
                <td>{p.state}</td>
                <td>{p.contentLength === null ? "—" : `${formatNumber(p.contentLength)} B`}</td>
                <td>{p.pieceCount}</td>
                <td>{formatTime(p.createdAt)}</td>
                <td>{formatTime(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
