import type { Outputs } from "../types";
import { formatTime } from "../ui/format";
import { RevisionStatus, StatusBadge } from "../ui/status-badge";

/** SeedPeerRow is one seed peer as listed, with its seed peer cluster's name. */
export type SeedPeerRow = Outputs["seedPeers"]["list"]["items"][number];

/** SeedPeersTable lists seed peers with liveness and the config revision each runs. */
export function SeedPeersTable({
  rows,
  currentRevisionOf,
}: {
  rows: SeedPeerRow[];
  /** currentRevisionOf is the current config revision of the scheduler cluster a seed peer serves. */
  currentRevisionOf: (row: SeedPeerRow) => number | null;
}) {
  return (
    <table aria-label="Seed peers">
      <thead>
        <tr>
          <th>Hostname</th>
          <th>IP</th>
          <th>Ports</th>
          <th>Seed peer cluster</th>
          <th>Status</th>
          <th>Config revision</th>
          <th>Last keep-alive</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={7} className="muted">
              No seed peers.
            </td>
          </tr>
        ) : null}
        {rows.map((p) => (
          <tr key={p.id}>
            <td>{p.hostname}</td>
            <td>{p.ip}</td>
            <td>
              {p.port} / {p.downloadPort}
            </td>
            <td>{p.clusterName}</td>
            <td>
              <StatusBadge state={p.state} />
            </td>
            <td>
              <RevisionStatus applied={p.appliedRevision} current={currentRevisionOf(p)} />
            </td>
            <td>{formatTime(p.lastKeepAliveAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
