"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

import { AppShell } from "~/components/app-shell";
import { ClusterForm } from "~/components/clusters/cluster-form";
import { initialValues, payloadOf } from "~/components/clusters/form-values";
import { useCan } from "~/components/ui/permissions";
import { useTRPC } from "~/trpc/react";

export default function NewClusterPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const can = useCan();
  const create = useMutation(
    trpc.schedulerClusters.create.mutationOptions({
      onSuccess: async (row) => {
        await queryClient.invalidateQueries(trpc.schedulerClusters.pathFilter());
        router.push(`/clusters/${row.id}`);
      },
    }),
  );
  return (
    <AppShell title="New cluster">
      {can("clusters", "write") ? (
        <ClusterForm
          title="Create cluster"
          initial={initialValues()}
          lockDefault={false}
          submitLabel="Create cluster"
          pending={create.isPending}
          error={create.error}
          cancelHref="/"
          onSubmit={(values) => create.mutate(payloadOf(values))}
        />
      ) : (
        <p className="muted">Creating clusters needs write permission on clusters.</p>
      )}
    </AppShell>
  );
}
