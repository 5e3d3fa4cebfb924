"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { ErrorAlert } from "../ui/error-alert";
import { formatTime } from "../ui/format";
import { Pager } from "../ui/pager";
import { pageOf, useQueryParams } from "../ui/query-params";
import { ComponentFilters, stateOf } from "./component-filters";
import { LIVE_REFRESH_MS } from "./live";
import { SchedulersTable } from "./schedulers-table";

const PER_PAGE = 20;

/** SchedulersPage lists the schedulers of every cluster with live status. */
export function SchedulersPage() {
  const trpc = useTRPC();
  const [params, setParams] = useQueryParams();
  const page = pageOf(params);
  const list = useQuery({
    ...trpc.schedulers.list.queryOptions({
      page,
      perPage: PER_PAGE,
      state: stateOf(params),
      hostname: params.get("hostname") || undefined,
    }),
    refetchInterval: LIVE_REFRESH_MS,
  });
  return (
    <AppShell title="Schedulers">
      <ComponentFilters noun="schedulers" params={params} setParams={setParams} />
      <p className="muted">
        Status refreshes every {LIVE_REFRESH_MS / 1000} s · last{" "}
        {formatTime(list.dataUpdatedAt ? new Date(list.dataUpdatedAt) : null)}
      </p>
      <ErrorAlert error={list.error} />
      <SchedulersTable rows={list.data?.items ?? []} showCluster />
      {list.data ? (
        <Pager
          label="Schedulers"
          page={page}
          perPage={PER_PAGE}
          total={list.data.total}
          onPage={(p) => setParams({ page: String(p) })}
        />
      ) : null}
    </AppShell>
  );
}
