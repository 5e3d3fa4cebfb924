import type { Cluster } from "../types";
import { formatTime } from "../ui/format";

/** listText renders a list of scope values, or an em dash. */
const listText = (items: string[]): string => (items.length ? items.join(", ") : "—");

/** ClusterInfo shows a cluster's information and the scopes that decide which hosts it serves. */
export function ClusterInfo({ cluster }: { cluster: Cluster }) {
  return (
    <div className="two-col">
      <section className="card" aria-labelledby="info-heading">
        <h2 id="info-heading">Information</h2>
        <dl className="facts">
          <dt>ID</dt>
          <dd>{cluster.id}</dd>
          <dt>Name</dt>
          <dd>{cluster.name}</dd>
          <dt>Description</dt>
          <dd>{cluster.bio || "—"}</dd>
          <dt>Default</dt>
          <dd>{cluster.isDefault ? <span className="badge">default</span> : "No"}</dd>
          <dt>Config revision</dt>
          <dd>{cluster.configRevision}</dd>
          <dt>Created</dt>
          <dd>{formatTime(cluster.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatTime(cluster.updatedAt)}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="scopes-heading">
        <h2 id="scopes-heading">Scopes</h2>
        <dl className="facts">
          <dt>Location</dt>
          <dd>{cluster.scopes.location || "—"}</dd>
          <dt>IDC</dt>
          <dd>{cluster.scopes.idc || "—"}</dd>
          <dt>CIDRs</dt>
          <dd>{listText(cluster.scopes.cidrs)}</dd>
          <dt>Hostnames</dt>
          <dd>{listText(cluster.scopes.hostnames)}</dd>
        </dl>
      </section>
    </div>
  );
}
