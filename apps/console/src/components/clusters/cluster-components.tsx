"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

import { LIVE_REFRESH_MS } from "../instances/live";
import { SchedulersTable } from "../instances/schedulers-table";
import { SeedPeersTable } from "../instances/seed-peers-table";
import type { Cluster } from "../types";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { useCan } from "../ui/permissions";

/**
 * ClusterComponents shows the schedulers and seed peers serving a cluster, refreshed every few
 * seconds, with the config revision each runs against the cluster's current one. Seed peers are
 * matched by their seed peer cluster's name, the pairing the manager creates.
 */
export function ClusterComponents({ cluster }: { cluster: Cluster }) {
  const trpc = useTRPC();
  const can = useCan();
  const live = { refetchInterval: LIVE_REFRESH_MS };
  const schedulers = useQuery({
    ...trpc.schedulers.list.queryOptions({ schedulerClusterId: cluster.id, perPage: 100 }),
    ...live,
    enabled: can("schedulers", "read"),
  });
  const seedPeers = useQuery({
    ...trpc.seedPeers.list.queryOptions({ perPage: 100 }),
    ...live,
    enabled: can("seed-peers", "read"),
  });
  const peers = (seedPeers.data?.items ?? []).filter((p) => p.clusterName === cluster.name);
  return (
    <>
      <section aria-labelledby="schedulers-heading">
        <div className="section-head">
          <h2 id="schedulers-heading">Schedulers</h2>
          <span className="muted">
            Refreshed{" "}
            {formatTime(schedulers.dataUpdatedAt ? new Date(schedulers.dataUpdatedAt) : null)}
          </span>
        </div>
        <ErrorAlert error={schedulers.error} />
        {can("schedulers", "read") ? (
          <SchedulersTable rows={schedulers.data?.items ?? []} showCluster={false} />
        ) : (
          <p className="muted">You may not read schedulers.</p>
        )}
      </section>
      <section aria-labelledby="seed-peers-heading">
        <h2 id="seed-peers-heading">Seed peers</h2>
        <ErrorAlert error={seedPeers.error} />
        {can("seed-peers", "read") ? (
          <SeedPeersTable rows={peers} currentRevisionOf={() => cluster.configRevision} />
        ) : (
          <p className="muted">You may not read seed peers.</p>
        )}
      </section>
    </>
  );
}
