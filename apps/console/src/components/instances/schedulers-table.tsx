import Link from "next/link";

import type { Outputs } from "../types";
import { formatTime } from "../ui/format";
import { RevisionStatus, StatusBadge } from "../ui/status-badge";

/** SchedulerRow is one scheduler as listed, with its cluster's current config revision. */
export type SchedulerRow = Outputs["schedulers"]["list"]["items"][number];

/** SchedulersTable lists schedulers with liveness and the config revision each runs. */
export function SchedulersTable({
  rows,
  showCluster,
}: {
  rows: SchedulerRow[];
  showCluster: boolean;
}) {
  return (
    <table aria-label="Schedulers">
      <thead>
        <tr>
          <th>Hostname</th>
          <th>IP</th>
          <th>Port</th>
          {showCluster ? <th>Cluster</th> : null}
          <th>Features</th>
          <th>Status</th>
          <th>Config revision</th>
          <th>Last keep-alive</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={showCluster ? 8 : 7} className="muted">
              No schedulers.
            </td>
          </tr>
        ) : null}
        {rows.map((s) => (
          <tr key={s.id}>
            <td>{s.hostname}</td>
            <td>{s.ip}</td>
            <td>{s.port}</td>
            {showCluster ? (
              <td>
                <Link href={`/clusters/${s.schedulerClusterId}`}>{s.clusterName}</Link>
              </td>
            ) : null}
            <td>{s.features.join(", ")}</td>
            <td>
              <StatusBadge state={s.state} />
            </td>
            <td>
              <RevisionStatus applied={s.appliedRevision} current={s.clusterRevision} />
            </td>
            <td>{formatTime(s.lastKeepAliveAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
