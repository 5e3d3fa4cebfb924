"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { useTRPC } from "~/trpc/react";

import { AppShell } from "../app-shell";
import { LIVE_REFRESH_MS } from "../instances/live";
import { ErrorAlert } from "../ui/error-alert";
import { ConfirmDialog } from "../ui/modal";
import { useCan } from "../ui/permissions";
import { ClusterComponents } from "./cluster-components";
import { ClusterInfo } from "./cluster-info";
import { CLIENT_FIELDS, SCHEDULER_FIELDS } from "./config-fields";
import { ConfigTable } from "./config-table";
import { RevisionsTable } from "./revisions-table";

/** ClusterDetail shows one scheduler cluster: information, scopes, config, components, revisions. */
export function ClusterDetail({ id }: { id: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const can = useCan();
  const [confirming, setConfirming] = useState(false);
  const cluster = useQuery({
    ...trpc.schedulerClusters.get.queryOptions({ id }),
    refetchInterval: LIVE_REFRESH_MS,
  });
  const remove = useMutation(
    trpc.schedulerClusters.delete.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        router.push("/");
        await queryClient.invalidateQueries(trpc.schedulerClusters.pathFilter());
      },
    }),
  );
  const c = cluster.data;
  const writable = can("clusters", "write");
  const actions =
    c && writable ? (
      <>
        <Link className="button" href={`/clusters/${c.id}/edit`}>
          Edit cluster
        </Link>
        {c.isDefault ? null : (
          <button
            type="button"
            className="danger"
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            Delete cluster
          </button>
        )}
      </>
    ) : null;

  return (
    <AppShell title={c ? `Cluster ${c.name}` : "Cluster"} actions={actions}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Clusters</Link> › <span aria-current="page">{c?.name ?? id}</span>
      </nav>
      <ErrorAlert error={cluster.error} />
      {c ? (
        <div className="stack">
          <ClusterInfo cluster={c} />
          <section aria-labelledby="scheduler-config-heading">
            <h2 id="scheduler-config-heading">Scheduler config</h2>
            <ConfigTable title="Scheduler config" fields={SCHEDULER_FIELDS} values={c.config} />
          </section>
          <section aria-labelledby="client-config-heading">
            <h2 id="client-config-heading">Client config</h2>
            <ConfigTable title="Client config" fields={CLIENT_FIELDS} values={c.clientConfig} />
          </section>
          <ClusterComponents cluster={c} />
          <section aria-labelledby="revisions-heading">
            <h2 id="revisions-heading">Config revisions</h2>
            <RevisionsTable clusterId={c.id} current={c.configRevision} />
          </section>
          <ConfirmDialog
            open={confirming}
            title={`Delete cluster ${c.name}?`}
            message="The cluster, its scopes and its config revisions are deleted. A cluster that still has schedulers cannot be deleted."
            confirmLabel="Delete"
            pending={remove.isPending}
            error={remove.error}
            onConfirm={() => remove.mutate({ id: c.id })}
            onCancel={() => setConfirming(false)}
          />
        </div>
      ) : cluster.isPending ? (
        <p className="muted">Loading…</p>
      ) : null}
    </AppShell>
  );
}
