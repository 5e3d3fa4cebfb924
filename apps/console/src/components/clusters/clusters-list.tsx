"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { LIVE_REFRESH_MS } from "../instances/live";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { useCan } from "../ui/permissions";
import { useQueryParams } from "../ui/query-params";

/** ComponentTotals counts schedulers or seed peers and how many are active. */
function ComponentTotals({
  label,
  total,
  active,
}: {
  label: string;
  total?: number;
  active?: number;
}) {
  return (
    <div className="card stat">
      <span className="muted">{label}</span>
      <strong>{total ?? "—"}</strong>
      <span className="muted">{active ?? "—"} active</span>
    </div>
  );
}

/** ClustersList shows every scheduler cluster, default first, with fleet totals and a name search kept in the URL. */
export function ClustersList() {
  const trpc = useTRPC();
  const can = useCan();
  const [params, setParams] = useQueryParams();
  const search = params.get("search") ?? "";
  const clusters = useQuery(trpc.schedulerClusters.list.queryOptions());
  const live = { refetchInterval: LIVE_REFRESH_MS };
  const readSchedulers = { ...live, enabled: can("schedulers", "read") };
  const readSeedPeers = { ...live, enabled: can("seed-peers", "read") };
  const schedulers = useQuery({
    ...trpc.schedulers.list.queryOptions({ perPage: 1 }),
    ...readSchedulers,
  });
  const activeSchedulers = useQuery({
    ...trpc.schedulers.list.queryOptions({ perPage: 1, state: "active" }),
    ...readSchedulers,
  });
  const seedPeers = useQuery({
    ...trpc.seedPeers.list.queryOptions({ perPage: 1 }),
    ...readSeedPeers,
  });
  const activeSeedPeers = useQuery({
    ...trpc.seedPeers.list.queryOptions({ perPage: 1, state: "active" }),
    ...readSeedPeers,
  });
  const rows = [...(clusters.data ?? [])]
    .filter((c) => c.name.toLowerCase().includes(search.toLowerCase()))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.id - b.id);

  return (
    <AppShell
      title="Clusters"
      actions={
        can("clusters", "write") ? (
          <Link className="button" href="/clusters/new">
            Add cluster
          </Link>
        ) : null
      }
    >
      <div className="stats">
        <div className="card stat">
          <span className="muted">Clusters</span>
          <strong>{clusters.data?.length ?? "—"}</strong>
          <span className="muted">
            {clusters.data?.filter((c) => c.isDefault).length ?? "—"} default
          </span>
        </div>
        <ComponentTotals
          label="Schedulers"
          total={schedulers.data?.total}
          active={activeSchedulers.data?.total}
        />
        <ComponentTotals
          label="Seed peers"
          total={seedPeers.data?.total}
          active={activeSeedPeers.data?.total}
        />
      </div>
      <div className="filters" role="search">
        <label htmlFor="cluster-search">Search clusters</label>
        <input
          id="cluster-search"
          type="search"
          defaultValue={search}
          placeholder="Cluster name"
          onChange={(e) => setParams({ search: e.target.value }, { replace: true })}
        />
      </div>
      <ErrorAlert error={clusters.error} />
      <table aria-label="Scheduler clusters">
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Description</th>
            <th>Config revision</th>
            <th>Default</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {clusters.data && rows.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                {search ? `No clusters match "${search}".` : "You have no clusters."}
              </td>
            </tr>
          ) : null}
          {rows.map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>
                <Link href={`/clusters/${c.id}`}>{c.name}</Link>
              </td>
              <td>{c.bio}</td>
              <td>{c.configRevision}</td>
              <td>{c.isDefault ? <span className="badge">default</span> : null}</td>
              <td>{formatTime(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AppShell>
  );
}
