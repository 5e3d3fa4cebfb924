"use client";

import { useQuery } from "@tanstack/react-query";

import { AppShell } from "~/components/app-shell";
import { useTRPC } from "~/trpc/react";

export default function ClustersPage() {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.schedulerClusters.list.queryOptions());
  return (
    <AppShell title="Clusters">
      {clusters.error ? <p className="error">{clusters.error.message}</p> : null}
      <table aria-label="Scheduler clusters">
        <thead>
          <tr>
            <th>ID</th>
            <th>Name</th>
            <th>Description</th>
            <th>Config revision</th>
            <th>Default</th>
          </tr>
        </thead>
        <tbody>
          {(clusters.data ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>{c.name}</td>
              <td>{c.bio}</td>
              <td>{c.configRevision}</td>
              <td>{c.isDefault ? <span className="badge">default</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AppShell>
  );
}
