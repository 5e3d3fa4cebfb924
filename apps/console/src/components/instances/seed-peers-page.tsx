"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";
import { useCan } from "../ui/permissions";
import { pageOf, useQueryParams } from "../ui/query-params";
import { ComponentFilters, stateOf } from "./component-filters";
import { LIVE_REFRESH_MS } from "./live";
import { SeedPeersTable } from "./seed-peers-table";

const PER_PAGE = 20;

/** SeedPeersPage lists the seed peers of every cluster with live status. */
export function SeedPeersPage() {
  const trpc = useTRPC();
  const can = useCan();
  const [params, setParams] = useQueryParams();
  const page = pageOf(params);
  const list = useQuery({
    ...trpc.seedPeers.list.queryOptions({
      page,
      perPage: PER_PAGE,
      state: stateOf(params),
      hostname: params.get("hostname") || undefined,
    }),
    refetchInterval: LIVE_REFRESH_MS,
  });
  // A seed peer cluster is paired with the scheduler cluster of the same name.
  const clusters = useQuery({
    ...trpc.schedulerClusters.list.queryOptions(),
    refetchInterval: LIVE_REFRESH_MS,
    enabled: can("clusters", "read"),
  });
  const revisionOf = (clusterName: string): number | null =>
    clusters.data?.find((c) => c.name === clusterName)?.configRevision ?? null;
  return (
    <AppShell title="Seed peers">
      <ComponentFilters noun="seed peers" params={params} setParams={setParams} />
      <p className="muted">
        Status refreshes every {LIVE_REFRESH_MS / 1000} s · last{" "}
        {formatTime(list.dataUpdatedAt ? new Date(list.dataUpdatedAt) : null)}
      </p>
      <ErrorAlert error={list.error} />
      <SeedPeersTable
        rows={list.data?.items ?? []}
        currentRevisionOf={(p) => revisionOf(p.clusterName)}
      />
      {list.data ? (
        <Pager
          label="Seed peers"
          page={page}
          perPage={PER_PAGE}
          total={list.data.total}
          onPage={(p) => setParams({ page: String(p) })}
        />
      ) : null}
    </AppShell>
  );
}
