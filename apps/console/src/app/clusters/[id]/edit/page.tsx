"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams, useRouter } from "next/navigation";

import { AppShell } from "~/components/app-shell";
import { ClusterForm } from "~/components/clusters/cluster-form";
import { initialValues, payloadOf } from "~/components/clusters/form-values";
import { ErrorAlert } from "~/components/ui/error-alert";
import { useCan } from "~/components/ui/permissions";
import { useTRPC } from "~/trpc/react";

export default function EditClusterPage() {
  const { id } = useParams<{ id: string }>();
  const clusterId = Number(id);
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const can = useCan();
  const cluster = useQuery(trpc.schedulerClusters.get.queryOptions({ id: clusterId }));
  const update = useMutation(
    trpc.schedulerClusters.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.schedulerClusters.pathFilter());
        router.push(`/clusters/${clusterId}`);
      },
    }),
  );
  const c = cluster.data;
  return (
    <AppShell title={c ? `Edit cluster ${c.name}` : "Edit cluster"}>
      <ErrorAlert error={cluster.error} />
      {c && !can("clusters", "write") ? (
        <p className="muted">Editing clusters needs write permission on clusters.</p>
      ) : null}
      {c && can("clusters", "write") ? (
        <ClusterForm
          key={c.id}
          title="Edit cluster"
          initial={initialValues(c)}
          lockDefault={c.isDefault}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          cancelHref={`/clusters/${c.id}`}
          onSubmit={(values) =>
            // The default flag only moves to a cluster; it is never cleared directly.
            update.mutate({
              id: c.id,
              ...payloadOf(values),
              isDefault: values.isDefault && !c.isDefault ? true : undefined,
            })
          }
        />
      ) : null}
    </AppShell>
  );
}
